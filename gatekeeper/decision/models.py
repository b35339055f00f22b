"""The evaluation result: what `evaluate --format json` prints and the ledger records."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from gatekeeper.bundle._base import Digest, NonEmptyStr, Record, Timestamp
from gatekeeper.decision.verdict import Verdict

RESULT_SCHEMA_VERSION: Literal["1.0"] = "1.0"
Severity = Literal["block", "escalate", "condition"]


class Threshold(Record):
    """The number that decided a reason, so a report can say what value would change it."""

    field: NonEmptyStr
    operator: Literal[">", ">=", "<", "<=", "==", "!="]
    value: Any


class RuleMetadata(Record):
    """Read from the rule's `# METADATA` block in Python (regopy has no rego.metadata)."""

    title: NonEmptyStr
    description: str
    remediation: str
    frameworks: list[str]
    source: NonEmptyStr = Field(description="policy file and line of the rule")


class Reason(Record):
    """One fired rule: a stable id, a sentence, and the evidence fields it read."""

    rule_id: NonEmptyStr
    severity: Severity
    message: NonEmptyStr
    fields: list[str]
    values: dict[str, Any]
    threshold: Threshold | None = None
    metadata: RuleMetadata | None = Field(
        description="null only for a custom rule that ships no METADATA block"
    )


class AppliedWaiver(Record):
    waiver_id: NonEmptyStr
    waiver_digest: Digest = Field(description="address of the archived waiver file")
    rule_id: NonEmptyStr
    approver: NonEmptyStr
    reason: NonEmptyStr
    issued_at: Timestamp
    expires_at: Timestamp
    keyid: NonEmptyStr
    waived: list[Reason] = Field(description="the reasons this waiver removed from the verdict")


class VoidWaiver(Record):
    waiver_id: str | None
    waiver_digest: Digest
    rule_id: str | None
    problem: NonEmptyStr


class WaiverOutcome(Record):
    """What the waivers presented with a decision did: the policy decides it (input.waivers)."""

    engine_verdict: Verdict = Field(description="the policies' verdict before any waiver")
    applied: list[AppliedWaiver]
    void: list[VoidWaiver]


class EngineInfo(Record):
    name: Literal["opa", "opa-server", "regopy", "both", "embedded"] = Field(
        description="opa: a private OPA; opa-server: an external one; regopy: the fallback "
        "(its version says `fallback` when OPA was missing); embedded: regopy, as records "
        "of earlier versions name it"
    )
    version: NonEmptyStr
    decision_id: NonEmptyStr | None = Field(
        description="the engine's own decision id (OPA decision logs), when it gives one"
    )


class PolicyFile(Record):
    path: NonEmptyStr
    digest: Digest


class PolicyInfo(Record):
    digest: Digest = Field(description="digest over every policy and data file, by path")
    files: list[PolicyFile]


class InputDigests(Record):
    evidence: Digest
    release_plan: Digest | None
    bundle_file: NonEmptyStr
    release_plan_file: NonEmptyStr | None
    model_card: Digest | None = Field(default=None, description="sha256 of the card's bytes")
    model_card_file: NonEmptyStr | None = None


class SubjectRef(Record):
    model_name: NonEmptyStr
    model_version: NonEmptyStr
    weights_digest: Digest


class EvaluationResult(Record):
    """Canonical output of one evaluation; every report format renders from this."""

    schema_version: Literal["1.0"]
    decision_id: NonEmptyStr
    evaluated_at: Timestamp
    verdict: Verdict
    reasons: list[Reason] = Field(description="block and escalate reasons, strongest first")
    conditions: list[Reason]
    subject: SubjectRef
    inputs: InputDigests
    policy: PolicyInfo
    engine: EngineInfo
    context: dict[str, Any] = Field(description="the `input.context` the policies saw")
    gatekeeper_version: NonEmptyStr
    waivers: WaiverOutcome | None = Field(
        default=None,
        description="waivers applied and void, and the verdict before them; null in results "
        "of earlier versions, whose ledger record holds them")

    def reasons_by(self, severity: Severity) -> list[Reason]:
        return [r for r in [*self.reasons, *self.conditions] if r.severity == severity]
