"""Run Rego `test_*` rules on the embedded engine (regopy has no test runner of its own)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from gatekeeper.engines.embedded import build_interpreter, query_binding
from gatekeeper.errors import EngineError
from gatekeeper.policy.loading import load_policy_set

_PACKAGE = re.compile(r"^\s*package\s+([\w.]+)", re.MULTILINE)
_TEST_RULE = re.compile(r"^((?:test|todo)_\w+)\b", re.MULTILINE)


@dataclass(frozen=True)
class TestOutcome:
    name: str
    location: str
    status: str  # pass | fail | error | skip
    detail: str
    seconds: float


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


def run_tests(
    extra_dirs: tuple[Path, ...] = (), *, include_defaults: bool = True
) -> list[TestOutcome]:
    """Evaluate every test rule; `true` passes, anything else (undefined, false, error) fails."""
    policy = load_policy_set(extra_dirs, include_tests=True, include_defaults=include_defaults)
    interpreter = build_interpreter(policy)
    outcomes: list[TestOutcome] = []
    for package, rule, location in discover(tuple((m.path, m.text) for m in policy.modules)):
        name = f"data.{package}.{rule}"
        if rule.startswith("todo_"):
            outcomes.append(TestOutcome(name, location, "skip", "todo", 0.0))
            continue
        started = time.perf_counter()
        try:
            value = query_binding(interpreter, name)
        except EngineError as error:
            outcomes.append(
                TestOutcome(name, location, "error", str(error), time.perf_counter() - started)
            )
            continue
        status = "pass" if value is True else "fail"
        detail = "" if value is True else f"got {value!r}"
        outcomes.append(TestOutcome(name, location, status, detail, time.perf_counter() - started))
    return outcomes
