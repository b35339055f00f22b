"""The sample custom policy (evidence/examples/custom-policy) joins the same reason sets."""

from __future__ import annotations

import re
import subprocess
import sys

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


def test_custom_modules_are_rules_packages() -> None:
    policy = load_policy_set((CUSTOM,))
    custom = [m for m in policy.modules if m.path.startswith("custom-policy/")]
    assert custom
    for module in custom:
        package = re.search(r"^package\s+([\w.]+)", module.text, re.MULTILINE)
        assert package and package.group(1).startswith("gatekeeper.rules."), module.path
