"""The regopy fallback engine fences every regopy 1.5.2 defect listed in DESIGN.md."""

from __future__ import annotations

import json

import pytest
import regopy

from gatekeeper.engines.base import PolicyModule, PolicySet
from gatekeeper.engines.jsontext import dumps_positional
from gatekeeper.engines.regopy_engine import RegopyEngine, build_interpreter, query_binding
from gatekeeper.errors import EngineError, PolicyError

V1 = "package t\nimport rego.v1\n"


def policy(*bodies: str, data: dict[str, object] | None = None) -> PolicySet:
    modules = tuple(PolicyModule(f"m{i}.rego", body) for i, body in enumerate(bodies))
    return PolicySet(modules, data or {}, "sha256:" + "0" * 64)


def decision_module(body: str) -> str:
    return "package gatekeeper.decision\nimport rego.v1\n" + body


def test_set_input_dict_rounds_floats_so_we_never_use_it() -> None:
    # Pins the defect itself: if regopy fixes it this test tells us the fence can go.
    interpreter = regopy.Interpreter()
    interpreter.add_module("t.rego", V1 + "above if input.x > 0.5\n")
    interpreter.set_input({"x": 0.5000001})
    assert str(interpreter.query("x := data.t.above")) == "undefined"


def test_input_keeps_full_precision_at_a_threshold_boundary() -> None:
    set_ = policy(decision_module(
        'result := {"verdict": "block", "x": input.x, "above": input.x > 0.5}\n'
    ))
    interpreter = build_interpreter(set_)
    interpreter.set_input_term(dumps_positional({"x": 0.5000001}))
    assert query_binding(interpreter, "data.gatekeeper.decision.result")["above"] is True
    interpreter.set_input_term(dumps_positional({"x": 0.5}))
    assert query_binding(interpreter, "data.gatekeeper.decision.result")["above"] is False


def test_exponent_numbers_reach_data_exactly() -> None:
    # add_data_json rejects `1e-07` (Python's json.dumps spelling); we write it positionally.
    set_ = policy(V1 + "small if data.limits.tiny < 0.000001\n", data={"limits": {"tiny": 1e-07}})
    assert query_binding(build_interpreter(set_), "data.t.small") is True


def test_a_false_rule_reads_back_as_false_when_bound() -> None:
    interpreter = build_interpreter(policy(V1 + "default allow := false\n"))
    assert str(interpreter.query("data.t.allow")) == "undefined"  # the defect
    assert query_binding(interpreter, "data.t.allow") is False  # our way round it


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ("test_x if { true with input as {} }\n", "with input as"),
        ("m := rego.metadata.rule()\n", "rego.metadata"),
        ("deny[msg] {\n  msg := \"x\"\n}\n", "v0 rule syntax"),
        ('m := sprintf("(%s)", [concat(", ", ["a", "b"])])\n', "with concat instead"),
    ],
)
def test_hazardous_rego_is_refused_before_it_reaches_regopy(body: str, complaint: str) -> None:
    with pytest.raises(PolicyError, match=complaint) as raised:
        build_interpreter(policy(V1 + body))
    assert "m0.rego: line" in str(raised.value)


def test_module_without_rego_v1_import_is_refused() -> None:
    with pytest.raises(PolicyError, match=r"m0.rego: line 1: missing `import rego.v1`"):
        build_interpreter(policy("package t\nallow := true\n"))


def test_compile_error_names_the_file() -> None:
    with pytest.raises(PolicyError, match=r"m0\.rego: does not compile"):
        build_interpreter(policy(V1 + "r if {\n"))


def test_unknown_function_is_an_engine_error_not_a_crash() -> None:
    set_ = policy(decision_module('result := {"verdict": nosuch.fn(1)}\n'))
    with pytest.raises(EngineError):
        RegopyEngine().prepare(set_).evaluate({})


def test_runtime_error_is_an_engine_error_not_an_undefined_pass() -> None:
    # strict_built_in_errors is on, so 1/0 surfaces instead of leaving the rule undefined.
    set_ = policy(decision_module('result := {"verdict": "approve", "x": 1 / 0}\n'))
    with pytest.raises(EngineError, match="runtime error"):
        RegopyEngine().prepare(set_).evaluate({})


def test_unsafe_variable_gives_undefined_instead_of_compile_error() -> None:
    set_ = policy(decision_module('result := {"verdict": "approve"} if { x > 1 }\n'))
    assert RegopyEngine().prepare(set_).evaluate({}).result is None


def test_json_text_has_no_exponents() -> None:
    text = dumps_positional({"a": [1e-07, 1e22, -2e2, 0.1]})
    assert "e" not in text.replace("true", "").lower()
    assert json.loads(text) == {"a": [1e-07, 1e22, -2e2, 0.1]}


def test_sprintf_over_a_computed_string_breaks_regopy_output_and_fails_closed() -> None:
    # Pins the defect: through a variable the lint cannot see it, so the engine must refuse.
    set_ = policy(decision_module(
        'joined := concat(", ", ["a", "b"])\n'
        'result := {"verdict": "approve", "block_reasons": [], "escalate_reasons": [],'
        ' "conditions": [], "m": sprintf("(%s)", [joined])}\n'
    ))
    with pytest.raises(EngineError, match="unreadable output"):
        RegopyEngine().prepare(set_).evaluate({})


def test_a_fallback_says_so_in_its_engine_version() -> None:
    set_ = policy(decision_module('result := {"verdict": "escalate"}\n'))
    answer = RegopyEngine("no OPA binary found").prepare(set_).evaluate({})
    assert answer.engine_version.startswith("regopy 1.5.2 (fallback: no OPA binary found")
    assert RegopyEngine().prepare(set_).evaluate({}).engine_version == "regopy 1.5.2"
