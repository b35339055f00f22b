"""`gatekeeper ledger recover`: undo what a crash left, and nothing else.

A crash during an append can leave three things (gatekeeper.audit.ledger, .recording): a
torn tail (bytes after the last LF), a pending attestation (written before its record),
and a head one record behind. Recover, under the ledger's lock, drops only the torn tail
(keeping a copy beside the ledger), publishes a pending attestation whose record made it
and removes the others, and writes a missing or lagging head (signed, given the key). What
no crash leaves — a head ahead of the ledger or naming another record (a truncation, a
rewrite), a complete last line that does not parse, a tail longer than one record — is
refused before anything is changed, so recover cannot launder a tampered ledger.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gatekeeper.audit import ledger
from gatekeeper.audit.archive import ATTESTATIONS_DIR, PENDING_DIR, publish_pending
from gatekeeper.audit.head import head_of, head_path, head_text, read_head, write_head
from gatekeeper.canonical import sha256_digest
from gatekeeper.errors import InvalidInput
from gatekeeper.files import atomic_write_bytes
from gatekeeper.input_files import read_bounded
from gatekeeper.limits import ATTESTATION_BYTES, LEDGER_LINE_BYTES

_CHUNK = 1024 * 1024


class NotACrash(InvalidInput):
    """The ledger is damaged in a way no crash leaves: recover changes nothing."""


def _records(descriptor: int, end: int) -> int:
    count, offset = 0, 0
    while offset < end:
        chunk = os.pread(descriptor, min(_CHUNK, end - offset), offset)
        count += chunk.count(b"\n")
        offset += len(chunk)
    return count


def _refuse(path: Path, problem: str) -> NotACrash:
    return NotACrash(str(path), "-", f"{problem}: not what a crash leaves, so recover changes "
                                     "nothing; run `gatekeeper verify` and restore from a copy")


def _check_recoverable(path: Path, descriptor: int, complete: int, records: int) -> bytes | None:
    """The last complete line, after refusing what recover must not touch."""
    size = os.fstat(descriptor).st_size
    if size - complete > LEDGER_LINE_BYTES + 1:
        raise _refuse(path, f"{size - complete} bytes follow the last record, more than one "
                            "record can hold")
    head_file = head_path(path)
    head = read_head(head_file).head if head_file.exists() else None
    if head is not None and head.size > records:
        raise _refuse(path, f"its head names {head.size} records and it holds {records}: "
                            "it was truncated")
    if records == 0:
        return None
    last = ledger.last_line(descriptor, complete, path)
    try:
        record = json.loads(last)
        if int(record["sequence"]) != records - 1:
            raise ValueError(f"sequence {record['sequence']} on line {records}")
    except (ValueError, KeyError, TypeError) as error:
        raise _refuse(path, f"its last complete record does not read ({error})") from error
    if head is not None:
        named, first = ledger.nth_line(descriptor, head.size - 1), ledger.first_line(descriptor)
        if (named is None or first is None or ledger.line_digest(named) != head.head_digest
                or ledger.line_digest(first) != head.first_digest):
            raise _refuse(path, "its head names other records than it holds (rewritten)")
    return last


def recover(path: Path, signing_key: Ed25519PrivateKey | None,
            now: datetime | None = None) -> tuple[list[str], list[str]]:
    """(what was done, what is still wrong); NotACrash when the damage is not a crash's."""
    if not path.is_file():
        raise InvalidInput(str(path), "-", "no such ledger")
    done: list[str] = []
    remaining: list[str] = []
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    with ledger.locked(path) as descriptor:
        size = os.fstat(descriptor).st_size
        complete = ledger.complete_size(descriptor)
        records = _records(descriptor, complete)
        last = _check_recoverable(path, descriptor, complete, records)
        if complete < size:
            copy = path.with_name(f"{path.name}.torn-{stamp}")
            atomic_write_bytes(copy, os.pread(descriptor, size - complete, complete))
            os.ftruncate(descriptor, complete)
            os.fsync(descriptor)
            done.append(f"dropped a torn tail of {size - complete} bytes after record "
                        f"{records} (an interrupted append; its bytes are kept in {copy})")
        done.extend(_pending(path, last))
        if last is not None:
            _head(path, descriptor, last, records, signing_key, done, remaining)
    return done, remaining


def _pending(path: Path, last: bytes | None) -> list[str]:
    """Publish the pending attestation of the last record; remove those of no record (their
    run died before appending: the lock guarantees no live run is between the two)."""
    folder = path.parent / ATTESTATIONS_DIR / PENDING_DIR
    if not folder.is_dir():
        return []
    recorded = json.loads(last).get("attestation") if last is not None else None
    done = []
    for pending in sorted(folder.glob("*.dsse.json")):
        target = folder.parent / pending.name
        relative = f"{ATTESTATIONS_DIR}/{pending.name}"
        digest = sha256_digest(read_bounded(pending, ATTESTATION_BYTES))
        if (recorded and recorded["path"] == relative and not target.exists()
                and digest == recorded["digest"]):
            publish_pending(target)
            done.append(f"published {relative}: its record was appended just before a crash")
        else:
            pending.unlink()
            done.append(f"removed pending {pending.name}: its decision was never recorded")
    return done


def _head(path: Path, descriptor: int, last: bytes, records: int,
          signing_key: Ed25519PrivateKey | None, done: list[str], remaining: list[str]) -> None:
    head_file = head_path(path)
    current = read_head(head_file).head if head_file.exists() else None
    if current is not None and current.size == records:
        return
    if json.loads(last).get("signature") is not None and signing_key is None:
        remaining.append(f"{head_file} is {'behind' if current else 'missing'}; the records "
                         "are signed, so only their key may write it: run again with "
                         "--signing-key")
        return
    first = ledger.first_line(descriptor)
    head = head_of(ledger.Appended(last, records - 1, first if first is not None else last))
    write_head(path, head, signing_key)
    done.append(f"wrote {head_file} ({head_text(head)}"
                f"{', signed' if signing_key else ''}): it was "
                f"{'behind' if current else 'missing'}")
