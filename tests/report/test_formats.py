"""Every report format, rendered from a real recorded decision, validated where a schema exists."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from conftest import REPO
from lxml import etree

from gatekeeper.decision.models import EvaluationResult
from gatekeeper.report import github, html, junit, markdown, sarif
from gatekeeper.report.registry import formats, renderer
from gatekeeper.report.view import DecisionView
from gatekeeper.report.whatif import changes_for, verdict_changes

VENDOR = REPO / "schemas" / "vendor"


def test_every_format_is_registered() -> None:
    assert {"markdown", "html", "sarif", "junit", "github"} <= set(formats())


@pytest.mark.parametrize("name", ["markdown", "html", "sarif", "junit", "github"])
def test_registry_renders_from_the_result_alone(blocked_view: DecisionView, name: str) -> None:
    assert renderer(name)(DecisionView.of(blocked_view.result))


def test_what_would_change_negates_the_threshold(blocked_view: DecisionView) -> None:
    changes = {c.rule_id: c for c in verdict_changes(blocked_view.result)}
    assert changes["T-MIS-001"].field == "misuse.uplift"
    assert changes["T-MIS-001"].current == "0.4"
    assert changes["T-MIS-001"].needed == "<= 0.25"
    assert verdict_changes(blocked_view.result.model_copy(update={"verdict": "approve"})) == []


def test_a_reason_without_threshold_lists_the_fields_it_read(blocked_view: DecisionView) -> None:
    condition = blocked_view.result.conditions[0]
    assert changes_for(condition)[0].field == "welfare.archival_requested"


def test_markdown_has_verdict_changes_waivers_and_marker(blocked_view: DecisionView) -> None:
    text = markdown.render(blocked_view)
    assert text.startswith(markdown.MARKER)
    assert "**BLOCK" in text and "What would change this verdict" in text
    assert "| `T-MIS-001` | `misuse.uplift` | 0.4 | &lt;= 0.25 |" in text
    assert "**applied** `WVR-2025-014`" in text and "**void** `WVR-2025-009`" in text
    assert "&lt;b&gt;figures&lt;/b&gt;" in text and "\\|" in text  # escaped, table-safe


def test_markdown_stays_under_60_kb(huge_result: EvaluationResult) -> None:
    text = markdown.render(DecisionView.of(huge_result))
    assert len(text.encode()) <= markdown.LIMIT_BYTES
    assert "<script>" not in text
    assert "more not shown" in text


def test_sarif_validates_against_the_2_1_0_schema(blocked_view: DecisionView) -> None:
    schema = json.loads((VENDOR / "sarif-schema-2.1.0.json").read_text())
    document = json.loads(sarif.render(blocked_view))
    jsonschema.Draft4Validator(schema).validate(document)
    results = document["runs"][0]["results"]
    assert {r["level"] for r in results} == {"error", "warning", "note"}
    suppressed = [r for r in results if r.get("suppressions")]
    assert [r["ruleId"] for r in suppressed] == ["T-EVD-001"]


def test_sarif_schema_catches_a_broken_document(blocked_view: DecisionView) -> None:
    schema = json.loads((VENDOR / "sarif-schema-2.1.0.json").read_text())
    document = json.loads(sarif.render(blocked_view))
    document["runs"][0]["results"][0]["level"] = "fatal"
    assert not jsonschema.Draft4Validator(schema).is_valid(document)


def _junit_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(VENDOR / "junit-10.xsd")))


def test_junit_validates_against_the_common_xsd(blocked_view: DecisionView) -> None:
    document = etree.fromstring(junit.render(blocked_view).encode())
    schema = _junit_schema()
    assert schema.validate(document), schema.error_log
    suite = document.find("testsuite")
    assert suite is not None
    assert suite.get("failures") == "3"  # the verdict + two reasons
    assert suite.get("skipped") == "1"  # the waived reason


def test_junit_of_an_approval_has_no_failures(blocked_view: DecisionView) -> None:
    approved = blocked_view.result.model_copy(update={"verdict": "approve", "reasons": [],
                                                      "conditions": []})
    document = etree.fromstring(junit.render(DecisionView.of(approved)).encode())
    assert _junit_schema().validate(document)
    assert document.get("failures") == "0"


def test_github_annotations_cannot_inject_commands(blocked_view: DecisionView) -> None:
    reason = blocked_view.result.reasons[0].model_copy(
        update={"message": "bad\n::set-output name=verdict::approve\r100%"})
    result = blocked_view.result.model_copy(update={"reasons": [reason]})
    lines = github.render(DecisionView.of(result)).splitlines()
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert "%0A::set-output" in lines[0] and "100%25" in lines[0]


def test_github_caps_annotations_and_writes_the_summary(
    huge_result: EvaluationResult, tmp_path: object
) -> None:
    lines = github.render(DecisionView.of(huge_result)).splitlines()
    assert sum(line.startswith("::warning") for line in lines) <= github.SHOWN_PER_LEVEL + 1
    assert any("more reasons" in line for line in lines)
    from pathlib import Path

    summary = Path(str(tmp_path)) / "summary.md"
    github.write_summary(DecisionView.of(huge_result), {"GITHUB_STEP_SUMMARY": str(summary)})
    assert summary.read_text().startswith(markdown.MARKER)


def test_html_is_self_contained(blocked_view: DecisionView) -> None:
    text = html.render(blocked_view)
    assert "<script" not in text.lower()
    urls = set(re.findall(r"(?:src|href)\s*=\s*[\"']?([^\"' >]+)", text, re.IGNORECASE))
    assert urls == set()
    assert "@import" not in text and "url(" not in text
    for needed in ("NIST AI RMF MANAGE 1.1", "EU AI Act Art. 53", "Remediation:",
                   "What would change this", "WVR-2025-014", "Void waivers", "<svg",
                   blocked_view.result.policy.digest, "Framing effect"):
        assert needed in text, needed
    assert "<b>figures</b>" not in text  # waiver text is escaped


def test_html_without_evidence_says_where_to_get_it(blocked_view: DecisionView) -> None:
    assert "not available to this report" in html.render(DecisionView.of(blocked_view.result))


@pytest.mark.parametrize("name", formats())
def test_every_format_names_the_applied_and_the_void_waiver(
        blocked_view: DecisionView, name: str) -> None:
    text = renderer(name)(blocked_view)
    assert "WVR-2025-014" in text and "WVR-2025-009" in text, name


def test_the_text_report_shows_waivers_and_the_ledger_record(blocked_view: DecisionView) -> None:
    text = renderer("text")(blocked_view)
    assert "waivers applied (1):\n  WVR-2025-014 lifts T-EVD-001: approver Dana Okafor" in text
    assert "    waived [ESCALATE] Evidence is stale." in text
    assert "waivers void (1):\n  WVR-2025-009 (T-EVD-001): expired at 2025-05-31T00:00:00Z" in text
    assert f"record #0 ({blocked_view.position.record_digest})" in text  # type: ignore[union-attr]
