"""A critical misuse block through the real CLI: no single approver waives it into an exit 0.

By default GK-MIS-003 is not waivable at all; an organisation that makes it waivable names
how many distinct approvers it takes, and the policy counts their keys.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, REPO

CRITICAL = EXAMPLES / "critical-misuse"
NEVER_STALE = REPO / "tests" / "data" / "examples-never-stale.yaml"


def gatekeeper(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gatekeeper.cli", *args], cwd=cwd,
                          capture_output=True, text=True, check=False, timeout=120)


def evaluate(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return gatekeeper(cwd, "evaluate", str(CRITICAL / "bundle.json"), "--release-plan",
                      str(CRITICAL / "release-plan.yaml"), "--data", str(NEVER_STALE),
                      "--format", "json", *args)


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], list[Path]]:
    """A folder, two approvers' public keys, and each one's waiver of GK-MIS-003."""
    root = tmp_path_factory.mktemp("approvers")
    evidence = json.loads(evaluate(root, "--no-ledger").stdout)["inputs"]["evidence"]
    keys, waivers = [], []
    for name in ("dana", "lee"):
        assert gatekeeper(root, "keys", "generate", name).returncode == 0
        waiver = root / f"{name}-waiver.json"
        made = gatekeeper(root, "waiver", "create", "--rule-id", "GK-MIS-003",
                          "--evidence-digest", evidence, "--approver", name,
                          "--reason", "accepted", "--expires-at", "2999-01-01T00:00:00Z",
                          "--key", f"{name}.key", "--output", str(waiver))
        assert made.returncode == 0, made.stderr
        keys.append(root / f"{name}.pub")
        waivers.append(waiver)
    return root, keys, waivers


def presenting(keys: list[Path], waivers: list[Path]) -> list[str]:
    return [*(a for w in waivers for a in ("--waiver", str(w))),
            *(a for k in keys for a in ("--approver-key", str(k)))]


def test_one_approver_cannot_waive_a_critical_misuse_block(
        signed: tuple[Path, list[Path], list[Path]]) -> None:
    root, keys, waivers = signed
    done = evaluate(root, *presenting(keys[:1], waivers[:1]))
    assert done.returncode == 3, done.stderr
    result = json.loads(done.stdout)
    assert result["verdict"] == "block"
    assert [v["problem"] for v in result["waivers"]["void"]] == [
        "rule GK-MIS-003 cannot be waived (thresholds.waivers.unwaivable_rules)"]


def test_an_organisation_can_require_distinct_approvers_instead(
        signed: tuple[Path, list[Path], list[Path]]) -> None:
    root, keys, waivers = signed
    data = root / "two-approvers.yaml"
    data.write_text("gatekeeper:\n  thresholds:\n    waivers:\n      unwaivable_rules: []\n"
                    "      approvers_by_rule: {GK-MIS-003: 2}\n")
    one = evaluate(root, "--data", str(data), *presenting(keys, waivers[:1]))
    assert one.returncode == 3, one.stderr
    assert json.loads(one.stdout)["waivers"]["void"][0]["problem"] == (
        "rule GK-MIS-003 needs waivers from 2 distinct approvers; 1 signed")
    two = evaluate(root, "--data", str(data), *presenting(keys, waivers))
    assert two.returncode == 0, two.stderr
    result = json.loads(two.stdout)
    assert result["verdict"] == "approve_with_conditions"
    assert result["waivers"]["engine_verdict"] == "block"
    assert sorted(w["approver"] for w in result["waivers"]["applied"]) == ["dana", "lee"]
