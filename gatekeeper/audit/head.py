"""The ledger's head: its size and last digest, rewritten (and signed) with every append.

A hash chain proves that nothing inside it changed, not that nothing was cut off its end.
The head beside the ledger (`<ledger>.head`) names how many records there were, how the
last one hashed and which ledger it is (the first record's digest), so `verify` detects a
truncated tail even when the matching attestations were deleted too; once signed, nobody
without the key can write a shorter one. Like a Certificate Transparency signed tree head,
it cannot show a rollback to an older head the attacker kept: keep a head elsewhere (the
`head N:sha256:…` that `evaluate` prints, in CI logs or a ticket) and check the ledger
still holds it with `verify --expect-head`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from gatekeeper.audit.dsse import sign, signed_by
from gatekeeper.audit.ledger import Appended, line_digest
from gatekeeper.audit.models import AUDIT_SCHEMA_VERSION, HEAD_PAYLOAD_TYPE, LedgerHead, SignedHead
from gatekeeper.bundle.documents import load_json
from gatekeeper.bundle.validation import validate_model
from gatekeeper.canonical import canonical_bytes
from gatekeeper.files import atomic_write_bytes
from gatekeeper.limits import SMALL_DOCUMENT_BYTES

_HEAD_TEXT = re.compile(r"(\d+):(sha256:[0-9a-f]{64})")


def head_path(ledger_path: Path) -> Path:
    return ledger_path.with_name(ledger_path.name + ".head")


def head_text(head: LedgerHead) -> str:
    """`N:sha256:…`, what `evaluate` prints and `verify --expect-head` takes."""
    return f"{head.size}:{head.head_digest}"


def head_of(appended: Appended) -> LedgerHead:
    record = json.loads(appended.line)
    return LedgerHead(schema_version=AUDIT_SCHEMA_VERSION, size=appended.sequence + 1,
                      head_digest=line_digest(appended.line),
                      first_digest=line_digest(appended.first),
                      decision_id=record["decision_id"], timestamp=record["timestamp"])


def _body(head: LedgerHead) -> bytes:
    return canonical_bytes(head.model_dump(mode="json"))


def write_head(ledger_path: Path, head: LedgerHead, key: Ed25519PrivateKey | None) -> None:
    """Replace the head file atomically; signed when `key` is given."""
    signatures = [sign(key, HEAD_PAYLOAD_TYPE, _body(head))] if key is not None else []
    document = SignedHead(payloadType=HEAD_PAYLOAD_TYPE, head=head, signatures=signatures)
    atomic_write_bytes(head_path(ledger_path),
                       canonical_bytes(document.model_dump(mode="json")) + b"\n")


def read_head(path: Path) -> SignedHead:
    """A head file, or InvalidInput naming it and the field."""
    return validate_model(load_json(path, SMALL_DOCUMENT_BYTES), SignedHead, str(path))


def _signed_by(document: SignedHead, key: Ed25519PublicKey) -> bool:
    return any(signed_by(s, key, HEAD_PAYLOAD_TYPE, _body(document.head))
               for s in document.signatures)


@dataclass(frozen=True)
class Signers:
    """Who signed the records a head check looks at."""

    any_signed: bool
    """Some record of the ledger is signed."""
    at_head: str | None
    """The key id that signed the record the head names (None: unsigned or not present)."""


def _position_problem(size: int, digest: str, lines: list[bytes], what: str,
                      head: LedgerHead | None) -> str | None:
    if size > len(lines):
        last = f" (the last: decision {head.decision_id})" if head is not None else ""
        return (f"the ledger was truncated: {what} names {size} records{last}, the ledger "
                f"holds {len(lines)}")
    first = head.first_digest if head is not None else None
    if first is not None and line_digest(lines[0]) != first:
        return f"{what} is the head of another ledger (its first record differs)"
    if line_digest(lines[size - 1]) != digest:
        return f"record {size} is not the one {what} names: the ledger was rewritten"
    return None


def head_problems(document: SignedHead, lines: list[bytes], key: Ed25519PublicKey | None,
                  signers: Signers) -> tuple[list[str], list[str]]:
    """(problems, notes) of the ledger's own head against its records."""
    head = document.head
    problem = _position_problem(head.size, head.head_digest, lines, "its head", head)
    if problem is not None:
        return [problem], []
    problems: list[str] = []
    if signers.any_signed and not document.signatures:
        problems.append("the ledger's records are signed but its head is not (written "
                        "without the key, or replaced)")
    elif document.signatures and key is not None and not _signed_by(document, key):
        problems.append("the head's signature does not verify with the given public key")
    elif (document.signatures and key is None and signers.at_head is not None
          and all(s.keyid != signers.at_head for s in document.signatures)):
        problems.append("the head is signed by another key than the record it names")
    notes = []
    if head.size < len(lines):
        notes.append(f"{len(lines) - head.size} record(s) after the head: an append was "
                     "interrupted before its head was written; the next append (or "
                     "`gatekeeper ledger recover`) writes it")
    return problems, notes


@dataclass(frozen=True)
class ExpectedHead:
    """A head kept outside the ledger's folder, which the ledger must still contain."""

    size: int
    digest: str
    document: SignedHead | None = None


def expected_head(text: str) -> ExpectedHead:
    """`N:sha256:…` as printed by `evaluate`, or the path of a copied head file."""
    match = _HEAD_TEXT.fullmatch(text.strip())
    if match is not None and int(match.group(1)) >= 1:
        return ExpectedHead(int(match.group(1)), match.group(2))
    document = read_head(Path(text))
    return ExpectedHead(document.head.size, document.head.head_digest, document)


def expectation_problem(expected: ExpectedHead, lines: list[bytes],
                        key: Ed25519PublicKey | None) -> str | None:
    problem = _position_problem(expected.size, expected.digest, lines, "the expected head",
                                expected.document.head if expected.document else None)
    if problem is None and expected.document is not None and key is not None \
            and not _signed_by(expected.document, key):
        problem = "the expected head's signature does not verify with the given public key"
    return problem
