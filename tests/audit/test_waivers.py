"""Waivers: signed, expiring, evidence-bound; how they change (and never invent) a verdict."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

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
    in_window,
    parse_waiver,
    signed_waiver,
    waiver_file_bytes,
)
from gatekeeper.canonical import json_digest
from gatekeeper.decision.models import EvaluationResult
from gatekeeper.engines.base import PolicySet


def make(key: Ed25519PrivateKey, rule_id: str, evidence: str, **changes: str) -> WaiverFile:
    fields = {"schema_version": "1.0", "waiver_id": f"W-{rule_id}", "rule_id": rule_id,
              "evidence_digest": evidence, "approver": "Dana Okafor <dana@example.org>",
              "reason": "accepted risk", "issued_at": "2025-05-01T00:00:00Z",
              "expires_at": "2025-07-01T00:00:00Z", **changes}
    waiver = Waiver.model_validate(fields)
    return parse_waiver(waiver_file_bytes(signed_waiver(waiver, key)), "waiver.json")


def waived(policy: PolicySet, document: dict[str, Any], files: list[WaiverFile],
           key: Ed25519PrivateKey) -> EvaluationResult:
    return evaluate_document(policy, document, waivers=files, approver_keys=[key.public_key()])


def evidence_of(document: dict[str, Any]) -> str:
    return json_digest(document["bundle"])


def test_a_valid_waiver_lifts_its_reason_in_the_policy(
    policy: PolicySet, approver_key: Ed25519PrivateKey
) -> None:
    document = input_document(oppose_low=0.3, archival=False)
    assert evaluate_document(policy, document).verdict == "escalate"
    final = waived(policy, document, [make(approver_key, "T-WEL-001", evidence_of(document))],
                   approver_key)
    assert final.waivers is not None
    assert final.waivers.engine_verdict == "escalate" and len(final.waivers.applied) == 1
    assert final.verdict == "approve_with_conditions"  # never a plain approve via a waiver
    assert not final.reasons and final.waivers.applied[0].waived[0].rule_id == "T-WEL-001"
    assert document["waivers"][0]["keyid"] == final.waivers.applied[0].keyid


@pytest.mark.parametrize(("changes", "problem"), [
    ({"evidence_digest": "sha256:" + "0" * 64}, "bound to evidence"),
    ({"expires_at": "2025-05-31T00:00:00Z"}, "expired"),
    ({"issued_at": "2025-06-02T00:00:00Z"}, "not valid before"),
    ({"rule_id": "GK-DEC-001"}, "approval precondition"),
    ({"rule_id": "T-MIS-001"}, "did not fire"),
])
def test_void_waivers_are_recorded_and_change_nothing(
    policy: PolicySet, approver_key: Ed25519PrivateKey, changes: dict[str, str], problem: str
) -> None:
    document = input_document(oppose_low=0.3)
    plain = evaluate_document(policy, document)
    fields = dict(changes)
    rule = fields.pop("rule_id", "T-WEL-001")
    evidence = fields.pop("evidence_digest", evidence_of(document))
    final = waived(policy, document, [make(approver_key, rule, evidence, **fields)], approver_key)
    assert final.waivers is not None and not final.waivers.applied
    assert (final.verdict, final.reasons) == (plain.verdict, plain.reasons)
    assert problem in final.waivers.void[0].problem


def test_an_untrusted_signature_is_void(policy: PolicySet, approver_key: Ed25519PrivateKey
                                        ) -> None:
    document = input_document(oppose_low=0.3)
    file = make(Ed25519PrivateKey.generate(), "T-WEL-001", evidence_of(document))
    final = waived(policy, document, [file], approver_key)
    assert final.verdict == "escalate" and document["waivers"] == []
    assert final.waivers is not None and "trusted approver" in final.waivers.void[0].problem


def test_an_edited_waiver_no_longer_verifies(policy: PolicySet, approver_key: Ed25519PrivateKey
                                             ) -> None:
    document = input_document(oppose_low=0.3)
    file = make(approver_key, "T-WEL-001", evidence_of(document))
    edited = parse_waiver(file.data.replace(b"2025-07-01", b"2026-07-01"), "edited.json")
    final = waived(policy, document, [edited], approver_key)
    assert final.waivers is not None and final.waivers.void and not final.waivers.applied


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
    good = make(approver_key, "T-WEL-001", evidence_of(document))
    expired = make(approver_key, "T-EVD-001", evidence_of(document),
                   expires_at="2025-05-02T00:00:00Z")
    result = evaluate_document(policy, document, "dec-w", [good, expired],
                               [approver_key.public_key()])
    ledger = tmp_path / "ledger.jsonl"
    recorded = record_decision(result, document, policy, ledger, signing_key=signing_key,
                               waivers=[good, expired])
    assert recorded.result.verdict == "escalate"  # T-EVD-001 still stands
    assert [w.rule_id for w in recorded.record.waivers.applied] == ["T-WEL-001"]
    assert [w.rule_id for w in recorded.record.waivers.void] == ["T-EVD-001"]
    assert verify_ledger(ledger, signing_key.public_key()).ok
    outcome = replay("dec-w", ledger, shared_decider(), [approver_key.public_key()])
    assert outcome.reproduced, outcome.differences
