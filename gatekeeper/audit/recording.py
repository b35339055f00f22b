"""Record one decision: archive inputs and waivers, sign the attestation, append."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gatekeeper.audit import ledger
from gatekeeper.audit.archive import (
    ATTESTATIONS_DIR,
    OBJECTS_DIR,
    ObjectStore,
    pending_path,
    publish_pending,
)
from gatekeeper.audit.attestation import envelope_bytes, signed_statement, statement
from gatekeeper.audit.dsse import sign
from gatekeeper.audit.head import head_of, head_path, write_head
from gatekeeper.audit.keys import key_id
from gatekeeper.audit.models import (
    AUDIT_SCHEMA_VERSION,
    RECORD_PAYLOAD_TYPE,
    LedgerHead,
    LedgerRecord,
)
from gatekeeper.audit.policy_archive import snapshot_of
from gatekeeper.audit.waivers import WaiverFile
from gatekeeper.canonical import CanonicalJson, canonical_bytes, sha256_digest
from gatekeeper.decision.models import EvaluationResult, WaiverOutcome
from gatekeeper.engines.base import DECISION_QUERY_PATH, PolicySet
from gatekeeper.files import atomic_write_bytes
from gatekeeper.output_guard import Kept

DEFAULT_LEDGER = Path(".gatekeeper") / "ledger.jsonl"


def ledger_files(ledger_path: Path) -> list[Kept]:
    """What recording keeps beside the ledger, which no report may replace."""
    folder = ledger_path.parent
    return [Kept("the ledger (--ledger)", ledger_path),
            Kept("the ledger's head", head_path(ledger_path)),
            Kept("the ledger's archive", folder / OBJECTS_DIR, tree=True),
            Kept("the ledger's attestations", folder / ATTESTATIONS_DIR, tree=True)]


@dataclass(frozen=True)
class RecordedDecision:
    """What the caller reports and exits on: the result, and where it went."""

    result: EvaluationResult
    record: LedgerRecord
    outcome: WaiverOutcome
    attestation_path: Path | None
    head: LedgerHead
    """The ledger's head after this record (`verify --expect-head` takes its text)."""


def _utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record_decision(
    result: EvaluationResult,
    input_document: dict[str, Any],
    policy: PolicySet,
    ledger_path: Path = DEFAULT_LEDGER,
    *,
    signing_key: Ed25519PrivateKey | None = None,
    waivers: Sequence[WaiverFile] = (),
) -> RecordedDecision:
    """Archive input/policy/waivers by digest, sign, and append one record.

    `input_document` and `policy` must be exactly what the engine evaluated (its
    `input.waivers` included), `waivers` every waiver file presented with it.
    """
    canonical_input = CanonicalJson(input_document)  # the whole and its bundle, in one pass
    bundle_bytes = canonical_input.member("bundle")
    if bundle_bytes is None or sha256_digest(bundle_bytes) != result.inputs.evidence:
        raise ValueError("input_document is not the evidence this result was computed from")
    if policy.digest != result.policy.digest:
        raise ValueError("policy set is not the one this result was computed from")
    if result.waivers is None:
        raise ValueError("the result carries no waiver outcome: it is not this version's")
    outcome = result.waivers
    store = ObjectStore.beside(ledger_path)
    input_address = store.put_json(input_document)
    policy_address = store.put_json(snapshot_of(policy).model_dump(mode="json"))
    waiver_addresses = sorted({store.put(w.data) for w in waivers})
    input_digest = sha256_digest(canonical_input.whole)

    attestation: dict[str, str] | None = None
    attestation_path: Path | None = None
    attestation_data = b""
    if signing_key is not None:
        document = statement(result, outcome, input_digest)
        attestation_data = envelope_bytes(signed_statement(document, signing_key))
        relative = f"{ATTESTATIONS_DIR}/{result.decision_id}.dsse.json"
        attestation_path = ledger_path.parent / relative
        attestation = {"path": relative, "digest": sha256_digest(attestation_data),
                       "keyid": key_id(signing_key.public_key())}

    heads: list[LedgerHead] = []

    def then(appended: ledger.Appended) -> None:
        if attestation_path is not None:
            publish_pending(attestation_path)
        heads.append(head_of(appended))
        write_head(ledger_path, heads[0], signing_key)

    def build(sequence: int, previous: str) -> dict[str, Any]:
        if attestation_path is not None:
            # Under the ledger's lock and pending until its record is appended: a crash
            # leaves no attestation without a record (what a deleted record looks like),
            # and `ledger recover` (which takes the lock) sees only a dead run's.
            atomic_write_bytes(pending_path(attestation_path), attestation_data)
        body: dict[str, Any] = {
            "schema_version": AUDIT_SCHEMA_VERSION,
            "sequence": sequence,
            "prev_digest": previous,
            "decision_id": result.decision_id,
            "timestamp": _utc_now(),
            "path": DECISION_QUERY_PATH,
            "input": input_digest,
            "bundles": {"gatekeeper": {"revision": result.policy.digest}},
            "labels": {"app": "gatekeeper", "version": result.gatekeeper_version,
                       "engine": result.engine.name, "engine_version": result.engine.version},
            "result": result.model_dump(mode="json"),
            "waivers": outcome.model_dump(mode="json"),
            "archive": {"input": input_address, "policy": policy_address,
                        "waivers": waiver_addresses},
            "attestation": attestation,
        }
        signed = canonical_bytes(body)
        signature = sign(signing_key, RECORD_PAYLOAD_TYPE, signed) if signing_key else None
        record = {**body, "record_digest": sha256_digest(signed),
                  "signature": signature.model_dump(mode="json") if signature else None}
        LedgerRecord.model_validate(record)  # never append what verify would reject
        return record

    appended = ledger.append(ledger_path, build, then, signed=signing_key is not None)
    # Parsed from the canonical bytes, as `gatekeeper report ID` reads it back: the reports
    # rendered now and later are the same bytes (keys in the same order).
    recorded = LedgerRecord.model_validate_json(canonical_bytes(appended))
    return RecordedDecision(result, recorded, outcome, attestation_path, heads[0])

