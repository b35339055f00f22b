"""One weights digest binds the bundle, the card and the signed attestation together."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from click.testing import CliRunner

from gatekeeper.canonical import sha256_digest
from gatekeeper.cli.main import cli
from weights.test_digest import checkpoint

REPO = Path(__file__).resolve().parents[2]
PLAN = REPO / "evidence" / "examples" / "approve" / "release-plan.yaml"


def test_bundle_card_and_attestation_name_the_folder_digest(tmp_path: Path) -> None:
    runner = CliRunner()
    digest = runner.invoke(cli, ["weights", "digest", str(checkpoint(tmp_path / "w"))])
    assert digest.exit_code == 0
    weights = digest.stdout.strip()
    release = tmp_path / "release"
    release.mkdir()
    plan = PLAN.read_text().replace(
        "sha256:afd01f7ab1b27005d25e3f1b9b2326883b0e0501765c29a650b0c8f5ae563e16", weights)
    (release / "release-plan.yaml").write_text(plan)
    collected = runner.invoke(cli, [
        "collect", "--model", "scripted/welcomer", "--samples", "1", "--no-cache", "--quiet",
        "--weights", str(tmp_path / "w"), "--out", str(release / "bundle.json")])
    assert collected.exit_code == 0, collected.output
    card = release / "README.md"
    card.write_text(f"---\nlicense: apache-2.0\nextra_gated_prompt: terms\nrelease_review:\n"
                    f"  weights_digest: {weights}\n  release_mode: gated_download\n"
                    f"  release_plan: release-plan.yaml\n  evidence_bundle: bundle.json\n---\n")
    assert runner.invoke(cli, ["keys", "generate", str(tmp_path / "k")]).exit_code == 0
    ledger = tmp_path / "ledger" / "ledger.jsonl"
    evaluated = runner.invoke(cli, [
        "evaluate", "--model-card", str(card), "--ledger", str(ledger), "--signing-key",
        str(tmp_path / "k.key"), "--format", "json"])
    assert evaluated.exit_code in (0, 4), evaluated.output
    result = json.loads(evaluated.stdout)
    assert result["subject"]["weights_digest"] == weights
    assert not [r for r in result["reasons"] if r["rule_id"].startswith("GK-CRD")]
    envelope = json.loads(next((ledger.parent / "attestations").glob("*.dsse.json")).read_text())
    statement = json.loads(base64.b64decode(envelope["payload"]))
    subjects = {s["name"]: "sha256:" + s["digest"]["sha256"] for s in statement["subject"]}
    assert weights in subjects.values()
    assert subjects["README.md"] == sha256_digest(card.read_bytes())
    verified = runner.invoke(cli, ["verify", str(ledger), "--public-key", str(tmp_path / "k.pub")])
    assert verified.exit_code == 0, verified.output
