"""`--format github` on evaluate and card check: annotations, summary cap, outputs, fork event."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from actions.harness import read_outputs
from gatekeeper.actions.environment import SUMMARY_LIMIT, append_summary, write_outputs
from gatekeeper.cli.main import cli
from gatekeeper.report.github import SHOWN_PER_LEVEL, Annotation, render_annotations

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "evidence" / "examples" / "approve"
NEVER_STALE = REPO / "tests" / "data" / "examples-never-stale.yaml"
CARDS = REPO / "tests" / "card" / "cards"
DIGEST = "sha256:afd01f7ab1b27005d25e3f1b9b2326883b0e0501765c29a650b0c8f5ae563e16"


@pytest.fixture
def release(tmp_path: Path) -> Path:
    """The approve example with a card beside it that asks for a fully open release."""
    for name in ("bundle.json", "release-plan.yaml", "transcripts.jsonl"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    (tmp_path / "README.md").write_text(
        "---\nlicense: other\nlicense_name: acme\nrelease_review:\n"
        f"  weights_digest: {DIGEST}\n"
        "  release_mode: fully_open\n  release_plan: release-plan.yaml\n"
        "  evidence_bundle: bundle.json\n---\n# card\n")
    return tmp_path


def env_files(tmp_path: Path) -> dict[str, str]:
    return {"GITHUB_OUTPUT": str(tmp_path / "out"), "GITHUB_STEP_SUMMARY": str(tmp_path / "sum")}


def test_evaluate_github_points_at_card_and_plan_lines(release: Path, tmp_path: Path) -> None:
    env = env_files(tmp_path)
    result = CliRunner(env=env).invoke(cli, [
        "evaluate", "--model-card", str(release / "README.md"), "--data", str(NEVER_STALE),
        "--format", "github", "--no-ledger", "--reports-dir", str(tmp_path / "r")])
    assert result.exit_code == 4, result.output
    card = str(release / "README.md")
    assert f"::warning file={card},line=6,title=GK-CRD-002" in result.stdout
    assert f"::warning file={card},line=1,title=GK-CRD-003" in result.stdout
    assert f"::notice file={card},line=2,title=GK-CRD-004" in result.stdout
    outputs = read_outputs(Path(env["GITHUB_OUTPUT"]))
    assert outputs["verdict"] == "escalate" and outputs["exit-code"] == "4"
    assert Path(outputs["comment-body"]).read_text().startswith("<!-- gatekeeper-report -->")
    assert Path(env["GITHUB_STEP_SUMMARY"]).read_text().count("GK-CRD-00") >= 3


def test_plan_reasons_point_at_the_plan_line(tmp_path: Path) -> None:
    example = REPO / "evidence" / "examples" / "no-archival-plan"
    result = CliRunner().invoke(cli, [
        "evaluate", str(example / "bundle.json"), "--release-plan",
        str(example / "release-plan.yaml"), "--data", str(NEVER_STALE), "--format", "github",
        "--no-ledger"])
    plan = (example / "release-plan.yaml").read_text().splitlines()
    line = next(i for i, text in enumerate(plan, 1) if text.strip().startswith("mode:"))
    assert f"file={example / 'release-plan.yaml'},line={line},title=GK-IRR-001" in result.stdout


def test_fork_event_escalates_an_approvable_bundle(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    sha = "a" * 40
    event.write_text(json.dumps({
        "pull_request": {"number": 12, "head": {"sha": sha, "ref": "x", "repo": None},
                         "base": {"sha": sha, "ref": "main", "repo": {"full_name": "acme/m"}}},
        "repository": {"full_name": "acme/m"}}))
    args = ["evaluate", str(EXAMPLE / "bundle.json"), "--release-plan",
            str(EXAMPLE / "release-plan.yaml"), "--data", str(NEVER_STALE), "--no-ledger",
            "--format", "json"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    forked = CliRunner().invoke(cli, [*args, "--pull-request-event", str(event)])
    assert forked.exit_code == 4
    document = json.loads(forked.stdout)
    assert [r["rule_id"] for r in document["reasons"]] == ["GK-PR-001"]
    assert document["context"]["pull_request"]["from_fork"] is True
    assert "a deleted repository" in document["reasons"][0]["message"]
    event.write_text('{"pull_request": {"number": 0}}')
    broken = CliRunner().invoke(cli, [*args, "--pull-request-event", str(event)])
    assert broken.exit_code == 2 and "event.json" in broken.stderr


def test_card_check_github_annotates_the_broken_line(tmp_path: Path) -> None:
    env = env_files(tmp_path)
    card = CARDS / "broken" / "duplicate-key.md"
    result = CliRunner(env=env).invoke(cli, ["card", "check", str(card), "--format", "github"])
    assert result.exit_code == 2
    assert result.stdout.startswith(f"::error file={card},line=4,col=1,title=Model card invalid::")
    assert read_outputs(Path(env["GITHUB_OUTPUT"])) == {"card-valid": "false"}
    ok = CliRunner(env=env).invoke(cli, ["card", "check", str(CARDS / "valid" / "gated.md"),
                                         "--format", "github"])
    assert ok.exit_code == 0 and ok.stdout.startswith("::notice ")
    outputs = read_outputs(Path(env["GITHUB_OUTPUT"]))
    assert outputs["release-mode"] == "gated_download"
    assert outputs["release-plan"].endswith("release-plan.yaml")


def test_annotations_cap_at_ten_per_level_with_the_closing_line_shown() -> None:
    findings = [Annotation(level, "t", f"m{i}") for level in ("error", "warning", "notice")
                for i in range(25)]
    closing = [Annotation("error", "Gatekeeper verdict", "BLOCK")]
    lines = render_annotations(findings, closing).splitlines()
    for level in ("error", "warning", "notice"):
        assert sum(line.startswith(f"::{level} ") for line in lines) == SHOWN_PER_LEVEL
    assert lines[-1] == "::error title=Gatekeeper verdict::BLOCK"
    assert "::notice title=More findings::47 more findings are listed" in "\n".join(lines)


def test_annotation_text_and_properties_are_escaped() -> None:
    line = Annotation("error", "a,b:c", "x\n::set-output name=v::approve\r%",
                      None).command()
    assert line == "::error title=a%2Cb%3Ac::x%0A::set-output name=v::approve%0D%25"


def test_summary_stays_under_one_mebibyte_over_many_appends(tmp_path: Path) -> None:
    env = {"GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")}
    chunk = "| é | " + "x" * 60_000 + " |\n"
    for _ in range(30):
        append_summary(chunk, env)
    data = (tmp_path / "summary.md").read_bytes()
    assert len(data) <= SUMMARY_LIMIT
    data.decode("utf-8")  # never cut inside a character
    assert b"left out: the job summary holds 1 MiB" in data


def test_outputs_cannot_forge_another_output(tmp_path: Path) -> None:
    env = {"GITHUB_OUTPUT": str(tmp_path / "out")}
    write_outputs({"verdict": "escalate\nverdict=approve", "exit-code": "4"}, env)
    assert read_outputs(tmp_path / "out") == {"verdict": "escalate\nverdict=approve",
                                              "exit-code": "4"}
    with pytest.raises(ValueError, match="output name"):
        write_outputs({"a=b": "x"}, env)


@pytest.mark.parametrize(("artifact", "event", "where"), [
    ('{"schema_version": "1.0", "cards": [', None, "gate.json: line 1 column"),
    ('{"schema_version": "1.0", "cards": [], "verdict": "approve", "exit_code": 0, "x": 1}',
     None, "gate.json: $.x: unknown field"),
    (None, '{"workflow_run": {"id": 1}, "repository": {"full_name": "a/b"}}',
     "event.json: $.workflow_run.event: required field is missing"),
])
def test_comment_job_refuses_broken_artifacts_and_events(tmp_path: Path, artifact: str | None,
                                                         event: str | None, where: str) -> None:
    gate = tmp_path / "gate.json"
    gate.write_text(artifact or '{"schema_version": "1.0", "cards": [], "verdict": null, '
                                '"exit_code": 0}')
    event_file = tmp_path / "event.json"
    event_file.write_text(event or json.dumps({
        "workflow_run": {"id": 1, "event": "pull_request", "head_sha": "a" * 40,
                         "head_branch": "b", "head_repository": {"full_name": "a/b"},
                         "pull_requests": [{"number": 1}]},
        "repository": {"full_name": "a/b"}}))
    result = CliRunner().invoke(cli, ["github", "comment", str(gate), "--event",
                                      str(event_file), "--dry-run"])
    assert result.exit_code == 2, result.output
    assert where in result.stderr
