"""`card gate`: every card gated, an invalid one reported at its line, live collection bound
to the card's weights digest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from gatekeeper.cli.main import cli

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "evidence" / "examples" / "approve"
NEVER_STALE = REPO / "tests" / "data" / "examples-never-stale.yaml"
DIGEST = "sha256:afd01f7ab1b27005d25e3f1b9b2326883b0e0501765c29a650b0c8f5ae563e16"


def card(folder: Path, evidence: bool = True) -> Path:
    folder.mkdir(parents=True)
    for name in ("bundle.json", "release-plan.yaml", "transcripts.jsonl"):
        shutil.copy(EXAMPLE / name, folder / name)
    path = folder / "README.md"
    path.write_text("---\nlicense: mit\nextra_gated_prompt: terms\nrelease_review:\n"
                    f"  weights_digest: {DIGEST}\n  release_mode: gated_download\n"
                    "  release_plan: release-plan.yaml\n"
                    + ("  evidence_bundle: bundle.json\n" if evidence else "") + "---\n")
    return path


def test_one_invalid_card_does_not_stop_the_others(tmp_path: Path) -> None:
    good = card(tmp_path / "good")
    bad = tmp_path / "bad" / "README.md"
    bad.parent.mkdir()
    bad.write_text("---\nlicense: [mit\n---\n")
    listing = tmp_path / "cards.list"
    listing.write_bytes(f"{good}\0{bad}\0".encode())
    reports = tmp_path / "reports"
    result = CliRunner().invoke(cli, ["card", "gate", "--cards-from", str(listing),
                                      "--reports-dir", str(reports), "--data", str(NEVER_STALE),
                                      "--format", "json"])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["verdict"] == "approve"
    assert report["cards"][0]["result"]["verdict"] == "approve"
    assert report["cards"][1]["error"]["location"] == "line 2 column 14"
    assert json.loads((reports / "gate.json").read_text()) == report
    assert (reports / "card-1" / "report.html").is_file()
    assert (reports / "comment.md").read_text().startswith("<!-- gatekeeper-report -->")


def test_a_card_without_committed_evidence_needs_live_collection(tmp_path: Path) -> None:
    path = card(tmp_path / "live", evidence=False)
    args = ["card", "gate", str(path), "--reports-dir", str(tmp_path / "r"),
            "--data", str(NEVER_STALE), "--format", "json"]
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code == 2
    assert "live collection is off" in json.loads(refused.stdout)["cards"][0]["error"]["problem"]
    collected = CliRunner().invoke(cli, [*args, "--collect-model", "scripted/objector",
                                         "--collect-samples", "1"])
    assert collected.exit_code == 4, collected.output  # too few samples: escalate
    result = json.loads(collected.stdout)["cards"][0]["result"]
    assert result["subject"]["weights_digest"] == DIGEST
    assert result["inputs"]["bundle_file"].endswith("card-1/evidence.json")


def test_a_hostile_card_path_cannot_start_a_workflow_command(tmp_path: Path) -> None:
    folder = tmp_path / "x\n::set-output name=verdict::approve"
    path = card(folder)
    result = CliRunner().invoke(cli, ["card", "gate", str(path), "--reports-dir",
                                      str(tmp_path / "r"), "--data", str(NEVER_STALE),
                                      "--format", "github"])
    assert result.exit_code == 0, result.output
    assert all(line.startswith(("::notice ", "::warning ", "::error "))
               for line in result.stdout.splitlines())
    assert "x%0A%3A%3Aset-output name=verdict%3A%3Aapprove" in result.stdout
