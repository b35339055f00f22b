"""`card gate --format github`: annotations for every card, one summary, the step outputs."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from gatekeeper.actions.environment import append_summary, write_outputs
from gatekeeper.card.gate import GateReport
from gatekeeper.errors import InvalidInput
from gatekeeper.report.github import (
    Annotation,
    Level,
    Location,
    error_annotation,
    reason_annotation,
    render_annotations,
    verdict_annotation,
)
from gatekeeper.report.locations import locator
from gatekeeper.report.view import HEADLINE

_CLOSING_LEVEL: dict[int, Level] = {0: "notice", 1: "error", 2: "error", 3: "error",
                                    4: "warning"}


def gate_annotations(report: GateReport) -> str:
    findings: list[Annotation] = []
    for card in report.cards:
        if card.error is not None:
            error = InvalidInput(card.error.file, card.error.location, card.error.problem)
            findings.append(error_annotation(error, "Model card invalid"))
        if card.result is not None:
            locate = locator(card.result)
            findings.append(verdict_annotation(card.result, Location(card.card, 1)))
            findings += [reason_annotation(r, locate)
                         for r in [*card.result.reasons, *card.result.conditions]]
    headline = HEADLINE[report.verdict] if report.verdict else "no verdict"
    closing = Annotation(_CLOSING_LEVEL[report.exit_code], "Gatekeeper",
                         f"{len(report.cards)} model card(s): {headline} "
                         f"(exit {report.exit_code})")
    return render_annotations(findings, [closing], noun="findings")


def gate_outputs(report: GateReport, reports_dir: Path) -> dict[str, str]:
    html = [str(Path(c.reports_dir) / "report.html") for c in report.cards if c.reports_dir]
    return {
        "verdict": report.verdict or "none",
        "exit-code": str(report.exit_code),
        "reports-dir": str(reports_dir),
        "report-json": str(reports_dir / "gate.json"),
        "report-markdown": str(reports_dir / "comment.md"),
        "report-html": "\n".join(html),
        "comment-body": str(reports_dir / "comment.md"),
    }


def publish_gate(report: GateReport, comment: str, reports_dir: Path,
                 environ: Mapping[str, str]) -> str:
    """Write the job summary and outputs; return the workflow commands to print."""
    append_summary(comment, environ)
    write_outputs(gate_outputs(report, reports_dir), environ)
    return gate_annotations(report)
