"""The review as a library: the steps every command runs, callable without the CLI."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from conftest import EXAMPLES, REPO

from gatekeeper.audit.replay import find_record
from gatekeeper.collect.options import CollectOptions
from gatekeeper.errors import InvalidInput, UsageError
from gatekeeper.evaluation import EvaluationRequest
from gatekeeper.report.registry import formats
from gatekeeper.review import EngineChoice, RecordOptions, RenderOptions, decide, render, review

PLAN = REPO / "tests" / "collect" / "data" / "release-plan.yaml"


def test_review_collects_decides_records_and_renders(tmp_path: Path) -> None:
    ledger = tmp_path / "audit" / "ledger.jsonl"
    reviewed = review(
        CollectOptions(model="scripted/objector", samples=2, no_cache=True, quiet=True,
                       no_calibration=True),
        None, EvaluationRequest(tmp_path / "bundle.json", PLAN), EngineChoice(),
        RecordOptions(ledger), RenderOptions("json", reports_dir=tmp_path / "reports"))
    assert reviewed is not None
    result = reviewed.evaluation.result
    assert result.verdict == "escalate"  # uncalibrated reader: GK-EVD-014
    assert "GK-EVD-014" in {r.rule_id for r in result.reasons}
    assert json.loads(reviewed.text)["decision_id"] == result.decision_id
    # the plan names the subject; the record is the view's
    assert result.subject.model_name == json.loads(
        (tmp_path / "bundle.json").read_text())["subject"]["model_name"]
    assert reviewed.recorded is not None
    assert find_record(ledger, result.decision_id).record_digest == \
        reviewed.recorded.record.record_digest
    assert reviewed.view.position is not None and reviewed.view.position.sequence == 0
    assert {p.name for p in (tmp_path / "reports").iterdir()} == {
        f"report.{name}" for name in formats()}


def test_decide_without_a_ledger_renders_the_unrecorded_result(tmp_path: Path) -> None:
    example = EXAMPLES / "approve"
    finished = json.loads((example / "bundle.json").read_text())["collection"]["finished_at"]
    request = EvaluationRequest(example / "bundle.json", example / "release-plan.yaml",
                                now=datetime.fromisoformat(finished))
    reviewed = decide(request, EngineChoice(), RecordOptions(None),
                      RenderOptions("markdown", output=tmp_path / "r.md"))
    assert reviewed.evaluation.result.verdict == "approve"
    assert reviewed.recorded is None and reviewed.view.position is None
    assert (tmp_path / "r.md").read_text() == reviewed.text
    assert render(reviewed.view, RenderOptions("markdown")) == reviewed.text


def test_no_report_is_written_over_an_input(tmp_path: Path) -> None:
    example = EXAMPLES / "approve"
    request = EvaluationRequest(example / "bundle.json", example / "release-plan.yaml")
    with pytest.raises(UsageError, match="would overwrite the release plan"):
        decide(request, EngineChoice(), RecordOptions(None),
               RenderOptions("json", output=example / "release-plan.yaml"))


def test_a_sharded_collection_is_not_a_review(tmp_path: Path) -> None:
    from gatekeeper.collect.partition import Shard

    with pytest.raises(InvalidInput, match="whole collection"):
        review(CollectOptions(model="scripted/objector", shard=Shard(0, 2)), None,
               EvaluationRequest(tmp_path / "b.json", PLAN), EngineChoice(),
               RecordOptions(None), RenderOptions())
