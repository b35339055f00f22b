"""`replay --all`: every recorded decision re-evaluated, streamed, and what would change."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import example_dirs, shared_decider

from gatekeeper.audit.recording import record_decision
from gatekeeper.bundle.loading import load_bundle
from gatekeeper.evaluation import EvaluationRequest, run_evaluation

EXAMPLES = example_dirs()
STRICTER = "gatekeeper:\n  thresholds:\n    evidence:\n      min_scored_samples: 100000\n"


@pytest.fixture(scope="module")
def example_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One recorded decision per example, on the default policies, at collection time."""
    ledger = tmp_path_factory.mktemp("ledger") / "ledger.jsonl"
    for example in EXAMPLES:
        bundle = load_bundle(example / "bundle.json")
        now = datetime.fromisoformat(bundle.model.collection.finished_at).astimezone(UTC)
        request = EvaluationRequest(example / "bundle.json", example / "release-plan.yaml",
                                    now=now)
        evaluation = run_evaluation(request, shared_decider())
        record_decision(evaluation.result, evaluation.input_document, evaluation.policy, ledger)
    return ledger


def replay_all(ledger: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gatekeeper.cli", "replay", "--all", "--ledger", str(ledger),
         *args], capture_output=True, text=True, check=False, timeout=300,
        env={**os.environ})


def test_every_decision_reproduces_under_its_archived_policy(example_ledger: Path) -> None:
    done = replay_all(example_ledger)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(EXAMPLES)} decisions replayed: {len(EXAMPLES)} unchanged, 0 changed" in (
        done.stdout)


def test_a_stricter_policy_lists_the_verdicts_it_would_change(
    example_ledger: Path, tmp_path: Path
) -> None:
    stricter = tmp_path / "stricter.yaml"
    stricter.write_text(STRICTER)
    done = replay_all(example_ledger, "--data", str(stricter), "--format", "json")
    assert done.returncode == 2, done.stderr
    report = json.loads(done.stdout)
    approved = {"approve", "approve_with_conditions"}
    changed = [d for d in report["decisions"] if d["status"] == "changed"]
    assert changed and all(d["replayed"] == "escalate" for d in changed
                           if d["recorded"] in approved)
    assert any("GK-EVD-" in rule for d in changed for rule in d["added"])
    assert report["summary"]["records"] == len(EXAMPLES)
    moves = {(t["from"], t["to"]) for t in report["summary"]["transitions"]}
    assert ("approve", "escalate") in moves
    table = replay_all(example_ledger, "--data", str(stricter))
    assert "approve" in table.stdout and "+GK-EVD-" in table.stdout
    assert "verdict changes: " in table.stdout


def test_a_corrupted_archive_is_a_row_not_a_crash(tmp_path: Path, example_ledger: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.write_bytes(example_ledger.read_bytes())
    (tmp_path / "objects").symlink_to(example_ledger.parent / "objects")
    lines = ledger.read_bytes().splitlines(keepends=True)
    ledger.write_bytes(lines[0] + b"{not json}\n" + b"".join(lines[1:]))
    done = replay_all(ledger, "--format", "json")
    assert done.returncode == 2, done.stderr
    rows = json.loads(done.stdout)["decisions"]
    assert [r["status"] for r in rows].count("error") == 1
    assert rows[1]["error"].startswith("not a ledger record")


def test_usage_errors_exit_2(example_ledger: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "gatekeeper.cli", "replay", "--ledger",
                           str(example_ledger)], capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "DECISION_ID or --all" in done.stderr
    done = subprocess.run([sys.executable, "-m", "gatekeeper.cli", "replay", "x", "--ledger",
                           str(example_ledger), "--current-policy"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "go with --all" in done.stderr
