"""`gatekeeper policy bundle`: a reproducible OPA bundle that a real OPA loads and serves."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

from gatekeeper.engines.differential import differences
from gatekeeper.engines.opa_server import OpaServerEngine
from gatekeeper.engines.regopy_engine import RegopyEngine
from gatekeeper.errors import EngineError
from gatekeeper.policy.bundle import build_bundle
from gatekeeper.policy.loading import load_policy_set
from opa.differential_support import seed_input


def gatekeeper(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gatekeeper.cli", *args], capture_output=True,
                          text=True, check=False, cwd=REPO, timeout=120)


def members(data: bytes) -> dict[str, tarfile.TarInfo]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        return {m.name: m for m in archive.getmembers()}


def read(data: bytes, name: str) -> bytes:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        handle = archive.extractfile(name)
        assert handle is not None
        return handle.read()


def test_bundle_bytes_are_reproducible_and_laid_out_for_opa() -> None:
    policy = load_policy_set()
    first, second = build_bundle(policy), build_bundle(load_policy_set())
    assert first == second
    entries = members(first)
    assert list(entries) == sorted(entries)
    assert all(m.mtime == 0 and m.uid == 0 and m.mode == 0o644 for m in entries.values())
    manifest = json.loads(read(first, ".manifest"))
    assert manifest["revision"] == policy.digest
    assert manifest["roots"] == ["gatekeeper"]
    assert manifest["rego_version"] == 1
    assert manifest["metadata"]["gatekeeper"]["policy_digest"] == policy.digest
    for module in policy.modules:
        assert read(first, module.path) == module.text.encode()
    assert json.loads(read(first, "gatekeeper/data.json")) == policy.data["gatekeeper"]
    assert not any(name.endswith("_test.rego") for name in entries)
    assert first[:4] == b"\x1f\x8b\x08\x00" and first[4:8] == b"\x00\x00\x00\x00"  # no mtime


def test_cli_writes_the_bundle_with_a_given_revision(tmp_path: Path) -> None:
    out = tmp_path / "b.tar.gz"
    done = gatekeeper("policy", "bundle", "--output", str(out), "--revision", "v1.2.3")
    assert done.returncode == 0, done.stderr
    assert json.loads(read(out.read_bytes(), ".manifest"))["revision"] == "v1.2.3"
    assert "policy digest sha256:" in done.stdout


def test_real_opa_serves_the_bundle_and_the_engine_uses_it(
    start_opa: Any, opa_bin: Path, tmp_path: Path
) -> None:
    out = tmp_path / "gatekeeper-policy.tar.gz"
    assert gatekeeper("policy", "bundle", "--output", str(out)).returncode == 0
    check = subprocess.run([str(opa_bin), "inspect", str(out)], capture_output=True, text=True,
                           check=False, timeout=60)
    assert check.returncode == 0, check.stderr
    server = start_opa("--bundle", str(out))
    policy = load_policy_set()
    engine = OpaServerEngine(server.url)
    document = seed_input()
    answer = engine.prepare(policy).evaluate(document)
    assert engine.mode == "bundle"
    assert f"revision {policy.digest}" in answer.engine_version
    assert answer.decision_id
    embedded = RegopyEngine().prepare(policy).evaluate(document)
    assert differences(embedded.result, answer.result) == []
    # A server running another policy set is refused, not trusted.
    other = tmp_path / "custom"
    other.mkdir()
    (other / "extra.rego").write_text(
        'package gatekeeper.rules.extra\n\nimport rego.v1\n\nx := 1\n'
    )
    with pytest.raises(EngineError, match="policy digest"):
        OpaServerEngine(server.url).prepare(load_policy_set((other,)))
