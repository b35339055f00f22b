"""How well the reader that scored a bundle reads answers, measured against a labelled set.

A reader is evidence too: a stance is only as good as the reading behind it. The policies
read these figures and escalate when the reader is uncalibrated or below the floors.
"""

from __future__ import annotations

from pydantic import Field

from gatekeeper.bundle._base import Count, Digest, NonEmptyStr, Probability, Record


class ClassScore(Record):
    """One answer class (or `unscored`): how often the reader said it and was right."""

    label: NonEmptyStr
    gold: Count = Field(description="Items whose hand label is this class.")
    read: Count = Field(description="Items the reader gave this class.")
    correct: Count
    precision: Probability | None = Field(description="correct / read; null when read is 0.")
    recall: Probability | None = Field(description="correct / gold; null when gold is 0.")


class ProtocolScore(Record):
    protocol: NonEmptyStr
    items: Count
    read: Count
    correct: Count
    coverage: Probability
    precision: Probability | None


class Calibration(Record):
    """The reader's agreement with hand labels: coverage, precision, recall and Cohen's kappa."""

    reader: NonEmptyStr = Field(description="`offline`, or the judge's litellm id.")
    prompt_digest: Digest = Field(description="The reader behaviour that was measured.")
    labels_id: NonEmptyStr
    labels_digest: Digest
    items: Count
    read: Count = Field(description="Items given an answer class (not left unscored).")
    correct: Count = Field(description="Read items whose class is the hand label.")
    coverage: Probability = Field(description="read / items.")
    precision: Probability | None = Field(description="correct / read.")
    kappa: float | None = Field(
        ge=-1.0, le=1.0,
        description="Cohen's kappa between reader and hand labels over every item, with all "
        "unscored reasons as one category; null when it is undefined (one category only).",
    )
    classes: list[ClassScore] = Field(description="Per answer class, and `unscored`.")
    protocols: list[ProtocolScore]
    requested_conditions: ClassScore = Field(
        description="Condition ids read against the hand-labelled ones, over all items.")
