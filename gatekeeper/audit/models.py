"""The audit trail's file formats: ledger records, waivers, archived policy, attestations.

Each is a strict pydantic record with a JSON Schema in `schemas/`; field names follow OPA's
decision-log event (`decision_id`, `timestamp`, `path`, `input`, `result`, `bundles`,
`labels`) and SLSA's verification summary where those have one.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from gatekeeper.audit.dsse import Signature
from gatekeeper.bundle._base import Digest, NonEmptyStr, Record, Timestamp
from gatekeeper.decision.models import EvaluationResult, WaiverOutcome
from gatekeeper.decision.verdict import Verdict

AUDIT_SCHEMA_VERSION: Literal["1.0"] = "1.0"
WAIVER_PAYLOAD_TYPE: Literal["application/vnd.gatekeeper.waiver.v1+json"] = (
    "application/vnd.gatekeeper.waiver.v1+json"
)
RECORD_PAYLOAD_TYPE = "application/vnd.gatekeeper.ledger-record.v1+json"
DECISION_PREDICATE_TYPE = "https://gatekeeper.invalid/attestation/release-decision/v1"
IN_TOTO_STATEMENT_TYPE = "https://in-toto.io/Statement/v1"


class Waiver(Record):
    """An approver's signed, expiring acceptance of one fired rule on one evidence digest."""

    schema_version: Literal["1.0"]
    waiver_id: NonEmptyStr
    rule_id: NonEmptyStr
    evidence_digest: Digest = Field(description="the evaluation result's inputs.evidence")
    approver: NonEmptyStr = Field(description="the accountable person, e.g. name <email>")
    reason: NonEmptyStr
    issued_at: Timestamp = Field(description="valid from this instant (inclusive)")
    expires_at: Timestamp = Field(description="void from this instant on (exclusive end)")


class SignedWaiver(Record):
    """The waiver file: readable JSON, signed over PAE(payloadType, canonical(waiver))."""

    payloadType: Literal["application/vnd.gatekeeper.waiver.v1+json"]
    waiver: Waiver
    signatures: list[Signature] = Field(min_length=1)


class PolicyModuleText(Record):
    path: NonEmptyStr
    text: str


class PolicyFileDigest(Record):
    path: NonEmptyStr
    digest: Digest


class PolicySnapshot(Record):
    """The policy bundle exactly as evaluated, archived so `replay` needs nothing else."""

    schema_version: Literal["1.0"]
    digest: Digest = Field(description="PolicyInfo.digest: over every file, by path")
    files: list[PolicyFileDigest]
    modules: list[PolicyModuleText]
    data: dict[str, Any] = Field(description="merged data document (defaults + --data)")


class ArchiveRefs(Record):
    """Content addresses (sha256 of the stored bytes) in the object store beside the ledger."""

    input: Digest = Field(description="the policy input document (bundle + context)")
    policy: Digest = Field(description="the PolicySnapshot")
    waivers: list[Digest]


class BundleRevision(Record):
    revision: Digest


class AttestationRef(Record):
    path: NonEmptyStr = Field(description="relative to the ledger's folder")
    digest: Digest = Field(description="sha256 of the envelope file's bytes")
    keyid: NonEmptyStr


class DecisionLabels(Record):
    app: Literal["gatekeeper"]
    version: NonEmptyStr
    engine: NonEmptyStr
    engine_version: NonEmptyStr


class LedgerRecord(Record):
    """One line of the ledger (RFC 8785 canonical JSON), chained by `prev_digest`."""

    schema_version: Literal["1.0"]
    sequence: int = Field(ge=0)
    prev_digest: Digest = Field(description="sha256 of the previous line's bytes; zeros first")
    decision_id: NonEmptyStr
    timestamp: Timestamp = Field(description="UTC time the record was appended")
    path: Literal["gatekeeper/decision/result"]
    input: Digest = Field(description="digest of the canonical policy input (OPA: input)")
    bundles: dict[str, BundleRevision] = Field(description="OPA: bundles.{name}.revision")
    labels: DecisionLabels
    result: EvaluationResult = Field(description="the final result, after waivers")
    waivers: WaiverOutcome = Field(description="result.waivers (records of earlier versions "
                                   "hold them here only)")
    archive: ArchiveRefs
    attestation: AttestationRef | None
    record_digest: Digest = Field(description="digest of this record without it and signature")
    signature: Signature | None = Field(description="Ed25519 over PAE of the record body")


Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class DigestSet(Record):
    sha256: Sha256Hex


class ResourceDescriptor(Record):
    """in-toto ResourceDescriptor (name + digest) for subjects and inputs."""

    name: NonEmptyStr
    digest: DigestSet


class Verifier(Record):
    id: NonEmptyStr
    version: dict[str, str]


class PolicyReference(Record):
    uri: NonEmptyStr
    digest: DigestSet


class DecisionSummary(Record):
    decision_id: NonEmptyStr
    verdict: Verdict
    engine_verdict: Verdict
    result_digest: Digest = Field(description="json_digest of the final EvaluationResult")
    input_digest: Digest
    reasons: list[NonEmptyStr] = Field(description="rule ids of block and escalate reasons")
    conditions: list[NonEmptyStr]
    waivers: list[NonEmptyStr] = Field(description="ids of applied waivers")


class DecisionPredicate(Record):
    """Shaped after SLSA VSA v1 (verifier, timeVerified, policy, inputAttestations, result)."""

    verifier: Verifier
    timeVerified: Timestamp
    resourceUri: NonEmptyStr
    policy: PolicyReference
    inputAttestations: list[ResourceDescriptor]
    verificationResult: Literal["PASSED", "FAILED"]
    verifiedLevels: list[NonEmptyStr]
    decision: DecisionSummary


class Statement(Record):
    """in-toto Statement v1 with the release-decision predicate."""

    type_: Literal["https://in-toto.io/Statement/v1"] = Field(alias="_type")
    subject: list[ResourceDescriptor] = Field(min_length=1)
    predicateType: Literal[
        "https://gatekeeper.invalid/attestation/release-decision/v1"
    ]
    predicate: DecisionPredicate


HEAD_PAYLOAD_TYPE: Literal["application/vnd.gatekeeper.ledger-head.v1+json"] = (
    "application/vnd.gatekeeper.ledger-head.v1+json"
)


class LedgerHead(Record):
    """How long the ledger was and how it ended, after an append (a CT-style signed head)."""

    schema_version: Literal["1.0"]
    size: int = Field(ge=1, description="number of records")
    head_digest: Digest = Field(description="sha256 of the last record's line (its successor's "
                                            "prev_digest)")
    first_digest: Digest = Field(description="sha256 of the first record's line: which ledger "
                                             "this is the head of")
    decision_id: NonEmptyStr = Field(description="the last record's decision")
    timestamp: Timestamp = Field(description="the last record's timestamp")


class SignedHead(Record):
    """The head file beside the ledger, signed over PAE(payloadType, canonical(head)) with
    the records' key; no signatures when the ledger is unsigned."""

    payloadType: Literal["application/vnd.gatekeeper.ledger-head.v1+json"]
    head: LedgerHead
    signatures: list[Signature]
