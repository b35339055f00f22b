"""GitHub Actions: workflow-command annotations on stdout, Markdown for the job summary.

Annotation text is escaped (%, CR, LF; and `,` `:` in properties) so evidence text can never
start a workflow command of its own. GitHub shows 10 errors and 10 warnings per step: the
rest are counted in one final notice and remain in the summary.
"""

from __future__ import annotations

import os
from pathlib import Path

from gatekeeper.decision.models import EvaluationResult, Reason
from gatekeeper.report import markdown
from gatekeeper.report.view import HEADLINE, DecisionView

SHOWN_PER_LEVEL = 10
_LEVEL = {"block": "error", "escalate": "warning", "condition": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(level: str, title: str, message: str, file: str | None = None) -> str:
    props = [f"title={escape_property(title)}"]
    if file:
        props.insert(0, f"file={escape_property(file)}")
    return f"::{level} {','.join(props)}::{escape_data(message)}"


def _reason_line(reason: Reason, file: str) -> str:
    title = reason.metadata.title if reason.metadata else reason.rule_id
    message = reason.message
    if reason.metadata and reason.metadata.remediation:
        message += f"\nRemediation: {reason.metadata.remediation}"
    return annotation(_LEVEL[reason.severity], f"{reason.rule_id} {title}", message, file)


def render_view(view: DecisionView) -> str:
    result = view.result
    file = result.inputs.release_plan_file or result.inputs.bundle_file
    lines: list[str] = []
    hidden = 0
    shown = {"error": 0, "warning": 0, "notice": 0}
    for reason in [*result.reasons, *result.conditions]:
        level = _LEVEL[reason.severity]
        if shown[level] >= SHOWN_PER_LEVEL:
            hidden += 1
            continue
        shown[level] += 1
        lines.append(_reason_line(reason, file))
    if hidden:
        lines.append(annotation("notice", "More reasons",
                                f"{hidden} more reasons are listed in the job summary."))
    verdict_level = {"block": "error", "escalate": "warning"}.get(result.verdict, "notice")
    lines.append(annotation(verdict_level, "Gatekeeper verdict",
                            f"{HEADLINE[result.verdict]} (decision {result.decision_id})"))
    return "\n".join(lines) + "\n"


def write_summary(view: DecisionView, environ: dict[str, str] | None = None) -> Path | None:
    """Append the Markdown report to $GITHUB_STEP_SUMMARY when it is set."""
    target = (environ if environ is not None else dict(os.environ)).get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    path = Path(target)
    with path.open("a", encoding="utf-8") as stream:
        stream.write(markdown.render_view(view))
    return path


def render(result: EvaluationResult) -> str:
    return render_view(DecisionView.of(result))
