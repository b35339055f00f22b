"""DSSE v1: sign the pre-authentication encoding (PAE) of a typed payload.

Every signature Gatekeeper makes (attestations, waivers, ledger records) goes through PAE
with its own payload type, so a signature over one kind of document can never be replayed
as a signature over another.
"""

from __future__ import annotations

import base64
import binascii

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import Field

from gatekeeper.audit.keys import key_id, signature_valid
from gatekeeper.bundle._base import NonEmptyStr, Record

IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json"


class Signature(Record):
    keyid: NonEmptyStr = Field(description="sha256 of the raw Ed25519 public key")
    sig: NonEmptyStr = Field(description="base64 Ed25519 signature over the PAE")


class Envelope(Record):
    """A DSSE envelope (secure-systems-lab/dsse, envelope.md)."""

    payload: NonEmptyStr = Field(description="base64 of the payload bytes")
    payloadType: NonEmptyStr
    signatures: list[Signature] = Field(min_length=1)


def pae(payload_type: str, body: bytes) -> bytes:
    """`DSSEv1 <len(type)> <type> <len(body)> <body>`, lengths as ASCII decimals."""
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(body), body)


def sign(private_key: Ed25519PrivateKey, payload_type: str, body: bytes) -> Signature:
    raw = private_key.sign(pae(payload_type, body))
    return Signature(keyid=key_id(private_key.public_key()), sig=base64.b64encode(raw).decode())


def signed_by(
    signature: Signature, public_key: Ed25519PublicKey, payload_type: str, body: bytes
) -> bool:
    """True when `signature` names this key and verifies over the PAE of `body`."""
    if signature.keyid != key_id(public_key):
        return False
    try:
        raw = base64.b64decode(signature.sig, validate=True)
    except (binascii.Error, ValueError):
        return False
    return signature_valid(public_key, raw, pae(payload_type, body))


def envelope(private_key: Ed25519PrivateKey, payload_type: str, body: bytes) -> Envelope:
    return Envelope(
        payload=base64.b64encode(body).decode(),
        payloadType=payload_type,
        signatures=[sign(private_key, payload_type, body)],
    )


def payload_bytes(document: Envelope) -> bytes:
    """The signed bytes; a payload that is not base64 raises ValueError."""
    try:
        return base64.b64decode(document.payload, validate=True)
    except binascii.Error as error:
        raise ValueError(f"payload is not base64: {error}") from error
