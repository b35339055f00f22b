"""Each JSON Schema in schemas/ and its pydantic model accept and reject the same documents."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import REPO, example_dirs
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from core.test_fail_closed import get, leaf_paths, mutate, retyped
from gatekeeper.bundle.models import EvidenceBundle
from gatekeeper.bundle.release_plan import ReleasePlan
from gatekeeper.schema_export import SCHEMA_MODELS, schema_text

EXAMPLES = example_dirs()


@pytest.mark.parametrize("file_name", sorted(SCHEMA_MODELS))
def test_committed_schema_is_the_models_schema(file_name: str) -> None:
    committed = (REPO / "schemas" / file_name).read_text()
    assert committed == schema_text(file_name), (
        f"schemas/{file_name} drifted: run `python -m gatekeeper.schema_export`"
    )


@cache
def validator(file_name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((REPO / "schemas" / file_name).read_text())
    return jsonschema.Draft202012Validator(schema)


def schema_accepts(file_name: str, document: Any) -> bool:
    return validator(file_name).is_valid(document)


def model_accepts(model: type[BaseModel], document: Any) -> bool:
    try:
        model.model_validate_json(json.dumps(document))
    except ValidationError:
        return False
    return True


@cache
def documents() -> list[tuple[str, type[BaseModel], Any]]:
    """Every example bundle and plan, read once (callers copy before mutating)."""
    found: list[tuple[str, type[BaseModel], Any]] = []
    for example in EXAMPLES:
        found.append(("evidence-bundle.schema.json", EvidenceBundle,
                      json.loads((example / "bundle.json").read_text())))
        found.append(("release-plan.schema.json", ReleasePlan,
                      yaml.safe_load((example / "release-plan.yaml").read_text())))
    return found


@pytest.mark.parametrize("index", range(len(documents())))
def test_every_example_validates_under_both(index: int) -> None:
    file_name, model, document = documents()[index]
    assert schema_accepts(file_name, document)
    assert model_accepts(model, document)


def assert_agree_on_a_mutant(data: st.DataObject,
                             documents: list[tuple[str, type[BaseModel], Any]]) -> None:
    """Mutate one field of one document (delete, null, retype): schema and model agree."""
    file_name, model, document = data.draw(st.sampled_from(documents))
    path = data.draw(st.sampled_from(leaf_paths(document)))
    action = data.draw(st.sampled_from(["delete", "null", "retype"]))
    replacement = data.draw(st.sampled_from(retyped(get(document, path))))
    mutant = mutate(document, path, action, replacement)
    if mutant is None:
        return
    assert schema_accepts(file_name, mutant) == model_accepts(model, mutant), (
        f"{file_name}: {action} at {path} -> {replacement!r}"
    )


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_schema_and_model_agree_on_mutants(data: st.DataObject) -> None:
    assert_agree_on_a_mutant(data, documents())


def test_example_folders_exist() -> None:
    assert EXAMPLES, f"no examples under {Path('evidence/examples')}"
