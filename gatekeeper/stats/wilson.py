"""Wilson score interval: honest bounds for small n (1 of 1 gives [0.21, 1.0], not 100%)."""

from __future__ import annotations

import math
from dataclasses import dataclass

Z_95 = 1.959963984540054  # two-sided 95% normal quantile


@dataclass(frozen=True)
class WilsonInterval:
    k: int
    n: int
    low: float
    high: float


def wilson_interval(k: int, n: int, z: float = Z_95) -> WilsonInterval:
    """Interval for k successes in n trials; n == 0 gives the vacuous [0, 1]."""
    if not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    if n == 0:
        return WilsonInterval(k, n, 0.0, 1.0)
    p = k / n
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    # Rounded to 6 places so every engine and every report sees the same number.
    low = 0.0 if k == 0 else round(max(0.0, centre - half), 6)
    high = 1.0 if k == n else round(min(1.0, centre + half), 6)
    return WilsonInterval(k, n, low, high)
