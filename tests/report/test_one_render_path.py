"""`review --reports-dir` and `gatekeeper report ID` render the same recorded decision to the
same bytes, in every format, charts included: one view, one registry, one signature."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO

from gatekeeper.report.registry import formats

PLAN = REPO / "tests" / "collect" / "data" / "release-plan.yaml"


def gatekeeper(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gatekeeper.cli", *args], cwd=cwd,
                          capture_output=True, text=True, check=False, timeout=300)


def test_review_reports_are_byte_identical_to_report_of_the_recorded_decision(
        tmp_path: Path) -> None:
    reviewed = gatekeeper(tmp_path, "review", "--model", "scripted/objector", "--release-plan",
                          str(PLAN), "--samples", "4", "--no-cache", "--quiet",
                          "--out", "bundle.json", "--reports-dir", "reports",
                          "--ledger", "audit/ledger.jsonl", "--format", "json")
    assert reviewed.returncode == 4, reviewed.stderr
    decision = json.loads(reviewed.stdout)["decision_id"]
    assert (tmp_path / "reports" / "report.json").read_text() == reviewed.stdout
    for name in formats():
        again = tmp_path / f"again.{name}"
        done = gatekeeper(tmp_path, "report", decision, "--ledger", "audit/ledger.jsonl",
                          "--format", name, "--output", str(again))
        assert done.returncode == 0, done.stderr
        assert again.read_bytes() == (tmp_path / "reports" / f"report.{name}").read_bytes(), name
    html = (tmp_path / "reports" / "report.html").read_text()
    assert "<svg" in html and "not available to this report" not in html
    assert "record #0" in (tmp_path / "reports" / "report.text").read_text()
