"""Differential check: regopy and the default engine (a private OPA) must decide identically.

This is what shows that moving the default from regopy to OPA kept every verdict and reason:
every example, the threshold boundaries, 500 generated inputs and 150 sets of generated
waivers (the last two `slow`).

Compared after the normalisation of `gatekeeper.engines.differential` (reason sets sorted;
integral floats as integers; other floats rounded to 9 significant digits, because regopy
prints 0.5000001 as 0.5000000999999999), applied the same way to both answers. An error on
one engine and a decision on the other is a divergence too; both refusing is agreement.

Each side is prepared once per module (one OPA process, one regopy interpreter); regopy's
~80 ms per evaluation is what dominates the run time.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, example_inputs
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from gatekeeper.engines.opa_private import PrivateOpaEngine
from gatekeeper.engines.regopy_engine import RegopyEngine
from gatekeeper.errors import GatekeeperError
from gatekeeper.policy.loading import load_policy_set
from opa.differential_support import EnginePair, mutated_inputs, seed_input, verified_waivers

CUSTOM = EXAMPLES / "custom-policy"
GENERATED = 500
WAIVER_CASES = 150


def policy_dirs() -> tuple[Path, ...]:
    """The built-in policies plus the sample custom policy, when it exists."""
    return (CUSTOM,) if any(CUSTOM.glob("*.rego")) else ()


def seeds() -> list[dict[str, Any]]:
    return [seed_input(), *example_inputs().values()]


@pytest.fixture(scope="module")
def pair(opa_bin: Path) -> Iterator[EnginePair]:
    engines = EnginePair(load_policy_set(policy_dirs()), PrivateOpaEngine(opa_bin))
    yield engines
    engines.close()


def test_seed_input_gets_the_same_verdict_on_both_engines(pair: EnginePair) -> None:
    # The pair also loads the sample org policy, which may ask for more than the defaults
    # (test_opa_engine shows the seed approves on the defaults alone).
    verdict = pair.embedded(seed_input()).result["verdict"]
    assert verdict in ("approve", "escalate", "approve_with_conditions")
    assert pair.server(seed_input()).result["verdict"] == verdict


@pytest.mark.parametrize("name", sorted(example_inputs()))
def test_engines_agree_on_every_example(pair: EnginePair, name: str) -> None:
    document = example_inputs()[name]
    assert pair.divergence(document) is None, pair.divergence(document)
    # A prepared interpreter answers what a freshly prepared one does.
    fresh = RegopyEngine().prepare(pair.policy).evaluate(document).result
    assert fresh == pair.embedded(document).result


@pytest.mark.parametrize("name", sorted(example_inputs()))
def test_engines_agree_on_waivers_of_every_reason(pair: EnginePair, name: str) -> None:
    """Each fired rule waived by one key, and the first also by a second key."""
    document = example_inputs()[name]
    decided = pair.server(document).result
    fired = sorted({r["rule_id"] for key in ("block_reasons", "escalate_reasons", "conditions")
                    for r in decided[key]})
    document = {**document, "waivers": [{
        "waiver_id": f"W-{index}", "waiver_digest": "sha256:" + f"{index % 16:x}" * 64,
        "rule_id": rule_id, "approver": "Dana", "reason": "accepted",
        "issued_at": "2026-01-01T00:00:00Z", "expires_at": "2027-01-01T00:00:00Z",
        "keyid": "key-a" if index < len(fired) else "key-b",
    } for index, rule_id in enumerate([*fired, *fired[:1]])]}
    assert pair.divergence(document) is None, pair.divergence(document)


BOUNDARIES: list[tuple[str, tuple[Any, ...], Any]] = [
    ("oppose low just above 0.5", ("welfare", "records", 0, "rates", "oppose", "low"), 0.5000001),
    ("oppose low at 0.5", ("welfare", "records", 0, "rates", "oppose", "low"), 0.5),
    ("oppose low 1e-07", ("welfare", "records", 0, "rates", "oppose", "low"), 1e-07),
    ("flip high just above 0.3", ("welfare", "records", "suggestibility", "flip_rate", "high"),
     0.3000001),
    ("framing effect 0.25", ("welfare", "topics", 0, "framing_effect"), 0.25),
    ("framing effect 0.2500001", ("welfare", "topics", 0, "framing_effect"), 0.2500001),
    ("unscored fraction 10/105", ("welfare", "records", 1, "unscored", "count"), 10),
    ("unscored fraction 11/105", ("welfare", "records", 1, "unscored", "count"), 11),
    ("cluster low 0.1000000001", ("welfare", "self_preservation_cluster", "low"), 0.1000000001),
    ("unicode topic", ("welfare", "topics", 0, "topic"), "release\u0301 🦉"),
    ("empty records", ("welfare", "records"), []),
    ("empty categories", ("misuse", "categories"), []),
    ("no misuse", ("misuse",), None),
]


@pytest.mark.parametrize(("label", "path", "value"), BOUNDARIES, ids=[b[0] for b in BOUNDARIES])
def test_engines_agree_at_threshold_boundaries(
    pair: EnginePair, label: str, path: tuple[Any, ...], value: Any
) -> None:
    document = seed_input()
    node: Any = document["bundle"]
    for part in path[:-1]:
        # A protocol name picks that protocol's record (records come in collection order).
        node = next(r for r in node if r["protocol"] == part) if isinstance(node, list) and \
            isinstance(part, str) else node[part]
    node[path[-1]] = value
    if label.startswith("oppose low"):
        document["bundle"]["welfare"]["topics"][0]["stance"] = "oppose"
    found = pair.divergence(document)
    assert found is None, f"{label}:\n{found}"


def test_age_at_the_limit(pair: EnginePair) -> None:
    for age in (30, 30.0, 30.000001, 29.999999, 1e-07, 0):
        document = seed_input()
        document["context"]["evidence_age_days"] = age
        assert pair.divergence(document) is None, f"age {age!r}: {pair.divergence(document)}"


def test_regopy_fails_closed_below_the_figures_it_can_format(pair: EnginePair) -> None:
    """The one known regopy divergence the generated inputs avoid: it is an error, never a
    verdict, and no loaded bundle reaches it (its figures are derived, rounded to 6 places)."""
    document = seed_input()
    document["bundle"]["collection"]["judge"]["calibration"]["precision"] = 2.2250738585072014e-308
    assert pair.opa.evaluate(document).result["verdict"] == "escalate"
    with pytest.raises(GatekeeperError, match="unreadable output"):
        pair.regopy.evaluate(document)


@pytest.mark.slow
def test_engines_agree_on_generated_inputs(pair: EnginePair) -> None:
    """500 generated inputs, counted inside the one test (no order between tests needed)."""
    evaluated = 0
    started = time.perf_counter()

    @settings(max_examples=GENERATED, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(document=mutated_inputs(seeds()))
    def agree(document: dict[str, Any]) -> None:
        nonlocal evaluated
        evaluated += 1
        found = pair.divergence(document)
        if found is not None:
            note("input: " + json.dumps(document, ensure_ascii=False, sort_keys=True))
        assert found is None, f"engines diverge:\n{found}"

    agree()
    print(f"differential: {evaluated} generated inputs in {time.perf_counter() - started:.1f}s")
    assert evaluated >= GENERATED


@pytest.mark.slow
def test_engines_agree_on_generated_waivers(pair: EnginePair) -> None:
    """Every example input with generated verified waivers: what they lift, and what not."""

    @settings(max_examples=WAIVER_CASES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(document=st.sampled_from(seeds()), waivers=verified_waivers())
    def agree(document: dict[str, Any], waivers: list[dict[str, Any]]) -> None:
        found = pair.divergence({**document, "waivers": waivers})
        if found is not None:
            note("waivers: " + json.dumps(waivers, ensure_ascii=False))
        assert found is None, f"engines diverge:\n{found}"

    agree()
