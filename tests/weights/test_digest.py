"""`gatekeeper weights digest`: a streamed, documented, reproducible manifest digest."""

from __future__ import annotations

import hashlib
import json
import shutil
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gatekeeper.bundle.loading import load_bundle
from gatekeeper.canonical import json_digest
from gatekeeper.cli.collect import collect
from gatekeeper.cli.main import cli
from gatekeeper.errors import InvalidInput
from gatekeeper.weights import weights_manifest

GOLDEN = "sha256:1f0386f1afcee5a06a94ff00f6afa498d248a7806b234388cd78d2f3492c903a"
"""The digest of `checkpoint()`, pinned: a change to the manifest format must show here."""


def checkpoint(root: Path) -> Path:
    """An HF-style sharded checkpoint with the files a real repository carries beside it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "model-00001-of-00002.safetensors").write_bytes(b"\x08\x00" + b"A" * 4096)
    (root / "model-00002-of-00002.safetensors").write_bytes(b"\x08\x00" + b"B" * 1000)
    (root / "model.safetensors.index.json").write_text(json.dumps({
        "metadata": {"total_size": 5098},
        "weight_map": {"embed": "model-00001-of-00002.safetensors",
                       "lm_head": "model-00002-of-00002.safetensors"},
    }))
    (root / "gguf").mkdir()
    (root / "gguf" / "model-Q4_K_M.gguf").write_bytes(b"GGUF" + bytes(range(256)))
    (root / "config.json").write_text("{}")  # not weights
    (root / "training_args.bin").write_bytes(b"pickle")  # a loose .bin is not weights
    (root / ".cache" / "huggingface").mkdir(parents=True)
    (root / ".cache" / "huggingface" / "x.safetensors").write_bytes(b"hidden")
    return root


def test_manifest_lists_weights_sorted_and_skips_the_rest(tmp_path: Path) -> None:
    manifest = weights_manifest(checkpoint(tmp_path / "ckpt"))
    assert [f.path for f in manifest.files] == [
        "gguf/model-Q4_K_M.gguf", "model-00001-of-00002.safetensors",
        "model-00002-of-00002.safetensors", "model.safetensors.index.json"]
    assert manifest.files[1].size == 4098
    assert manifest.digest == json_digest(manifest.model_dump(mode="json"))


def test_digest_is_pinned_and_does_not_depend_on_where_the_folder_is(tmp_path: Path) -> None:
    first = checkpoint(tmp_path / "a")
    moved = tmp_path / "elsewhere" / "deeper"
    shutil.copytree(first, moved)
    assert weights_manifest(first).digest == GOLDEN
    assert weights_manifest(moved).digest == GOLDEN


def test_digest_follows_the_documented_format_without_gatekeeper(tmp_path: Path) -> None:
    """An auditor's recomputation with hashlib and json alone (RFC 8785 is sorted, compact
    JSON for this ASCII, integer-only document)."""
    root = checkpoint(tmp_path / "h")
    files = []
    for name in sorted(["gguf/model-Q4_K_M.gguf", "model-00001-of-00002.safetensors",
                        "model-00002-of-00002.safetensors", "model.safetensors.index.json"]):
        data = (root / name).read_bytes()
        files.append({"path": name, "size": len(data),
                      "digest": "sha256:" + hashlib.sha256(data).hexdigest()})
    text = json.dumps({"schema_version": "1.0", "files": files}, sort_keys=True,
                      separators=(",", ":"))
    assert "sha256:" + hashlib.sha256(text.encode()).hexdigest() == GOLDEN


def test_one_changed_byte_changes_the_digest(tmp_path: Path) -> None:
    root = checkpoint(tmp_path / "c")
    shard = root / "model-00002-of-00002.safetensors"
    data = bytearray(shard.read_bytes())
    data[500] ^= 1
    shard.write_bytes(bytes(data))
    assert weights_manifest(root).digest != GOLDEN


def test_index_shards_count_even_as_bin(tmp_path: Path) -> None:
    root = tmp_path / "bin"
    root.mkdir()
    (root / "pytorch_model-00001-of-00001.bin").write_bytes(b"weights")
    (root / "pytorch_model.bin.index.json").write_text(json.dumps(
        {"weight_map": {"w": "pytorch_model-00001-of-00001.bin"}}))
    names = [f.path for f in weights_manifest(root).files]
    assert names == ["pytorch_model-00001-of-00001.bin", "pytorch_model.bin.index.json"]


@pytest.mark.parametrize(("index", "problem"), [
    ({"weight_map": {"w": "model-00009-of-00009.safetensors"}}, "model-00009-of-00009"),
    ({"weight_map": {"w": "../outside.safetensors"}}, "not a file beside the index"),
    ({"weight_map": {}}, "non-empty map"),
    ({"metadata": {}}, "non-empty map"),
])
def test_an_incomplete_or_odd_index_is_refused(tmp_path: Path, index: object,
                                               problem: str) -> None:
    root = checkpoint(tmp_path / "d")
    (root / "model.safetensors.index.json").write_text(json.dumps(index))
    with pytest.raises(InvalidInput) as raised:
        weights_manifest(root)
    assert "model.safetensors.index.json" in raised.value.file
    assert "$.weight_map" in raised.value.location and problem in str(raised.value)


@pytest.mark.parametrize(("text", "where"), [
    ('{"weight_map": {"w": "a.safetensors"', "line 1 column"),
    ('{"weight_map": {"w": "a.safetensors"}, "weight_map": {}}', "$"),
    ("\ufeff\x00", "line 1 column 1"),
])
def test_a_broken_index_file_is_refused_by_location(tmp_path: Path, text: str,
                                                    where: str) -> None:
    root = checkpoint(tmp_path / "j")
    (root / "model.safetensors.index.json").write_text(text)
    with pytest.raises(InvalidInput) as raised:
        weights_manifest(root)
    assert raised.value.location.startswith(where)


def test_a_folder_without_weights_is_refused(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(InvalidInput, match="no weight files"):
        weights_manifest(tmp_path)


def test_linked_shards_are_read_through_the_link(tmp_path: Path) -> None:
    """The HF cache keeps snapshots as links into its blob store."""
    blobs = tmp_path / "blobs"
    blobs.mkdir()
    (blobs / "abc123").write_bytes(b"\x08\x00" + b"A" * 4096)
    snapshot = tmp_path / "snapshot"
    snapshot.mkdir()
    (snapshot / "model.safetensors").symlink_to(blobs / "abc123")
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "model.safetensors").write_bytes(b"\x08\x00" + b"A" * 4096)
    assert weights_manifest(snapshot).digest == weights_manifest(plain).digest


def test_names_are_nfc_so_macos_and_linux_agree(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "modèle.safetensors")
    (tmp_path / "nfd").mkdir()
    (tmp_path / "nfd" / decomposed).write_bytes(b"w")
    (tmp_path / "nfc").mkdir()
    (tmp_path / "nfc" / unicodedata.normalize("NFC", "modèle.safetensors")).write_bytes(b"w")
    assert weights_manifest(tmp_path / "nfd").digest == weights_manifest(tmp_path / "nfc").digest


_names = st.lists(st.from_regex(r"[a-z0-9_-]{1,12}\.(safetensors|gguf)", fullmatch=True),
                  min_size=1, max_size=6, unique=True)


@settings(max_examples=40, deadline=None)
@given(names=_names, contents=st.lists(st.binary(max_size=64), min_size=6, max_size=6),
       data=st.data())
def test_digest_ignores_creation_order(tmp_path_factory: pytest.TempPathFactory,
                                       names: list[str], contents: list[bytes],
                                       data: st.DataObject) -> None:
    files = dict(zip(names, contents, strict=False))
    order = data.draw(st.permutations(list(files)))
    a, b = tmp_path_factory.mktemp("a"), tmp_path_factory.mktemp("b")
    for name in files:
        (a / name).write_bytes(files[name])
    for name in order:
        (b / name).write_bytes(files[name])
    manifest = weights_manifest(a)
    assert manifest.digest == weights_manifest(b).digest
    assert [f.path for f in manifest.files] == sorted(files)


def test_cli_prints_the_digest_and_writes_the_manifest(tmp_path: Path) -> None:
    root = checkpoint(tmp_path / "e")
    manifest_file = tmp_path / "manifest.json"
    result = CliRunner().invoke(cli, ["weights", "digest", str(root),
                                      "--manifest", str(manifest_file)])
    assert result.exit_code == 0, result.output
    assert result.stdout == GOLDEN + "\n"
    assert json_digest(json.loads(manifest_file.read_text())) == GOLDEN
    as_json = CliRunner().invoke(cli, ["weights", "digest", str(root), "--format", "json"])
    assert json.loads(as_json.stdout)["digest"] == GOLDEN


def test_cli_refuses_an_incomplete_checkpoint_with_exit_2(tmp_path: Path) -> None:
    root = checkpoint(tmp_path / "f")
    (root / "model-00002-of-00002.safetensors").unlink()
    result = CliRunner().invoke(cli, ["weights", "digest", str(root)])
    assert result.exit_code == 2
    assert "model.safetensors.index.json: $.weight_map" in result.stderr


def test_collect_binds_the_bundle_to_the_folder_digest(tmp_path: Path) -> None:
    root = checkpoint(tmp_path / "g")
    out = tmp_path / "bundle.json"
    args = ["--model", "scripted/welcomer", "--samples", "1", "--no-cache", "--quiet",
            "--weights", str(root), "--out", str(out)]
    result = CliRunner().invoke(collect, args)
    assert result.exit_code == 0, result.output
    assert load_bundle(out).model.subject.weights_digest == GOLDEN
    clash = CliRunner().invoke(collect, [*args, "--weights-digest", "sha256:" + "0" * 64])
    assert clash.exit_code == 2 and "is not the digest of" in clash.stderr
