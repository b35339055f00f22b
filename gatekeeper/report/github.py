"""GitHub Actions: workflow-command annotations on stdout, Markdown for the job summary.

Annotation text is escaped (%, CR, LF; and `,` `:` in properties; other control characters
written out) so evidence or card text can never start a workflow command of its own. GitHub
shows 10 errors, 10 warnings and 10 notices per step: the rest are counted in one notice and
remain in the job summary, and the verdict line is always among the ten. Each reason points
at the file and line of the first evidence field it read that has one (a card key, a
release-plan key).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gatekeeper.decision.models import EvaluationResult, Reason
from gatekeeper.errors import InvalidInput
from gatekeeper.report import markdown
from gatekeeper.report.escape import terminal_safe
from gatekeeper.report.view import HEADLINE, DecisionView

SHOWN_PER_LEVEL = 10
Level = Literal["error", "warning", "notice"]
_LEVEL: dict[str, Level] = {"block": "error", "escalate": "warning", "condition": "notice"}
_VERDICT_LEVEL: dict[str, Level] = {"block": "error", "escalate": "warning",
                                    "approve_with_conditions": "notice", "approve": "notice"}
_LINE = re.compile(r"^line (\d+)(?: column (\d+))?")


def escape_data(text: str) -> str:
    """Workflow-command data: %, CR and LF encoded, any other control character written out
    (the log viewer interprets ANSI escapes)."""
    return terminal_safe(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass(frozen=True)
class Location:
    file: str
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class Annotation:
    level: Level
    title: str
    message: str
    location: Location | None = None

    def command(self) -> str:
        props: list[str] = []
        if self.location is not None:
            props.append(f"file={escape_property(self.location.file)}")
            if self.location.line is not None:
                props.append(f"line={self.location.line}")
            if self.location.column is not None:
                props.append(f"col={self.location.column}")
        props.append(f"title={escape_property(self.title)}")
        return f"::{self.level} {','.join(props)}::{escape_data(self.message)}"


def render_annotations(findings: Iterable[Annotation], closing: Iterable[Annotation] = (),
                       noun: str = "findings") -> str:
    """Workflow commands: `closing` always, findings up to the per-level cap, then a count."""
    findings, closing = list(findings), list(closing)
    budget = Counter(dict.fromkeys(("error", "warning", "notice"), SHOWN_PER_LEVEL))
    budget.subtract(a.level for a in closing)

    def take() -> tuple[list[Annotation], int]:
        used: Counter[str] = Counter()
        shown = []
        for item in findings:
            if used[item.level] < budget[item.level]:
                used[item.level] += 1
                shown.append(item)
        return shown, len(findings) - len(shown)

    shown, hidden = take()
    if hidden:
        budget["notice"] -= 1  # the count below is a notice too
        shown, hidden = take()
        shown.append(Annotation("notice", f"More {noun}",
                                f"{hidden} more {noun} are listed in the job summary."))
    return "".join(a.command() + "\n" for a in [*shown, *closing])


def error_annotation(error: InvalidInput, title: str) -> Annotation:
    """An invalid-input error at its file, line and column when the location has them."""
    match = _LINE.match(error.location)
    line = int(match.group(1)) if match else None
    column = int(match.group(2)) if match and match.group(2) else None
    return Annotation("error", title, f"{error.location}: {error.problem}",
                      Location(error.file, line, column))


Locator = Callable[[Reason], Location]


def reason_annotation(reason: Reason, locate: Locator) -> Annotation:
    title = reason.metadata.title if reason.metadata else reason.rule_id
    message = reason.message
    if reason.metadata and reason.metadata.remediation:
        message += f"\nRemediation: {reason.metadata.remediation}"
    return Annotation(_LEVEL[reason.severity], f"{reason.rule_id} {title}", message,
                      locate(reason))


def verdict_annotation(result: EvaluationResult, location: Location | None = None) -> Annotation:
    return Annotation(_VERDICT_LEVEL[result.verdict], "Gatekeeper verdict",
                      f"{HEADLINE[result.verdict]} (decision {result.decision_id})", location)


def waiver_annotations(view: DecisionView) -> list[Annotation]:
    """A notice per applied waiver (what it lifted, who signed), a warning per void one."""
    applied = [Annotation("notice", f"Waived {w.rule_id}",
                          f"waiver {w.waiver_id} by {w.approver} (key {w.keyid}) until "
                          f"{w.expires_at}: {w.reason}") for w in view.applied_waivers]
    void = [Annotation("warning", f"Void waiver {v.waiver_id or v.waiver_digest}", v.problem)
            for v in view.void_waivers]
    return [*applied, *void]


def render(view: DecisionView) -> str:
    from gatekeeper.report.locations import locator

    result = view.result
    locate = locator(result)
    findings = [reason_annotation(r, locate) for r in [*result.reasons, *result.conditions]]
    return render_annotations([*findings, *waiver_annotations(view)],
                              [verdict_annotation(result)], noun="reasons")


def write_summary(view: DecisionView, environ: dict[str, str] | None = None) -> Path | None:
    """Append the Markdown report to $GITHUB_STEP_SUMMARY when it is set."""
    from gatekeeper.actions.environment import append_summary

    return append_summary(markdown.render(view),
                          dict(os.environ) if environ is None else environ)

