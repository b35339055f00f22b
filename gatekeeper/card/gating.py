"""The Hub access gate a card declares: `extra_gated_*` keys, `extra_gated_fields` checked.

`extra_gated_fields` maps a form label to a field type, or to `{type: select, options: [...]}`
whose options are strings or `{label, value}` (hub-docs `models-gated.md`). A gate the Hub
could not render is a gate the gate cannot count on, so a malformed one is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args

from gatekeeper.card.models import CONTROL, GatedFieldType, Gating
from gatekeeper.errors import InvalidInput

PREFIX = "extra_gated_"
_TYPES: tuple[str, ...] = get_args(GatedFieldType)
Refuse = Callable[[str, str], InvalidInput]


def _option_ok(option: Any) -> bool:
    if isinstance(option, str):
        return bool(option.strip())
    return (isinstance(option, dict) and set(option) == {"label", "value"}
            and all(isinstance(v, str) and v.strip() for v in option.values()))


def _field_problem(spec: Any) -> str | None:
    if isinstance(spec, str):
        return None if spec in _TYPES else f"type {spec!r} is not one of {', '.join(_TYPES)}"
    if not isinstance(spec, dict) or spec.get("type") not in _TYPES:
        return f"needs a type, one of {', '.join(_TYPES)}"
    if spec["type"] != "select":
        return None if set(spec) == {"type"} else "only `select` takes more than a type"
    options = spec.get("options")
    if set(spec) != {"type", "options"} or not isinstance(options, list) or not options:
        return "a select needs a non-empty `options` list"
    return None if all(_option_ok(o) for o in options) else (
        "each option is a string or {label, value}")


def read_gating(data: dict[str, Any], refuse: Refuse) -> Gating:
    prompt = data.get(f"{PREFIX}prompt")
    if prompt is not None and not isinstance(prompt, str):
        raise refuse(f"{PREFIX}prompt", "must be text")
    fields = data.get(f"{PREFIX}fields") or {}
    if not isinstance(fields, dict):
        raise refuse(f"{PREFIX}fields", "must map each form label to a field type")
    for label, spec in fields.items():
        problem = _field_problem(spec)
        if problem is None and (not label.strip() or CONTROL.search(label)):
            problem = "a label is one non-empty line"
        if problem is not None:
            raise refuse(f"{PREFIX}fields", f"field {label!r}: {problem}")
    eu = data.get(f"{PREFIX}eu_disallowed", False)
    if not isinstance(eu, bool):
        raise refuse(f"{PREFIX}eu_disallowed", "must be true or false")
    return Gating(
        declared=any(key.startswith(PREFIX) for key in data),
        prompt=bool(prompt and prompt.strip()),
        fields=list(fields),
        eu_disallowed=eu,
    )
