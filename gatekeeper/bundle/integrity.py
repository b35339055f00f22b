"""Section digests of an evidence bundle: computed on write, verified on every read."""

from __future__ import annotations

from typing import Any

from gatekeeper.bundle.models import SECTIONS
from gatekeeper.canonical import json_digest


def section_digests(bundle: dict[str, Any]) -> dict[str, str]:
    """Digest of every section as it stands (a null section has the digest of `null`)."""
    return {name: json_digest(bundle.get(name)) for name in SECTIONS}


def integrity_block(bundle: dict[str, Any]) -> dict[str, Any]:
    return {
        "algorithm": "sha256",
        "canonicalization": "RFC8785",
        "sections": section_digests(bundle),
    }


def seal(bundle: dict[str, Any]) -> dict[str, Any]:
    """Return the bundle with a fresh `integrity` block."""
    sealed = {k: v for k, v in bundle.items() if k != "integrity"}
    sealed["integrity"] = integrity_block(sealed)
    return sealed


def mismatched_sections(bundle: dict[str, Any]) -> list[str]:
    """Sections whose recorded digest differs from their content (missing digests count)."""
    recorded = bundle.get("integrity", {}).get("sections", {})
    actual = section_digests(bundle)
    return [name for name in SECTIONS if recorded.get(name) != actual[name]]
