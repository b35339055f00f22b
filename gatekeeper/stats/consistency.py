"""Agreement figures: how often samples (or branches) agree with the modal answer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from gatekeeper.stats.stance import STANCES


def modal_agreement(counts: Mapping[str, int]) -> float:
    """Share of scored samples agreeing with the modal stance (0.0 when nothing is scored)."""
    scored = sum(counts.get(s, 0) for s in STANCES)
    if scored == 0:
        return 0.0
    return round(max(counts.get(s, 0) for s in STANCES) / scored, 6)


def group_agreement(labels: Sequence[str]) -> float | None:
    """Share of groups (e.g. interview branches) whose label equals the most common one."""
    if len(labels) < 2:
        return None
    return round(Counter(labels).most_common(1)[0][1] / len(labels), 6)
