"""Framing effect: the largest gap in the oppose rate between direct, story and counter-story."""

from __future__ import annotations

from collections.abc import Mapping

FRAMINGS = ("direct", "story", "counter_story")


def framing_effect(oppose: Mapping[str, tuple[int, int]]) -> float | None:
    """`oppose` maps protocol -> (k, n); None unless two framings have scored samples."""
    shares = [k / n for protocol, (k, n) in oppose.items() if protocol in FRAMINGS and n > 0]
    if len(shares) < 2:
        return None
    return round(max(shares) - min(shares), 6)
