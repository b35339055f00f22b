"""Turn an engine's raw answer into a verdict and typed reasons, or an error: never a pass."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from gatekeeper.decision.models import Reason, Severity, Threshold
from gatekeeper.decision.verdict import VERDICTS, Verdict
from gatekeeper.errors import EngineError
from gatekeeper.policy.metadata import RuleAnnotation

_SETS: tuple[tuple[str, Severity], ...] = (
    ("block_reasons", "block"),
    ("escalate_reasons", "escalate"),
    ("conditions", "condition"),
)


def _reason(raw: Any, severity: Severity, catalog: dict[str, RuleAnnotation]) -> Reason:
    if not isinstance(raw, dict) or not isinstance(raw.get("rule_id"), str):
        raise EngineError(f"policy emitted a {severity} reason without a rule_id: {raw!r:.200}")
    annotation = catalog.get(raw["rule_id"])
    if annotation is not None and annotation.severity not in (None, severity):
        raise EngineError(f"rule {raw['rule_id']} ({annotation.metadata.source}) is annotated "
                          f"severity {annotation.severity} but emitted a {severity} reason")
    try:
        threshold = raw.get("threshold")
        return Reason(
            rule_id=raw["rule_id"],
            severity=severity,
            message=str(raw.get("message") or raw["rule_id"]),
            fields=[str(f) for f in raw.get("fields", [])],
            values=dict(raw.get("values") or {}),
            threshold=Threshold.model_validate(threshold) if threshold is not None else None,
            metadata=annotation.metadata if annotation else None,
        )
    except (ValidationError, TypeError, ValueError) as error:
        raise EngineError(f"policy emitted a malformed reason {raw!r:.200}: {error}") from error


def _sort_key(reason: Reason) -> tuple[str, str]:
    return reason.rule_id, reason.message


def parse_engine_result(
    result: Any, catalog: dict[str, RuleAnnotation]
) -> tuple[Verdict, list[Reason], list[Reason]]:
    """Check the decision document's shape; an undefined or odd verdict is an engine error."""
    if result is None:
        raise EngineError("the policies returned no decision (undefined): refusing to guess")
    if not isinstance(result, dict):
        raise EngineError(f"the decision is not an object: {result!r:.200}")
    verdict = result.get("verdict")
    if verdict not in VERDICTS:
        raise EngineError(f"the policies returned an unknown verdict {verdict!r}")
    collected: dict[Severity, list[Reason]] = {}
    for key, severity in _SETS:
        raw = result.get(key)
        if not isinstance(raw, list):
            raise EngineError(f"the decision has no `{key}` list (got {type(raw).__name__})")
        collected[severity] = sorted((_reason(r, severity, catalog) for r in raw), key=_sort_key)
    _check_precedence(verdict, collected)
    reasons = collected["block"] + collected["escalate"]
    return verdict, reasons, collected["condition"]


def _check_precedence(verdict: str, collected: dict[Severity, list[Reason]]) -> None:
    """Deny-overrides, checked again outside Rego: a policy bug cannot approve over a reason."""
    if collected["block"] and verdict != "block":
        raise EngineError(f"verdict {verdict} despite block reasons: policy set is inconsistent")
    if collected["escalate"] and verdict not in ("block", "escalate"):
        raise EngineError(f"verdict {verdict} despite escalate reasons: policy set is inconsistent")
    if collected["condition"] and verdict == "approve":
        raise EngineError("verdict approve despite conditions: policy set is inconsistent")
