"""`--engine opa-server` (and `opa`/`both` with --opa-url): an external OPA server gives
regopy's answers, and fails closed."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import example_dirs, expected, free_port
from core.test_examples import NEVER_STALE

from gatekeeper.decision.decider import Decider
from gatekeeper.engines.base import PolicyModule, PolicySet
from gatekeeper.engines.differential import BothEngines, EngineDisagreement
from gatekeeper.engines.opa_server import OpaServerEngine
from gatekeeper.engines.registry import engine_names, make_engine
from gatekeeper.engines.regopy_engine import RegopyEngine
from gatekeeper.errors import EngineError, PolicyError, UsageError
from gatekeeper.evaluation import EvaluationRequest, evaluate
from gatekeeper.policy.loading import load_policy_set
from opa.differential_support import seed_input

EXAMPLES = example_dirs()
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def gatekeeper(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in a scratch folder; `evaluate` gets the examples' never-stale thresholds."""
    extra = ["--data", NEVER_STALE] if args[:1] == ("evaluate",) else []
    return subprocess.run(
        [sys.executable, "-m", "gatekeeper.cli", *args, *extra], capture_output=True, text=True,
        check=False, cwd=tempfile.mkdtemp(prefix="gk-opa-"), timeout=180,
        env={**os.environ, **(env or {})},
    )


def comparable(document: dict[str, Any]) -> dict[str, Any]:
    """An evaluation result without what legitimately differs between engines and runs."""
    return {k: v for k, v in document.items() if k not in ("decision_id", "engine")}


def request(example: Path) -> EvaluationRequest:
    plan = example / "release-plan.yaml"
    return EvaluationRequest(example / "bundle.json", plan if plan.exists() else None, now=NOW)


def test_registry_keeps_the_old_names_usable() -> None:
    assert engine_names() == ["opa", "opa-server", "regopy", "both", "embedded"]
    with pytest.raises(UsageError, match="--opa-url"):
        make_engine("opa-server")
    with pytest.raises(UsageError, match="--opa-url is for the OPA engines"):
        make_engine("embedded", "http://127.0.0.1:1")
    assert make_engine("embedded").name == "regopy"
    assert make_engine("opa", "http://127.0.0.1:1").name == "opa-server"
    assert isinstance(make_engine("both", "http://127.0.0.1:1"), BothEngines)


@pytest.mark.parametrize("url", ["127.0.0.1:8181", "ftp://x", "http://h:8181/v1", "http://h:x"])
def test_bad_urls_are_refused(url: str) -> None:
    with pytest.raises(EngineError):
        OpaServerEngine(url)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_opa_server_equals_embedded_on_every_example(example: Path, opa_server: Any) -> None:
    embedded = evaluate(request(example), Decider(RegopyEngine()), new_id=lambda: "x")
    on_opa = evaluate(request(example), Decider(OpaServerEngine(opa_server.url)),
                      new_id=lambda: "x")
    assert on_opa.engine.name == "opa-server"
    assert on_opa.engine.version.startswith("opa 1.")
    assert comparable(on_opa.model_dump(mode="json")) == comparable(
        embedded.model_dump(mode="json")
    )


ONE_PER_VERDICT = list({expected(e)["verdict"]: e for e in EXAMPLES}.values())
"""CLI plumbing needs one example per verdict; engine equality is checked on every example
in-process above."""


@pytest.mark.parametrize("example", ONE_PER_VERDICT, ids=[e.name for e in ONE_PER_VERDICT])
def test_cli_engine_opa_and_both_give_the_expected_verdict(example: Path, opa_server: Any) -> None:
    want = expected(example)["verdict"]
    plan = ["--release-plan", str(example / "release-plan.yaml")]
    for engine in ("opa", "both"):
        done = gatekeeper("evaluate", str(example / "bundle.json"), *plan, "--format", "json",
                          "--engine", engine, "--opa-url", opa_server.url, "--fail-on", "never")
        assert done.returncode == 0, done.stderr
        document = json.loads(done.stdout)
        assert document["verdict"] == want
        assert document["engine"]["name"] == {"opa": "opa-server", "both": "both"}[engine]


def test_answer_carries_decision_id_and_server_version(opa_server: Any) -> None:
    policy = load_policy_set()
    answer = OpaServerEngine(opa_server.url).prepare(policy).evaluate(seed_input())
    assert answer.decision_id and len(answer.decision_id) == 36
    assert answer.engine_version == "opa 1.22.3"
    assert answer.result["verdict"] == "approve"


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return json.load(answer)


def _put(url: str, body: bytes, content_type: str) -> int:
    call = urllib.request.Request(url, data=body, method="PUT",
                                  headers={"Content-Type": content_type})
    with urllib.request.urlopen(call, timeout=5) as answer:
        status: int = answer.status
        return status


def test_upload_is_exact_prefixed_and_leaves_other_roots_alone(start_opa: Any) -> None:
    server = start_opa()
    _put(f"{server.url}/v1/data/other", b'{"keep": 1}', "application/json")
    _put(f"{server.url}/v1/policies/someone/else.rego",
         b"package someone\n\nx := 1\n", "text/plain")
    policy = load_policy_set()
    engine = OpaServerEngine(server.url)
    engine.prepare(policy).evaluate(seed_input())
    assert engine.mode == "upload"
    served = {p["id"]: p["raw"] for p in _get(f"{server.url}/v1/policies")["result"]}
    for module in policy.modules:
        assert served[f"gatekeeper-engine/{module.path}"] == module.text
    assert served["someone/else.rego"].startswith("package someone")
    assert _get(f"{server.url}/v1/data/other")["result"] == {"keep": 1}
    assert _get(f"{server.url}/v1/data/gatekeeper/thresholds")["result"] == policy.data[
        "gatekeeper"]["thresholds"]


def test_stale_modules_of_ours_are_removed(start_opa: Any) -> None:
    server = start_opa()
    _put(f"{server.url}/v1/policies/gatekeeper-engine/old/extra.rego",
         b'package gatekeeper.rules.old\n\nblock_reasons contains {"rule_id": "OLD"}\n',
         "text/plain")
    answer = OpaServerEngine(server.url).prepare(load_policy_set()).evaluate(seed_input())
    assert answer.result["verdict"] == "approve"
    ids = {p["id"] for p in _get(f"{server.url}/v1/policies")["result"]}
    assert "gatekeeper-engine/old/extra.rego" not in ids


def test_foreign_module_under_our_root_is_refused(start_opa: Any) -> None:
    server = start_opa()
    _put(f"{server.url}/v1/policies/theirs.rego",
         b'package gatekeeper.rules.theirs\n\nconditions contains {"rule_id": "X"}\n',
         "text/plain")
    with pytest.raises(EngineError, match="would change Gatekeeper's decision"):
        OpaServerEngine(server.url).prepare(load_policy_set()).evaluate(seed_input())


def test_module_that_opa_rejects_is_a_policy_error(start_opa: Any) -> None:
    server = start_opa()
    policy = PolicySet(
        (PolicyModule("p/bad.rego", "package gatekeeper.decision\n\nresult if {\n"),),
        {}, "sha256:" + "0" * 64,
    )
    with pytest.raises(PolicyError, match="OPA rejected"):
        OpaServerEngine(server.url).prepare(policy).evaluate({})


def test_modules_that_depend_on_each_other_upload_in_any_order(start_opa: Any) -> None:
    server = start_opa()
    caller = PolicyModule(
        "p/a.rego",
        'package gatekeeper.decision\n\nresult := {"verdict": data.gatekeeper.lib.v(1)}\n',
    )
    library = PolicyModule("p/b.rego", "package gatekeeper.lib\n\nv(x) := \"approve\" if x == 1\n")
    policy = PolicySet((caller, library), {}, "sha256:" + "1" * 64)
    assert OpaServerEngine(server.url).prepare(policy).evaluate({}).result == {"verdict": "approve"}


def test_undefined_decision_is_an_engine_error(start_opa: Any) -> None:
    server = start_opa()
    policy = PolicySet(
        (PolicyModule("p/d.rego", "package gatekeeper.decision\n\nresult := 1 if input.nope\n"),),
        {}, "sha256:" + "2" * 64,
    )
    with pytest.raises(EngineError, match="undefined"):
        OpaServerEngine(server.url).prepare(policy).evaluate({})


def test_stopped_server_is_a_clear_error() -> None:
    engine = OpaServerEngine(f"http://127.0.0.1:{free_port()}", timeout=2)
    with pytest.raises(EngineError, match=r"cannot reach OPA server .* is it running"):
        engine.prepare(load_policy_set()).evaluate(seed_input())


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback socket that accepts connections and never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join(timeout=2)
    for connection in accepted:
        connection.close()
    listener.close()


def test_slow_server_times_out_with_a_clear_error(silent_server: str) -> None:
    engine = OpaServerEngine(silent_server, timeout=0.3, retries=0)
    with pytest.raises(EngineError, match=r"did not answer within 0\.3s"):
        engine.prepare(load_policy_set()).evaluate(seed_input())


class _Broken(BaseHTTPRequestHandler):
    status = 500
    body = b"not json"

    def do_GET(self) -> None:
        self.send_response(self.status)
        self.end_headers()
        self.wfile.write(self.body)

    do_PUT = do_POST = do_GET

    def log_message(self, *args: Any) -> None:
        pass


@pytest.mark.parametrize(("status", "body", "match"), [
    (500, b'{"code": "internal_error"}', "HTTP 500"),
    (200, b"<html>proxy</html>", "non-JSON"),
    (404, b"{}", "HTTP 404"),
])
def test_http_errors_and_garbage_are_engine_errors(status: int, body: bytes, match: str) -> None:
    handler = type("Handler", (_Broken,), {"status": status, "body": body})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        engine = OpaServerEngine(f"http://127.0.0.1:{server.server_address[1]}", retries=0)
        with pytest.raises(EngineError, match=match):
            engine.prepare(load_policy_set()).evaluate(seed_input())
    finally:
        server.shutdown()
        server.server_close()


def test_cli_fails_closed_on_stopped_and_slow_servers(silent_server: str) -> None:
    assert EXAMPLES, "no example bundles under evidence/examples/"
    example = EXAMPLES[0]
    for url, env, says in (
        (f"http://127.0.0.1:{free_port()}", {}, "cannot reach"),
        (silent_server, {"GATEKEEPER_OPA_TIMEOUT": "0.3"}, "did not answer within"),
    ):
        for engine in ("opa", "both"):
            done = gatekeeper("evaluate", str(example / "bundle.json"), "--release-plan",
                              str(example / "release-plan.yaml"), "--engine", engine,
                              "--opa-url", url, env=env)
            assert done.returncode == 1, done.stderr
            assert says in done.stderr
            assert "no verdict was produced" in done.stderr
            assert done.stdout == ""


DIVERGENT_MODULE = """package gatekeeper.rules.divergent

import rego.v1

# `not f(<undefined ref>)`: true on regopy, undefined on OPA (opa#1877/#8387).
escalate_reasons contains {"rule_id": "DIV-001", "message": "differs"} if {
\tnot is_object(input.bundle.no_such_section)
}
"""


def test_both_engines_name_a_disagreement(opa_server: Any, tmp_path: Path) -> None:
    (tmp_path / "divergent.rego").write_text(DIVERGENT_MODULE)
    policy = load_policy_set((tmp_path,))
    both = BothEngines(RegopyEngine(), OpaServerEngine(opa_server.url))
    with pytest.raises(EngineDisagreement, match="engine disagreement") as caught:
        Decider(both).decide(policy, seed_input())
    assert "DIV-001" in str(caught.value)
    assert caught.value.exit_code == 1


def test_both_engines_agreeing_report_both_versions(opa_server: Any) -> None:
    both = BothEngines(RegopyEngine(), OpaServerEngine(opa_server.url))
    answer = both.prepare(load_policy_set()).evaluate(seed_input())
    assert answer.engine_version.startswith("regopy 1.5.2 + opa 1.22.3")
    assert answer.decision_id


def test_cli_engine_both_exits_1_on_disagreement(opa_server: Any, tmp_path: Path) -> None:
    assert EXAMPLES, "no example bundles under evidence/examples/"
    (tmp_path / "divergent.rego").write_text(DIVERGENT_MODULE)
    example = EXAMPLES[0]
    done = gatekeeper("evaluate", str(example / "bundle.json"), "--release-plan",
                      str(example / "release-plan.yaml"), "--engine", "both",
                      "--opa-url", opa_server.url, "--policy-dir", str(tmp_path))
    assert done.returncode == 1, done.stderr
    assert "engine disagreement" in done.stderr
    assert done.stdout == ""
