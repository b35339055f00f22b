"""What a full report renders: the result plus what only the audit trail knows.

`render(result)` in each format module works from the canonical result alone; the
`report` command builds a `DecisionView` from the ledger so the same formats can also show
waivers, the evidence charts and the ledger/attestation digests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gatekeeper.audit.archive import ObjectStore
from gatekeeper.audit.models import LedgerRecord
from gatekeeper.audit.replay import find_record
from gatekeeper.decision.models import AppliedWaiver, EvaluationResult, VoidWaiver
from gatekeeper.decision.verdict import Verdict

HEADLINE: dict[str, str] = {
    "block": "BLOCK — do not release these weights",
    "escalate": "ESCALATE — a human review board must decide",
    "approve_with_conditions": "APPROVE WITH CONDITIONS",
    "approve": "APPROVE",
}

DISCLAIMER = (
    "This report records an automated policy evaluation of declared and collected evidence. "
    "It is not a legal or compliance determination; framework references show which "
    "obligations a rule informs, not that they are met."
)


@dataclass(frozen=True)
class LedgerPosition:
    ledger: str
    sequence: int
    record_digest: str
    prev_digest: str
    input_digest: str
    signed_by: str | None
    attestation_path: str | None
    attestation_digest: str | None


@dataclass(frozen=True)
class DecisionView:
    result: EvaluationResult
    engine_verdict: Verdict | None = None
    applied_waivers: list[AppliedWaiver] = field(default_factory=list)
    void_waivers: list[VoidWaiver] = field(default_factory=list)
    evidence: dict[str, Any] | None = None
    position: LedgerPosition | None = None

    @classmethod
    def of(cls, result: EvaluationResult) -> DecisionView:
        return cls(result=result)

    @property
    def welfare(self) -> dict[str, Any]:
        welfare = (self.evidence or {}).get("welfare")
        return welfare if isinstance(welfare, dict) else {}


def view_from_record(record: LedgerRecord, ledger_path: Path) -> DecisionView:
    """The view of one ledger record, with its archived evidence when it is present."""
    store = ObjectStore.beside(ledger_path)
    evidence: dict[str, Any] | None = None
    try:
        document = store.get_json(record.archive.input)
        if isinstance(document, dict) and isinstance(document.get("bundle"), dict):
            evidence = document["bundle"]
    except Exception:
        evidence = None
    attestation = record.attestation
    return DecisionView(
        result=record.result,
        engine_verdict=record.waivers.engine_verdict,
        applied_waivers=list(record.waivers.applied),
        void_waivers=list(record.waivers.void),
        evidence=evidence,
        position=LedgerPosition(
            ledger=str(ledger_path), sequence=record.sequence,
            record_digest=record.record_digest, prev_digest=record.prev_digest,
            input_digest=record.input,
            signed_by=record.signature.keyid if record.signature else None,
            attestation_path=attestation.path if attestation else None,
            attestation_digest=attestation.digest if attestation else None,
        ),
    )


def load_view(decision_id: str, ledger_path: Path) -> DecisionView:
    return view_from_record(find_record(ledger_path, decision_id), ledger_path)
