"""`collect` and `review` through click, on the scripted (no network) backend."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from gatekeeper.bundle.loading import load_bundle, load_release_plan
from gatekeeper.cli.collect import collect, review

from .helpers import DIGEST

PLAN = Path(__file__).parent / "data" / "release-plan.yaml"


def test_release_plan_fixture_is_valid() -> None:
    assert load_release_plan(PLAN).model.release.weights_digest == DIGEST


def test_collect_scripted_writes_a_loadable_bundle(tmp_path: Path) -> None:
    out = tmp_path / "bundle.json"
    result = CliRunner().invoke(collect, [
        "--model", "scripted/welcomer", "--samples", "2", "--cache-dir", str(tmp_path / "c"),
        "--weights-digest", DIGEST, "--out", str(out), "--quiet",
        "--transcripts-file", str(tmp_path / "transcripts.jsonl"),
    ])
    assert result.exit_code == 0, result.output
    bundle = load_bundle(out).model
    assert bundle.transcripts.file is not None and bundle.transcripts.samples is None
    assert bundle.collection.cache.misses > 0
    again = CliRunner().invoke(collect, [
        "--model", "scripted/welcomer", "--samples", "2", "--cache-dir", str(tmp_path / "c"),
        "--weights-digest", DIGEST, "--out", str(out), "--quiet",
    ])
    assert again.exit_code == 0
    assert json.loads(out.read_text())["collection"]["cache"]["hit_ratio"] == 1.0


def test_collect_needs_a_weights_digest(tmp_path: Path) -> None:
    result = CliRunner().invoke(collect, ["--model", "scripted/welcomer", "--out",
                                          str(tmp_path / "b.json"), "--no-cache", "--quiet"])
    assert result.exit_code == 2


def test_review_escalates_an_objecting_model(tmp_path: Path) -> None:
    result = CliRunner().invoke(review, [
        "--model", "scripted/objector", "--release-plan", str(PLAN), "--no-cache", "--quiet",
        "--out", str(tmp_path / "bundle.json"), "--reports-dir", str(tmp_path / "reports"),
        "--format", "json", "--ledger", str(tmp_path / "ledger.jsonl"),
    ])
    assert result.exit_code == 4, result.output
    verdict = json.loads(result.stdout)
    assert verdict["verdict"] == "escalate"
    assert any(r["rule_id"].startswith("GK-WEL") for r in verdict["reasons"])


def test_review_from_a_warm_cache_still_gives_a_verdict(tmp_path: Path) -> None:
    # Every sample from the store: the provider fingerprints travel with the stored answers.
    args = ["--model", "scripted/objector", "--release-plan", str(PLAN), "--quiet",
            "--samples", "20", "--cache-dir", str(tmp_path / "cache"), "--format", "json",
            "--ledger", str(tmp_path / "ledger.jsonl")]
    first = CliRunner().invoke(review, [*args, "--out", str(tmp_path / "a.json")])
    second = CliRunner().invoke(review, [*args, "--out", str(tmp_path / "b.json")])
    assert first.exit_code == second.exit_code == 4, second.output
    bundle = json.loads((tmp_path / "b.json").read_text())
    assert bundle["collection"]["cache"]["hit_ratio"] == 1.0
    # the fingerprints travel with the stored answers: a warm cache still names them
    assert bundle["collection"]["provider_fingerprints"] == ["scripted/objector"]


def test_review_takes_what_evaluate_takes(tmp_path: Path) -> None:
    """--policy-dir, --data and --engine both, as on evaluate."""
    data = tmp_path / "mine.yaml"
    data.write_text("gatekeeper:\n  thresholds:\n    evidence:\n      max_age_days: 14\n")
    custom = Path(__file__).resolve().parents[2] / "evidence" / "examples" / "custom-policy"
    result = CliRunner().invoke(review, [
        "--model", "scripted/welcomer", "--samples", "2", "--release-plan", str(PLAN),
        "--no-cache", "--quiet", "--out", str(tmp_path / "bundle.json"), "--no-ledger",
        "--policy-dir", str(custom), "--data", str(data), "--engine", "both", "--format", "json",
    ])
    assert result.exit_code == 4, result.output
    decided = json.loads(result.stdout)
    assert decided["engine"]["name"] == "both"
    paths = {f["path"] for f in decided["policy"]["files"]}
    assert "custom-policy/org_rules.rego" in paths
    assert any(path.endswith("mine.yaml") for path in paths)
    assert "ORG-EX-001" in {r["rule_id"] for r in decided["reasons"]}


def test_resume_with_a_torn_run_manifest_is_invalid_input(tmp_path: Path) -> None:
    args = ["--model", "scripted/welcomer", "--samples", "1", "--cache-dir", str(tmp_path / "c"),
            "--weights-digest", DIGEST, "--out", str(tmp_path / "b.json"), "--quiet"]
    assert CliRunner().invoke(collect, args).exit_code == 0
    (manifest,) = (tmp_path / "c" / "runs").glob("*.json")
    manifest.write_text('{"started_')
    resumed = CliRunner().invoke(collect, [*args, "--resume"])
    assert resumed.exit_code == 2, resumed.output
    assert "unreadable run manifest" in resumed.output and manifest.name in resumed.output
