"""What the attack suite shares: a copy of the approving example, the CLI run in a child
process whose wall time and peak memory are measured, and the fail-closed assertions."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conftest import EXAMPLES, REPO
from core.test_invalid_input import bundle_of

from gatekeeper.bundle.integrity import seal

__all__ = ["bundle_of"]

APPROVE = EXAMPLES / "approve"
NEVER_STALE = REPO / "tests" / "data" / "examples-never-stale.yaml"
MiB = 1024 * 1024


def approving_copy(folder: Path) -> Path:
    """The approving example's bundle, plan and transcripts in `folder` (approves as is)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("bundle.json", "release-plan.yaml", "transcripts.jsonl"):
        shutil.copy(APPROVE / name, folder / name)
    return folder


def write_sealed(folder: Path, bundle: dict[str, Any]) -> None:
    """The bundle re-sealed, so a change reaches the checks past its section digests."""
    (folder / "bundle.json").write_text(json.dumps(seal(bundle)))


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mib: float
    """Peak resident memory of the process (and the children it waited for)."""


def start(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """The CLI as its own process group, output to files in `cwd` (so a kill loses none)."""
    return subprocess.Popen(
        [sys.executable, "-m", "gatekeeper.cli", *args], cwd=cwd, start_new_session=True,
        stdout=(cwd / ".stdout").open("wb"), stderr=(cwd / ".stderr").open("wb"),
        env={**os.environ, **(env or {})})


def kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL without reaping (Popen.kill polls first, which may reap it)."""
    os.kill(process.pid, signal.SIGKILL)


def finish(process: subprocess.Popen[bytes], cwd: Path, started: float,
           timeout: float = 120) -> Run:
    """Wait (killing the group after `timeout`) and measure."""
    deadline = started + timeout
    while True:
        if process.returncode is not None:  # already reaped (by poll): no usage to report
            return Run(process.returncode, (cwd / ".stdout").read_text(errors="replace"),
                       (cwd / ".stderr").read_text(errors="replace"),
                       time.monotonic() - started, 0.0)
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            raise AssertionError(f"{process.args} did not finish in {timeout} s (a hang)")
        time.sleep(0.01)
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(process.returncode, (cwd / ".stdout").read_text(errors="replace"),
               (cwd / ".stderr").read_text(errors="replace"), time.monotonic() - started,
               usage.ru_maxrss / 1024)


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 120) -> Run:
    folder = cwd or Path(tempfile.mkdtemp(prefix="gk-attack-"))
    started = time.monotonic()
    return finish(start(*args, cwd=folder), folder, started, timeout)


def evaluate(folder: Path, *extra: str, bundle: str = "bundle.json",
             plan: str | None = "release-plan.yaml", timeout: float = 120) -> Run:
    """`evaluate` of `folder`'s bundle and plan with the never-stale data, no ledger unless
    `extra` names one."""
    args = ["evaluate", str(folder / bundle), "--data", str(NEVER_STALE)]
    if plan is not None:
        args += ["--release-plan", str(folder / plan)]
    if "--ledger" not in extra:
        args.append("--no-ledger")
    return run_cli(*args, *extra, cwd=folder, timeout=timeout)


def assert_refused(run: Run, *needles: str, code: int = 2) -> None:
    """Exit 2 (invalid input), one clear message naming what was refused, no traceback,
    never an approval."""
    assert run.code == code, (run.code, run.stderr[-2000:])
    assert "Traceback" not in run.stderr, run.stderr
    assert "verdict: APPROVE" not in run.stdout and "verdict approve" not in run.stderr
    assert "no verdict was produced" in run.stderr, run.stderr
    for needle in needles:
        assert needle in run.stderr, (needle, run.stderr[-2000:])
