"""Canonical JSON (RFC 8785) and sha256 digests: the one way Gatekeeper hashes anything.

`canonical_bytes` is a direct serialiser, ~3x faster than the `rfc8785` package's (which
stays the reference: tests/core/test_canonical.py checks byte identity on the standard
vectors, on our records and on generated values): strings go through the C escaper of
`json` (which escapes exactly what RFC 8785 does), keys are sorted by UTF-16 code units
only when a key is not ASCII, and floats are written as ECMAScript's Number::toString
from Python's shortest round-trip digits. Anything outside plain JSON values (integers
beyond ±(2**53 - 1), NaN, non-string keys, surrogates, tuples, subclasses) is handed to
`rfc8785` itself, so errors and edge cases are the reference's.

`CanonicalJson` canonicalises a JSON *text* (a ledger line, an archived object) once and
hands out the canonical bytes of the whole, of one member and of the rest, for callers
that check a line and hash parts of it (a record's body, its result).
"""

from __future__ import annotations

import hashlib
import json
from json.encoder import encode_basestring
from typing import Any

import rfc8785

_INTEGER_LIMIT = 2**53 - 1
_string = encode_basestring  # the C escaper: `"`, `\` and U+0000-U+001F, as RFC 8785 says


class _Unusual(Exception):
    """A value the fast path does not claim to handle: use the reference."""


def _utf16(key: str) -> bytes:
    return key.encode("utf-16-be")


def _sorted_keys(value: dict[Any, Any]) -> list[str]:
    keys = list(value)
    try:
        ascii_only = "".join(keys).isascii()
    except TypeError:  # a key that is not a string
        raise _Unusual from None
    if ascii_only:
        return sorted(keys)
    if not all(type(k) is str for k in keys):
        raise _Unusual  # a str subclass: the reference decides
    return sorted(keys, key=_utf16)  # code points and UTF-16 units differ past U+FFFF


def _float(value: float) -> str:
    """ECMAScript Number::toString (RFC 8785 section 3.2.2.3)."""
    if value != value or value in (float("inf"), float("-inf")):
        raise _Unusual
    if value == 0:
        return "0"
    text = repr(value)
    if "e" not in text:
        return text[:-2] if text.endswith(".0") else text
    mantissa, _, exponent = text.partition("e")
    sign = "-" if mantissa.startswith("-") else ""
    digits = mantissa.lstrip("-").replace(".", "").rstrip("0") or "0"
    point = int(exponent) + 1  # where the decimal point falls after the first digit
    if len(digits) <= point <= 21:
        return sign + digits + "0" * (point - len(digits))
    if 0 < point <= 21:
        return f"{sign}{digits[:point]}.{digits[point:]}"
    if -6 < point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    shown = point - 1
    mark = f"e+{shown}" if shown >= 0 else f"e{shown}"
    return sign + (digits if len(digits) == 1 else f"{digits[0]}.{digits[1:]}") + mark


def _scalar(value: Any, kind: type) -> str:
    if kind is float:
        return _float(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if kind is int and -_INTEGER_LIMIT <= value <= _INTEGER_LIMIT:
        return str(value)
    raise _Unusual


def _write(value: Any, out: list[str]) -> None:
    """Append the canonical text of a dict or list to `out` (leaves inline: fewer calls)."""
    add = out.append
    if type(value) is dict:
        if not value:
            add("{}")
            return
        separator = "{"
        for key in _sorted_keys(value):
            item = value[key]
            kind = type(item)
            if kind is str:
                add(f"{separator}{_string(key)}:{_string(item)}")
            elif kind is dict or kind is list:
                add(f"{separator}{_string(key)}:")
                _write(item, out)
            elif kind is int and -_INTEGER_LIMIT <= item <= _INTEGER_LIMIT:
                add(f"{separator}{_string(key)}:{item}")
            else:
                add(f"{separator}{_string(key)}:{_scalar(item, kind)}")
            separator = ","
        add("}")
    elif type(value) is list:
        if not value:
            add("[]")
            return
        separator = "["
        for item in value:
            kind = type(item)
            if kind is str:
                add(separator + _string(item))
            elif kind is dict or kind is list:
                add(separator)
                _write(item, out)
            else:
                add(separator + _scalar(item, kind))
            separator = ","
        add("]")
    elif type(value) is str:
        add(_string(value))
    else:
        add(_scalar(value, type(value)))


def _fast(value: Any) -> bytes:
    out: list[str] = []
    _write(value, out)
    return "".join(out).encode("utf-8")


def canonical_bytes(value: Any) -> bytes:
    """RFC 8785 bytes: same value, same bytes, on every machine and Python version."""
    try:
        return _fast(value)
    except (_Unusual, UnicodeEncodeError, RecursionError):
        result: bytes = rfc8785.dumps(value)
        return result


def _members(value: dict[str, Any]) -> dict[str, bytes]:
    """Each member's canonical value bytes, in canonical key order."""
    try:
        keys = _sorted_keys(value)
    except _Unusual:
        rfc8785.dumps(value)  # raises the reference's error for non-string keys
        raise
    return {key: canonical_bytes(value[key]) for key in keys}


def _joined(members: dict[str, bytes], leave_out: tuple[str, ...]) -> bytes:
    return b"{" + b",".join(
        _string(key).encode("utf-8") + b":" + text
        for key, text in members.items() if key not in leave_out
    ) + b"}"


_DECODER = json.JSONDecoder()
MEMO_FROM = 1024
"""Member texts at least this long are remembered by their digest (small ones are cheap)."""
MEMO_SIZE = 256
"""Remembered members at most (the oldest goes first), so memory stays bounded."""


def _skip(text: str, index: int) -> int:
    """The index after any JSON whitespace at `index`."""
    while index < len(text) and text[index] in " \t\n\r":
        index += 1
    return index


def _raw_members(text: str) -> dict[str, str]:
    """A JSON object's members as key -> the exact text of its value (later keys win, as in
    `json.loads`); ValueError when `text` is not one JSON object."""
    index = _skip(text, 0)
    if text[index:index + 1] != "{":
        raise ValueError("not a JSON object")
    members: dict[str, str] = {}
    index = _skip(text, index + 1)
    closed = text[index:index + 1] == "}"
    index += closed
    while not closed:
        if text[index:index + 1] != '"':
            raise ValueError(f"expected a key at {index}")
        key, index = _DECODER.raw_decode(text, index)
        index = _skip(text, index)
        if text[index:index + 1] != ":":
            raise ValueError(f"expected ':' at {index}")
        start = _skip(text, index + 1)
        _, end = _DECODER.raw_decode(text, start)
        members[key] = text[start:end]
        index = _skip(text, end)
        separator = text[index:index + 1]
        if separator not in (",", "}"):
            raise ValueError(f"expected ',' or '}}' at {index}")
        index = _skip(text, index + 1)
        closed = separator == "}"
    index = _skip(text, index)
    if index != len(text):
        raise ValueError("extra data after the JSON object")
    return members


class CanonicalJson:
    """A JSON object canonicalised once: the canonical bytes of the whole, of one member,
    and of the object without some members (a ledger record's signed body).

    Given the object's text and a `memo`, each long member is canonicalised once per
    distinct text across every object that shares the memo: identical text parses to the
    same value, so to the same canonical bytes (verify meets the same evidence in the
    archived inputs of every decision made on it).
    """

    def __init__(
        self, data: bytes | str | dict[str, Any], memo: dict[str, bytes] | None = None
    ) -> None:
        """`data`: the JSON text, or the object already parsed from it."""
        if isinstance(data, dict):
            self._members = _members(data)
        elif memo is None:
            parsed = json.loads(data)
            if not isinstance(parsed, dict):
                raise ValueError("not a JSON object")
            self._members = _members(parsed)
        else:
            text = data.decode("utf-8") if isinstance(data, bytes) else data
            raw = _raw_members(text)
            try:
                keys = sorted(raw) if "".join(raw).isascii() else sorted(raw, key=_utf16)
            except UnicodeEncodeError as error:
                raise ValueError("a key is not valid Unicode") from error
            self._members = {key: _remembered(raw[key], memo) for key in keys}
        self.whole = _joined(self._members, ())

    def member(self, name: str) -> bytes | None:
        """The canonical bytes of member `name`'s value, or None when it is absent."""
        return self._members.get(name)

    def without(self, names: tuple[str, ...]) -> bytes:
        """The canonical object without the members `names`."""
        return _joined(self._members, names)


def _remembered(text: str, memo: dict[str, bytes]) -> bytes:
    if len(text) < MEMO_FROM:
        return canonical_bytes(json.loads(text))
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    known = memo.get(key)
    if known is None:
        known = memo[key] = canonical_bytes(json.loads(text))
        if len(memo) > MEMO_SIZE:
            del memo[next(iter(memo))]
    return known


def sha256_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def json_digest(value: Any) -> str:
    """Digest of a JSON value's canonical form."""
    return sha256_digest(canonical_bytes(value))
