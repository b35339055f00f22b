"""Fallback engine: regopy (rego-cpp) in-process, with its known defects fenced.

Used only when no OPA binary is available (or asked for by name, or as one side of
`--engine both`): its semantics differ from OPA's in the ways
docs/engine-choice.md#regopy-the-fallback lists, so a decision it makes says so in its engine
version.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from typing import Any

import regopy

from gatekeeper.engines.base import EngineAnswer, PolicySet
from gatekeeper.engines.jsontext import dumps_positional
from gatekeeper.engines.lint import check_module
from gatekeeper.errors import EngineError, PolicyError

_BINDING = "gatekeeper_result"


def regopy_version() -> str:
    return f"regopy {version('regopy')}"


def build_interpreter(policy: PolicySet) -> regopy.Interpreter:
    """Load modules and data; compile errors become PolicyError naming the file."""
    interpreter = regopy.Interpreter()
    interpreter.strict_built_in_errors = True
    for module in policy.modules:
        check_module(module)
        try:
            interpreter.add_module(module.path, module.text)
        except regopy.RegoError as error:
            raise PolicyError(f"{module.path}: does not compile: {error}") from error
    try:
        interpreter.add_data_json(dumps_positional(policy.data))
    except (regopy.RegoError, ValueError, TypeError) as error:
        raise PolicyError(f"policy data: rejected by regopy: {error}") from error
    return interpreter


def query_binding(interpreter: regopy.Interpreter, expression: str) -> Any:
    """Evaluate `x := <expression>` and return x, or None when undefined.

    Binding (rather than querying the rule) is what makes a `false` value read back as
    false instead of undefined in regopy 1.5.2.
    """
    try:
        output = interpreter.query(f"{_BINDING} := {expression}")
    except json.JSONDecodeError as error:
        # regopy's own output was not JSON: an unknown function, or a built-in-computed
        # string interpolated by sprintf (emitted with raw quotes by regopy 1.5.2).
        raise EngineError(
            f"regopy produced unreadable output for `{expression}` ({error}); "
            "likely an unknown function, or sprintf over a computed string (use concat)"
        ) from error
    except (regopy.RegoError, RuntimeError) as error:
        raise EngineError(f"regopy failed on `{expression}`: {error!r}") from error
    text = str(output)
    if not output.ok():
        # regopy stringifies runtime errors (division by zero, a failing built-in under
        # strict_built_in_errors) as "<error>"; the detail is not reachable from Python.
        raise EngineError(f"the policies raised a runtime error evaluating `{expression}`: {text}")
    if text == "undefined":
        return None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise EngineError(f"regopy returned unreadable output: {text[:200]}") from error
    results = document if isinstance(document, list) else [document]
    if len(results) != 1 or _BINDING not in results[0].get("bindings", {}):
        raise EngineError(f"regopy returned an unexpected shape: {text[:200]}")
    return results[0]["bindings"][_BINDING]


class RegopyEngine:
    """`--engine regopy` (alias `embedded`), and the default's fallback when OPA is missing."""

    name = "regopy"

    def __init__(self, fallback_reason: str | None = None) -> None:
        self.fallback_reason = fallback_reason

    def version(self) -> str:
        if self.fallback_reason is None:
            return regopy_version()
        return f"{regopy_version()} (fallback: {self.fallback_reason})"

    def prepare(self, policy: PolicySet) -> RegopyPrepared:
        return RegopyPrepared(build_interpreter(policy), self.version())


class RegopyPrepared:
    """One compiled interpreter; each evaluation only swaps the input."""

    def __init__(self, interpreter: regopy.Interpreter, engine_version: str) -> None:
        self._interpreter = interpreter
        self._engine_version = engine_version

    def evaluate(self, input_document: dict[str, Any]) -> EngineAnswer:
        try:
            self._interpreter.set_input_term(dumps_positional(input_document))
        except (regopy.RegoError, ValueError, TypeError) as error:
            raise EngineError(f"regopy rejected the input: {error}") from error
        result = query_binding(self._interpreter, "data.gatekeeper.decision.result")
        return EngineAnswer(result=result, engine_version=self._engine_version)

    def close(self) -> None:
        """Nothing to release: the interpreter is garbage-collected."""
