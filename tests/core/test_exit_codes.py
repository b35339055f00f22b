"""Every usage error exits 2, through the real CLI; 1 is kept for real internal failures.

Each case once exited 1 ("internal error") or even 0, or guards a path that must stay 2:
a typo'd scripted persona, a malformed weights digest, engine options that do not go
together, commands missing what they need.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES

APPROVE = EXAMPLES / "approve"
DIGEST = "sha256:" + "a" * 64
BUNDLE = str(APPROVE / "bundle.json")
PLAN = str(APPROVE / "release-plan.yaml")

USAGE_ERRORS: dict[str, list[str]] = {
    "collect, unknown persona": ["collect", "--model", "scripted/objectr", "--weights-digest",
                                 DIGEST, "--out", "b.json", "--quiet"],
    "review, unknown persona": ["review", "--model", "scripted/nosuch", "--release-plan", PLAN,
                                "--quiet"],
    "collect, unknown judge persona": ["collect", "--model", "scripted/objector", "--judge",
                                       "scripted/nosuch", "--weights-digest", DIGEST, "--out",
                                       "b.json", "--quiet"],
    "judge calibrate, unknown persona": ["judge", "calibrate", "--judge", "scripted/nosuch"],
    "collect, malformed digest": ["collect", "--model", "scripted/objector", "--weights-digest",
                                  "nothex", "--out", "b.json", "--quiet"],
    "review, malformed digest": ["review", "--model", "scripted/objector", "--release-plan",
                                 PLAN, "--weights-digest", "sha256:ABC", "--quiet"],
    "opa-server without --opa-url": ["evaluate", BUNDLE, "--release-plan", PLAN, "--engine",
                                     "opa-server"],
    "regopy with --opa-url": ["evaluate", BUNDLE, "--release-plan", PLAN, "--engine", "regopy",
                              "--opa-url", "http://127.0.0.1:1"],
    "waivers without a ledger": ["evaluate", BUNDLE, "--release-plan", PLAN, "--no-ledger",
                                 "--waiver", BUNDLE],
    "unknown format": ["evaluate", BUNDLE, "--format", "yaml"],
    "replay without a decision": ["replay"],
    "replay --policy-dir without --all": ["replay", "x", "--policy-dir", str(APPROVE)],
    "report of an unknown decision": ["report", "no-such-decision"],
}


@pytest.mark.parametrize("args", USAGE_ERRORS.values(), ids=USAGE_ERRORS.keys())
def test_a_usage_error_exits_2(tmp_path: Path, args: list[str]) -> None:
    done = subprocess.run([sys.executable, "-m", "gatekeeper.cli", *args], cwd=tmp_path,
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "internal error" not in done.stderr
    assert not (tmp_path / "b.json").exists()  # refused before anything was collected
