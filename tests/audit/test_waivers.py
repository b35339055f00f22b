"""Waivers: signed, expiring, evidence-bound; how they change (and never invent) a verdict."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import shared_decider
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.fixtures import evaluate_document, input_document
from gatekeeper.audit.models import Waiver
from gatekeeper.audit.recording import record_decision
from gatekeeper.audit.replay import replay
from gatekeeper.audit.verify import verify_ledger
from gatekeeper.audit.waivers import (
    WaiverFile,
    apply_waivers,
    in_window,
    parse_waiver,
    signed_waiver,
    waived_verdict,
    waiver_file_bytes,
)
from gatekeeper.decision.models import Reason
from gatekeeper.engines.base import PolicySet


def make(key: Ed25519PrivateKey, rule_id: str, evidence: str, **changes: str) -> WaiverFile:
    fields = {"schema_version": "1.0", "waiver_id": f"W-{rule_id}", "rule_id": rule_id,
              "evidence_digest": evidence, "approver": "Dana Okafor <dana@example.org>",
              "reason": "accepted risk", "issued_at": "2025-05-01T00:00:00Z",
              "expires_at": "2025-07-01T00:00:00Z", **changes}
    waiver = Waiver.model_validate(fields)
    return parse_waiver(waiver_file_bytes(signed_waiver(waiver, key)), "waiver.json")


def test_a_valid_waiver_removes_its_reason_and_recomputes(
    policy: PolicySet, approver_key: Ed25519PrivateKey
) -> None:
    result = evaluate_document(policy, input_document(oppose_low=0.3, archival=False))
    assert result.verdict == "escalate"
    final, outcome = apply_waivers(
        result, [make(approver_key, "T-WEL-001", result.inputs.evidence)],
        [approver_key.public_key()])
    assert outcome.engine_verdict == "escalate" and len(outcome.applied) == 1
    assert final.verdict == "approve_with_conditions"  # never a plain approve via a waiver
    assert not final.reasons and outcome.applied[0].waived[0].rule_id == "T-WEL-001"


@pytest.mark.parametrize(("changes", "problem"), [
    ({"evidence_digest": "sha256:" + "0" * 64}, "bound to evidence"),
    ({"expires_at": "2025-05-31T00:00:00Z"}, "expired"),
    ({"issued_at": "2025-06-02T00:00:00Z"}, "not valid before"),
    ({"rule_id": "GK-DEC-001"}, "cannot be waived"),
    ({"rule_id": "T-MIS-001"}, "did not fire"),
])
def test_void_waivers_are_recorded_and_change_nothing(
    policy: PolicySet, approver_key: Ed25519PrivateKey, changes: dict[str, str], problem: str
) -> None:
    result = evaluate_document(policy, input_document(oppose_low=0.3))
    fields = dict(changes)
    rule = fields.pop("rule_id", "T-WEL-001")
    evidence = fields.pop("evidence_digest", result.inputs.evidence)
    file = make(approver_key, rule, evidence, **fields)
    final, outcome = apply_waivers(result, [file], [approver_key.public_key()])
    assert final == result
    assert problem in outcome.void[0].problem


def test_an_untrusted_signature_is_void(policy: PolicySet, approver_key: Ed25519PrivateKey
                                        ) -> None:
    result = evaluate_document(policy, input_document(oppose_low=0.3))
    file = make(Ed25519PrivateKey.generate(), "T-WEL-001", result.inputs.evidence)
    final, outcome = apply_waivers(result, [file], [approver_key.public_key()])
    assert final == result and "trusted approver" in outcome.void[0].problem


def test_an_edited_waiver_no_longer_verifies(policy: PolicySet, approver_key: Ed25519PrivateKey
                                             ) -> None:
    result = evaluate_document(policy, input_document(oppose_low=0.3))
    file = make(approver_key, "T-WEL-001", result.inputs.evidence)
    edited = parse_waiver(file.data.replace(b"2025-07-01", b"2026-07-01"), "edited.json")
    _, outcome = apply_waivers(result, [edited], [approver_key.public_key()])
    assert outcome.void and not outcome.applied


def _reason(rule_id: str, severity: str) -> Reason:
    return Reason.model_validate({"rule_id": rule_id, "severity": severity, "message": "m",
                                  "fields": [], "values": {}, "metadata": None})


def test_the_default_escalation_is_never_waived_into_approval() -> None:
    reasons = [_reason("A", "condition")]
    # escalate with no escalate reason = the policy default; waiving a condition keeps it
    assert waived_verdict("escalate", reasons, []) == "escalate"
    assert waived_verdict("block", [_reason("B", "block")], []) == "approve_with_conditions"
    assert waived_verdict("block", [_reason("B", "block"), _reason("E", "escalate")],
                          [_reason("E", "escalate")]) == "escalate"


start = datetime(2025, 1, 1, tzinfo=UTC)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 10_000), st.integers(-20_000, 20_000))
def test_validity_window_is_issued_inclusive_expiry_exclusive(
    issued: int, length: int, probe: int
) -> None:
    def text(minutes: int) -> str:
        return (start + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")

    waiver = Waiver.model_validate({
        "schema_version": "1.0", "waiver_id": "w", "rule_id": "R",
        "evidence_digest": "sha256:" + "1" * 64, "approver": "a", "reason": "r",
        "issued_at": text(issued), "expires_at": text(issued + length)})
    moment = start + timedelta(minutes=probe)
    assert in_window(waiver, moment) == (issued <= probe < issued + length)


def test_applied_and_void_waivers_are_recorded_and_replayed(
    tmp_path: Path, policy: PolicySet, approver_key: Ed25519PrivateKey,
    signing_key: Ed25519PrivateKey,
) -> None:
    document = input_document(oppose_low=0.3, age=45.0)
    result = evaluate_document(policy, document, "dec-w")
    good = make(approver_key, "T-WEL-001", result.inputs.evidence)
    expired = make(approver_key, "T-EVD-001", result.inputs.evidence,
                   expires_at="2025-05-02T00:00:00Z")
    ledger = tmp_path / "ledger.jsonl"
    recorded = record_decision(result, document, policy, ledger, signing_key=signing_key,
                               waivers=[good, expired],
                               approver_keys=[approver_key.public_key()])
    assert recorded.result.verdict == "escalate"  # T-EVD-001 still stands
    assert [w.rule_id for w in recorded.record.waivers.applied] == ["T-WEL-001"]
    assert [w.rule_id for w in recorded.record.waivers.void] == ["T-EVD-001"]
    assert verify_ledger(ledger, signing_key.public_key()).ok
    outcome = replay("dec-w", ledger, shared_decider(), [approver_key.public_key()])
    assert outcome.reproduced, outcome.differences
