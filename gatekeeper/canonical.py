"""Canonical JSON (RFC 8785) and sha256 digests: the one way Gatekeeper hashes anything."""

from __future__ import annotations

import hashlib
from typing import Any

import rfc8785


def canonical_bytes(value: Any) -> bytes:
    """RFC 8785 bytes: same value, same bytes, on every machine and Python version."""
    result: bytes = rfc8785.dumps(value)
    return result


def sha256_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def json_digest(value: Any) -> str:
    """Digest of a JSON value's canonical form."""
    return sha256_digest(canonical_bytes(value))
