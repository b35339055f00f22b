"""The Rego tests pass on regopy too (slow: regopy needs ~45 s and ~7.5 GB for them).

`gatekeeper policy test` runs them on OPA; this keeps the regopy fallback honest on the
same tests, outcome by outcome.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES

from gatekeeper.policy.testing import run_tests

CUSTOM = EXAMPLES / "custom-policy"


@pytest.mark.slow
def test_every_rego_test_has_the_same_outcome_on_regopy_and_opa(opa_bin: Path) -> None:
    on_opa = run_tests((CUSTOM,), runner="opa")
    on_regopy = run_tests((CUSTOM,), runner="regopy")
    assert on_opa.runner.startswith("opa ") and on_regopy.runner.startswith("regopy ")
    opa = {o.name: o.status for o in on_opa.outcomes}
    regopy = {o.name: o.status for o in on_regopy.outcomes if o.status != "skip"}
    assert opa and set(opa.values()) == {"pass"}
    assert regopy == opa
