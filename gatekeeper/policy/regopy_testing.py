"""Run Rego `test_*` rules on regopy (which has no test runner of its own).

The fallback when no OPA is installed, and the slow parity check of regopy against OPA
(tests/opa/test_rego_parity.py): OPA's own `opa test` is the default runner.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import replace
from typing import Any

import regopy

from gatekeeper.engines.base import PolicyModule, PolicySet
from gatekeeper.engines.regopy_engine import build_interpreter
from gatekeeper.errors import EngineError
from gatekeeper.policy.testing import TestOutcome

_PACKAGE = re.compile(r"^\s*package\s+([\w.]+)", re.MULTILINE)
_TEST_RULE = re.compile(r"^((?:test|todo)_\w+)\b", re.MULTILINE)
_RULES_TEST_PACKAGE = re.compile(r"\bgatekeeper\.rules\.(\w+_test)\b")
_FENCE = "gatekeeper_regopy_fence"


def discover(modules: tuple[tuple[str, str], ...]) -> list[tuple[str, str, str]]:
    """(package, rule, file:line) for every test rule, in file order, deduplicated."""
    found: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for path, text in modules:
        if not path.endswith("_test.rego"):
            continue
        package_match = _PACKAGE.search(text)
        if package_match is None:
            continue
        for match in _TEST_RULE.finditer(text):
            key = (package_match.group(1), match.group(1))
            if key not in seen:
                seen.add(key)
                line = text.count("\n", 0, match.start()) + 1
                found.append((*key, f"{path}:{line}"))
    return found


def _entrypoint(package: str, rule: str) -> str:
    return "/".join([*package.split("."), rule])


def _fence(text: str) -> str:
    return _RULES_TEST_PACKAGE.sub(rf"{_FENCE}.\1", text)


def _fenced(policy: PolicySet) -> PolicySet:
    """Test packages moved out from under `gatekeeper.rules` (a regopy 1.5.2 defect).

    A test package sits beside the package it tests (`gatekeeper.rules.welfare_test`).
    When the decision collects `data.gatekeeper.rules[_].block_reasons`, OPA reads those
    reason sets alone, but regopy evaluates every rule of every package under the prefix,
    tests included: a test that asks for the decision then recurses. Outside a test run no
    test module is loaded, so only the runner needs the fence; outcomes keep their names.
    """
    modules = tuple(
        PolicyModule(m.path, _fence(m.text))
        if m.path.endswith("_test.rego") else m
        for m in policy.modules
    )
    return replace(policy, modules=modules)


def _read(output: regopy.Output) -> Any:
    """`true`, another value, or None for undefined, from a bundle query's output."""
    text = str(output)
    if not output.ok():
        raise EngineError(f"runtime error: {text}")
    if text == "undefined":
        return None
    document = json.loads(text)
    results = document if isinstance(document, list) else [document]
    expressions = results[0].get("expressions", []) if results else []
    return expressions[0] if len(expressions) == 1 else expressions


def run_regopy_tests(policy: PolicySet) -> list[TestOutcome]:
    """Evaluate every test rule; `true` passes, anything else (undefined, false, error) fails.

    The policies are compiled once into a regopy bundle with every test as an entrypoint:
    querying rules one by one on an interpreter recompiles each time (seconds per test
    with `with`, and gigabytes of memory over a suite).
    """
    tests = discover(tuple((m.path, m.text) for m in policy.modules))
    runnable = [t for t in tests if not t[1].startswith("todo_")]
    interpreter = build_interpreter(_fenced(policy))
    try:
        bundle = interpreter.build(
            None, [_entrypoint(_fence(p), r) for p, r, _ in runnable])
    except regopy.RegoError as error:
        raise EngineError(f"the policies and tests do not compile together: {error}") from error
    outcomes: list[TestOutcome] = []
    for package, rule, location in tests:
        name = f"data.{package}.{rule}"
        if rule.startswith("todo_"):
            outcomes.append(TestOutcome(name, location, "skip", "todo", 0.0))
            continue
        started = time.perf_counter()
        try:
            value = _read(interpreter.query_bundle_entrypoint(
                bundle, _entrypoint(_fence(package), rule)))
        except (EngineError, regopy.RegoError, json.JSONDecodeError) as error:
            outcomes.append(
                TestOutcome(name, location, "error", str(error), time.perf_counter() - started)
            )
            continue
        status = "pass" if value is True else "fail"
        detail = "" if value is True else f"got {value!r}"
        outcomes.append(TestOutcome(name, location, status, detail, time.perf_counter() - started))
    return outcomes
