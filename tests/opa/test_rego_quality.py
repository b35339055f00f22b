"""The real OPA (built from source) checks, formats and tests the policies with coverage."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import REPO

POLICIES = REPO / "policies"
CUSTOM = REPO / "evidence" / "examples" / "custom-policy"
COVERAGE_FLOOR = 90.0


def rego_roots() -> list[str]:
    """The built-in policies and the sample custom policy (when it has been written)."""
    return [str(POLICIES)] + ([str(CUSTOM)] if any(CUSTOM.glob("*.rego")) else [])


def opa(binary: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(binary), *args], cwd=REPO, capture_output=True, text=True,
                          check=False, timeout=300)


def test_sample_custom_policy_exists_with_tests() -> None:
    assert any(CUSTOM.glob("*.rego")), f"{CUSTOM} holds no Rego module"
    assert any(CUSTOM.glob("*_test.rego")), f"{CUSTOM} holds no Rego tests"


def test_policies_pass_strict_check(opa_bin: Path) -> None:
    result = opa(opa_bin, "check", "--strict", *rego_roots())
    assert result.returncode == 0, result.stdout + result.stderr


def test_policies_are_opa_formatted(opa_bin: Path) -> None:
    result = opa(opa_bin, "fmt", "--diff", "--fail", *rego_roots())
    assert result.returncode == 0, "run `.tools/bin/opa fmt -w policies`:\n" + result.stdout


def test_rego_tests_pass_on_real_opa(opa_bin: Path) -> None:
    result = opa(opa_bin, "test", *rego_roots(), "--fail-on-empty", "-v")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_policy_file_meets_the_coverage_floor(opa_bin: Path) -> None:
    result = opa(opa_bin, "test", *rego_roots(), "--coverage", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    files = {name: data.get("coverage", 0.0) for name, data in report["files"].items()
             if not name.endswith("_test.rego")}
    print("coverage per policy file:", json.dumps(files, indent=1))
    assert files, "coverage report lists no policy files"
    below = {name: value for name, value in files.items() if value < COVERAGE_FLOOR}
    assert not below, f"files under {COVERAGE_FLOOR}% line coverage: {below}"
    if any(CUSTOM.glob("*.rego")):
        assert any(name.startswith(str(CUSTOM)) or "custom-policy" in name for name in files), (
            "the sample custom policy is not in the coverage report"
        )
