"""Flip each byte class in the ledger, the evidence archive and an attestation: `verify`
must fail and name the record (the issue's acceptance test)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gatekeeper.audit import ledger, verify
from gatekeeper.audit.archive import ObjectStore
from gatekeeper.audit.models import LedgerRecord
from gatekeeper.audit.verify import verify_ledger

TARGET = 2  # 0-based: the third record, decision dec-2


@pytest.fixture(autouse=True, params=["one pass", "in parallel"])
def verify_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every tamper is caught, and named alike, by one pass and by the chunked parallel
    check that long ledgers get (forced here on five records: chunks of three and two)."""
    if request.param == "in parallel":
        monkeypatch.setattr(verify, "PARALLEL_FROM", 2)


def _lines(path: Path) -> list[bytes]:
    return ledger.read_lines(path)[0]


def _write(path: Path, lines: list[bytes]) -> None:
    path.write_bytes(b"".join(line + b"\n" for line in lines))


def _edit_line(edit: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def apply(path: Path) -> None:
        lines = _lines(path)
        lines[TARGET] = edit(lines[TARGET])
        _write(path, lines)
    return apply


def _value(line: bytes) -> bytes:  # a digit inside evidence_age_days
    return re.sub(rb'("evidence_age_days":)(\d)', lambda m: m.group(1) + b"9", line, count=1)


def _key(line: bytes) -> bytes:
    return line.replace(b'"gatekeeper_version"', b'"gatekeeper_versiom"', 1)


def _space_in_string(line: bytes) -> bytes:
    return line.replace(b'"message":"', b'"message":" ', 1)


def _swap(path: Path) -> None:
    lines = _lines(path)
    lines[TARGET], lines[TARGET + 1] = lines[TARGET + 1], lines[TARGET]
    _write(path, lines)


def _delete(path: Path) -> None:
    lines = _lines(path)
    del lines[TARGET]
    _write(path, lines)


def _delete_last(path: Path) -> None:
    _write(path, _lines(path)[:-1])


LEDGER_FLIPS: dict[str, tuple[Callable[[Path], None], str]] = {
    "value": (_edit_line(_value), "record 3 (decision dec-2)"),
    "key": (_edit_line(_key), "record 3 (decision dec-2)"),
    "whitespace-in-string": (_edit_line(_space_in_string), "record 3 (decision dec-2)"),
    "whitespace-between-tokens": (_edit_line(lambda b: b.replace(b",", b", ", 1)),
                                  "record 3 (decision dec-2)"),
    "record-order": (_swap, "record 3 (decision dec-3)"),
    "deleted-record": (_delete, "record 3 (decision dec-3)"),
    "deleted-last-record": (_delete_last, "decision dec-4"),
}


@pytest.mark.parametrize("flip", sorted(LEDGER_FLIPS))
def test_verify_names_the_record_after_a_ledger_flip(
    recorded_ledger: Path, signing_key: Ed25519PrivateKey, flip: str
) -> None:
    tamper, where = LEDGER_FLIPS[flip]
    before = recorded_ledger.read_bytes()
    tamper(recorded_ledger)
    assert recorded_ledger.read_bytes() != before, "the flip changed nothing"
    report = verify_ledger(recorded_ledger, signing_key.public_key())
    assert not report.ok
    assert where in str(report.findings[0]), report.summary()


def _record(path: Path, index: int) -> LedgerRecord:
    return LedgerRecord.model_validate_json(_lines(path)[index])


def _evidence_file(path: Path) -> Path:
    return ObjectStore.beside(path).path_of(_record(path, TARGET).archive.input)


def _rewrite_json(edit: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def apply(target: Path) -> None:
        target.write_bytes(edit(target.read_bytes()))
    return apply


def _reorder_keys(data: bytes) -> bytes:
    value = json.loads(data)
    return json.dumps(dict(reversed(list(value.items()))), separators=(",", ":")).encode()


def _reverse_records(data: bytes) -> bytes:  # "record order" inside the evidence
    value = json.loads(data)
    value["bundle"]["welfare"]["records"].reverse()
    return json.dumps(value, separators=(",", ":")).encode()


OBJECT_FLIPS: dict[str, Callable[[Path], None]] = {
    "value": _rewrite_json(lambda b: b.replace(b'"uplift":0.', b'"uplift":1.', 1)),
    "key": _rewrite_json(lambda b: b.replace(b'"uplift"', b'"upl1ft"', 1)),
    "whitespace-in-string": _rewrite_json(lambda b: b.replace(b'"acme-7b"', b'"acme-7b "', 1)),
    "key-order": _rewrite_json(_reorder_keys),
    "record-order": _rewrite_json(_reverse_records),
    "deleted": lambda p: p.unlink(),
}


@pytest.mark.parametrize("flip", sorted(OBJECT_FLIPS))
def test_verify_names_the_record_after_an_evidence_flip(
    recorded_ledger: Path, signing_key: Ed25519PrivateKey, flip: str
) -> None:
    target = _evidence_file(recorded_ledger)
    before = target.read_bytes()
    OBJECT_FLIPS[flip](target)
    assert not target.exists() or target.read_bytes() != before
    report = verify_ledger(recorded_ledger, signing_key.public_key())
    assert not report.ok
    assert "record 3 (decision dec-2)" in str(report.findings[0]), report.summary()
    assert "archived object" in str(report.findings[0])


def test_a_changed_policy_module_in_the_archive_is_caught(recorded_ledger: Path) -> None:
    address = _record(recorded_ledger, 0).archive.policy
    target = ObjectStore.beside(recorded_ledger).path_of(address)
    target.write_bytes(target.read_bytes().replace(b"0.25", b"0.95", 1))
    report = verify_ledger(recorded_ledger)
    assert "record 1 (decision dec-0)" in str(report.findings[0])


def _attestation(path: Path) -> Path:
    ref = _record(path, TARGET).attestation
    assert ref is not None
    return path.parent / ref.path


def _swap_attestations(target: Path) -> None:
    other = target.with_name("dec-3.dsse.json")
    a, b = target.read_bytes(), other.read_bytes()
    target.write_bytes(b)
    other.write_bytes(a)


ATTESTATION_FLIPS: dict[str, Callable[[Path], None]] = {
    "value": _rewrite_json(lambda b: b.replace(b'"payload":"ey', b'"payload":"EY', 1)),
    "key": _rewrite_json(lambda b: b.replace(b'"keyid"', b'"keyId"', 1)),
    "whitespace-in-string": _rewrite_json(
        lambda b: b.replace(b"application/vnd.in-toto+json", b"application/vnd.in-toto+json ")),
    "record-order": _swap_attestations,
    "deleted": lambda p: p.unlink(),
}


@pytest.mark.parametrize("flip", sorted(ATTESTATION_FLIPS))
def test_verify_names_the_record_after_an_attestation_flip(
    recorded_ledger: Path, signing_key: Ed25519PrivateKey, flip: str
) -> None:
    target = _attestation(recorded_ledger)
    before = target.read_bytes()
    ATTESTATION_FLIPS[flip](target)
    assert not target.exists() or target.read_bytes() != before
    report = verify_ledger(recorded_ledger, signing_key.public_key())
    assert not report.ok
    assert "record 3 (decision dec-2)" in str(report.findings[0]), report.summary()
    assert "attestation" in str(report.findings[0])


def test_a_resigned_attestation_with_another_key_is_refused(
    recorded_ledger: Path, signing_key: Ed25519PrivateKey
) -> None:
    """Checked standalone (--attestation): a forger's validly-shaped envelope fails."""
    from gatekeeper.audit.attestation import envelope_bytes, signed_statement
    from gatekeeper.audit.dsse import Envelope, payload_bytes
    from gatekeeper.audit.models import Statement

    original = Envelope.model_validate_json(_attestation(recorded_ledger).read_bytes())
    statement = Statement.model_validate_json(payload_bytes(original))
    forged = recorded_ledger.parent / "forged.dsse.json"
    forged.write_bytes(envelope_bytes(signed_statement(statement, Ed25519PrivateKey.generate())))
    report = verify_ledger(recorded_ledger, signing_key.public_key(), [forged])
    assert not report.ok
    assert "dec-2" in str(report.findings[0])


def test_wrong_public_key_fails_on_the_first_record(recorded_ledger: Path) -> None:
    report = verify_ledger(recorded_ledger, Ed25519PrivateKey.generate().public_key())
    assert "record 1 (decision dec-0)" in str(report.findings[0])
    assert "signature" in str(report.findings[0])
