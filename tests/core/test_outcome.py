"""An engine answer becomes a verdict only when it is complete; the guard only tightens it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gatekeeper.decision.models import RuleMetadata
from gatekeeper.decision.outcome import parse_engine_result
from gatekeeper.decision.verdict import ExitCode, exit_code_for
from gatekeeper.errors import EngineError
from gatekeeper.policy.metadata import RuleAnnotation

REASON = {"rule_id": "GK-X-001", "message": "m", "fields": ["a.b"], "values": {"a.b": 1}}


def sets(block: list[Any] | None = None, escalate: list[Any] | None = None,
         conditions: list[Any] | None = None) -> dict[str, Any]:
    return {"block_reasons": block or [], "escalate_reasons": escalate or [],
            "conditions": conditions or []}


def answer(verdict: str, block: list[Any] | None = None, escalate: list[Any] | None = None,
           conditions: list[Any] | None = None, **changes: Any) -> dict[str, Any]:
    return {"verdict": verdict, "unwaived_verdict": verdict, **sets(block, escalate, conditions),
            "waived": sets(), "waivers": {"applied": [], "void": []}, **changes}


WAIVER = {"waiver_id": "W", "waiver_digest": "sha256:" + "a" * 64, "rule_id": "GK-X-001",
          "approver": "Dana", "reason": "r", "issued_at": "2025-01-01T00:00:00Z",
          "expires_at": "2025-02-01T00:00:00Z", "keyid": "k"}


@pytest.mark.parametrize("raw", [None, [], "approve", {}, {"verdict": "approve"},
                                 {"verdict": "APPROVE", "block_reasons": [],
                                  "escalate_reasons": [], "conditions": []}])
def test_incomplete_or_undefined_answers_are_engine_errors(raw: Any) -> None:
    with pytest.raises(EngineError):
        parse_engine_result(raw, {})


@pytest.mark.parametrize(
    ("raw", "guarded"),
    [
        (answer("approve", block=[REASON]), "block"),
        (answer("escalate", block=[REASON]), "block"),
        (answer("approve_with_conditions", escalate=[REASON]), "escalate"),
        (answer("approve", conditions=[REASON]), "approve_with_conditions"),
        (answer("block"), "block"),  # stricter than its reasons: the policy's word stands
        # a reason called waived with no waiver applied to its rule still stands
        (answer("approve", waived=sets(escalate=[REASON])), "escalate"),
    ],
)
def test_the_guard_only_makes_a_policy_bug_stricter(raw: dict[str, Any], guarded: str) -> None:
    assert parse_engine_result(raw, {}).verdict == guarded


def test_a_lifted_reason_leaves_at_most_approve_with_conditions() -> None:
    raw = answer("approve", waived=sets(block=[REASON]),
                 waivers={"applied": [WAIVER], "void": []})
    outcome = parse_engine_result(raw, {}, [WAIVER])
    assert outcome.verdict == "approve_with_conditions"
    assert outcome.waivers.engine_verdict == "block"
    assert outcome.waivers.applied[0].waived[0].rule_id == "GK-X-001"


@pytest.mark.parametrize("raw", [
    answer("approve", escalate=[{"message": "no id"}]),
    answer("approve", waivers={"applied": [WAIVER], "void": []}),  # never presented
    answer("approve", waivers={"applied": [], "void": [{"problem": ""}]}),
    answer("approve", waived=[]),
    answer("approve", unwaived_verdict=None),
])
def test_a_malformed_decision_is_an_engine_error(raw: dict[str, Any]) -> None:
    with pytest.raises(EngineError):
        parse_engine_result(raw, {})


def test_a_reason_in_another_set_than_its_annotation_is_an_engine_error() -> None:
    metadata = RuleMetadata(title="t", description="", remediation="", frameworks=[],
                            source="x.rego:1")
    catalog = {"GK-X-001": RuleAnnotation(metadata, "block")}
    assert parse_engine_result(answer("block", block=[REASON]), catalog).verdict == "block"
    with pytest.raises(EngineError, match="annotated severity block"):
        parse_engine_result(answer("escalate", escalate=[REASON]), catalog)


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
        parsed, reasons, conditions, _ = parse_engine_result(raw, {})
    except EngineError:
        return
    # What survives is well-formed and consistent: an approval carries no reason at all.
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
