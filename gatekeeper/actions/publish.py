"""What `--format github` leaves for the workflow: the job summary and the step outputs."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from gatekeeper.actions.environment import append_summary, write_outputs
from gatekeeper.decision.verdict import FailOn, exit_code_for
from gatekeeper.report import markdown
from gatekeeper.report.view import DecisionView

REPORT_OUTPUTS = {"json": "report-json", "markdown": "report-markdown", "html": "report-html"}


def report_outputs(reports_dir: Path | None) -> dict[str, str]:
    """Output names for the report files (the Markdown report is the sticky comment body)."""
    if reports_dir is None:
        return {}
    outputs = {name: str(reports_dir / f"report.{fmt}") for fmt, name in REPORT_OUTPUTS.items()}
    outputs["comment-body"] = outputs["report-markdown"]
    return outputs


def publish_result(view: DecisionView, fail_on: FailOn, reports_dir: Path | None,
                   environ: Mapping[str, str]) -> None:
    """Summary into $GITHUB_STEP_SUMMARY, verdict and report paths into $GITHUB_OUTPUT."""
    result = view.result
    append_summary(markdown.render(view), environ)
    write_outputs({
        "verdict": result.verdict,
        "decision-id": result.decision_id,
        "exit-code": str(int(exit_code_for(result.verdict, fail_on))),
        **report_outputs(reports_dir),
    }, environ)
