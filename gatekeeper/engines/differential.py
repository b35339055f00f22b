"""`--engine both`: evaluate on regopy and on OPA, and refuse to choose if they differ.

Comparison is on the decision document after normalisation, applied the same way to both
answers:

* the reason lists (kept and waived) and the applied and void waivers are sets in Rego, so
  each is sorted by its canonical JSON;
* numbers are compared as numbers: an integral float equals the integer (`1.0` == `1`), and
  other floats are rounded to 9 significant digits, because regopy prints some doubles
  with more digits than OPA (0.5000001 comes back as 0.5000000999999999). Nine digits is
  far below any threshold in the policies yet well above double-precision noise.

Everything else (verdict, rule ids, messages, fields, values, thresholds) must be equal.
"""

from __future__ import annotations

import json
import math
from typing import Any

from gatekeeper.engines.base import Engine, EngineAnswer, PolicySet, Prepared
from gatekeeper.errors import EngineError

SIGNIFICANT_DIGITS = 9
REASON_KEYS = ("block_reasons", "escalate_reasons", "conditions")
_SETS: tuple[tuple[str | None, tuple[str, ...]], ...] = (
    (None, REASON_KEYS), ("waived", REASON_KEYS), ("waivers", ("applied", "void")),
)


class EngineDisagreement(EngineError):
    """regopy and OPA returned different decisions: no verdict (exit 1)."""

    def __init__(self, message: str, regopy: Any, opa: Any) -> None:
        super().__init__(message)
        self.regopy = regopy
        self.opa = opa


def normalise_number(value: float) -> int | float:
    if not math.isfinite(value):
        return value
    if float(value).is_integer():
        return int(value)
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


def normalise(value: Any) -> Any:
    """The comparable form of a decision document (see the module docstring)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return normalise_number(value)
    if isinstance(value, dict):
        return {str(k): normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalise(v) for v in value]
    return value


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def comparable(result: Any) -> Any:
    """Normalised decision with its reason sets sorted; other shapes are compared as-is."""
    normal = normalise(result)
    if not isinstance(normal, dict):
        return normal
    for parent, keys in _SETS:
        node = normal if parent is None else normal.get(parent)
        if not isinstance(node, dict):
            continue
        for key in keys:
            if isinstance(node.get(key), list):
                node[key] = sorted(node[key], key=_canonical)
    return normal


def differences(regopy: Any, opa: Any) -> list[str]:
    """Human-readable differences between two decisions, empty when they agree."""
    left, right = comparable(regopy), comparable(opa)
    if left == right:
        return []
    if not isinstance(left, dict) or not isinstance(right, dict):
        return [f"decision: regopy {_canonical(left)[:300]} vs opa {_canonical(right)[:300]}"]
    found: list[str] = []
    for key in sorted(set(left) | set(right)):
        a, b = left.get(key), right.get(key)
        if a == b:
            continue
        if key in REASON_KEYS and isinstance(a, list) and isinstance(b, list):
            only_a = [r for r in a if r not in b]
            only_b = [r for r in b if r not in a]
            for reason in only_a:
                found.append(f"{key}: only regopy has {_canonical(reason)[:400]}")
            for reason in only_b:
                found.append(f"{key}: only opa has {_canonical(reason)[:400]}")
        else:
            found.append(f"{key}: regopy {_canonical(a)[:300]} vs opa {_canonical(b)[:300]}")
    return found


class BothEngines:
    """Runs both engines on the same policy set and input; any difference fails closed."""

    name = "both"

    def __init__(self, regopy: Engine, opa: Engine) -> None:
        self.regopy = regopy
        self.opa = opa

    def prepare(self, policy: PolicySet) -> BothPrepared:
        first = self.regopy.prepare(policy)
        try:
            return BothPrepared(first, self.opa.prepare(policy))
        except BaseException:
            first.close()
            raise


class BothPrepared:
    def __init__(self, regopy: Prepared, opa: Prepared) -> None:
        self.regopy = regopy
        self.opa = opa

    def evaluate(self, input_document: dict[str, Any]) -> EngineAnswer:
        first = self.regopy.evaluate(input_document)
        second = self.opa.evaluate(input_document)
        found = differences(first.result, second.result)
        if found:
            listed = "\n  ".join(found[:20])
            more = f"\n  … and {len(found) - 20} more" if len(found) > 20 else ""
            raise EngineDisagreement(
                f"engine disagreement: {first.engine_version} and {second.engine_version} "
                f"returned different decisions for the same policies and input:\n  {listed}{more}",
                first.result,
                second.result,
            )
        return EngineAnswer(
            result=first.result,
            engine_version=f"{first.engine_version} + {second.engine_version}",
            decision_id=second.decision_id,
        )

    def close(self) -> None:
        try:
            self.regopy.close()
        finally:
            self.opa.close()
