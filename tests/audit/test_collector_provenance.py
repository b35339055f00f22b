"""A bundle's collector: signed by `collect --sign-bundle`, checked by `--trust-collector`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gatekeeper.bundle.integrity import seal
from gatekeeper.cli.main import cli

PLAN = Path(__file__).resolve().parents[2] / "evidence" / "examples" / "approve" / \
    "release-plan.yaml"
DIGEST = "sha256:afd01f7ab1b27005d25e3f1b9b2326883b0e0501765c29a650b0c8f5ae563e16"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout if result.exit_code in (0, 3, 4) else result.output


@pytest.fixture
def signed(tmp_path: Path) -> tuple[Path, Path, Path]:
    for name in ("collector", "stranger"):
        assert _run("keys", "generate", str(tmp_path / name))[0] == 0
    bundle = tmp_path / "evidence.json"
    code, output = _run("collect", "--model", "scripted/welcomer", "--probe", "release-direct",
                        "--samples", "1", "--weights-digest", DIGEST, "--out", str(bundle),
                        "--no-cache", "--quiet", "--sign-bundle",
                        str(tmp_path / "collector.key"))
    assert code == 0, output
    assert (tmp_path / "evidence.json.dsse").exists()
    return bundle, tmp_path / "collector.pub", tmp_path / "stranger.pub"


def _reasons(bundle: Path, *extra: str) -> tuple[int, set[str], str]:
    code, output = _run("evaluate", str(bundle), "--release-plan", str(PLAN), "--no-ledger",
                        "--format", "json", *extra)
    if code == 2:
        return code, set(), output
    result = json.loads(output)
    return code, {r["rule_id"] for r in result["reasons"]}, output


def test_a_bundle_signed_by_a_trusted_collector_passes_the_check(
        signed: tuple[Path, Path, Path]) -> None:
    bundle, collector, _ = signed
    assert "GK-PRV-002" not in _reasons(bundle, "--trust-collector", str(collector))[1]


def test_a_stranger_s_signature_or_none_escalates_when_a_collector_is_required(
        signed: tuple[Path, Path, Path]) -> None:
    bundle, _, stranger = signed
    assert "GK-PRV-002" in _reasons(bundle, "--trust-collector", str(stranger))[1]
    bundle.with_name(bundle.name + ".dsse").unlink()
    assert "GK-PRV-002" in _reasons(bundle, "--trust-collector", str(stranger))[1]
    assert "GK-PRV-002" not in _reasons(bundle)[1]  # nothing required: unsigned is reported


def test_a_bundle_changed_after_signing_is_refused(signed: tuple[Path, Path, Path]) -> None:
    bundle, collector, _ = signed
    document = json.loads(bundle.read_text())
    document["subject"]["model_version"] = "2.0.0"
    bundle.write_text(json.dumps(seal(document)))
    code, _, output = _reasons(bundle, "--trust-collector", str(collector))
    assert code == 2 and "another bundle" in output
