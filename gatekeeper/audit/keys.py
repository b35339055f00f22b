"""Ed25519 signing keys: generate, load, and name them by the digest of the public key."""

from __future__ import annotations

from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from gatekeeper.canonical import sha256_digest
from gatekeeper.errors import InvalidInput
from gatekeeper.files import atomic_write_bytes
from gatekeeper.input_files import read_bounded
from gatekeeper.limits import KEY_BYTES


def key_id(public_key: Ed25519PublicKey) -> str:
    """`sha256:<hex>` of the raw 32-byte public key: stable, and says nothing else."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return sha256_digest(raw)


def public_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def generate_key_pair(prefix: Path) -> tuple[Path, Path, str]:
    """Write `<prefix>.key` (PKCS#8, mode 0600) and `<prefix>.pub`; return paths and key id."""
    private_key = Ed25519PrivateKey.generate()
    private_path = prefix.with_name(prefix.name + ".key")
    public_path = prefix.with_name(prefix.name + ".pub")
    if private_path.exists():
        raise InvalidInput(str(private_path), "-", "exists already; refusing to overwrite a key")
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    atomic_write_bytes(private_path, pem, mode=0o600)  # never readable by others, even briefly
    atomic_write_bytes(public_path, public_pem(private_key.public_key()))
    return private_path, public_path, key_id(private_key.public_key())


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(read_bounded(path, KEY_BYTES), password=None)
    except (ValueError, TypeError) as error:
        raise InvalidInput(str(path), "-", f"not a readable PEM private key: {error}") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidInput(str(path), "-", "not an Ed25519 private key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(read_bounded(path, KEY_BYTES))
    except (ValueError, TypeError) as error:
        raise InvalidInput(str(path), "-", f"not a readable PEM public key: {error}") from error
    if not isinstance(key, Ed25519PublicKey):
        raise InvalidInput(str(path), "-", "not an Ed25519 public key")
    return key


def signature_valid(public_key: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    try:
        public_key.verify(signature, message)
    except InvalidSignature:
        return False
    return True
