"""Plain text for terminals: verdict first, then each reason with its rule metadata."""

from __future__ import annotations

from gatekeeper.decision.models import EvaluationResult, Reason

_HEADLINE = {
    "block": "BLOCK — do not release these weights",
    "escalate": "ESCALATE — a human review board must decide",
    "approve_with_conditions": "APPROVE WITH CONDITIONS",
    "approve": "APPROVE",
}


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


def render(result: EvaluationResult) -> str:
    subject = result.subject
    lines = [
        f"verdict: {_HEADLINE[result.verdict]}",
        f"subject: {subject.model_name} {subject.model_version} ({subject.weights_digest})",
        f"decision: {result.decision_id} at {result.evaluated_at}",
        f"engine: {result.engine.name} ({result.engine.version}); policy {result.policy.digest}",
        f"evidence: {result.inputs.evidence}",
        "",
        f"reasons ({len(result.reasons)}):",
    ]
    for reason in result.reasons:
        lines.extend(_reason_lines(reason))
    if not result.reasons:
        lines.append("  none")
    lines.append(f"conditions ({len(result.conditions)}):")
    for condition in result.conditions:
        lines.extend(_reason_lines(condition))
    if not result.conditions:
        lines.append("  none")
    return "\n".join(lines) + "\n"
