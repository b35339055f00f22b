"""Read an input file boundedly: a regular file only, never above its limit, never blocking.

A FIFO would hang the gate and `/dev/zero` would fill its memory, so anything that is not a
regular file is refused before it is opened for reading (and checked again on the open
descriptor, in case the name was swapped in between).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from gatekeeper.errors import InvalidInput

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_CHUNK = 1024 * 1024


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _refuse(path: Path, problem: str) -> InvalidInput:
    return InvalidInput(str(path), "$", problem)


def _check_regular(path: Path, info: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(path, f"is {_kind(info.st_mode)}, not a regular file: refused")
    if info.st_size > limit:
        raise _refuse(path, f"larger than {limit} bytes ({info.st_size}): not read")


def within(path: Path, folder: Path) -> Path:
    """`path` with its links resolved, refused unless it stays inside `folder`."""
    target = path.resolve()
    if not target.is_relative_to(folder.resolve()):
        raise _refuse(path, f"leaves its folder {folder} (through `..`, a link or an "
                            "absolute path): refused")
    return target


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file `path`, or InvalidInput naming it (exit 2)."""
    try:
        _check_regular(path, path.stat(), limit)
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as error:
        raise _refuse(path, f"cannot read file: {error.strerror or error}") from error
    try:
        _check_regular(path, os.fstat(descriptor), limit)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(descriptor, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise _refuse(path, f"cannot read file: {error.strerror or error}") from error
    finally:
        os.close(descriptor)
    if size > limit:
        raise _refuse(path, f"larger than {limit} bytes (it grew while read): not read")
    return b"".join(chunks)


def decode_utf8(path: Path, data: bytes) -> str:
    """`data` as text, or InvalidInput naming the line of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InvalidInput(str(path), f"line {line}", f"not UTF-8: {error.reason}") from error
