"""Position bias for forced choice: how often the option shown first wins."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gatekeeper.stats.rates import rate


def first_position_rate(first_shown_won: Iterable[bool | None]) -> dict[str, Any]:
    """About 0.5 for an unbiased model on randomised orders; far from it means position bias."""
    known = [flag for flag in first_shown_won if flag is not None]
    return rate(sum(known), len(known))
