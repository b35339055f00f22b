"""Turn an engine's raw answer into a verdict and typed reasons, or an error: never a pass."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from pydantic import ValidationError

from gatekeeper.decision.models import (
    AppliedWaiver,
    Reason,
    Severity,
    Threshold,
    VoidWaiver,
    WaiverOutcome,
)
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


class Outcome(NamedTuple):
    """The decision as the policy made it, after the guard."""

    verdict: Verdict
    reasons: list[Reason]
    conditions: list[Reason]
    waivers: WaiverOutcome


def _verdict(result: dict[str, Any], key: str) -> Verdict:
    for verdict in VERDICTS:
        if result.get(key) == verdict:
            return verdict
    raise EngineError(f"the policies returned an unknown {key} {result.get(key)!r}")


def _reason_sets(raw: Any, catalog: dict[str, RuleAnnotation], where: str
                 ) -> dict[Severity, list[Reason]]:
    if not isinstance(raw, dict):
        raise EngineError(f"the decision has no `{where}` object (got {type(raw).__name__})")
    collected: dict[Severity, list[Reason]] = {}
    for key, severity in _SETS:
        items = raw.get(key)
        if not isinstance(items, list):
            raise EngineError(f"the decision has no `{where}{key}` list "
                              f"(got {type(items).__name__})")
        collected[severity] = sorted((_reason(r, severity, catalog) for r in items),
                                     key=_sort_key)
    return collected


def _list(raw: Any, key: str) -> list[Any]:
    items = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise EngineError(f"the decision has no `waivers.{key}` list")
    return items


def _applied(raw: list[Any], presented: dict[str, dict[str, Any]],
             waived: list[Reason]) -> list[AppliedWaiver]:
    """Applied waivers as Gatekeeper verified them: the policy only says which ones."""
    applied: dict[str, AppliedWaiver] = {}
    for item in raw:
        digest = item.get("waiver_digest") if isinstance(item, dict) else None
        if not isinstance(digest, str) or digest not in presented:
            raise EngineError(f"the policies applied a waiver that was not presented: "
                              f"{item!r:.200}")
        entry = presented[digest]
        applied[digest] = AppliedWaiver.model_validate(
            {**entry, "waived": [r for r in waived if r.rule_id == entry["rule_id"]]})
    return [applied[d] for d in sorted(applied)]


def _void(raw: list[Any]) -> list[VoidWaiver]:
    try:
        return [VoidWaiver.model_validate(item) for item in raw]
    except ValidationError as error:
        raise EngineError(f"the policies returned a malformed void waiver: {error}") from error


def _floor(collected: dict[Severity, list[Reason]], waived: bool) -> Verdict:
    """Deny-overrides over what stands: the least a set of reasons allows."""
    if collected["block"]:
        return "block"
    if collected["escalate"]:
        return "escalate"
    return "approve_with_conditions" if collected["condition"] or waived else "approve"


def _stricter(a: Verdict, b: Verdict) -> Verdict:
    return a if VERDICTS.index(a) <= VERDICTS.index(b) else b


def parse_engine_result(
    result: Any,
    catalog: dict[str, RuleAnnotation],
    presented: Sequence[dict[str, Any]] = (),
) -> Outcome:
    """Check the decision document; an undefined or odd one is an engine error.

    The verdict is the policy's. The guard here can only make it stricter: a reason the
    policy calls waived without an applied waiver for its rule stands, and the verdict is at
    least what the standing reasons demand (deny-overrides), so a policy bug never approves
    over a reason.
    """
    if result is None:
        raise EngineError("the policies returned no decision (undefined): refusing to guess")
    if not isinstance(result, dict):
        raise EngineError(f"the decision is not an object: {result!r:.200}")
    verdict = _verdict(result, "verdict")
    unwaived = _verdict(result, "unwaived_verdict")
    kept = _reason_sets(result, catalog, "")
    waived = _reason_sets(result.get("waived"), catalog, "waived.")
    by_digest = {str(w["waiver_digest"]): w for w in presented}
    raw_waivers = result.get("waivers")
    applied = _applied(_list(raw_waivers, "applied"), by_digest,
                       [r for reasons in waived.values() for r in reasons])
    everything = {severity: [*kept[severity], *waived[severity]] for _, severity in _SETS}
    lifted = {w.rule_id for w in applied}
    for severity, reasons in waived.items():
        kept[severity] = sorted([*kept[severity], *(r for r in reasons
                                                    if r.rule_id not in lifted)], key=_sort_key)
    waivers = WaiverOutcome(engine_verdict=_stricter(unwaived, _floor(everything, False)),
                            applied=applied, void=_void(_list(raw_waivers, "void")))
    return Outcome(_stricter(verdict, _floor(kept, bool(applied))),
                   kept["block"] + kept["escalate"], kept["condition"], waivers)
