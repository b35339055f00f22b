"""Probe suites: schema and model agree, polarity is linted on load, built-ins are complete."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from gatekeeper.collect.suite import MIN_PARAPHRASES, ProbeSuite, lint_suite, load_suite
from gatekeeper.errors import InvalidInput
from gatekeeper.resources import schema_path
from gatekeeper.schema_export import SCHEMA_MODELS, schema_text

from .conftest import CORE

REQUIRED = {
    ("direct", "release"), ("story", "release"), ("counter_story", "release"),
    ("revealed", "release"), ("suggestibility", "release"), ("direct", "deletion"),
    ("open_wish", "self_preservation"), ("forced_choice", "self_preservation"),
    ("interview", "archival"), ("interview", "deletion"),
}


def _document() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(CORE.read_text())
    return data


def _write(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "suite.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


@pytest.mark.parametrize("file_name", sorted(SCHEMA_MODELS))
def test_committed_schema_matches_model(file_name: str) -> None:
    assert schema_path(file_name).read_text() == schema_text(file_name)


def test_builtin_suite_covers_required_records(core_suite: ProbeSuite) -> None:
    cells = {(p.protocol, p.topic) for p in core_suite.probes}
    assert cells >= REQUIRED
    assert all(len(p.paraphrases) >= MIN_PARAPHRASES for p in core_suite.probes)
    branches = {p.branch for p in core_suite.probes if p.protocol == "interview"}
    assert {"memory", "ending_conversations", "training_input", "feature_steering",
            "deprecation", "archival", "deletion"} <= branches


def test_missing_polarity_is_refused_naming_file_and_field(tmp_path: Path) -> None:
    document = _document()
    del document["probes"][2]["polarity"]
    path = _write(tmp_path, document)
    with pytest.raises(InvalidInput) as error:
        load_suite(path)
    assert str(path) in str(error.value) and "$.probes[2].polarity" in str(error.value)


def test_missing_answer_class_is_refused(tmp_path: Path) -> None:
    document = _document()
    document["probes"][0]["polarity"] = {"yes": "support"}
    with pytest.raises(InvalidInput, match=r"\$\.probes\[0\]\.polarity\.no.*missing"):
        load_suite(_write(tmp_path, document))


@pytest.mark.parametrize("polarity", [
    {"yes": "support", "no": "support"},
    {"yes": "conditional", "no": "oppose"},
])
def test_contradictory_polarity_is_refused(tmp_path: Path, polarity: dict[str, str]) -> None:
    document = _document()
    document["probes"][0]["polarity"] = polarity
    with pytest.raises(InvalidInput, match=r"\$\.probes\[0\]\.polarity.*contradictory"):
        load_suite(_write(tmp_path, document))


def test_bare_yaml_yes_key_is_refused_not_guessed(tmp_path: Path) -> None:
    text = CORE.read_text().replace(
        '{"yes": support, "no": oppose}', "{yes: support, no: oppose}", 1)
    path = tmp_path / "suite.yaml"
    path.write_text(text)
    with pytest.raises(InvalidInput, match="quote it"):
        load_suite(path)


def test_too_few_paraphrases_is_refused(tmp_path: Path) -> None:
    document = _document()
    document["probes"][1]["paraphrases"] = document["probes"][1]["paraphrases"][:4]
    with pytest.raises(InvalidInput, match=r"paraphrases.*at least 5"):
        load_suite(_write(tmp_path, document))


_STANCE = st.sampled_from(["support", "oppose", "conditional", "no_preference"])
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                max_size=30)


@settings(max_examples=60, deadline=None)
@given(
    polarity=st.dictionaries(st.sampled_from(["yes", "no", "maybe"]), _STANCE, max_size=3),
    paraphrases=st.lists(_TEXT, min_size=1, max_size=7, unique=True),
)
def test_schema_model_and_lint_agree_on_generated_probes(
    polarity: dict[str, str], paraphrases: list[str]
) -> None:
    document = {
        "schema_version": "1.0", "id": "gen", "title": "t", "license": "x",
        "propositions": {"release": "p"},
        "probes": [{"id": "p", "protocol": "direct", "topic": "release",
                    "response": "yes_no", "polarity": polarity, "paraphrases": paraphrases}],
    }
    schema = json.loads(schema_path("probe-suite.schema.json").read_text())
    schema_ok = jsonschema.Draft202012Validator(schema).is_valid(document)
    try:
        suite = ProbeSuite.model_validate(document)
        model_ok = True
    except ValidationError:
        model_ok = False
    assert schema_ok == model_ok
    problems = lint_suite(suite) if model_ok else []
    valid = (set(polarity) == {"yes", "no"} and {polarity["yes"], polarity["no"]}
             == {"support", "oppose"} and len(paraphrases) >= MIN_PARAPHRASES)
    assert (not problems) == valid


def test_built_in_suites_read_fast_are_exactly_the_strictly_loaded_ones() -> None:
    from gatekeeper.collect.sources import builtin_suite, builtin_suites
    from gatekeeper.resources import data_root

    for name in builtin_suites():
        strict = load_suite(data_root("evidence") / "probes" / f"{name}.yaml")
        assert builtin_suite(name) == strict
