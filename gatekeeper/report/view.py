"""The one thing every report format renders: a decision and what the audit trail knows.

Every command builds the same view of a decision: from its ledger record (`review` and
`evaluate` right after recording, `report` later, the card gate), so the two give the same
bytes; from the result and its evidence when nothing was recorded (`--no-ledger`); or from
a result file alone. The view holds the result (verdict, reasons, waivers), the evidence
behind the charts and the ledger position; what would change the verdict is derived from
the reasons (`whatif`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gatekeeper.audit.archive import ObjectStore
from gatekeeper.audit.models import LedgerRecord
from gatekeeper.audit.replay import find_record
from gatekeeper.decision.models import AppliedWaiver, EvaluationResult, VoidWaiver, WaiverOutcome
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
    waivers: WaiverOutcome | None = None
    """The result's waivers, or (for records of earlier versions) the ledger record's."""
    evidence: dict[str, Any] | None = None
    """The evaluated bundle (welfare figures for the charts), when the report can read it."""
    position: LedgerPosition | None = None

    @classmethod
    def of(cls, result: EvaluationResult, evidence: dict[str, Any] | None = None
           ) -> DecisionView:
        """The view of a decision nothing recorded (or of a result file)."""
        return cls(result=result, waivers=result.waivers, evidence=evidence)

    @property
    def engine_verdict(self) -> Verdict | None:
        return self.waivers.engine_verdict if self.waivers else None

    @property
    def applied_waivers(self) -> list[AppliedWaiver]:
        return list(self.waivers.applied) if self.waivers else []

    @property
    def void_waivers(self) -> list[VoidWaiver]:
        return list(self.waivers.void) if self.waivers else []

    @property
    def welfare(self) -> dict[str, Any]:
        welfare = (self.evidence or {}).get("welfare")
        return welfare if isinstance(welfare, dict) else {}


def _archived_evidence(record: LedgerRecord, ledger_path: Path) -> dict[str, Any] | None:
    """The evaluated bundle from the archive; a report still renders when it is missing."""
    try:
        document = ObjectStore.beside(ledger_path).get_json(record.archive.input)
    except Exception:
        return None
    bundle = document.get("bundle") if isinstance(document, dict) else None
    return bundle if isinstance(bundle, dict) else None


def view_from_record(record: LedgerRecord, ledger_path: Path) -> DecisionView:
    """The view of one ledger record, with its archived evidence when it is present."""
    attestation = record.attestation
    return DecisionView(
        result=record.result,
        waivers=record.result.waivers or record.waivers,
        evidence=_archived_evidence(record, ledger_path),
        position=LedgerPosition(
            ledger=str(ledger_path), sequence=record.sequence,
            record_digest=record.record_digest, prev_digest=record.prev_digest,
            input_digest=record.input,
            signed_by=record.signature.keyid if record.signature else None,
            attestation_path=attestation.path if attestation else None,
            attestation_digest=attestation.digest if attestation else None,
        ),
    )


def decision_view(result: EvaluationResult, evidence: dict[str, Any],
                  record: LedgerRecord | None, ledger_path: Path | None) -> DecisionView:
    """What a command renders right after deciding: the view of the record it just wrote
    (exactly what `gatekeeper report ID` renders later), else of the unrecorded result."""
    if record is not None and ledger_path is not None:
        return view_from_record(record, ledger_path)
    return DecisionView.of(result, evidence)


def load_view(decision_id: str, ledger_path: Path) -> DecisionView:
    return view_from_record(find_record(ledger_path, decision_id), ledger_path)
