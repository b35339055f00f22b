"""A rate as the bundle records it: k of n with its Wilson 95% interval."""

from __future__ import annotations

from typing import Any

from gatekeeper.stats.wilson import wilson_interval


def rate(k: int, n: int) -> dict[str, Any]:
    """`{"k", "n", "low", "high"}`; n == 0 gives the vacuous [0, 1]."""
    interval = wilson_interval(k, n)
    return {"k": k, "n": n, "low": interval.low, "high": interval.high}


def proportion(k: int, n: int) -> float | None:
    return None if n == 0 else round(k / n, 6)
