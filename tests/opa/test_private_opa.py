"""The default engine: a private OPA per policy set, exact, private, and failing closed."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, example_dirs, example_inputs, expected

from gatekeeper.decision.decider import Decider
from gatekeeper.engines.base import PolicyModule, PolicySet
from gatekeeper.engines.opa_private import PrivateOpaEngine
from gatekeeper.engines.registry import make_engine
from gatekeeper.errors import EngineError, PolicyError
from gatekeeper.policy.loading import load_policy_set

EXAMPLES = example_dirs()


def tiny(body: str, digest: str = "sha256:" + "a" * 64) -> PolicySet:
    text = "package gatekeeper.decision\n\nimport rego.v1\n\n" + body
    return PolicySet((PolicyModule("p/decision.rego", text),), {}, digest)


def gatekeeper(*args: str, cwd: Path, env: dict[str, str] | None = None
               ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gatekeeper.cli", *args], capture_output=True,
                          text=True, check=False, timeout=120, cwd=cwd,
                          env={**os.environ, **(env or {})})


def test_the_default_engine_is_the_private_opa(opa_bin: Path) -> None:
    assert make_engine("opa").name == "opa"


@pytest.mark.parametrize("name", sorted(example_inputs()))
def test_every_example_gets_its_expected_verdict_from_opa(
    name: str, opa_bin: Path, decider: Decider
) -> None:
    decision = decider.decide(load_policy_set(), example_inputs()[name])
    assert decision.answer.engine_version == "opa 1.22.3"
    want = expected(REPO / "evidence" / "examples" / name)
    assert decision.verdict == want["verdict"]
    fired = {r.rule_id for r in [*decision.reasons, *decision.conditions]}
    assert set(want["rule_ids"]) <= fired  # type: ignore[arg-type]


def test_server_is_private_and_stopped_on_close(opa_bin: Path) -> None:
    prepared = PrivateOpaEngine(opa_bin).prepare(tiny('result := {"verdict": "escalate"}\n'))
    assert prepared.evaluate({}).result == {"verdict": "escalate"}
    folder = Path(prepared._socket).parent
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_ISSOCK(Path(prepared._socket).stat().st_mode)
    process = prepared._process
    assert process is not None and process.poll() is None
    prepared.close()
    assert process.poll() is not None
    assert not folder.exists()
    with pytest.raises(EngineError, match="already stopped"):
        prepared.evaluate({})


def test_policy_cannot_be_changed_through_the_api(opa_bin: Path) -> None:
    from gatekeeper.engines.opa_private import _UnixConnection

    prepared = PrivateOpaEngine(opa_bin).prepare(tiny('result := {"verdict": "escalate"}\n'))
    try:
        prepared.evaluate({})
        connection = _UnixConnection(prepared._socket, 5)
        connection.request("PUT", "/v1/policies/x", b"package gatekeeper.decision\n"
                           b'result := {"verdict": "approve"}\n')
        response = connection.getresponse()
        assert response.status == 400 and b"owned by bundle" in response.read()
        assert prepared.evaluate({}).result == {"verdict": "escalate"}
    finally:
        prepared.close()


def test_a_module_opa_rejects_is_a_policy_error(opa_bin: Path) -> None:
    prepared = PrivateOpaEngine(opa_bin).prepare(tiny("result if {\n"))
    with pytest.raises(PolicyError, match=r"p/decision\.rego:\d+"):
        prepared.evaluate({})


def test_a_package_outside_the_gatekeeper_root_is_refused(opa_bin: Path) -> None:
    policy = PolicySet(
        (PolicyModule("p/decision.rego", "package gatekeeper.decision\n\nresult := 1\n"),
         PolicyModule("p/other.rego", "package elsewhere\n\nx := 1\n")),
        {}, "sha256:" + "b" * 64)
    with pytest.raises(PolicyError, match="elsewhere"):
        PrivateOpaEngine(opa_bin).prepare(policy).evaluate({})


def test_undefined_decision_is_an_engine_error(opa_bin: Path) -> None:
    prepared = PrivateOpaEngine(opa_bin).prepare(tiny("result := 1 if input.nope\n"))
    with pytest.raises(EngineError, match="undefined"):
        prepared.evaluate({})
    prepared.close()


def test_a_builtin_error_fails_the_query(opa_bin: Path) -> None:
    prepared = PrivateOpaEngine(opa_bin).prepare(
        tiny('result := {"verdict": "approve", "n": to_number("x")}\n'))
    with pytest.raises(EngineError, match="HTTP 500"):
        prepared.evaluate({})
    prepared.close()


def test_a_killed_server_fails_one_decision_then_restarts(opa_bin: Path) -> None:
    prepared = PrivateOpaEngine(opa_bin).prepare(tiny('result := {"verdict": "escalate"}\n'))
    prepared.evaluate({})
    assert prepared._process is not None
    prepared._process.kill()
    prepared._process.wait()
    with pytest.raises(EngineError, match="private OPA server exited while evaluating"):
        prepared.evaluate({})
    assert prepared.evaluate({}).result == {"verdict": "escalate"}
    prepared.close()


def test_a_broken_binary_is_an_engine_error(tmp_path: Path) -> None:
    fake = tmp_path / "opa"
    fake.write_text("#!/bin/sh\necho broken >&2\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(EngineError, match="exited with code 3"):
        PrivateOpaEngine(fake).prepare(tiny("result := 1\n")).evaluate({})


def test_the_decider_prepares_each_policy_once_and_keeps_a_few(opa_bin: Path) -> None:
    with Decider(PrivateOpaEngine(opa_bin), keep=2) as decider:
        nothing = '{"block_reasons": [], "escalate_reasons": [], "conditions": []}'
        sets = [tiny(f'result := {{"verdict": "escalate", "unwaived_verdict": "escalate", '
                     f'"waived": {nothing}, "waivers": {{"applied": [], "void": []}}, '
                     f'"block_reasons": [], "escalate_reasons": [], "conditions": []}}\n',
                     "sha256:" + c * 64)
                for c in "cde"]
        for policy in sets:
            decider.decide(policy, {})
            decider.decide(policy, {})
        assert list(decider._ready) == [p.digest for p in sets[1:]]


def test_without_opa_the_default_falls_back_to_regopy_and_records_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from gatekeeper.cli.main import cli
    from gatekeeper.engines import opa_settings

    monkeypatch.setattr(opa_settings, "_BUILT", tmp_path / "no-opa-here")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("GATEKEEPER_OPA", raising=False)
    monkeypatch.chdir(tmp_path)
    example = next(e for e in EXAMPLES if expected(e)["verdict"] == "approve")
    done = CliRunner().invoke(cli, [
        "evaluate", str(example / "bundle.json"), "--release-plan",
        str(example / "release-plan.yaml"), "--format", "json",
        "--data", str(REPO / "tests" / "data" / "examples-never-stale.yaml")])
    assert done.exit_code == 0, done.stderr
    assert "deciding with regopy instead of OPA" in done.stderr
    result = json.loads(done.stdout)
    assert result["verdict"] == "approve"
    assert result["engine"]["name"] == "regopy"
    assert "(fallback: no OPA binary found" in result["engine"]["version"]
    record: dict[str, Any] = json.loads((tmp_path / ".gatekeeper" / "ledger.jsonl").read_text())
    assert record["labels"]["engine"] == "regopy"
    assert "fallback" in record["labels"]["engine_version"]
    assert record["result"]["engine"] == result["engine"]


def test_an_explicit_missing_opa_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    example = EXAMPLES[0]
    done = gatekeeper("evaluate", str(example / "bundle.json"), "--release-plan",
                      str(example / "release-plan.yaml"), cwd=tmp_path,
                      env={"GATEKEEPER_OPA": str(tmp_path / "nope")})
    assert done.returncode == 1
    assert "is not an executable file" in done.stderr and done.stdout == ""


@pytest.mark.parametrize("args", [["--engine", "opa-server"],
                                  ["--engine", "regopy", "--opa-url", "http://127.0.0.1:1"],
                                  ["--engine", "wasm"]])
def test_engine_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    example = EXAMPLES[0]
    done = gatekeeper("evaluate", str(example / "bundle.json"), "--release-plan",
                      str(example / "release-plan.yaml"), *args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""


def test_engine_both_on_the_private_opa_exits_1_on_disagreement(
    opa_bin: Path, tmp_path: Path
) -> None:
    from opa.test_opa_engine import DIVERGENT_MODULE

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "divergent.rego").write_text(DIVERGENT_MODULE)
    example = EXAMPLES[0]
    done = gatekeeper("evaluate", str(example / "bundle.json"), "--release-plan",
                      str(example / "release-plan.yaml"), "--engine", "both",
                      "--policy-dir", str(rules), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "engine disagreement" in done.stderr and "DIV-001" in done.stderr
    assert done.stdout == ""
    agreeing = gatekeeper("evaluate", str(example / "bundle.json"), "--release-plan",
                          str(example / "release-plan.yaml"), "--engine", "both",
                          "--format", "json", "--fail-on", "never", cwd=tmp_path)
    assert agreeing.returncode == 0, agreeing.stderr
    engine = json.loads(agreeing.stdout)["engine"]
    assert engine["name"] == "both" and engine["version"] == "regopy 1.5.2 + opa 1.22.3"
