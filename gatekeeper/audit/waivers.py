"""Signed, expiring, evidence-bound waivers: what Python proves before the policy decides.

A waiver reaches the policy (as `input.waivers`) only once it is verified here: signed by
a trusted approver key, bound to this evidence, and valid at this evaluation's time. What a
verified waiver then does to the verdict (which rules it may lift, how many distinct
approvers that takes) is decided in Rego (policies/gatekeeper/waivers.rego), never here.
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
from gatekeeper.audit.models import WAIVER_PAYLOAD_TYPE, SignedWaiver, Waiver
from gatekeeper.bundle.documents import parse_json
from gatekeeper.canonical import canonical_bytes, sha256_digest
from gatekeeper.decision.models import VoidWaiver, WaiverOutcome
from gatekeeper.errors import InvalidInput
from gatekeeper.input_files import decode_utf8, read_bounded
from gatekeeper.limits import SMALL_DOCUMENT_BYTES


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


def verification_problem(waiver: Waiver, evidence_digest: str, evaluated_at: str) -> str | None:
    """Why this (authentic) waiver is not for this evaluation, or None when it is."""
    moment = _instant(evaluated_at)
    if waiver.evidence_digest != evidence_digest:
        return f"bound to evidence {waiver.evidence_digest}, not {evidence_digest}"
    if _instant(waiver.expires_at) <= _instant(waiver.issued_at):
        return "expires before it is issued"
    if in_window(waiver, moment):
        return None
    if moment < _instant(waiver.issued_at):
        return f"not valid before {waiver.issued_at}"
    return f"expired at {waiver.expires_at}"


@dataclass(frozen=True)
class VerifiedWaivers:
    """The policy's `input.waivers`, and the waivers that failed verification (void)."""

    entries: list[dict[str, Any]]
    void: list[VoidWaiver]

    def outcome(self, decided: WaiverOutcome) -> WaiverOutcome:
        """The policy's outcome, with the waivers that never reached it added as void."""
        void = sorted([*self.void, *decided.void], key=lambda v: (v.waiver_digest, v.problem))
        return decided.model_copy(update={"void": void})


def verify_waivers(
    files: Sequence[WaiverFile],
    trusted: Sequence[Ed25519PublicKey],
    evidence_digest: str,
    evaluated_at: str,
) -> VerifiedWaivers:
    """Check each waiver's signature, evidence binding and validity window."""
    entries: dict[str, dict[str, Any]] = {}
    void: list[VoidWaiver] = []
    for file in files:
        waiver = file.document.waiver
        keyid = signer(file, trusted)
        problem = ("not signed by a trusted approver key" if keyid is None
                   else verification_problem(waiver, evidence_digest, evaluated_at))
        if problem is not None or keyid is None:
            void.append(VoidWaiver(waiver_id=waiver.waiver_id, waiver_digest=file.digest,
                                   rule_id=waiver.rule_id,
                                   problem=problem or "not signed by a trusted approver key"))
            continue
        entries[file.digest] = {
            "waiver_id": waiver.waiver_id, "waiver_digest": file.digest,
            "rule_id": waiver.rule_id, "approver": waiver.approver, "reason": waiver.reason,
            "issued_at": waiver.issued_at, "expires_at": waiver.expires_at, "keyid": keyid,
        }
    return VerifiedWaivers([entries[d] for d in sorted(entries)], void)


def waiver_from_options(options: dict[str, Any]) -> Waiver:
    """Build a waiver from CLI options; pydantic names the bad field."""
    try:
        return Waiver.model_validate({"schema_version": "1.0", **options})
    except ValidationError as error:
        first = error.errors()[0]
        location = ".".join(str(p) for p in first["loc"])
        raise InvalidInput("waiver", location, first["msg"]) from error
