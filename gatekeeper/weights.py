"""The weights manifest of a local checkpoint folder, and the digest that evidence binds to.

Manifest format (`schemas/weights-manifest.schema.json`): `{"schema_version": "1.0",
"files": [{"path", "size", "digest"}]}` with one entry per weight file, sorted by path.
Weight files are `*.safetensors`, `*.gguf`, Hugging Face shard indexes (`*.index.json`)
and every shard an index names (so `pytorch_model-*.bin` shards count only through their
index: a loose `*.bin` may be a pickled training argument, not weights). Paths are POSIX,
relative to the folder, Unicode NFC (macOS spells names NFD), and skip hidden folders and
files (`.git`, `.cache/huggingface`). The weights digest is the sha256 of the manifest's
RFC 8785 canonical JSON, so the same files give the same digest on every machine and one
changed byte changes it.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pydantic import Field

from gatekeeper.bundle._base import Count, Digest, NonEmptyStr, Record
from gatekeeper.bundle.documents import load_json
from gatekeeper.canonical import json_digest
from gatekeeper.errors import InvalidInput
from gatekeeper.limits import SMALL_DOCUMENT_BYTES

MANIFEST_SCHEMA = "weights-manifest.schema.json"
WEIGHT_SUFFIXES = (".safetensors", ".gguf")
INDEX_SUFFIX = ".index.json"


class ManifestFile(Record):
    path: NonEmptyStr = Field(description="POSIX path relative to the folder, NFC")
    size: Count = Field(description="bytes")
    digest: Digest = Field(description="sha256 of the file's bytes")


class WeightsManifest(Record):
    """Every weight file of a checkpoint: what the weights digest is computed over."""

    schema_version: Literal["1.0"]
    files: list[ManifestFile] = Field(min_length=1, description="sorted by path")

    @property
    def digest(self) -> str:
        return json_digest(self.model_dump(mode="json"))


def _visible_files(folder: Path) -> Iterator[tuple[str, Path]]:
    """(NFC POSIX relative name, path) of every file not under a hidden name."""
    # Directory symlinks are not followed (no loops); file symlinks are (the HF cache's
    # snapshot folders are links into its blob store).
    for directory, subdirectories, files in os.walk(folder):
        subdirectories[:] = [d for d in subdirectories if not d.startswith(".")]
        for name in files:
            if name.startswith("."):
                continue
            path = Path(directory) / name
            relative = path.relative_to(folder).as_posix()
            yield unicodedata.normalize("NFC", relative), path


def _index_shards(index: Path, name: str) -> set[str]:
    """Shard names (relative to the folder) that a `*.index.json` weight map names."""
    document = load_json(index, SMALL_DOCUMENT_BYTES)
    weight_map = document.get("weight_map") if isinstance(document, dict) else None
    if not isinstance(weight_map, dict) or not weight_map:
        raise InvalidInput(str(index), "$.weight_map", "a shard index needs a non-empty map")
    parent = name.rpartition("/")[0]
    shards: set[str] = set()
    for tensor, shard in weight_map.items():
        if not isinstance(shard, str) or not shard or "/" in shard or shard.startswith("."):
            raise InvalidInput(str(index), f"$.weight_map[{tensor!r}]",
                               f"names {shard!r}, which is not a file beside the index")
        shards.add(unicodedata.normalize("NFC", f"{parent}/{shard}" if parent else shard))
    return shards


def _file_entry(name: str, path: Path) -> ManifestFile:
    with path.open("rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    return ManifestFile(path=name, size=path.stat().st_size, digest=f"sha256:{digest}")


def weights_manifest(folder: Path) -> WeightsManifest:
    """Stream every weight file of `folder` through sha256; refuse an incomplete checkpoint."""
    if not folder.is_dir():
        raise InvalidInput(str(folder), "$", "not a folder of weight files")
    present: dict[str, Path] = {}
    for name, path in _visible_files(folder):
        if name in present:
            raise InvalidInput(str(path), "$", f"two files are both named {name!r} in NFC")
        present[name] = path
    chosen = {n for n in present if n.endswith((*WEIGHT_SUFFIXES, INDEX_SUFFIX))}
    for name in sorted(n for n in chosen if n.endswith(INDEX_SUFFIX)):
        shards = _index_shards(present[name], name)
        missing = sorted(shards - present.keys())
        if missing:
            raise InvalidInput(str(present[name]), "$.weight_map",
                               f"names shard {missing[0]!r}, which is not in {folder}: "
                               "an incomplete checkpoint has no weights digest")
        chosen |= shards
    if not chosen:
        raise InvalidInput(str(folder), "$", "no weight files (*.safetensors, *.gguf, "
                                            "*.index.json and its shards) in this folder")
    return WeightsManifest(schema_version="1.0",
                           files=[_file_entry(n, present[n]) for n in sorted(chosen)])


def resolve_weights_digest(weights: Path | None, weights_digest: str | None) -> str | None:
    """`--weights FOLDER` computes the digest; it must agree with `--weights-digest` if both."""
    if weights is None:
        return weights_digest
    computed = weights_manifest(weights).digest
    if weights_digest is not None and weights_digest != computed:
        raise InvalidInput("--weights-digest", "--weights-digest",
                           f"{weights_digest} is not the digest of {weights} ({computed})")
    return computed
