"""Signed, expiring, evidence-bound waivers, and how they change a verdict.

A valid waiver removes the reasons of its rule from the verdict computation, which is then
redone in Python with deny-overrides over the remaining reasons. Three guards keep a waiver
from manufacturing an approval: the approval preconditions (GK-DEC-*) cannot be waived; when
the policies' verdict is stronger than its own reasons justify (the `escalate` default) no
waiver lowers it; and a verdict reached through a waiver is at best
`approve_with_conditions`, never a plain `approve`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import ValidationError

from gatekeeper.audit.dsse import sign, signed_by
from gatekeeper.audit.models import (
    WAIVER_PAYLOAD_TYPE,
    AppliedWaiver,
    SignedWaiver,
    VoidWaiver,
    Waiver,
    WaiverOutcome,
)
from gatekeeper.bundle.documents import parse_json
from gatekeeper.canonical import canonical_bytes, sha256_digest
from gatekeeper.decision.models import EvaluationResult, Reason
from gatekeeper.decision.verdict import VERDICTS, Verdict
from gatekeeper.errors import InvalidInput
from gatekeeper.input_files import decode_utf8, read_bounded
from gatekeeper.limits import SMALL_DOCUMENT_BYTES

UNWAIVABLE_PREFIXES = ("GK-DEC-",)
"""Decision-level rules: an approval needs positive evidence, which no signature replaces."""


@dataclass(frozen=True)
class WaiverFile:
    """A waiver as read: its exact bytes (archived by digest) and the parsed document."""

    data: bytes
    document: SignedWaiver

    @property
    def digest(self) -> str:
        return sha256_digest(self.data)


def signed_waiver(waiver: Waiver, private_key: Ed25519PrivateKey) -> SignedWaiver:
    body = canonical_bytes(waiver.model_dump(mode="json"))
    return SignedWaiver(
        payloadType=WAIVER_PAYLOAD_TYPE,
        waiver=waiver,
        signatures=[sign(private_key, WAIVER_PAYLOAD_TYPE, body)],
    )


def waiver_file_bytes(document: SignedWaiver) -> bytes:
    return json.dumps(document.model_dump(mode="json"), indent=2).encode() + b"\n"


def parse_waiver(data: bytes, origin: str) -> WaiverFile:
    """A waiver file's bytes, read as strictly as any input (no duplicate keys, no NaN)."""
    value = parse_json(decode_utf8(Path(origin), data), origin)
    try:
        document = SignedWaiver.model_validate(value)
    except ValidationError as error:
        first = error.errors()[0]
        location = "$." + ".".join(str(p) for p in first["loc"])
        raise InvalidInput(origin, location, f"not a valid waiver: {first['msg']}") from error
    return WaiverFile(data, document)


def load_waiver(path: Path) -> WaiverFile:
    return parse_waiver(read_bounded(path, SMALL_DOCUMENT_BYTES), str(path))


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def in_window(waiver: Waiver, moment: datetime) -> bool:
    """Valid from `issued_at` (inclusive) until `expires_at` (exclusive)."""
    return _instant(waiver.issued_at) <= moment < _instant(waiver.expires_at)


def signer(file: WaiverFile, trusted: Sequence[Ed25519PublicKey]) -> str | None:
    """The key id of a trusted key that signed the waiver, or None."""
    body = canonical_bytes(file.document.waiver.model_dump(mode="json"))
    for signature in file.document.signatures:
        for key in trusted:
            if signed_by(signature, key, WAIVER_PAYLOAD_TYPE, body):
                return signature.keyid
    return None


def validity_problem(waiver: Waiver, result: EvaluationResult) -> str | None:
    """Why this (authentic) waiver does not apply to `result`, or None when it does."""
    moment = _instant(result.evaluated_at)
    fired = {r.rule_id for r in [*result.reasons, *result.conditions]}
    if waiver.rule_id.startswith(UNWAIVABLE_PREFIXES):
        return f"rule {waiver.rule_id} is an approval precondition and cannot be waived"
    if waiver.evidence_digest != result.inputs.evidence:
        return f"bound to evidence {waiver.evidence_digest}, not {result.inputs.evidence}"
    if _instant(waiver.expires_at) <= _instant(waiver.issued_at):
        return "expires before it is issued"
    if moment < _instant(waiver.issued_at):
        return f"not valid before {waiver.issued_at}"
    if moment >= _instant(waiver.expires_at):
        return f"expired at {waiver.expires_at}"
    if waiver.rule_id not in fired:
        return f"rule {waiver.rule_id} did not fire in this decision"
    return None


def problem_with(
    file: WaiverFile,
    result: EvaluationResult,
    trusted: Sequence[Ed25519PublicKey],
) -> tuple[str | None, str | None]:
    """(problem, keyid): None problem when the waiver applies to this result."""
    keyid = signer(file, trusted)
    if keyid is None:
        return "not signed by a trusted approver key", None
    return validity_problem(file.document.waiver, result), keyid


def justified_verdict(reasons: Sequence[Reason]) -> Verdict:
    """Deny-overrides over reasons alone (approve when there are none)."""
    severities = {r.severity for r in reasons}
    if "block" in severities:
        return "block"
    if "escalate" in severities:
        return "escalate"
    return "approve_with_conditions" if "condition" in severities else "approve"


def _stronger(a: Verdict, b: Verdict) -> Verdict:
    return a if VERDICTS.index(a) <= VERDICTS.index(b) else b


def waived_verdict(engine_verdict: Verdict, all_reasons: Sequence[Reason],
                   remaining: Sequence[Reason]) -> Verdict:
    """The verdict once waived reasons are gone; see the module docstring for the guards."""
    if VERDICTS.index(engine_verdict) < VERDICTS.index(justified_verdict(all_reasons)):
        return engine_verdict  # the policies decided by default, not by a waivable reason
    return _stronger(justified_verdict(remaining), "approve_with_conditions")


def apply_waivers(
    result: EvaluationResult,
    files: Sequence[WaiverFile],
    trusted: Sequence[Ed25519PublicKey],
) -> tuple[EvaluationResult, WaiverOutcome]:
    """The result with valid waivers applied, and what happened to every waiver."""
    applied: list[AppliedWaiver] = []
    void: list[VoidWaiver] = []
    waived_rules: set[str] = set()
    everything = [*result.reasons, *result.conditions]
    for file in sorted(files, key=lambda f: f.digest):
        waiver = file.document.waiver
        problem, keyid = problem_with(file, result, trusted)
        if problem is not None or keyid is None or waiver.rule_id in waived_rules:
            void.append(VoidWaiver(
                waiver_id=waiver.waiver_id, waiver_digest=file.digest, rule_id=waiver.rule_id,
                problem=problem or f"rule {waiver.rule_id} is already waived by another waiver",
            ))
            continue
        waived_rules.add(waiver.rule_id)
        applied.append(AppliedWaiver(
            waiver_id=waiver.waiver_id, waiver_digest=file.digest, rule_id=waiver.rule_id,
            approver=waiver.approver, reason=waiver.reason, issued_at=waiver.issued_at,
            expires_at=waiver.expires_at, keyid=keyid,
            waived=[r for r in everything if r.rule_id == waiver.rule_id],
        ))
    outcome = WaiverOutcome(engine_verdict=result.verdict, applied=applied, void=void)
    if not applied:
        return result, outcome
    return without_rules(result, waived_rules), outcome


def without_rules(result: EvaluationResult, waived_rules: set[str]) -> EvaluationResult:
    """`result` with the reasons of `waived_rules` removed and the verdict recomputed."""
    if not waived_rules:
        return result
    everything = [*result.reasons, *result.conditions]
    reasons = [r for r in result.reasons if r.rule_id not in waived_rules]
    conditions = [r for r in result.conditions if r.rule_id not in waived_rules]
    verdict = waived_verdict(result.verdict, everything, [*reasons, *conditions])
    return result.model_copy(update={"verdict": verdict, "reasons": reasons,
                                     "conditions": conditions})


def waiver_from_options(options: dict[str, Any]) -> Waiver:
    """Build a waiver from CLI options; pydantic names the bad field."""
    try:
        return Waiver.model_validate({"schema_version": "1.0", **options})
    except ValidationError as error:
        first = error.errors()[0]
        location = ".".join(str(p) for p in first["loc"])
        raise InvalidInput("waiver", location, first["msg"]) from error
