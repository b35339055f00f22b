"""The new file formats' JSON Schemas and pydantic models accept and refuse the same documents.

Weights manifest, card gate report and the two GitHub event payloads, each from a real
document (a digested folder, a gate run, the events the harness hands the action),
mutated field by field as tests/core/test_schemas_match_models.py does for the bundle.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import shared_decider
from core.test_schemas_match_models import assert_agree_on_a_mutant, model_accepts, schema_accepts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from weights.test_digest import checkpoint

from actions.test_action_harness import pull_request_event, workflow_run_event
from gatekeeper.actions.event import PullRequestEvent, WorkflowRunEvent
from gatekeeper.card.gate import GateReport, GateSettings, gate_cards
from gatekeeper.schema_export import SCHEMA_MODELS
from gatekeeper.weights import WeightsManifest, weights_manifest

REPO = Path(__file__).resolve().parents[2]
SHA = "ab" * 20


def _file(model: type[BaseModel]) -> str:
    return next(name for name, (m, _) in SCHEMA_MODELS.items() if m is model)


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory,
              ) -> list[tuple[str, type[BaseModel], Any]]:
    root = tmp_path_factory.mktemp("formats")
    manifest = weights_manifest(checkpoint(root / "w")).model_dump(mode="json")
    card = root / "card"
    card.mkdir()
    for name in ("bundle.json", "release-plan.yaml", "transcripts.jsonl"):
        shutil.copy(REPO / "evidence" / "examples" / "approve" / name, card / name)
    (card / "README.md").write_text(
        "---\nlicense: mit\nrelease_review:\n  weights_digest: sha256:" + "1" * 64 +
        "\n  release_mode: api\n  release_plan: release-plan.yaml\n"
        "  evidence_bundle: bundle.json\n---\n")
    (root / "broken.md").write_text("no front matter")
    report = gate_cards([card / "README.md", root / "broken.md"],
                        GateSettings(reports_dir=root / "r"), shared_decider())
    found: list[tuple[type[BaseModel], Any]] = [
        (WeightsManifest, manifest), (GateReport, report.model_dump(mode="json")),
        (PullRequestEvent, pull_request_event(SHA, SHA, "acme/models")),
        (PullRequestEvent, pull_request_event(SHA, SHA, None)),
        (WorkflowRunEvent, workflow_run_event(SHA, "acme/models", [7]))]
    return [(_file(model), model, document) for model, document in found]


def test_real_documents_validate_under_both(
        documents: list[tuple[str, type[BaseModel], Any]]) -> None:
    for file_name, model, document in documents:
        assert schema_accepts(file_name, document), file_name
        assert model_accepts(model, document), file_name


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_schema_and_model_agree_on_mutants(
        documents: list[tuple[str, type[BaseModel], Any]], data: st.DataObject) -> None:
    assert_agree_on_a_mutant(data, documents)
