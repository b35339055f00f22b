"""Calibration figures: a reader's readings against hand labels.

Coverage says how much the reader reads; precision how often what it reads is the human's
reading; recall per class how much of each class it finds; Cohen's kappa how far the whole
labelling agrees beyond chance, with every unscored reason as one category ("no reading").
Classes are named `<kind>:<class>` so that `no_preference` of a yes/no question and of an
edit are not merged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
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


def _kappa(n: int, agreed: int, gold: Mapping[str, int], read: Mapping[str, int]
           ) -> float | None:
    """Kappa from the margins: `agreed` of `n` items, `gold`/`read` items per category."""
    if n == 0:
        return None
    expected = sum(count * read.get(category, 0) for category, count in gold.items()) / (n * n)
    if expected >= 1.0:
        return None
    return round((agreed / n - expected) / (1.0 - expected), 6)


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Kappa of (gold, read) category pairs; None when chance agreement is already total."""
    return _kappa(len(pairs), sum(1 for g, r in pairs if g == r),
                  Counter(g for g, _ in pairs), Counter(r for _, r in pairs))


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


def _rescored(row: Mapping[str, Any]) -> dict[str, Any]:
    return {**row, "precision": _ratio(row["correct"], row["read"]),
            "recall": _ratio(row["correct"], row["gold"])}


def rederived(calibration: Mapping[str, Any]) -> dict[str, Any]:
    """`calibration` with every ratio and total computed again from its per-class counts.

    A bundle's calibration is the collector's claim; its counts determine everything else
    (kappa too, from the margins), so an edited figure differs from this.
    """
    classes = calibration["classes"]
    n = sum(row["gold"] for row in classes)
    read = n - sum(row["read"] for row in classes if row["label"] == UNSCORED)
    correct = sum(row["correct"] for row in classes if row["label"] != UNSCORED)
    return {
        **calibration,
        "items": n, "read": read, "correct": correct,
        "coverage": round(read / n, 6) if n else 0.0,
        "precision": _ratio(correct, read),
        "kappa": _kappa(n, sum(row["correct"] for row in classes),
                        {row["label"]: row["gold"] for row in classes},
                        {row["label"]: row["read"] for row in classes}),
        "classes": [_rescored(row) for row in classes],
        "protocols": [{**row, "coverage": round(row["read"] / row["items"], 6) if row["items"]
                       else 0.0, "precision": _ratio(row["correct"], row["read"])}
                      for row in calibration["protocols"]],
        "requested_conditions": _rescored(calibration["requested_conditions"]),
    }


def count_problem(calibration: Mapping[str, Any]) -> str | None:
    """Counts that no reading of `items` labelled answers can give, or None."""
    classes = calibration["classes"]
    if sum(row["read"] for row in classes) != calibration["items"]:
        return "the classes' read counts do not add up to the items"
    if any(row["correct"] > min(row["read"], row["gold"]) for row in classes):
        return "a class has more correct readings than readings or hand labels"
    protocols = calibration["protocols"]
    for name in ("items", "read", "correct"):
        if sum(row[name] for row in protocols) != calibration[name]:
            return f"the protocols' {name} do not add up to the whole"
    return None
