"""Shared fixtures: repository paths, the example bundles (loaded once), the engines."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from gatekeeper.decision.decider import Decider

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "evidence" / "examples"


def example_dirs() -> list[Path]:
    """Every example folder that holds a bundle and an expected verdict."""
    return sorted(p.parent for p in EXAMPLES.glob("*/expected.json"))


@pytest.fixture
def repo() -> Path:
    return REPO


def expected(example: Path) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((example / "expected.json").read_text())
    return loaded


def _required(variable: str) -> bool:
    return os.environ.get(variable) == "1"


@cache
def example_inputs() -> dict[str, dict[str, Any]]:
    """`build_input` of every valid example at its collection time (age 0), loaded once per
    test process; callers must copy before mutating."""
    from datetime import datetime

    from gatekeeper.bundle.loading import load_bundle, load_release_plan
    from gatekeeper.errors import GatekeeperError
    from gatekeeper.evaluation import build_input

    found: dict[str, dict[str, Any]] = {}
    for folder in sorted(p.parent for p in EXAMPLES.glob("*/bundle.json")):
        plan_path = folder / "release-plan.yaml"
        try:
            bundle = load_bundle(folder / "bundle.json")
            plan = load_release_plan(plan_path) if plan_path.exists() else None
        except GatekeeperError:
            continue  # an example of invalid input: never reaches an engine
        finished = datetime.fromisoformat(bundle.model.collection.finished_at)
        found[folder.name] = build_input(bundle, plan, finished)
    return found


_DECIDERS: list[Decider] = []


def shared_decider() -> Decider:
    """The default engine behind one Decider per test process (policy sets prepared once).

    Without OPA the default falls back to regopy, as the product does; CI
    (GATEKEEPER_REQUIRE_OPA=1) refuses that fallback.
    """
    if not _DECIDERS:
        from gatekeeper.engines.registry import make_engine

        engine = make_engine("opa")
        if engine.name != "opa" and _required("GATEKEEPER_REQUIRE_OPA"):
            pytest.fail("no OPA binary: GATEKEEPER_REQUIRE_OPA=1 forbids the regopy fallback")
        _DECIDERS.append(Decider(engine))
    return _DECIDERS[0]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    for decider in _DECIDERS:
        decider.close()


@pytest.fixture
def decider() -> Decider:
    return shared_decider()


@pytest.fixture(scope="session")
def opa_bin() -> Path:
    """The OPA CLI built from source by scripts/install-opa.sh; CI must never skip."""
    binary = REPO / ".tools" / "bin" / "opa"
    if not binary.exists():
        message = f"OPA CLI not built at {binary}: run `bash scripts/install-opa.sh` (needs Go)"
        if _required("GATEKEEPER_REQUIRE_OPA"):
            pytest.fail(message + " — GATEKEEPER_REQUIRE_OPA=1 forbids skipping")
        pytest.skip("SKIPPED, NOT PASSED: " + message)
    return binary


def free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class OpaServer:
    """A real `opa run --server` on a free loopback port, with decision logs on the console
    (that is what makes OPA return `decision_id`), stopped by the fixture that started it."""

    def __init__(self, binary: Path, log: Path, *extra: str) -> None:
        import subprocess
        import time
        import urllib.request

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._stream = log.open("wb")
        self.process = subprocess.Popen(
            [str(binary), "run", "--server", "--addr", f"127.0.0.1:{self.port}",
             "--set", "decision_logs.console=true", "--log-level", "error", *extra],
            stdout=self._stream, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                self._stream.close()
                raise RuntimeError(f"opa exited early:\n{log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"opa did not become healthy:\n{log.read_text()[-2000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        import subprocess

        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._stream.close()


@pytest.fixture(scope="session")
def opa_server(opa_bin: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One real OPA server for the whole session (policies are uploaded by the engine)."""
    server = OpaServer(opa_bin, tmp_path_factory.mktemp("opa") / "opa.log")
    yield server
    server.stop()


@pytest.fixture
def start_opa(opa_bin: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Factory: start extra OPA servers (e.g. with `--bundle FILE`); all stopped afterwards."""
    started: list[OpaServer] = []

    def start(*extra: str) -> OpaServer:
        server = OpaServer(opa_bin, tmp_path / f"opa-{len(started)}.log", *extra)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
