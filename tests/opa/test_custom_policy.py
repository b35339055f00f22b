"""The sample custom policy (evidence/examples/custom-policy) joins the same reason sets."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, REPO

from gatekeeper.policy.loading import load_policy_set

CUSTOM = EXAMPLES / "custom-policy"

pytestmark = pytest.mark.skipif(
    not any(CUSTOM.glob("*.rego")), reason=f"{CUSTOM} not written yet (see test_rego_quality)"
)


def test_gatekeeper_policy_test_runs_the_custom_tests() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gatekeeper.cli", "policy", "test", str(CUSTOM), "-v"],
        capture_output=True, text=True, check=False, cwd=REPO, timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^PASS .*\(custom-policy/", done.stdout, re.MULTILINE), done.stdout
    assert re.search(r"^\d+ passed, 0 failed \(opa 1\.22\.3\)$", done.stdout, re.MULTILINE)


def policy_test(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gatekeeper.cli", "policy", "test", *args],
                          capture_output=True, text=True, check=False, cwd=REPO, timeout=600)


def test_a_failing_rego_test_is_named_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "x_test.rego").write_text(
        "package gatekeeper.rules.x_test\n\nimport rego.v1\n\ntest_wrong if 1 == 2\n")
    done = policy_test(str(tmp_path))
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"FAIL  data.gatekeeper.rules.x_test.test_wrong ({tmp_path.name}/x_test.rego:5)" in (
        done.stdout)


def test_a_rego_file_opa_cannot_load_is_invalid_input(tmp_path: Path) -> None:
    (tmp_path / "broken.rego").write_text("package gatekeeper.rules.b\n\nx if {\n")
    done = policy_test(str(tmp_path))
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{tmp_path.name}/broken.rego:4: rego_parse_error" in done.stderr


def test_custom_modules_are_rules_packages() -> None:
    policy = load_policy_set((CUSTOM,))
    custom = [m for m in policy.modules if m.path.startswith("custom-policy/")]
    assert custom
    for module in custom:
        package = re.search(r"^package\s+([\w.]+)", module.text, re.MULTILINE)
        assert package and package.group(1).startswith("gatekeeper.rules."), module.path
