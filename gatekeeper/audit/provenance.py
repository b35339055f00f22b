"""Who collected a bundle: a signed in-toto statement over the bundle's canonical digest.

The section digests inside a bundle detect accidents, not forgery: anyone can recompute
them. A collector that signs (`collect --signing-key`) lets `evaluate --trust-collector`
prove the bundle came from a trusted collection run, byte for byte; the policies then
read whether it did (GK-PRV-002).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import Field, ValidationError

from gatekeeper.audit.dsse import IN_TOTO_PAYLOAD_TYPE, Envelope, envelope, payload_bytes, signed_by
from gatekeeper.audit.keys import key_id
from gatekeeper.bundle._base import Digest, NonEmptyStr, Record, Timestamp
from gatekeeper.bundle.documents import load_json
from gatekeeper.bundle.validation import validate_model
from gatekeeper.canonical import canonical_bytes, json_digest
from gatekeeper.errors import InvalidInput
from gatekeeper.limits import ATTESTATION_BYTES

COLLECTION_PREDICATE_TYPE = "https://gatekeeper.invalid/attestation/evidence-collection/v1"
SUFFIX = ".dsse"
"""The collector's attestation sits beside the bundle: `evidence.json` -> `evidence.json.dsse`."""

Status = Literal["unsigned", "untrusted", "trusted"]


class BundleDescriptor(Record):
    name: NonEmptyStr
    digest: dict[Literal["sha256"], NonEmptyStr]


class CollectionPredicate(Record):
    weights_digest: Digest
    model: NonEmptyStr
    finished_at: Timestamp
    gatekeeper_version: NonEmptyStr


class CollectionStatement(Record):
    """in-toto Statement v1: this collector produced the bundle with this canonical digest."""

    type_: Literal["https://in-toto.io/Statement/v1"] = Field(alias="_type")
    subject: list[BundleDescriptor] = Field(min_length=1, max_length=1)
    predicateType: Literal["https://gatekeeper.invalid/attestation/evidence-collection/v1"]
    predicate: CollectionPredicate


def attestation_path(bundle_path: Path) -> Path:
    return bundle_path.with_name(bundle_path.name + SUFFIX)


def bundle_digest(bundle: dict[str, Any]) -> str:
    return json_digest(bundle)


def collection_statement(bundle: dict[str, Any]) -> CollectionStatement:
    collection = bundle["collection"]
    return CollectionStatement.model_validate({
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": "evidence-bundle",
                     "digest": {"sha256": bundle_digest(bundle).removeprefix("sha256:")}}],
        "predicateType": COLLECTION_PREDICATE_TYPE,
        "predicate": {
            "weights_digest": bundle["subject"]["weights_digest"],
            "model": bundle["subject"]["litellm_model"],
            "finished_at": collection["finished_at"],
            "gatekeeper_version": collection["gatekeeper_version"],
        },
    })


def sign_bundle(bundle: dict[str, Any], private_key: Ed25519PrivateKey) -> bytes:
    """The attestation file's bytes (canonical JSON of the DSSE envelope)."""
    body = canonical_bytes(collection_statement(bundle).model_dump(mode="json", by_alias=True))
    return canonical_bytes(envelope(private_key, IN_TOTO_PAYLOAD_TYPE, body).model_dump())


@dataclass(frozen=True)
class Collector:
    """What the evaluation knows about who collected the bundle."""

    status: Status
    key_ids: tuple[str, ...]
    required: bool

    def context(self) -> dict[str, Any]:
        return {"status": self.status, "key_ids": list(self.key_ids), "required": self.required}


def _statement(path: Path) -> tuple[Envelope, bytes, CollectionStatement]:
    document = validate_model(load_json(path, ATTESTATION_BYTES), Envelope, str(path))
    if document.payloadType != IN_TOTO_PAYLOAD_TYPE:
        raise InvalidInput(str(path), "$.payloadType", "not an in-toto statement")
    try:
        body = payload_bytes(document)
        statement = CollectionStatement.model_validate_json(body)
    except (ValueError, ValidationError) as error:
        raise InvalidInput(str(path), "$.payload", f"not a collection statement: {error}"
                           ) from error
    return document, body, statement


def collector_of(bundle_path: Path, bundle: dict[str, Any],
                 trusted: tuple[Ed25519PublicKey, ...],
                 attestation: Path | None = None) -> Collector:
    """unsigned / untrusted / trusted; an attestation for another bundle is refused."""
    required = bool(trusted)
    path = attestation or attestation_path(bundle_path)
    if not path.exists():
        if attestation is not None:
            raise InvalidInput(str(path), "$", "no such collector attestation")
        return Collector("unsigned", (), required)
    document, body, statement = _statement(path)
    expected = bundle_digest(bundle).removeprefix("sha256:")
    if statement.subject[0].digest.get("sha256") != expected:
        raise InvalidInput(str(path), "$.payload.subject[0].digest",
                           f"the collector attestation is for another bundle than {bundle_path}")
    signers = tuple(sorted({s.keyid for s in document.signatures}))
    if any(signed_by(signature, key, IN_TOTO_PAYLOAD_TYPE, body)
           for signature in document.signatures for key in trusted):
        trusted_ids = {key_id(key) for key in trusted}
        return Collector("trusted", tuple(k for k in signers if k in trusted_ids), required)
    return Collector("untrusted", signers, required)
