"""Every example gets its intended verdict and exit code through the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import REPO, example_dirs, expected

from gatekeeper.decision.verdict import exit_code_for

EXAMPLES = example_dirs()
NEVER_STALE = str(REPO / "tests" / "data" / "examples-never-stale.yaml")


def gatekeeper(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a fresh working directory (its default ledger lands there).

    `evaluate` gets the examples' never-stale thresholds, since their dates are fixed.
    """
    extra = ["--data", NEVER_STALE] if args[:1] == ("evaluate",) else []
    return subprocess.run(
        [sys.executable, "-m", "gatekeeper.cli", *args, *extra],
        capture_output=True, text=True, check=False, timeout=120,
        cwd=cwd or tempfile.mkdtemp(prefix="gk-cli-"),
    )


def test_there_is_an_example_for_every_verdict() -> None:
    verdicts = {expected(e)["verdict"] for e in EXAMPLES}
    assert verdicts == {"block", "escalate", "approve_with_conditions", "approve"}


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example_gets_its_intended_verdict(example: Path) -> None:
    want = expected(example)
    result = gatekeeper(
        "evaluate", str(example / "bundle.json"),
        "--release-plan", str(example / "release-plan.yaml"), "--format", "json",
    )
    assert result.returncode == exit_code_for(want["verdict"]), result.stderr  # type: ignore[arg-type]
    document = json.loads(result.stdout)
    assert document["verdict"] == want["verdict"]
    fired = {r["rule_id"] for r in document["reasons"] + document["conditions"]}
    assert set(want["rule_ids"]) <= fired  # type: ignore[arg-type]
    # Every reason the built-in policies emit carries its METADATA.
    for reason in document["reasons"] + document["conditions"]:
        if reason["rule_id"].startswith("GK-"):
            assert reason["metadata"]["title"] and reason["metadata"]["remediation"]


def test_text_report_names_verdict_reasons_and_remediation() -> None:
    blocked = next(e for e in EXAMPLES if expected(e)["verdict"] == "block")
    result = gatekeeper("evaluate", str(blocked / "bundle.json"),
                        "--release-plan", str(blocked / "release-plan.yaml"))
    assert result.returncode == 3
    assert result.stdout.startswith("verdict: BLOCK")
    assert "remediation:" in result.stdout


def test_output_file_is_written_and_stdout_left_empty(tmp_path: Path) -> None:
    example = EXAMPLES[0]
    out = tmp_path / "reports" / "result.json"
    result = gatekeeper("evaluate", str(example / "bundle.json"), "--release-plan",
                        str(example / "release-plan.yaml"), "--format", "json",
                        "--output", str(out))
    assert result.stdout == ""
    assert json.loads(out.read_text())["verdict"] == expected(example)["verdict"]


@pytest.mark.parametrize(("fail_on", "code"), [("never", 0), ("block", 0), ("escalate", 4)])
def test_fail_on_moves_the_failing_threshold(fail_on: str, code: int) -> None:
    escalated = next(e for e in EXAMPLES if expected(e)["verdict"] == "escalate")
    result = gatekeeper("evaluate", str(escalated / "bundle.json"), "--release-plan",
                        str(escalated / "release-plan.yaml"), "--fail-on", fail_on)
    assert result.returncode == code
    assert "verdict: ESCALATE" in result.stdout


def test_evaluate_never_imports_litellm(tmp_path: Path) -> None:
    example = EXAMPLES[0]
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gatekeeper.cli", "evaluate",
         str(example / "bundle.json"), "--release-plan", str(example / "release-plan.yaml")],
        capture_output=True, text=True, check=False, cwd=REPO, timeout=120,
    )
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines()
                if line.startswith("import time:")}
    assert "gatekeeper" in imported
    assert "litellm" not in imported and "openai" not in imported


def test_each_evaluation_appends_to_the_ledger_and_verifies(tmp_path: Path) -> None:
    example = EXAMPLES[0]
    for _ in range(2):
        gatekeeper("evaluate", str(example / "bundle.json"), "--release-plan",
                   str(example / "release-plan.yaml"), cwd=tmp_path)
    ledger = tmp_path / ".gatekeeper" / "ledger.jsonl"
    assert len(ledger.read_text().splitlines()) == 2
    verified = gatekeeper("verify", str(ledger), cwd=tmp_path)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_the_examples_go_stale_without_the_test_override(tmp_path: Path) -> None:
    approve = next(e for e in EXAMPLES if expected(e)["verdict"] == "approve")
    result = subprocess.run(
        [sys.executable, "-m", "gatekeeper.cli", "evaluate", str(approve / "bundle.json"),
         "--release-plan", str(approve / "release-plan.yaml"), "--format", "json"],
        capture_output=True, text=True, check=False, cwd=tmp_path, timeout=120,
    )
    assert result.returncode == 4
    assert "GK-EVD-003" in {r["rule_id"] for r in json.loads(result.stdout)["reasons"]}


def test_evaluate_loads_only_what_it_uses(tmp_path: Path) -> None:
    """Start-up: the default engine needs neither regopy nor jsonschema, and the lazy CLI
    imports no other subcommand."""
    example = EXAMPLES[0]
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gatekeeper.cli", "evaluate",
         str(example / "bundle.json"), "--release-plan", str(example / "release-plan.yaml"),
         "--no-ledger"],
        capture_output=True, text=True, check=False, cwd=tmp_path, timeout=120,
    )
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:")}
    assert "gatekeeper.evaluation" in imported and "gatekeeper.engines.opa_private" in imported
    unwanted = {"regopy", "jsonschema", "gatekeeper.cli.collect", "gatekeeper.cli.audit",
                "gatekeeper.cli.policy", "gatekeeper.report.html"}
    assert not unwanted & imported
