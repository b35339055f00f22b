"""The decision ledger: append-only JSONL of RFC 8785 canonical records, hash-chained.

Appends take an exclusive `fcntl` lock on the ledger file, read the last line for the chain,
write one line with a single `write` and `fsync` it, so two concurrent writers serialise and
a reader never sees half a record. A torn last line (a crash mid-write) stops further
appends rather than being chained over.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gatekeeper.canonical import canonical_bytes, sha256_digest
from gatekeeper.errors import GatekeeperError

GENESIS_DIGEST = "sha256:" + "0" * 64
_TAIL_CHUNK = 65536


class LedgerError(GatekeeperError):
    """The ledger cannot be appended to safely."""


def line_digest(line: bytes) -> str:
    """What the next record's `prev_digest` holds: sha256 of the line without its newline."""
    return sha256_digest(line)


UNSIGNED = ("record_digest", "signature")
"""The members a record's body (what `record_digest` covers and the signature signs) leaves out."""


@contextmanager
def _locked(path: Path) -> Iterator[int]:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield descriptor
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)


def _last_line(descriptor: int) -> bytes | None:
    """The last complete line, or None for an empty ledger; a torn tail is an error."""
    size = os.fstat(descriptor).st_size
    if size == 0:
        return None
    if os.pread(descriptor, 1, size - 1) != b"\n":
        raise LedgerError("ledger ends in a partial line (interrupted write): run `verify`")
    end = size - 1
    start = end
    while start > 0:
        step = min(_TAIL_CHUNK, start)
        chunk = os.pread(descriptor, step, start - step)
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            start = start - step + newline + 1
            break
        start -= step
    return os.pread(descriptor, end - start, start)


def append(path: Path, build: Callable[[int, str], dict[str, Any]]) -> dict[str, Any]:
    """Append the record `build(sequence, prev_digest)` returns, under the lock."""
    with _locked(path) as descriptor:
        last = _last_line(descriptor)
        if last is None:
            sequence, previous = 0, GENESIS_DIGEST
        else:
            try:
                sequence = int(json.loads(last)["sequence"]) + 1
            except (ValueError, KeyError, TypeError) as error:
                raise LedgerError(f"{path}: last record is unreadable: {error}") from error
            previous = line_digest(last)
        record = build(sequence, previous)
        line = canonical_bytes(record) + b"\n"
        written = os.write(descriptor, line)
        if written != len(line):
            raise LedgerError(f"{path}: short write ({written} of {len(line)} bytes)")
        os.fsync(descriptor)
        return record


def iter_lines(path: Path) -> Iterator[bytes]:
    """Every complete line without its newline, read as a stream (memory stays flat).

    A torn last line (no newline) is not yielded: it is not a record yet.
    """
    with path.open("rb") as stream:
        for line in stream:
            if line.endswith(b"\n"):
                yield line[:-1]


def read_lines(path: Path) -> tuple[list[bytes], bool]:
    """Every line without its newline, and whether the file ends in a torn (unended) line."""
    data = path.read_bytes()
    if not data:
        return [], False
    lines = data.split(b"\n")
    torn = lines[-1] != b""
    if not torn:
        lines.pop()
    return lines, torn
