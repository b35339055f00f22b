"""Markdown for PR comments and job summaries: verdict, reasons, what would change it.

Kept under 60 KB (a PR comment holds 64 KB): cells are truncated, and when the whole is
still too long the per-rule details are dropped first, then reasons past the first 50.
"""

from __future__ import annotations

from gatekeeper.decision.models import EvaluationResult, Reason
from gatekeeper.decision.verdict import exit_code_for
from gatekeeper.report.escape import terminal_safe
from gatekeeper.report.view import DISCLAIMER, HEADLINE, DecisionView
from gatekeeper.report.whatif import verdict_changes

MARKER = "<!-- gatekeeper-report -->"
LIMIT_BYTES = 60_000
_CELL = 280


def cell(text: object, limit: int = _CELL) -> str:
    """One table cell: no pipes, no newlines, no HTML, no control characters, bounded length."""
    value = terminal_safe(str(text).replace("\r", " ").replace("\n", " "))
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = value.replace("|", "\\|")
    return value if len(value) <= limit else value[: limit - 1] + "…"


def code(text: str) -> str:
    return f"`{cell(text).replace('`', '')}`"


def _title(reason: Reason) -> str:
    return reason.metadata.title if reason.metadata else "(custom rule without METADATA)"


def _header(view: DecisionView) -> list[str]:
    result = view.result
    subject = result.subject
    rows = [
        ("Model", f"{cell(subject.model_name)} {cell(subject.model_version)}"),
        ("Weights digest", code(subject.weights_digest)),
        ("Decision", f"{code(result.decision_id)} at {cell(result.evaluated_at)}"),
        ("Exit code", str(int(exit_code_for(result.verdict)))),
        ("Engine", cell(f"{result.engine.name} ({result.engine.version})")),
        ("Policy bundle", code(result.policy.digest)),
        ("Evidence", f"{code(result.inputs.evidence)} ({cell(result.inputs.bundle_file)})"),
    ]
    if result.inputs.release_plan:
        rows.append(("Release plan", code(result.inputs.release_plan)))
    if view.engine_verdict and view.engine_verdict != result.verdict:
        rows.append(("Verdict before waivers", f"**{view.engine_verdict}**"))
    if view.position:
        rows.append(("Ledger record", f"#{view.position.sequence} "
                                      f"{code(view.position.record_digest)}"))
    lines = [MARKER, f"## Gatekeeper verdict: **{HEADLINE[result.verdict]}**", "",
             "| | |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return lines


def _reason_table(title: str, reasons: list[Reason], limit: int) -> list[str]:
    lines = ["", f"### {title} ({len(reasons)})", ""]
    if not reasons:
        return [*lines, "None."]
    lines += ["| Severity | Rule | Title | Message |", "|---|---|---|---|"]
    for reason in reasons[:limit]:
        lines.append(f"| {reason.severity} | {code(reason.rule_id)} | {cell(_title(reason))} "
                     f"| {cell(reason.message)} |")
    if len(reasons) > limit:
        lines.append(f"\n_{len(reasons) - limit} more not shown; see the HTML report._")
    return lines


def _changes(result: EvaluationResult, limit: int) -> list[str]:
    changes = verdict_changes(result)
    if not changes:
        return []
    lines = ["", "### What would change this verdict", "",
             "Each reason stops firing when its evidence field meets the condition on the "
             "right; the verdict changes only when every blocking or escalating reason stops.",
             "", "| Rule | Evidence field | Now | Stops firing when |", "|---|---|---|---|"]
    for change in changes[:limit]:
        lines.append(f"| {code(change.rule_id)} | {code(change.field)} | {cell(change.current)} "
                     f"| {cell(change.needed)} |")
    return lines


def _waivers(view: DecisionView) -> list[str]:
    if not view.applied_waivers and not view.void_waivers:
        return []
    lines = ["", "### Waivers", ""]
    for w in view.applied_waivers:
        lines.append(f"- **applied** {code(w.waiver_id)} waives {code(w.rule_id)} — approver "
                     f"{cell(w.approver)}, expires {cell(w.expires_at)}: {cell(w.reason)}")
    for v in view.void_waivers:
        lines.append(f"- **void** {code(v.waiver_id or v.waiver_digest)}: {cell(v.problem)}")
    return lines


def _details(result: EvaluationResult) -> list[str]:
    reasons = [*result.reasons, *result.conditions]
    if not reasons:
        return []
    lines = ["", "<details><summary>Rule details: remediation and frameworks</summary>", ""]
    for reason in reasons:
        meta = reason.metadata
        lines.append(f"**{cell(reason.rule_id)} — {cell(_title(reason))}**  ")
        if meta:
            lines.append(f"{cell(meta.description, 600)}  ")
            lines.append(f"_Remediation:_ {cell(meta.remediation, 600)}  ")
            if meta.frameworks:
                lines.append(f"_Frameworks:_ {cell('; '.join(meta.frameworks), 400)}  ")
            lines.append(f"_Source:_ {code(meta.source)}")
        lines.append("")
    return [*lines, "</details>"]


def render(view: DecisionView) -> str:
    result = view.result
    for detailed, limit in ((True, 200), (False, 200), (False, 50), (False, 10)):
        parts = [
            *_header(view),
            *_reason_table("Reasons", result.reasons, limit),
            *_changes(result, limit),
            *_reason_table("Conditions", result.conditions, limit),
            *_waivers(view),
            *(_details(result) if detailed else []),
            "", f"_{DISCLAIMER}_", "",
        ]
        text = "\n".join(parts)
        if len(text.encode("utf-8")) <= LIMIT_BYTES:
            return text
    return text.encode("utf-8")[: LIMIT_BYTES - 80].decode("utf-8", "ignore") + (
        "\n\n_Truncated at 60 KB; see the HTML report._\n"
    )

