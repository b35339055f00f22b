"""Plain text for terminals: verdict first, then each reason with its rule metadata, the
waivers applied and void, and where the decision sits in the ledger.

Each output line is made terminal-safe as a whole, so no field, whatever it holds, can add
a line or repaint one (`report.escape`).
"""

from __future__ import annotations

from gatekeeper.decision.models import AppliedWaiver, Reason, VoidWaiver
from gatekeeper.report.escape import terminal_safe
from gatekeeper.report.view import HEADLINE, DecisionView


def _reason_lines(reason: Reason) -> list[str]:
    meta = reason.metadata
    title = meta.title if meta else "(custom rule without METADATA)"
    lines = [f"  [{reason.severity.upper()}] {reason.rule_id} {title}", f"    {reason.message}"]
    if reason.threshold is not None:
        t = reason.threshold
        lines.append(f"    threshold: {t.field} {t.operator} {t.value}")
    if reason.fields:
        lines.append(f"    evidence read: {', '.join(reason.fields)}")
    if meta and meta.remediation:
        lines.append(f"    remediation: {meta.remediation}")
    if meta and meta.frameworks:
        lines.append(f"    frameworks: {'; '.join(meta.frameworks)}")
    return lines


def _applied_lines(waiver: AppliedWaiver) -> list[str]:
    lines = [f"  {waiver.waiver_id} lifts {waiver.rule_id}: approver {waiver.approver} "
             f"(key {waiver.keyid}), valid {waiver.issued_at} to {waiver.expires_at}",
             f"    reason: {waiver.reason}"]
    lines += [f"    waived [{r.severity.upper()}] {r.message}" for r in waiver.waived]
    return lines


def _void_line(waiver: VoidWaiver) -> str:
    return (f"  {waiver.waiver_id or waiver.waiver_digest} ({waiver.rule_id or 'no rule'}): "
            f"{waiver.problem}")


def _section(title: str, items: list[list[str]]) -> list[str]:
    return [f"{title} ({len(items)}):", *(line for item in items for line in item)] + (
        [] if items else ["  none"])


def render(view: DecisionView) -> str:
    result = view.result
    subject = result.subject
    lines = [
        f"verdict: {HEADLINE[result.verdict]}",
        f"subject: {subject.model_name} {subject.model_version} ({subject.weights_digest})",
        f"decision: {result.decision_id} at {result.evaluated_at}",
        f"engine: {result.engine.name} ({result.engine.version}); policy {result.policy.digest}",
        f"evidence: {result.inputs.evidence}",
    ]
    if view.engine_verdict and view.engine_verdict != result.verdict:
        lines.append(f"verdict before waivers: {HEADLINE[view.engine_verdict]}")
    if view.position:
        lines.append(f"ledger: {view.position.ledger} record #{view.position.sequence} "
                     f"({view.position.record_digest})")
    lines.append("")
    lines += _section("reasons", [_reason_lines(r) for r in result.reasons])
    lines += _section("conditions", [_reason_lines(r) for r in result.conditions])
    if view.applied_waivers or view.void_waivers:
        lines += _section("waivers applied", [_applied_lines(w) for w in view.applied_waivers])
        lines += _section("waivers void", [[_void_line(w)] for w in view.void_waivers])
    return "".join(terminal_safe(line) + "\n" for line in lines)
