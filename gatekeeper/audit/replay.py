"""Replay a recorded decision offline from the archived input and policy, and compare.

The engine sees the archived input document, whose `context` (evaluated_at,
evidence_age_days) and `waivers` are the recorded ones, so staleness rules and waivers
answer as they did then: the policy decides again what the waivers lift. The applied
waivers' archived files are verified again (evidence digest, validity window, and signature
when the approver keys are given); verdict, reasons, conditions and applied waivers must
then match the ledger byte for byte in canonical form. Given another policy set, the same
comparison says what that policy would have decided instead
(`gatekeeper replay --all --policy-dir …`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gatekeeper.audit import ledger
from gatekeeper.audit.archive import ObjectProblem, ObjectStore
from gatekeeper.audit.models import LedgerRecord
from gatekeeper.audit.policy_archive import archived_policy
from gatekeeper.audit.waivers import parse_waiver, signer, verification_problem
from gatekeeper.canonical import canonical_bytes, json_digest
from gatekeeper.decision.decider import Decider
from gatekeeper.decision.models import EvaluationResult, Reason
from gatekeeper.engines.base import PolicySet
from gatekeeper.errors import InvalidInput

_POLICIES_KEPT = 16


@dataclass
class ReplayOutcome:
    decision_id: str
    recorded: EvaluationResult
    replayed: EvaluationResult
    recorded_engine_version: str
    replayed_engine_version: str
    differences: list[str] = field(default_factory=list)

    @property
    def reproduced(self) -> bool:
        return not self.differences


def find_record(ledger_path: Path, decision_id: str) -> LedgerRecord:
    try:
        for line in ledger.iter_lines(ledger_path):
            if decision_id.encode() not in line:
                continue
            record = LedgerRecord.model_validate_json(line)
            if record.decision_id == decision_id:
                return record
    except OSError as error:
        raise InvalidInput(str(ledger_path), "-", f"cannot read ledger: {error}") from error
    raise InvalidInput(str(ledger_path), f"decision {decision_id}", "no such decision recorded")


class ArchivedPolicies:
    """Archived policy sets by address, parsed once each (a ledger reuses a few)."""

    def __init__(self, store: ObjectStore) -> None:
        self.store = store
        self._parsed: OrderedDict[str, PolicySet] = OrderedDict()

    def of(self, record: LedgerRecord) -> PolicySet:
        address = record.archive.policy
        policy = self._parsed.get(address)
        if policy is None:
            policy = archived_policy(self.store, address)
            self._parsed[address] = policy
            if len(self._parsed) > _POLICIES_KEPT:
                self._parsed.popitem(last=False)
        if policy.digest != record.result.policy.digest:
            raise ObjectProblem("archived policy is not the recorded policy bundle")
        return policy


def archived_input(store: ObjectStore, record: LedgerRecord) -> dict[str, Any]:
    document = store.get_json(record.archive.input)
    if not isinstance(document, dict) or json_digest(document) != record.input:
        raise ObjectProblem("archived input does not hash to the recorded input digest")
    return document


def _dump(reasons: Sequence[Reason]) -> bytes:
    return canonical_bytes([r.model_dump(mode="json") for r in reasons])


def _reverify_waivers(
    store: ObjectStore,
    record: LedgerRecord,
    approver_keys: Sequence[Ed25519PublicKey],
    differences: list[str],
) -> None:
    """Verify each applied waiver's archived file again.

    Without approver keys the signature is taken as checked when it was recorded (`verify`
    proves the record unchanged); evidence binding and validity are always re-checked.
    """
    recorded = record.result
    for applied in record.waivers.applied:
        file = parse_waiver(store.get(applied.waiver_digest), applied.waiver_digest)
        problem = verification_problem(file.document.waiver, recorded.inputs.evidence,
                                       recorded.evaluated_at)
        if approver_keys and signer(file, approver_keys) is None:
            problem = "not signed by a trusted approver key"
        if problem is not None:
            differences.append(f"waiver {applied.waiver_id} no longer applies: {problem}")


def replay_record(
    record: LedgerRecord,
    store: ObjectStore,
    policy: PolicySet,
    decider: Decider,
    approver_keys: Sequence[Ed25519PublicKey] = (),
) -> ReplayOutcome:
    """Re-evaluate one record's archived input under `policy` and list every difference."""
    decision = decider.decide(policy, archived_input(store, record))
    recorded = record.result
    replayed = recorded.model_copy(update={
        "verdict": decision.verdict, "reasons": decision.reasons,
        "conditions": decision.conditions, "waivers": decision.waivers,
    })
    differences: list[str] = []
    if decision.waivers.engine_verdict != record.waivers.engine_verdict:
        differences.append(f"verdict before waivers {decision.waivers.engine_verdict} differs "
                           f"from recorded {record.waivers.engine_verdict}")
    _reverify_waivers(store, record, approver_keys, differences)
    if replayed.verdict != recorded.verdict:
        differences.append(f"verdict {replayed.verdict} differs from recorded {recorded.verdict}")
    if _dump(replayed.reasons) != _dump(recorded.reasons):
        differences.append("reasons differ from the recorded reasons")
    if _dump(replayed.conditions) != _dump(recorded.conditions):
        differences.append("conditions differ from the recorded conditions")
    lifted = [w.waiver_digest for w in decision.waivers.applied]
    if lifted != [w.waiver_digest for w in record.waivers.applied]:
        differences.append("the applied waivers differ from the recorded ones")
    return ReplayOutcome(record.decision_id, recorded, replayed, recorded.engine.version,
                         decision.answer.engine_version, differences)


def replay(
    decision_id: str,
    ledger_path: Path,
    decider: Decider,
    approver_keys: Sequence[Ed25519PublicKey] = (),
) -> ReplayOutcome:
    """Re-evaluate one recorded decision with its archived policy."""
    record = find_record(ledger_path, decision_id)
    store = ObjectStore.beside(ledger_path)
    try:
        policy = ArchivedPolicies(store).of(record)
        return replay_record(record, store, policy, decider, approver_keys)
    except ObjectProblem as error:  # a changed archive is bad input, never a reproduction
        raise InvalidInput(str(ledger_path), f"decision {decision_id}", str(error)) from error
