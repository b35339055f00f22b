"""JSON text that regopy reads exactly: no exponent floats, no 6-decimal rounding.

regopy 1.5.2 rounds floats given through `set_input(dict)` to 6 decimals and rejects
exponent numbers such as `1e-07` in `add_data_json`, so every document we hand it is
serialised here, with floats written out positionally from their shortest repr.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any


def _positional(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError(f"non-finite number {value!r} cannot be evaluated")
    text = format(Decimal(repr(value)), "f")
    return text if "." in text else text + ".0"


def dumps_positional(value: Any) -> str:
    """Like json.dumps, but floats never use exponent notation."""
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return _positional(value)
    if isinstance(value, dict):
        items = (
            f"{json.dumps(str(k), ensure_ascii=False)}:{dumps_positional(v)}"
            for k, v in value.items()
        )
        return "{" + ",".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(dumps_positional(v) for v in value) + "]"
    raise TypeError(f"not JSON: {type(value).__name__}")
