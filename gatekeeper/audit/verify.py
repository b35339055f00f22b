"""Offline verification of a ledger, its archive and its attestations; names the first bad record.

Checks, per record: the line is exactly its RFC 8785 form; it parses as a ledger record;
`record_digest` matches its body; `sequence` and `prev_digest` continue the chain; its
signature (with `--public-key`); the archived input, policy and waivers exist, hash to their
addresses and agree with the record; its attestation file hashes to the recorded digest,
names the same decision and result, and is signed by the key; once a record is signed,
every later one must be. Then: the head file (gatekeeper.audit.head) names the last record
and is signed like the records; `--expect-head` (a head kept elsewhere) is still in the
ledger; no attestation beside the ledger lacks its record (a deleted last record, a
truncated ledger).

Each canonicalisation is done once (a record's line gives its body and its result; an
archived object is checked once per address), and a long ledger is checked on every core.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import ValidationError

from gatekeeper.audit import ledger
from gatekeeper.audit.archive import ATTESTATIONS_DIR, ObjectProblem, ObjectStore, pending_path
from gatekeeper.audit.dsse import IN_TOTO_PAYLOAD_TYPE, Envelope, payload_bytes, signed_by
from gatekeeper.audit.head import (
    ExpectedHead,
    Signers,
    expectation_problem,
    head_path,
    head_problems,
    read_head,
)
from gatekeeper.audit.models import RECORD_PAYLOAD_TYPE, LedgerRecord, Statement
from gatekeeper.audit.policy_archive import archived_policy
from gatekeeper.audit.waivers import parse_waiver
from gatekeeper.canonical import CanonicalJson, json_digest, sha256_digest
from gatekeeper.errors import GatekeeperError, InvalidInput
from gatekeeper.input_files import read_bounded
from gatekeeper.limits import ATTESTATION_BYTES


class VerificationFailed(InvalidInput):
    """The ledger, archive or an attestation does not verify (exit 2: the input is bad)."""


@dataclass(frozen=True)
class Finding:
    where: str
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"


@dataclass
class VerificationReport:
    ledger: Path
    records: int = 0
    signatures_checked: int = 0
    attestations_checked: int = 0
    objects_checked: int = 0
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What is worth knowing but breaks nothing (records after an interrupted head)."""

    @property
    def ok(self) -> bool:
        return not self.findings

    def summary(self) -> str:
        if self.ok:
            return (f"{self.ledger}: OK — {self.records} records, chain intact, "
                    f"{self.objects_checked} archived objects, {self.signatures_checked} "
                    f"signatures, {self.attestations_checked} attestations verified")
        return f"{self.ledger}: FAILED at {self.findings[0]}"


def _where(index: int, decision_id: str | None) -> str:
    return f"record {index}" + (f" (decision {decision_id})" if decision_id else "")


@dataclass(frozen=True)
class _CheckedInput:
    """What one archived input hashes to: the whole document, and its `bundle` member."""

    digest: str
    bundle_digest: str | None


@dataclass
class _Checker:
    """The checks, each canonicalisation done once: a record's line yields its body and its
    result's bytes; an archived object is checked once per address (content-addressed)."""

    report: VerificationReport
    store: ObjectStore
    public_key: Ed25519PublicKey | None
    inputs: dict[str, _CheckedInput] = field(default_factory=dict)
    policies: dict[str, str] = field(default_factory=dict)
    """Digest of each archived policy checked, by address."""
    waivers: set[str] = field(default_factory=set)
    checked: list[str] = field(default_factory=list)
    """Addresses of archived objects checked, in order (each once)."""
    memo: dict[str, bytes] = field(default_factory=dict)
    """Canonical bytes of long members (an input's evidence) by the digest of their text."""

    def fail(self, where: str, problem: str) -> None:
        self.report.findings.append(Finding(where, problem))

    def record(
        self, index: int, line: bytes, previous: bytes | None
    ) -> tuple[LedgerRecord, bytes] | None:
        """The parsed record and its result's canonical bytes, or None (a finding is
        recorded)."""
        where = _where(index, None)
        try:
            raw = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            self.fail(where, f"not JSON: {error}")
            return None
        if not isinstance(raw, dict):
            self.fail(where, "not a JSON object")
            return None
        decision_id = raw.get("decision_id")
        where = _where(index, decision_id if isinstance(decision_id, str) else None)
        try:
            view: CanonicalJson | None = CanonicalJson(raw)
        except ValueError:
            view = None
        if view is None or view.whole != line:
            self.fail(where, "line is not in RFC 8785 canonical form (bytes were changed)")
            return None
        try:
            record = LedgerRecord.model_validate(raw)
        except ValidationError as error:
            first = error.errors()[0]
            path = ".".join(str(p) for p in first["loc"])
            self.fail(where, f"not a valid ledger record at {path}: {first['msg']}")
            return None
        body = view.without(ledger.UNSIGNED)
        if sha256_digest(body) != record.record_digest:
            self.fail(where, "record_digest does not match the record's content")
            return None
        if record.sequence != index - 1:
            self.fail(where, f"sequence {record.sequence} where {index - 1} was expected "
                             "(records reordered, inserted or deleted)")
            return None
        expected = ledger.GENESIS_DIGEST if previous is None else ledger.line_digest(previous)
        if record.prev_digest != expected:
            self.fail(where, "prev_digest does not match the previous record "
                             "(a record before it was changed, deleted or reordered)")
            return None
        if not self._signature_ok(where, record, body):
            return None
        return record, view.member("result") or b""

    def _signature_ok(self, where: str, record: LedgerRecord, body: bytes) -> bool:
        if self.public_key is None:
            return True
        if record.signature is None:
            self.fail(where, "record is not signed but --public-key was given")
            return False
        if not signed_by(record.signature, self.public_key, RECORD_PAYLOAD_TYPE, body):
            self.fail(where, "record signature does not verify with the given public key")
            return False
        self.report.signatures_checked += 1
        return True

    def _input(self, address: str) -> _CheckedInput:
        checked = self.inputs.get(address)
        if checked is None:
            try:
                view = CanonicalJson(self.store.get(address), self.memo)
            except ValueError as error:  # includes JSON and UTF-8 errors
                raise ObjectProblem(f"archived input {address} is not a JSON object") from error
            bundle = view.member("bundle")
            checked = _CheckedInput(sha256_digest(view.whole),
                                    sha256_digest(bundle) if bundle is not None else None)
            self.inputs[address] = checked
            self.checked.append(address)
        return checked

    def _policy_digest(self, address: str) -> str:
        """The digest of the archived policy at `address`, checked intact once."""
        digest = self.policies.get(address)
        if digest is None:
            digest = archived_policy(self.store, address).digest
            self.policies[address] = digest
            self.checked.append(address)
        return digest

    def archive(self, where: str, record: LedgerRecord) -> None:
        result = record.result
        try:
            checked = self._input(record.archive.input)
            if checked.digest != record.input:
                self.fail(where, "archived input does not hash to the record's `input` digest")
                return
            if checked.bundle_digest != result.inputs.evidence:
                self.fail(where, "archived input's bundle is not the recorded evidence digest")
                return
            digest = self._policy_digest(record.archive.policy)
            revision = record.bundles.get("gatekeeper")
            if (revision is None or revision.revision != digest
                    or digest != result.policy.digest):
                self.fail(where, "archived policy is not the recorded policy bundle")
                return
            for address in record.archive.waivers:
                if address not in self.waivers:
                    parse_waiver(self.store.get(address), address)
                    self.waivers.add(address)
                    self.checked.append(address)
        except ObjectProblem as error:
            self.fail(where, str(error))
        except (ValidationError, GatekeeperError) as error:
            self.fail(where, f"archived object does not parse: {str(error).splitlines()[0]}")
        applied = {w.waiver_digest for w in record.waivers.applied}
        if not applied <= set(record.archive.waivers):
            self.fail(where, "an applied waiver is not in the archive")

    def attestation(
        self, where: str, record: LedgerRecord, path: Path, result_bytes: bytes
    ) -> None:
        ref = record.attestation
        if ref is None:
            return
        try:
            data = read_bounded(path, ATTESTATION_BYTES)
        except InvalidInput as error:
            pending = " (a pending copy exists: an interrupted append; run `gatekeeper " \
                      "ledger recover`)" if pending_path(path).exists() else ""
            problem = "is missing" if not path.exists() else error.problem
            self.fail(where, f"attestation {ref.path} {problem}{pending}")
            return
        if sha256_digest(data) != ref.digest:
            self.fail(where, f"attestation {ref.path} does not match the digest in the ledger")
            return
        self.envelope(where, data, record, result_bytes)

    def envelope(
        self, where: str, data: bytes, record: LedgerRecord, result_bytes: bytes | None = None
    ) -> None:
        """Check an attestation file; `result_bytes`: the record's canonical `result`, when
        known (else it is serialised from the parsed record)."""
        try:
            document = Envelope.model_validate_json(data)
            body = payload_bytes(document)
            statement = Statement.model_validate_json(body)
        except (ValidationError, ValueError) as error:
            self.fail(where, f"attestation does not parse: {str(error).splitlines()[0]}")
            return
        decision = statement.predicate.decision
        if document.payloadType != IN_TOTO_PAYLOAD_TYPE:
            self.fail(where, f"attestation payloadType is {document.payloadType!r}")
        elif decision.decision_id != record.decision_id:
            self.fail(where, f"attestation is for decision {decision.decision_id}")
        elif not _same_result(decision.result_digest, record, result_bytes):
            self.fail(where, "attestation's result digest differs from the recorded result")
        elif self.public_key is not None:
            if not any(signed_by(s, self.public_key, document.payloadType, body)
                       for s in document.signatures):
                self.fail(where, "attestation signature does not verify with the public key")
                return
            self.report.attestations_checked += 1
        else:
            self.report.attestations_checked += 1


def _same_result(digest: str, record: LedgerRecord, result_bytes: bytes | None) -> bool:
    """The attested result digest is the record's result (its line's bytes, else the model's
    canonical form: they coincide for every record Gatekeeper writes)."""
    if result_bytes is not None and sha256_digest(result_bytes) == digest:
        return True
    return digest == json_digest(record.result.model_dump(mode="json"))


def _statement_decision(data: bytes) -> str | None:
    try:
        body = payload_bytes(Envelope.model_validate_json(data))
        return Statement.model_validate_json(body).predicate.decision.decision_id
    except (ValidationError, ValueError):
        return None


@dataclass(frozen=True)
class _Checked:
    """One record's outcome, as a worker hands it back (small, so cheap to pass back)."""

    index: int
    decision_id: str | None
    chain_problem: Finding | None
    """Set when the record breaks the chain: it and everything after it are not trusted."""
    findings: list[Finding]
    """Archive and attestation findings, kept only if the record is the first of its id."""
    attestation_path: str | None
    keyid: str | None
    """Who signed the record (None: unsigned)."""
    signatures: int
    attestations: int
    objects: frozenset[str]
    """Addresses of archived objects this record was the first to check."""


def _check_lines(
    ledger_path: Path, public_key: bytes | None, start: int, lines: list[bytes],
    previous: bytes | None,
) -> list[_Checked]:
    """Check consecutive records `start`, `start + 1`, … (1-based); stop at a broken chain."""
    key = Ed25519PublicKey.from_public_bytes(public_key) if public_key else None
    checker = _Checker(VerificationReport(ledger_path), ObjectStore.beside(ledger_path), key)
    report = checker.report
    outcomes: list[_Checked] = []
    for index, line in enumerate(lines, start=start):
        before = (len(report.findings), report.signatures_checked, report.attestations_checked,
                  len(checker.checked))
        checked = checker.record(index, line, previous)
        if checked is None:
            outcomes.append(_Checked(index, None, report.findings[-1], [], None, None, 0, 0,
                                     frozenset()))
            break
        record, result_bytes = checked
        where = _where(index, record.decision_id)
        checker.archive(where, record)
        if record.attestation is not None:
            checker.attestation(where, record, ledger_path.parent / record.attestation.path,
                                result_bytes)
        outcomes.append(_Checked(
            index, record.decision_id, None, report.findings[before[0]:],
            record.attestation.path if record.attestation else None,
            record.signature.keyid if record.signature else None,
            report.signatures_checked - before[1], report.attestations_checked - before[2],
            frozenset(checker.checked[before[3]:]),
        ))
        previous = line
    return outcomes


PARALLEL_FROM = 200
"""Records from which verify spreads the work over the cores (forking costs ~20 ms)."""


def _checked_in_parallel(
    ledger_path: Path, public_key: bytes | None, lines: list[bytes]
) -> list[_Checked]:
    """Every record checked, in order, in up to one worker process per core.

    Records are independent once each chunk knows the line before it, so the chunks run
    side by side; the caller stops at the first broken record as a single pass would.
    """
    workers = min(os.cpu_count() or 1, 4)
    if len(lines) < PARALLEL_FROM or workers < 2 or sys.platform != "linux":
        return _check_lines(ledger_path, public_key, 1, lines, None)
    size = -(-len(lines) // workers)
    starts = range(0, len(lines), size)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        chunks = [pool.submit(_check_lines, ledger_path, public_key, first + 1,
                              lines[first:first + size], lines[first - 1] if first else None)
                  for first in starts]
        return [outcome for chunk in chunks for outcome in chunk.result()]


def verify_ledger(
    ledger_path: Path,
    public_key: Ed25519PublicKey | None = None,
    attestations: Sequence[Path] = (),
    expect_head: ExpectedHead | None = None,
) -> VerificationReport:
    """Check everything listed in the module docstring; findings in ledger order."""
    report = VerificationReport(ledger_path)
    lines, torn = ledger.read_lines(ledger_path)
    whole = lines[:-1] if torn else lines
    raw_key = (public_key.public_bytes(serialization.Encoding.Raw,
                                       serialization.PublicFormat.Raw) if public_key else None)
    records: dict[str, tuple[str, int, str | None]] = {}  # id -> (where, index, attestation)
    signers: list[str | None] = []
    objects: set[str] = set()
    broken = False
    for outcome in _checked_in_parallel(ledger_path, raw_key, whole):
        report.records += 1
        if outcome.chain_problem is not None:
            report.findings.append(outcome.chain_problem)
            broken = True
            break  # the chain is broken here; later records cannot be trusted either
        where = _where(outcome.index, outcome.decision_id)
        assert outcome.decision_id is not None
        if outcome.decision_id in records:
            report.findings.append(
                Finding(where, f"decision id repeats {records[outcome.decision_id][0]}"))
            broken = True
            break
        if outcome.keyid is None and any(signers):
            # Without a key a forged record cannot be told from a real one, but a signed
            # ledger never gains an unsigned record (appends refuse one).
            report.findings.append(Finding(where, "record is unsigned after signed records "
                                                  "(appended without the key, or forged)"))
        signers.append(outcome.keyid)
        records[outcome.decision_id] = (where, outcome.index, outcome.attestation_path)
        report.findings.extend(outcome.findings)
        report.signatures_checked += outcome.signatures
        report.attestations_checked += outcome.attestations
        objects |= outcome.objects
    report.objects_checked = len(objects)
    if torn and not broken:
        report.findings.append(Finding(_where(len(lines), None), ledger.torn_tail_message(
            ledger_path, len(lines[-1]))))
    if not broken:
        _check_head(report, ledger_path, whole, public_key, signers)
    if expect_head is not None and (problem := expectation_problem(
            expect_head, whole, public_key)) is not None:
        report.findings.append(Finding("--expect-head", problem))
    checker = _Checker(report, ObjectStore.beside(ledger_path), public_key)
    if report.ok:
        _orphans(checker, ledger_path, records)
    for path in attestations:
        data = read_bounded(path, ATTESTATION_BYTES)
        decision_id = _statement_decision(data)
        if decision_id is None or decision_id not in records:
            checker.fail(str(path), f"attestation names no decision in the ledger ({decision_id})")
            continue
        where, index, _ = records[decision_id]
        record = LedgerRecord.model_validate_json(lines[index - 1])
        if record.attestation is not None and sha256_digest(data) != record.attestation.digest:
            checker.fail(f"{path} for {where}", "attestation differs from the one recorded")
            continue
        checker.envelope(f"{path} for {where}", data, record)
    return report


def _check_head(report: VerificationReport, ledger_path: Path, lines: list[bytes],
                public_key: Ed25519PublicKey | None, signers: list[str | None]) -> None:
    """The head file against the records (see gatekeeper.audit.head)."""
    path = head_path(ledger_path)
    if not lines:
        if path.exists():
            report.findings.append(Finding(str(path), "the ledger is empty but its head names "
                                                      "records: the ledger was truncated"))
        return
    if not path.exists():
        report.findings.append(Finding(str(path), "no head file: a cut tail cannot be ruled "
                                       "out (truncated, or written before heads); `gatekeeper "
                                       "ledger recover` writes one for the ledger as it is"))
        return
    try:
        document = read_head(path)
    except InvalidInput as error:
        report.findings.append(Finding(str(path), f"{error.location}: {error.problem}"))
        return
    at_head = signers[document.head.size - 1] if document.head.size <= len(signers) else None
    problems, notes = head_problems(document, lines, public_key,
                                    Signers(any(signers), at_head))
    report.findings.extend(Finding(str(path), problem) for problem in problems)
    report.notes.extend(notes)


def _orphans(
    checker: _Checker, ledger_path: Path, records: dict[str, tuple[str, int, str | None]]
) -> None:
    folder = ledger_path.parent / ATTESTATIONS_DIR
    if not folder.is_dir():
        return
    recorded = {attestation for _, _, attestation in records.values() if attestation}
    for path in sorted(folder.glob("*.dsse.json")):
        relative = f"{ATTESTATIONS_DIR}/{path.name}"
        if relative in recorded:
            continue
        try:
            data = read_bounded(path, ATTESTATION_BYTES)
        except InvalidInput as error:
            checker.fail(relative, error.problem)
            continue
        decision_id = _statement_decision(data) or path.name.removesuffix(".dsse.json")
        if decision_id not in records:
            checker.fail(f"record {len(records) + 1}? (decision {decision_id})",
                         f"attestation {relative} has no ledger record: a record was deleted "
                         "or the ledger truncated")
