"""Model-card intake: real-world quirks read right, every kind of broken card refused by line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gatekeeper.card.check import check_card
from gatekeeper.card.loading import load_card
from gatekeeper.cli.main import cli
from gatekeeper.errors import InvalidInput

CARDS = Path(__file__).parent / "cards"
VALID = CARDS / "valid"
BROKEN = CARDS / "broken"
DIGEST = "sha256:" + "1" * 64


def facts(name: str) -> dict[str, object]:
    return load_card(VALID / name).facts.model_dump(mode="json")


def test_crlf_card_reads_like_an_lf_card_with_the_same_lines() -> None:
    card = load_card(VALID / "crlf.md")
    assert card.facts.license == "other" and card.facts.license_name == "acme-responsible-ai"
    assert card.facts.license_link_kind == "url"
    assert card.facts.release_review is not None
    assert card.facts.release_review.weights_digest == DIGEST
    assert card.line("release_review.release_mode") == 8
    assert card.line("license_link") == 4


def test_rules_in_the_body_are_not_front_matter() -> None:
    card = facts("body-rules.md")
    assert card["license"] == "apache-2.0" and card["release_review"] is None
    assert card["language"] == ["en"]


def test_blank_lines_around_and_inside_the_front_matter() -> None:
    card = load_card(VALID / "blank-lines.md")
    assert card.facts.base_model == ["example-org/example-7b-base"]
    assert card.line("license") == 5 and card.line("pipeline_tag") == 10


@pytest.mark.parametrize(("name", "link", "kind"), [
    ("folded-link.md", "LICENSE.md", "path"),
    ("folded-url.md", "https://example.org/licences/acme-rail", "url"),
])
def test_folded_licence_links(name: str, link: str, kind: str) -> None:
    card = facts(name)
    assert card["license_link"] == link and card["license_link_kind"] == kind


def test_base_model_list_and_language_list() -> None:
    card = facts("merge.md")
    assert card["base_model"] == ["example-org/model-a", "example-org/model-b"]
    assert card["base_model_relation"] == "merge"
    assert card["language"] == ["en", "fr", "de"]


def test_nested_gating_fields() -> None:
    card = load_card(VALID / "gated.md")
    gating = card.facts.gating
    assert gating.declared and gating.prompt and gating.eu_disallowed
    assert gating.fields[0] == "First name" and len(gating.fields) == 5
    assert card.line("extra_gated_fields.Affiliation") == 13


def test_model_index_and_bom() -> None:
    assert facts("model-index.md")["license"] == "apache-2.0"
    assert facts("bom.md")["license"] == "mit"


def test_every_valid_fixture_passes_card_check() -> None:
    for card in sorted(VALID.glob("*.md")):
        result = CliRunner().invoke(cli, ["card", "check", str(card), "--format", "json"])
        assert result.exit_code == 0, (card.name, result.output)
        assert json.loads(result.stdout)["digest"].startswith("sha256:")


BROKEN_CASES = {
    "no-front-matter.md": ("line 1", "no YAML front matter"),
    "unterminated.md": ("line 1", "never closed"),
    "opening-with-comment.md": ("line 1", "has more on its line"),
    "empty.md": ("line 1", "front matter is empty"),
    "tab-indent.md": ("line 4 column 1", "not valid YAML"),
    "duplicate-key.md": ("line 4 column 1", "duplicate key 'license'"),
    "alias.md": ("line 3 column 7", "aliases"),
    "not-a-mapping.md": ("line 2", "must be a mapping"),
    "bad-model-index.md": ("line 3 ($.model-index)", "huggingface_hub refuses it"),
    "escaping-path.md": ("line 6 ($.release_review.release_plan)", "relative path below"),
    "verdict-in-card.md": ("line 7 ($.release_review.verdict)", "unknown field"),
    "short-digest.md": ("line 4 ($.release_review.weights_digest)", "does not match"),
    "missing-plan.md": ("line 6 ($.release_review.release_plan)", "is not a file"),
    "newline-in-licence.md": ("line 2 ($.license)", "one line of text"),
    "bad-gated-type.md": ("line 3 ($.extra_gated_fields)", "'textarea'"),
    "bad-licence-link.md": ("line 3 ($.license_link)", "neither an http(s) URL"),
    "latin1.md": ("line 3", "not UTF-8"),
    "lone-cr.md": ("line 1", "lone CR"),
    "numeric-key.md": ("line 3", "key 1 is not a string"),
    "nan.md": ("line 3 ($.score)", "not a finite number"),
}


def test_every_broken_fixture_has_a_case() -> None:
    assert {p.name for p in BROKEN.glob("*.md")} == set(BROKEN_CASES)


@pytest.mark.parametrize("name", sorted(BROKEN_CASES))
def test_broken_card_is_refused_naming_file_and_line(name: str) -> None:
    location, problem = BROKEN_CASES[name]
    with pytest.raises(InvalidInput) as raised:
        check_card(BROKEN / name)
    assert raised.value.file == str(BROKEN / name)
    assert raised.value.location == location, raised.value
    assert problem in raised.value.problem


@pytest.mark.parametrize("name", ["unterminated.md", "duplicate-key.md", "latin1.md"])
def test_cli_exits_2_naming_file_and_line(name: str) -> None:
    result = CliRunner().invoke(cli, ["card", "check", str(BROKEN / name)])
    assert result.exit_code == 2
    location = BROKEN_CASES[name][0]
    assert f"{BROKEN / name}: {location}" in result.stderr
    assert result.stderr.count("\n") == 2  # one line of error, one of "no verdict"


def test_text_output_quotes_values() -> None:
    result = CliRunner().invoke(cli, ["card", "check", str(VALID / "gated.md")])
    assert result.exit_code == 0
    assert '  license: "other"  (line 2)' in result.stdout


def test_an_oversized_card_is_refused_before_it_is_read(tmp_path: Path) -> None:
    card = tmp_path / "README.md"
    with card.open("wb") as stream:
        stream.write(b"---\nlicense: mit\n---\n")
        stream.truncate(10 * 1024 * 1024 + 1)
    with pytest.raises(InvalidInput, match="larger than"):
        load_card(card)


def test_a_release_review_path_may_not_leave_the_folder_through_a_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("secret: 1\n")
    folder = tmp_path / "card"
    folder.mkdir()
    (folder / "plan.yaml").symlink_to(outside)
    (folder / "README.md").write_text(
        f"---\nrelease_review:\n  weights_digest: {DIGEST}\n  release_mode: api\n"
        "  release_plan: plan.yaml\n---\n")
    with pytest.raises(InvalidInput) as raised:
        check_card(folder / "README.md")
    assert raised.value.location == "line 5 ($.release_review.release_plan)"
    assert "leaves the card's folder" in raised.value.problem
