"""Content-addressed object store beside the ledger: evidence, policy and waivers by digest.

An object's name is the sha256 of its stored bytes, so a changed byte is a missing object.
JSON objects are stored with Python's exact float repr (not RFC 8785) so that `replay`
hands the engine the very numbers it saw; their canonical digest is checked separately.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gatekeeper.bundle.documents import parse_json
from gatekeeper.canonical import sha256_digest
from gatekeeper.errors import InvalidInput
from gatekeeper.files import atomic_write_bytes, fsync_directory
from gatekeeper.input_files import read_bounded
from gatekeeper.limits import ARCHIVED_OBJECT_BYTES

OBJECTS_DIR = "objects"
ATTESTATIONS_DIR = "attestations"
PENDING_DIR = ".pending"
"""Under ATTESTATIONS_DIR: attestations written before their record is appended."""


def pending_path(attestation: Path) -> Path:
    return attestation.parent / PENDING_DIR / attestation.name


def publish_pending(attestation: Path) -> None:
    """Move a pending attestation into place (its record is appended), durably."""
    pending_path(attestation).replace(attestation)
    fsync_directory(attestation.parent)


class ObjectProblem(Exception):
    """An archived object is missing or does not match its address."""


def json_bytes(value: Any) -> bytes:
    """Deterministic JSON that keeps every float's exact repr (RFC 8785 would not keep 1.0)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8")


@dataclass(frozen=True)
class ObjectStore:
    root: Path

    @classmethod
    def beside(cls, ledger_path: Path) -> ObjectStore:
        return cls(ledger_path.parent / OBJECTS_DIR)

    def path_of(self, address: str) -> Path:
        algorithm, _, hexdigest = address.partition(":")
        return self.root / algorithm / hexdigest[:2] / hexdigest

    def put(self, data: bytes) -> str:
        """Store `data` (once) and return its address."""
        address = sha256_digest(data)
        target = self.path_of(address)
        if not target.exists():
            atomic_write_bytes(target, data)
        return address

    def put_json(self, value: Any) -> str:
        return self.put(json_bytes(value))

    def get(self, address: str) -> bytes:
        """The stored bytes (a regular file within ARCHIVED_OBJECT_BYTES), checked against
        the address."""
        target = self.path_of(address)
        try:
            data = read_bounded(target, ARCHIVED_OBJECT_BYTES)
        except InvalidInput as error:
            if not target.exists():
                raise ObjectProblem(f"archived object {address} is missing ({target})") from error
            raise ObjectProblem(f"archived object {address}: {error.problem}") from error
        if sha256_digest(data) != address:
            raise ObjectProblem(f"archived object {address} is corrupt: its bytes hash otherwise")
        return data

    def get_json(self, address: str) -> Any:
        """The stored JSON, read as strictly as any input (gatekeeper.bundle.documents)."""
        data = self.get(address)
        try:
            return parse_json(data.decode("utf-8"), str(self.path_of(address)))
        except (InvalidInput, UnicodeDecodeError) as error:
            raise ObjectProblem(f"archived object {address} is not JSON: {error}") from error
