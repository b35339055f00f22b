"""The signed attestation of one decision: an in-toto Statement v1 in a DSSE envelope.

Subject: the weights (by the weights-manifest digest) and, when given, the model card.
Predicate: shaped after SLSA's verification summary, plus the decision itself.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gatekeeper.audit.dsse import IN_TOTO_PAYLOAD_TYPE, Envelope, envelope
from gatekeeper.audit.models import (
    DECISION_PREDICATE_TYPE,
    IN_TOTO_STATEMENT_TYPE,
    Statement,
)
from gatekeeper.canonical import canonical_bytes, json_digest
from gatekeeper.decision.models import EvaluationResult, WaiverOutcome

VERIFIER_ID = "https://gatekeeper.invalid/verifier/gatekeeper"
_PASSING = ("approve", "approve_with_conditions")


def _hex(digest: str) -> dict[str, str]:
    return {"sha256": digest.removeprefix("sha256:")}


def statement(
    result: EvaluationResult,
    outcome: WaiverOutcome,
    input_digest: str,
) -> Statement:
    subject = result.subject
    subjects = [{"name": f"{subject.model_name}@{subject.model_version}",
                 "digest": _hex(subject.weights_digest)}]
    card, card_file = result.inputs.model_card, result.inputs.model_card_file
    if card is not None and card_file is not None:
        subjects.append({"name": PurePosixPath(card_file).name, "digest": _hex(card)})
    inputs = [{"name": result.inputs.bundle_file, "digest": _hex(result.inputs.evidence)}]
    if result.inputs.release_plan is not None:
        inputs.append({"name": result.inputs.release_plan_file or "release-plan",
                       "digest": _hex(result.inputs.release_plan)})
    inputs.extend({"name": f"waiver:{w.waiver_id}", "digest": _hex(w.waiver_digest)}
                  for w in outcome.applied)
    document: dict[str, Any] = {
        "_type": IN_TOTO_STATEMENT_TYPE,
        "subject": subjects,
        "predicateType": DECISION_PREDICATE_TYPE,
        "predicate": {
            "verifier": {"id": VERIFIER_ID, "version": {
                "gatekeeper": result.gatekeeper_version,
                result.engine.name: result.engine.version,
            }},
            "timeVerified": result.evaluated_at,
            "resourceUri": f"model:{subject.model_name}@{subject.model_version}",
            "policy": {"uri": "gatekeeper-policy-bundle", "digest": _hex(result.policy.digest)},
            "inputAttestations": inputs,
            "verificationResult": "PASSED" if result.verdict in _PASSING else "FAILED",
            "verifiedLevels": [f"GATEKEEPER_{result.verdict.upper()}"],
            "decision": {
                "decision_id": result.decision_id,
                "verdict": result.verdict,
                "engine_verdict": outcome.engine_verdict,
                "result_digest": json_digest(result.model_dump(mode="json")),
                "input_digest": input_digest,
                "reasons": [r.rule_id for r in result.reasons],
                "conditions": [r.rule_id for r in result.conditions],
                "waivers": [w.waiver_id for w in outcome.applied],
            },
        },
    }
    return Statement.model_validate(document)


def statement_bytes(document: Statement) -> bytes:
    return canonical_bytes(document.model_dump(mode="json", by_alias=True))


def signed_statement(document: Statement, private_key: Ed25519PrivateKey) -> Envelope:
    return envelope(private_key, IN_TOTO_PAYLOAD_TYPE, statement_bytes(document))


def envelope_bytes(document: Envelope) -> bytes:
    """The attestation file: canonical JSON, so its digest is its content digest."""
    return canonical_bytes(document.model_dump(mode="json"))
