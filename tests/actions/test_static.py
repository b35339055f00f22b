"""action.yml and the workflows, checked as CI would: GitHub's schemas and zizmor's audits."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False,
                          timeout=300)


def test_action_and_workflows_match_githubs_schemas() -> None:
    action = run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-actions",
                 "action.yml")
    assert action.returncode == 0, action.stdout + action.stderr
    workflows = run(str(BIN / "check-jsonschema"), "--builtin-schema",
                    "vendor.github-workflows", *map(str, WORKFLOWS))
    assert workflows.returncode == 0, workflows.stdout + workflows.stderr


def test_zizmor_finds_nothing_of_medium_severity_or_worse() -> None:
    # Left: three low "self-repository" suggestions (`uses: ./`): GitHub's newer spelling
    # could not be checked from here, and `./` is the documented form.
    audit = run(str(BIN / "zizmor"), "--offline", "--min-severity", "medium", ".")
    assert audit.returncode == 0, audit.stdout + audit.stderr


def _uses(document: object) -> list[str]:
    if isinstance(document, dict):
        found = [str(document["uses"])] if "uses" in document else []
        return found + [u for value in document.values() for u in _uses(value)]
    if isinstance(document, list):
        return [u for item in document for u in _uses(item)]
    return []


def test_every_action_is_pinned_by_commit_sha_and_every_job_has_permissions() -> None:
    files = [REPO / "action.yml", *WORKFLOWS]
    for path in files:
        document = yaml.safe_load(path.read_text())
        for uses in _uses(document):
            pin = uses.partition("@")[2]
            pinned = len(pin) == 40 and all(c in "0123456789abcdef" for c in pin)
            assert uses == "./" or pinned, f"{path.name}: {uses} is not pinned by SHA"
        for name, job in (document.get("jobs") or {}).items():
            assert "permissions" in job or "permissions" in document, (path.name, name)


def test_no_step_interpolates_an_expression_into_a_script() -> None:
    for path in [REPO / "action.yml", *WORKFLOWS]:
        for line in path.read_text().splitlines():
            stripped = line.strip()
            assert not (stripped.startswith("run:") and "${{" in stripped), (path.name, line)
        document = yaml.safe_load(path.read_text())
        steps = document.get("runs", {}).get("steps", []) + [
            s for job in (document.get("jobs") or {}).values() for s in job.get("steps", [])]
        for step in steps:
            assert "${{" not in step.get("run", ""), (path.name, step.get("id"))


def test_project_ci_workflow_runs_ci_run() -> None:
    ci = yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text())
    assert ci["jobs"]["test"]["steps"][-1]["run"] == "bash .ci/run"
