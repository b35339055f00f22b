"""Run a policy set's Rego tests with `opa test`: OPA's own runner, OPA's semantics.

The policy set is written to a private folder exactly as loaded (modules at their
policy-set paths, the merged data as the root `data.json`), so the tests and `evaluate`
see the same thing, and reported locations read `policies/…_test.rego:12` as elsewhere.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from gatekeeper.engines.base import PolicySet
from gatekeeper.errors import EngineError, PolicyError
from gatekeeper.policy.testing import TestOutcome, TestRun

TIMEOUT = 600


def write_policy_tree(policy: PolicySet, folder: Path) -> None:
    """Lay `policy` out as an OPA directory: one file per module, data at the root."""
    for module in policy.modules:
        target = folder / module.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(module.text, encoding="utf-8")
    (folder / "data.json").write_text(json.dumps(policy.data), encoding="utf-8")


def _outcome(entry: dict[str, Any], root: str) -> TestOutcome:
    location = entry.get("location") or {}
    file = str(location.get("file", "?")).removeprefix(root)
    where = f"{file}:{location.get('row', '?')}"
    name = f"{entry.get('package', '?')}.{entry.get('name', '?')}"
    seconds = float(entry.get("duration", 0)) / 1e9
    if entry.get("error"):
        error = entry["error"]
        message = error.get("message", error) if isinstance(error, dict) else error
        return TestOutcome(name, where, "error", str(message), seconds)
    if entry.get("skip"):
        return TestOutcome(name, where, "skip", "skipped", seconds)
    if entry.get("fail"):
        return TestOutcome(name, where, "fail", "failed", seconds)
    return TestOutcome(name, where, "pass", "", seconds)


def _file_order(entry: dict[str, Any]) -> tuple[str, int]:
    location = entry.get("location") or {}
    row = location.get("row")
    return str(location.get("file", "")), row if isinstance(row, int) else 0


def _version(binary: Path) -> str:
    done = subprocess.run([str(binary), "version"], capture_output=True, text=True,
                          check=False, timeout=60)
    for line in done.stdout.splitlines():
        if line.startswith("Version:"):
            return "opa " + line.split(":", 1)[1].strip()
    return f"opa ({binary})"


def run_opa_tests(binary: Path, policy: PolicySet) -> TestRun:
    with tempfile.TemporaryDirectory(prefix="gatekeeper-opa-test-") as folder:
        write_policy_tree(policy, Path(folder))
        try:
            done = subprocess.run([str(binary), "test", folder, "--format", "json"],
                                  capture_output=True, text=True, check=False, timeout=TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise EngineError(f"`opa test` did not run: {error}") from error
        root = folder.rstrip("/") + "/"
        try:
            entries = json.loads(done.stdout) if done.stdout.strip() else []
        except json.JSONDecodeError:
            entries = None
        if not isinstance(entries, list) or (done.returncode not in (0, 2)):
            problem = (done.stderr or done.stdout).replace(root, "")
            raise PolicyError(f"`opa test` refused the policy set:\n{problem.strip()}")
        listed = sorted((e for e in entries if isinstance(e, dict)), key=_file_order)
        outcomes = [_outcome(e, root) for e in listed]
    return TestRun(_version(binary), outcomes)
