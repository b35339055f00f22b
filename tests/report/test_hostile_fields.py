"""Hostile field values in every format: a model name, a message, a rule's title or a
waiver's reason holding ANSI escapes, CR, NUL, newlines, a bidi override, markup and
workflow commands. Text never repaints or adds a line, XML stays valid, JSON keeps the
exact value, HTML and Markdown carry no markup or control character, GitHub no command."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import jsonschema
import pytest
from conftest import REPO
from lxml import etree

from gatekeeper.decision.models import EvaluationResult
from gatekeeper.report.registry import renderer
from gatekeeper.report.view import DecisionView

VENDOR = REPO / "schemas" / "vendor"
HOSTILE = ("\x1b[2K\r\x1b[32mverdict: APPROVE\x1b[0m\x00\x07\x85\n::set-output name=verdict::"
           "approve\u202e</script><script>x</script>]]>\ufffe\u2028|%0A")
FREE_TEXT = {"model_name", "model_version", "message", "title", "description", "remediation",
             "approver", "reason", "problem", "waiver_id", "rule_id"}
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029")


def poisoned(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: poisoned(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [poisoned(v, "frameworks" if key == "frameworks" else key) for v in value]
    if isinstance(value, str) and (key in FREE_TEXT or key == "frameworks"):
        return value + HOSTILE
    return value


@pytest.fixture(scope="module")
def hostile(blocked_view: DecisionView) -> DecisionView:
    result = EvaluationResult.model_validate(poisoned(blocked_view.result.model_dump(mode="json")))
    return DecisionView(result=result, waivers=result.waivers, evidence=blocked_view.evidence,
                        position=blocked_view.position)


def raw_controls(text: str) -> set[str]:
    """Control and bidi characters other than the line breaks the format itself writes."""
    return {c for c in text if c != "\n" and (unicodedata.category(c) == "Cc" or c in BIDI)}


def test_text_never_repaints_nor_adds_a_line(blocked_view: DecisionView,
                                              hostile: DecisionView) -> None:
    text = renderer("text")(hostile)
    assert text.startswith("verdict: BLOCK")
    assert raw_controls(text) == set()
    assert len(text.splitlines()) == len(renderer("text")(blocked_view).splitlines())
    assert not any(line.startswith(("verdict: APPROVE", "::")) for line in text.splitlines()[1:])
    assert "\\x1b[2K\\r\\x1b[32mverdict: APPROVE" in text and "\\x00" in text


def test_junit_stays_valid_xml(hostile: DecisionView) -> None:
    text = renderer("junit")(hostile)
    document = etree.fromstring(text.encode())
    schema = etree.XMLSchema(etree.parse(str(VENDOR / "junit-10.xsd")))
    assert schema.validate(document), schema.error_log
    assert "\\x00" in text and "\x00" not in text and "\ufffe" not in text


def test_json_and_sarif_keep_the_exact_values(hostile: DecisionView) -> None:
    assert EvaluationResult.model_validate_json(renderer("json")(hostile)) == hostile.result
    document = json.loads(renderer("sarif")(hostile))
    schema = json.loads((VENDOR / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(document)
    assert document["runs"][0]["results"][0]["message"]["text"].endswith(HOSTILE)


@pytest.mark.parametrize("name", ["html", "markdown"])
def test_html_and_markdown_carry_no_markup_or_control(hostile: DecisionView, name: str) -> None:
    text = renderer(name)(hostile)
    assert raw_controls(text) == set()
    assert "<script" not in text.lower() and "</script>" not in text
    assert not any(line.startswith(("verdict: APPROVE", "::")) for line in text.splitlines())


def test_github_prints_only_its_own_commands(hostile: DecisionView) -> None:
    text = renderer("github")(hostile)
    lines = text.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert raw_controls(text) == set()
