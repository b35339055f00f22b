"""Replay every decision of a ledger, streamed: what would a policy change do to the past?

Each record is re-evaluated from its archived input, under its own archived policy (a bulk
reproduction check) or under one new policy set (the what-if question). Records are read
one line at a time and each row is handed on as soon as it is known, so memory stays flat
however long the ledger is; archived policies are parsed once per address.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import ValidationError

from gatekeeper.audit import ledger
from gatekeeper.audit.archive import ObjectProblem, ObjectStore
from gatekeeper.audit.models import LedgerRecord
from gatekeeper.audit.replay import ArchivedPolicies, replay_record
from gatekeeper.decision.decider import Decider
from gatekeeper.decision.models import Reason
from gatekeeper.engines.base import PolicySet
from gatekeeper.errors import GatekeeperError, InvalidInput


@dataclass(frozen=True)
class ReplayRow:
    """One record's replay; `error` when it could not be replayed at all."""

    sequence: int
    decision_id: str | None
    recorded: str | None = None
    replayed: str | None = None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    error: str | None = None
    exit_code: int = 0

    @property
    def status(self) -> str:
        if self.error is not None:
            return "error"
        return "changed" if self.differences else "unchanged"


@dataclass
class ReplaySummary:
    records: int = 0
    unchanged: int = 0
    changed: int = 0
    errors: int = 0
    transitions: Counter[tuple[str, str]] = field(default_factory=Counter)
    worst_error: int = 0

    def add(self, row: ReplayRow) -> None:
        self.records += 1
        if row.status == "error":
            self.errors += 1
            self.worst_error = max(self.worst_error, row.exit_code)
        elif row.status == "changed":
            self.changed += 1
        else:
            self.unchanged += 1
        if row.recorded and row.replayed and row.recorded != row.replayed:
            self.transitions[(row.recorded, row.replayed)] += 1


def _rule_ids(reasons: Sequence[Reason]) -> set[str]:
    return {r.rule_id for r in reasons}


def _row(
    sequence: int,
    line: bytes,
    store: ObjectStore,
    archived: ArchivedPolicies,
    policy: PolicySet | None,
    decider: Decider,
    approver_keys: Sequence[Ed25519PublicKey],
) -> ReplayRow:
    decision_id: str | None = None
    try:
        record = LedgerRecord.model_validate_json(line)
        decision_id = record.decision_id
        outcome = replay_record(record, store, policy or archived.of(record), decider,
                                approver_keys)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return ReplayRow(sequence, decision_id, error=f"not a ledger record at {where}: "
                         f"{first['msg']}", exit_code=InvalidInput.exit_code)
    except ObjectProblem as error:
        return ReplayRow(sequence, decision_id, error=str(error),
                         exit_code=InvalidInput.exit_code)
    except GatekeeperError as error:
        return ReplayRow(sequence, decision_id, error=str(error), exit_code=error.exit_code)
    before = _rule_ids([*outcome.recorded.reasons, *outcome.recorded.conditions])
    after = _rule_ids([*outcome.replayed.reasons, *outcome.replayed.conditions])
    return ReplayRow(sequence, decision_id, outcome.recorded.verdict, outcome.replayed.verdict,
                     sorted(after - before), sorted(before - after), outcome.differences)


def replay_all(
    ledger_path: Path,
    decider: Decider,
    policy: PolicySet | None = None,
    approver_keys: Sequence[Ed25519PublicKey] = (),
) -> Iterator[ReplayRow]:
    """A row per record, in ledger order; `policy` None replays each with its own policy."""
    store = ObjectStore.beside(ledger_path)
    archived = ArchivedPolicies(store)
    try:
        lines = ledger.iter_lines(ledger_path)
        for sequence, line in enumerate(lines):
            yield _row(sequence, line, store, archived, policy, decider, approver_keys)
    except OSError as error:
        raise InvalidInput(str(ledger_path), "-", f"cannot read ledger: {error}") from error
