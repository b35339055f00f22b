"""Property tests: the front-matter reader against what wrote the card, and against noise."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from core.test_schemas_match_models import model_accepts, schema_accepts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from gatekeeper.card.loading import FACTS_SCHEMA, RELEASE_REVIEW_SCHEMA, load_card
from gatekeeper.card.models import CardFacts, ReleaseReview
from gatekeeper.errors import InvalidInput

_key = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True).filter(
    lambda k: not k.startswith("extra_gated_") and k not in {
        "license", "license_name", "license_link", "base_model", "base_model_relation",
        "language", "pipeline_tag", "release_review"})
_scalar = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                            max_size=20))
_value = st.recursive(_scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(_key, inner, max_size=3)), max_leaves=8)
_front = st.dictionaries(_key, _value, min_size=1, max_size=6)
_body = st.lists(st.sampled_from(["# Title", "", "---", "text with --- inside", "----",
                                  "---\nlicense: evil\n---"]), max_size=6)

_settings = settings(max_examples=150, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])


def write_card(tmp_path: Path, front: dict[str, object], body: list[str], newline: str) -> Path:
    yaml_text = yaml.safe_dump(front, sort_keys=False, allow_unicode=True)
    text = "---\n" + yaml_text + "---\n" + "\n".join(body) + "\n"
    path = tmp_path / "README.md"
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


@_settings
@given(front=_front, body=_body, newline=st.sampled_from(["\n", "\r\n"]))
def test_front_matter_round_trips_with_key_lines(tmp_path: Path, front: dict[str, object],
                                                 body: list[str], newline: str) -> None:
    path = write_card(tmp_path, front, body, newline)
    card = load_card(path)
    assert card.document.data == front
    lines = path.read_bytes().decode("utf-8").split("\n")
    for key in front:
        line = card.line(key)
        # yaml.safe_dump quotes keys YAML 1.1 would read as booleans ('on', 'yes').
        assert line is not None and lines[line - 1].lstrip("'\"").startswith(key), (key, line)


@_settings
@given(text=st.text(max_size=300))
def test_any_text_is_a_card_or_an_invalid_input(tmp_path: Path, text: str) -> None:
    path = tmp_path / "README.md"
    path.write_text("---\n" + text if text[:1] != "-" else text, encoding="utf-8")
    try:
        load_card(path)
    except InvalidInput as error:
        assert error.file == str(path) and error.location


@_settings
@given(lines=st.lists(st.sampled_from(["---", "license: mit", "a: [", "  - x", "b: *c",
                                       "&c d: 1", "\t- y", "? [1]", "", "...", "c: !!binary QQ=="]),
                      max_size=8))
def test_line_soup_never_escapes_as_an_internal_error(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "README.md"
    path.write_text("\n".join(["---", *lines, "---", "body"]), encoding="utf-8")
    try:
        load_card(path)
    except InvalidInput as error:
        assert error.location.startswith(("line ", "$"))


def _accepts(schema_file: str, model: type[BaseModel], document: object) -> tuple[bool, bool]:
    return schema_accepts(schema_file, document), model_accepts(model, document)


_path_text = st.one_of(st.sampled_from(["plan.yaml", "a/b.yaml", "./x", "../x", "/etc/passwd",
                                        "a/../b", "..", ".hidden", "...", "a\\b", "a\x00b",
                                        "a//b", "", "a/", "..x/y"]),
                       st.text(max_size=12))


@settings(max_examples=300, deadline=None)
@given(plan=_path_text, bundle=st.one_of(st.none(), _path_text),
       mode=st.sampled_from(["gated_download", "fully_open", "open", ""]),
       digest=st.sampled_from(["sha256:" + "a" * 64, "sha256:" + "A" * 64, "sha256:12"]),
       extra=st.dictionaries(st.sampled_from(["verdict", "notes"]), st.text(max_size=3),
                             max_size=1))
def test_release_review_schema_and_model_agree(plan: str, bundle: str | None, mode: str,
                                               digest: str, extra: dict[str, str]) -> None:
    document = {"weights_digest": digest, "release_mode": mode, "release_plan": plan,
                "evidence_bundle": bundle, **extra}
    by_schema, by_model = _accepts(RELEASE_REVIEW_SCHEMA, ReleaseReview, document)
    assert by_schema == by_model, document


@pytest.mark.parametrize("name", sorted(p.name for p in (Path(__file__).parent / "cards" /
                                                         "valid").glob("*.md")))
def test_facts_of_every_valid_card_validate_under_both(name: str) -> None:
    card = load_card(Path(__file__).parent / "cards" / "valid" / name)
    document = card.facts.model_dump(mode="json")
    assert _accepts(FACTS_SCHEMA, CardFacts, document) == (True, True)
    document["gating"]["declared"] = "yes"
    assert _accepts(FACTS_SCHEMA, CardFacts, document) == (False, False)
