"""`gatekeeper policy test`: run the Rego `test_*` rules of a policy set, on OPA by default.

The tests see exactly the policy set `evaluate` would load (built-in policies, the
`--policy-dir`s, their data files), with the test modules added. Without an OPA binary
they run on regopy instead, and the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TestOutcome:
    name: str
    location: str
    status: str  # pass | fail | error | skip
    detail: str
    seconds: float


@dataclass(frozen=True)
class TestRun:
    runner: str
    """`opa <version>`, or regopy's version with the reason it stood in."""
    outcomes: list[TestOutcome]


def run_tests(
    extra_dirs: tuple[Path, ...] = (), *, include_defaults: bool = True, runner: str = "opa"
) -> TestRun:
    """Every test rule's outcome; `runner` is `opa` (falls back to regopy) or `regopy`."""
    from gatekeeper.engines.opa_settings import find_opa, no_opa_reason
    from gatekeeper.policy.loading import load_policy_set

    policy = load_policy_set(extra_dirs, include_tests=True, include_defaults=include_defaults)
    binary = find_opa() if runner == "opa" else None
    if binary is not None:
        from gatekeeper.policy.opa_testing import run_opa_tests

        return run_opa_tests(binary, policy)
    from gatekeeper.engines.regopy_engine import regopy_version
    from gatekeeper.policy.regopy_testing import run_regopy_tests

    label = regopy_version() + (f" (fallback: {no_opa_reason()})" if runner == "opa" else "")
    return TestRun(label, run_regopy_tests(policy))
