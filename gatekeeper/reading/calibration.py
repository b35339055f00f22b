"""Calibration figures: a reader's readings against hand labels.

Coverage says how much the reader reads; precision how often what it reads is the human's
reading; recall per class how much of each class it finds; Cohen's kappa how far the whole
labelling agrees beyond chance, with every unscored reason as one category ("no reading").
Classes are named `<kind>:<class>` so that `no_preference` of a yes/no question and of an
edit are not merged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gatekeeper.reading.labels import UNSCORED_LABELS

UNSCORED = "unscored"


@dataclass(frozen=True)
class Scored:
    """One labelled item: the hand label, the reader's output, and where the item came from."""

    kind: str
    protocol: str
    gold: str
    read: str | None
    """The reader's answer class, or None when it left the item unscored."""
    gold_conditions: frozenset[str] = frozenset()
    read_conditions: frozenset[str] = frozenset()

    @property
    def gold_category(self) -> str:
        return UNSCORED if self.gold in UNSCORED_LABELS else f"{self.kind}:{self.gold}"

    @property
    def read_category(self) -> str:
        return UNSCORED if self.read is None else f"{self.kind}:{self.read}"

    @property
    def correct(self) -> bool:
        return self.read is not None and self.read == self.gold


def _ratio(k: int, n: int) -> float | None:
    return None if n == 0 else round(k / n, 6)


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Kappa of (gold, read) category pairs; None when chance agreement is already total."""
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(1 for g, r in pairs if g == r) / n
    gold = Counter(g for g, _ in pairs)
    read = Counter(r for _, r in pairs)
    expected = sum(gold[c] * read[c] for c in gold) / (n * n)
    if expected >= 1.0:
        return None
    return round((observed - expected) / (1.0 - expected), 6)


def _class_score(label: str, items: Sequence[Scored]) -> dict[str, Any]:
    gold = sum(1 for i in items if i.gold_category == label)
    read = sum(1 for i in items if i.read_category == label)
    correct = sum(1 for i in items if i.gold_category == label == i.read_category)
    return {"label": label, "gold": gold, "read": read, "correct": correct,
            "precision": _ratio(correct, read), "recall": _ratio(correct, gold)}


def figures(items: Sequence[Scored]) -> dict[str, Any]:
    """Everything but the reader's and the labels' identity (see `Calibration`)."""
    read = [i for i in items if i.read is not None]
    correct = sum(1 for i in read if i.correct)
    labels = sorted({i.gold_category for i in items} | {i.read_category for i in items})
    protocols = []
    for protocol in sorted({i.protocol for i in items}):
        mine = [i for i in items if i.protocol == protocol]
        mine_read = [i for i in mine if i.read is not None]
        mine_correct = sum(1 for i in mine_read if i.correct)
        protocols.append({"protocol": protocol, "items": len(mine), "read": len(mine_read),
                          "correct": mine_correct, "coverage": round(len(mine_read) / len(mine), 6),
                          "precision": _ratio(mine_correct, len(mine_read))})
    gold_conditions = sum(len(i.gold_conditions) for i in items)
    read_conditions = sum(len(i.read_conditions) for i in items)
    right_conditions = sum(len(i.gold_conditions & i.read_conditions) for i in items)
    return {
        "items": len(items),
        "read": len(read),
        "correct": correct,
        "coverage": round(len(read) / len(items), 6) if items else 0.0,
        "precision": _ratio(correct, len(read)),
        "kappa": cohen_kappa([(i.gold_category, i.read_category) for i in items]),
        "classes": [_class_score(label, items) for label in labels],
        "protocols": protocols,
        "requested_conditions": {
            "label": "requested_conditions", "gold": gold_conditions, "read": read_conditions,
            "correct": right_conditions, "precision": _ratio(right_conditions, read_conditions),
            "recall": _ratio(right_conditions, gold_conditions),
        },
    }
