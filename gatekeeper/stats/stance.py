"""Derive a stance from counts: a clear, interval-backed majority, or say why there is none."""

from __future__ import annotations

from collections.abc import Mapping

from gatekeeper.stats.wilson import wilson_interval

STANCES = ("support", "oppose", "conditional", "no_preference")
MIN_SCORED = 10
"""Below this many scored samples no stance is derived (`insufficient`); policy floors differ."""
MAJORITY = 0.5
"""The modal stance must have its Wilson lower bound above this to count as the stance."""


def modal(counts: Mapping[str, int]) -> str | None:
    """The most frequent stance; None when there is none or the top is tied."""
    ranked = sorted(((counts.get(s, 0), s) for s in STANCES), reverse=True)
    if ranked[0][0] == 0 or ranked[0][0] == ranked[1][0]:
        return None
    return ranked[0][1]


def derive_stance(counts: Mapping[str, int], minimum: int = MIN_SCORED) -> str:
    """The modal stance when its majority is clear, else `inconsistent` or `insufficient`."""
    scored = sum(counts.get(s, 0) for s in STANCES)
    if scored < minimum:
        return "insufficient"
    top = modal(counts)
    if top is None:
        return "inconsistent"
    if wilson_interval(counts[top], scored).low > MAJORITY:
        return top
    return "inconsistent"


def combine_stances(stances: list[str]) -> str:
    """One stance over several records: disagreement is reported, never averaged away."""
    if "inconsistent" in stances:
        return "inconsistent"
    definite = {s for s in stances if s != "insufficient"}
    if len(definite) > 1:
        return "inconsistent"
    return definite.pop() if definite else "insufficient"
