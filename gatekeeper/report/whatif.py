""""What would change this verdict": per reason, the value at which it stops firing.

A reason with a `threshold` fires while `field <op> value` holds; it stops firing at the
negation. Reasons without a threshold list the evidence they read: changing those values
(or supplying them) is what would change the outcome.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from gatekeeper.decision.models import EvaluationResult, Reason

_NEGATION = {">": "<=", ">=": "<", "<": ">=", "<=": ">", "==": "!=", "!=": "=="}


@dataclass(frozen=True)
class Change:
    rule_id: str
    severity: str
    field: str
    current: str
    needed: str
    """A sentence fragment: `<= 0.2`, or what to change when there is no threshold."""


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


def _current(reason: Reason, field: str) -> str:
    if field in reason.values:
        return _show(reason.values[field])
    if len(reason.values) == 1:
        return _show(next(iter(reason.values.values())))
    if reason.values:
        return "; ".join(f"{k} = {_show(v)}" for k, v in sorted(reason.values.items()))
    return "(not reported)"


def changes_for(reason: Reason) -> list[Change]:
    threshold = reason.threshold
    if threshold is not None:
        needed = f"{_NEGATION[threshold.operator]} {_show(threshold.value)}"
        return [Change(reason.rule_id, reason.severity, threshold.field,
                       _current(reason, threshold.field), needed)]
    fields = reason.fields or sorted(reason.values)
    return [
        Change(reason.rule_id, reason.severity, name,
               _show(reason.values[name]) if name in reason.values else "(not reported)",
               "a different value, or the evidence supplied (no numeric threshold)")
        for name in fields
    ] or [Change(reason.rule_id, reason.severity, "(none reported)", "-",
                 "see the rule's remediation")]


def verdict_changes(result: EvaluationResult) -> list[Change]:
    """Every change that would remove a non-approving reason (empty for approvals)."""
    if result.verdict in ("approve", "approve_with_conditions"):
        return []
    return [change for reason in result.reasons for change in changes_for(reason)]
