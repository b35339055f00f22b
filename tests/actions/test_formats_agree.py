"""The new file formats' JSON Schemas and pydantic models accept and refuse the same documents.

Weights manifest, card gate report and the two GitHub event payloads, each from a real
document (a digested folder, a gate run, the events the harness hands the action),
mutated field by field as tests/core/test_schemas_match_models.py does for the bundle.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from core.test_fail_closed import get, leaf_paths, mutate, retyped
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from weights.test_digest import checkpoint

from actions.test_action_harness import pull_request_event, workflow_run_event
from gatekeeper.actions.event import PullRequestEvent, WorkflowRunEvent
from gatekeeper.card.gate import GateReport, GateSettings, gate_cards
from gatekeeper.engines.registry import make_engine
from gatekeeper.resources import schema_path
from gatekeeper.schema_export import SCHEMA_MODELS
from gatekeeper.weights import WeightsManifest, weights_manifest

REPO = Path(__file__).resolve().parents[2]
SHA = "ab" * 20


def _schema_for(model: type[BaseModel]) -> dict[str, Any]:
    name = next(f for f, (m, _) in SCHEMA_MODELS.items() if m is model)
    loaded: dict[str, Any] = json.loads(schema_path(name).read_text())
    return loaded


def _accepts(model: type[BaseModel], document: Any) -> tuple[bool, bool]:
    by_schema = jsonschema.Draft202012Validator(_schema_for(model)).is_valid(document)
    try:
        model.model_validate_json(json.dumps(document))
        by_model = True
    except ValidationError:
        by_model = False
    return by_schema, by_model


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[type[BaseModel], Any]]:
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
                        GateSettings(reports_dir=root / "r"), make_engine("embedded"))
    return [(WeightsManifest, manifest), (GateReport, report.model_dump(mode="json")),
            (PullRequestEvent, pull_request_event(SHA, SHA, "acme/models")),
            (PullRequestEvent, pull_request_event(SHA, SHA, None)),
            (WorkflowRunEvent, workflow_run_event(SHA, "acme/models", [7]))]


def test_real_documents_validate_under_both(documents: list[tuple[type[BaseModel], Any]]) -> None:
    for model, document in documents:
        assert _accepts(model, document) == (True, True), model.__name__


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_schema_and_model_agree_on_mutants(documents: list[tuple[type[BaseModel], Any]],
                                           data: st.DataObject) -> None:
    model, document = data.draw(st.sampled_from(documents))
    path = data.draw(st.sampled_from(leaf_paths(document)))
    action = data.draw(st.sampled_from(["delete", "null", "retype"]))
    replacement = data.draw(st.sampled_from(retyped(get(document, path))))
    mutant = mutate(document, path, action, replacement)
    if mutant is None:
        return
    by_schema, by_model = _accepts(model, mutant)
    assert by_schema == by_model, f"{model.__name__}: {action} at {path} -> {replacement!r}"
