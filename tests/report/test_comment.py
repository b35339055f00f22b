"""The sticky comment body: marker first, one row per card, under GitHub's 65,536 characters."""

from __future__ import annotations

from gatekeeper.card.gate import CardError, GatedCard, GateReport
from gatekeeper.decision.models import EvaluationResult
from gatekeeper.report.comment import LIMIT_CHARS, render_comment
from gatekeeper.report.markdown import MARKER
from gatekeeper.report.view import DecisionView


def report(results: list[EvaluationResult], invalid: int = 0) -> GateReport:
    cards = [GatedCard(card=f"models/m{i}/README.md", result=r, error=None, reports_dir="r")
             for i, r in enumerate(results)]
    cards += [GatedCard(card=f"bad{i}/README.md | <b>", result=None, reports_dir=None,
                        error=CardError(file="x", location="line 3", problem="dup | key"))
              for i in range(invalid)]
    return GateReport(schema_version="1.0", cards=cards, verdict="block", exit_code=2)


def test_comment_fits_even_with_many_huge_reports(huge_result: EvaluationResult,
                                                  blocked_view: DecisionView) -> None:
    body = render_comment(report([huge_result] * 6 + [blocked_view.result], invalid=2),
                          "https://github.example/run/1")
    assert len(body) <= LIMIT_CHARS
    assert body.startswith(MARKER) and body.count(MARKER) == 1
    assert body.count("| `models/m") == 7 and "**invalid input**" in body
    assert "is left out (a comment holds 65,536 characters)" in body
    assert "<b>" not in body and "dup \\| key" in body
    assert "<details><summary>models/m6/README.md" in body  # the small report still fits


def test_small_reports_are_kept_whole(blocked_view: DecisionView) -> None:
    body = render_comment(report([blocked_view.result]))
    assert "left out" not in body and "What would change this verdict" in body
