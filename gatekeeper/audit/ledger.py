"""The decision ledger: append-only JSONL of RFC 8785 canonical records, hash-chained.

Framing: a record is one line of canonical JSON (which never holds a raw newline) ended by
LF, so the bytes after the last LF are a torn tail — a write a crash interrupted — and
nothing else; every complete line carries its own `record_digest`. Appends take an
exclusive `fcntl` lock on the ledger file, read the last line for the chain, write one
line with a single `write` and `fsync` it, then run the caller's follow-up (the signed
head, the attestation) under the same lock, so two concurrent writers serialise and a
reader never sees half a record. A torn tail stops further appends, naming the fix
(`gatekeeper ledger recover`), rather than being chained over.
"""

from __future__ import annotations

import fcntl
import json
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gatekeeper.canonical import canonical_bytes, sha256_digest
from gatekeeper.errors import GatekeeperError, InvalidInput
from gatekeeper.input_files import read_bounded
from gatekeeper.limits import LEDGER_BYTES, LEDGER_LINE_BYTES

GENESIS_DIGEST = "sha256:" + "0" * 64
_TAIL_CHUNK = 65536


class LedgerError(GatekeeperError):
    """The ledger cannot be appended to safely (exit 2: the operator must act first)."""

    exit_code = 2


def line_digest(line: bytes) -> str:
    """What the next record's `prev_digest` holds: sha256 of the line without its newline."""
    return sha256_digest(line)


UNSIGNED = ("record_digest", "signature")
"""The members a record's body (what `record_digest` covers and the signature signs) leaves out."""


def torn_tail_message(path: Path, size: int) -> str:
    return (f"{path} ends in a partial line ({size} bytes of an interrupted write): run "
            f"`gatekeeper ledger recover {path}`, which drops only that tail and keeps a copy")


@contextmanager
def locked(path: Path) -> Iterator[int]:
    """The ledger open for appending, under its exclusive lock (created if missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_NONBLOCK
                         | os.O_CLOEXEC, 0o644)
    try:
        if not _is_regular(descriptor):
            raise LedgerError(f"{path}: the ledger is not a regular file")
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield descriptor
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)


def _is_regular(descriptor: int) -> bool:
    return stat.S_ISREG(os.fstat(descriptor).st_mode)


def complete_size(descriptor: int) -> int:
    """Bytes up to and including the last LF: everything after is a torn tail."""
    end = os.fstat(descriptor).st_size
    while end > 0:
        step = min(_TAIL_CHUNK, end)
        chunk = os.pread(descriptor, step, end - step)
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            return end - step + newline + 1
        end -= step
    return 0


def last_line(descriptor: int, end: int, path: Path) -> bytes:
    """The complete line that ends (with its LF) at byte `end`."""
    start = end - 1
    while start > 0:
        step = min(_TAIL_CHUNK, start)
        chunk = os.pread(descriptor, step, start - step)
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            start = start - step + newline + 1
            break
        start -= step
        if end - start > LEDGER_LINE_BYTES:
            raise LedgerError(f"{path}: last record is longer than {LEDGER_LINE_BYTES} bytes")
    return os.pread(descriptor, end - 1 - start, start)


def nth_line(descriptor: int, index: int) -> bytes | None:
    """Line `index` (0-based) without its LF, scanning from the start; None past the end
    (or for a line longer than LEDGER_LINE_BYTES)."""
    offset, start, seen = 0, 0, 0
    while True:
        chunk = os.pread(descriptor, _TAIL_CHUNK, offset)
        if not chunk:
            return None
        position = 0
        while (newline := chunk.find(b"\n", position)) >= 0:
            if seen == index:
                end = offset + newline
                return None if end - start > LEDGER_LINE_BYTES else os.pread(
                    descriptor, end - start, start)
            seen += 1
            start = offset + newline + 1
            position = newline + 1
        offset += len(chunk)


def first_line(descriptor: int) -> bytes | None:
    """The first record's line (the ledger's identity in its head), None when empty."""
    return nth_line(descriptor, 0)


@dataclass(frozen=True)
class Appended:
    """What an append wrote, for the follow-up run under the same lock."""

    line: bytes
    sequence: int
    first: bytes
    """The ledger's first line (this one, for the first record)."""


def _last_record(path: Path, descriptor: int) -> tuple[bytes, dict[str, Any]] | None:
    size = os.fstat(descriptor).st_size
    if size == 0:
        return None
    complete = complete_size(descriptor)
    if complete != size:
        raise LedgerError(torn_tail_message(path, size - complete))
    last = last_line(descriptor, complete, path)
    try:
        record = json.loads(last)
        int(record["sequence"])
    except (ValueError, KeyError, TypeError) as error:
        raise LedgerError(f"{path}: last record is unreadable ({error}): run `gatekeeper "
                          f"verify {path}`; it is not a torn tail, so recover will not drop "
                          "it") from error
    return last, record


def append(
    path: Path,
    build: Callable[[int, str], dict[str, Any]],
    then: Callable[[Appended], None] | None = None,
    *,
    signed: bool = False,
) -> dict[str, Any]:
    """Append the record `build(sequence, prev_digest)` returns, then run `then`, under the
    lock. Once the ledger's records are signed, an unsigned one (`signed` False) is refused."""
    with locked(path) as descriptor:
        last = _last_record(path, descriptor)
        if last is None:
            sequence, previous = 0, GENESIS_DIGEST
        else:
            sequence, previous = int(last[1]["sequence"]) + 1, line_digest(last[0])
        if last is not None and last[1].get("signature") is not None and not signed:
            raise LedgerError(f"{path}: its records are signed; an unsigned record would "
                              "break it (`verify` refuses one): give --signing-key")
        record = build(sequence, previous)
        line = canonical_bytes(record)
        written = os.write(descriptor, line + b"\n")
        if written != len(line) + 1:
            raise LedgerError(f"{path}: short write ({written} of {len(line) + 1} bytes)")
        os.fsync(descriptor)
        if then is not None:
            first = line if sequence == 0 else first_line(descriptor)
            then(Appended(line, sequence, first if first is not None else line))
        return record


def iter_lines(path: Path) -> Iterator[bytes]:
    """Every complete line without its newline, read as a stream (memory stays flat).

    A torn last line (no newline) is not yielded: it is not a record yet. A line longer than
    LEDGER_LINE_BYTES is refused rather than read into memory.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    if not _is_regular(descriptor):
        os.close(descriptor)
        raise InvalidInput(str(path), "$", "the ledger is not a regular file")
    with os.fdopen(descriptor, "rb") as stream:
        while line := stream.readline(LEDGER_LINE_BYTES + 1):
            if not line.endswith(b"\n"):
                if len(line) > LEDGER_LINE_BYTES:
                    raise InvalidInput(str(path), "$", f"a record is longer than "
                                                       f"{LEDGER_LINE_BYTES} bytes")
                return
            yield line[:-1]


def read_lines(path: Path) -> tuple[list[bytes], bool]:
    """Every line without its newline, and whether the file ends in a torn (unended) line."""
    data = read_bounded(path, LEDGER_BYTES)
    if not data:
        return [], False
    lines = data.split(b"\n")
    torn = lines[-1] != b""
    if not torn:
        lines.pop()
    return lines, torn
