"""An engine answer becomes a verdict only when it is complete and self-consistent."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gatekeeper.decision.outcome import parse_engine_result
from gatekeeper.decision.verdict import ExitCode, exit_code_for
from gatekeeper.errors import EngineError

REASON = {"rule_id": "GK-X-001", "message": "m", "fields": ["a.b"], "values": {"a.b": 1}}


def answer(verdict: str, block: list[Any] | None = None, escalate: list[Any] | None = None,
           conditions: list[Any] | None = None) -> dict[str, Any]:
    return {"verdict": verdict, "block_reasons": block or [], "escalate_reasons": escalate or [],
            "conditions": conditions or []}


@pytest.mark.parametrize("raw", [None, [], "approve", {}, {"verdict": "approve"},
                                 {"verdict": "APPROVE", "block_reasons": [],
                                  "escalate_reasons": [], "conditions": []}])
def test_incomplete_or_undefined_answers_are_engine_errors(raw: Any) -> None:
    with pytest.raises(EngineError):
        parse_engine_result(raw, {})


@pytest.mark.parametrize(
    "raw",
    [
        answer("approve", block=[REASON]),
        answer("escalate", block=[REASON]),
        answer("approve_with_conditions", escalate=[REASON]),
        answer("approve", conditions=[REASON]),
        answer("approve", escalate=[{"message": "no id"}]),
    ],
)
def test_a_policy_bug_cannot_approve_over_a_reason(raw: dict[str, Any]) -> None:
    with pytest.raises(EngineError):
        parse_engine_result(raw, {})


@given(
    verdict=st.sampled_from(["block", "escalate", "approve_with_conditions", "approve"]),
    junk=st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                      lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8),
    key=st.sampled_from(["block_reasons", "escalate_reasons", "conditions"]),
)
def test_garbage_in_a_reason_never_parses_to_approval(verdict: str, junk: Any, key: str) -> None:
    raw = answer(verdict)
    raw[key] = junk
    try:
        parsed, reasons, conditions = parse_engine_result(raw, {})
    except EngineError:
        return
    # What survives is well-formed and consistent: an approval carries no reason at all.
    assert parsed == verdict
    if parsed == "approve":
        assert reasons == [] and conditions == []


@pytest.mark.parametrize(
    ("verdict", "fail_on", "code"),
    [
        ("approve", "escalate", ExitCode.OK),
        ("approve_with_conditions", "escalate", ExitCode.OK),
        ("escalate", "escalate", ExitCode.ESCALATE),
        ("block", "escalate", ExitCode.BLOCK),
        ("escalate", "block", ExitCode.OK),
        ("block", "block", ExitCode.BLOCK),
        ("approve_with_conditions", "conditions", ExitCode.ESCALATE),
        ("block", "never", ExitCode.OK),
    ],
)
def test_exit_codes_follow_the_design_contract(verdict: str, fail_on: str, code: int) -> None:
    assert exit_code_for(verdict, fail_on) == code  # type: ignore[arg-type]
