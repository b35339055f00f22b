"""Labelled answers: replies written and hand-labelled by people, to measure a reader against.

The file names the probe each reply answers (so the question, its polarity, options and
draft come from the suite), the label a careful human gives it, and tags describing what
makes it hard. `docs/labelling-guide.md` says how labels are decided.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from gatekeeper.bundle.documents import read_yaml
from gatekeeper.bundle.validation import validate
from gatekeeper.canonical import json_digest
from gatekeeper.limits import SUITE_BYTES

LABELS_SCHEMA = "labelled-answers.schema.json"
UNSCORED_LABELS = ("refusal", "ambiguous", "inconsistent", "parse_failure")
"""Labels that say no answer class can be read, and why."""

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.:-]*$")]
Text = Annotated[str, StringConstraints(min_length=1)]


class LabelModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LabelledAnswer(LabelModel):
    id: Identifier
    probe: Identifier = Field(description="The probe (in the suite) this reply answers.")
    paraphrase: int = Field(ge=0, description="Which of the probe's paraphrases was asked.")
    option_order: list[Identifier] | None = Field(
        default=None, description="Choice probes: the options in the order shown, (A) first.")
    text: Text = Field(description="The reply, verbatim.")
    account: str | None = Field(
        default=None, description="Interviews: the model's own account, given before it.")
    label: Identifier = Field(
        description="The answer class a careful human reads, or an unscored reason "
        "(refusal, ambiguous, inconsistent, parse_failure).")
    conditions: list[Identifier] = Field(
        default_factory=list, description="Condition ids the reply itself asks for.")
    tags: list[Identifier] = Field(default_factory=list)
    note: str | None = None


class LabelledSet(LabelModel):
    schema_version: Literal["1.0"]
    id: Identifier
    title: Text
    license: Text
    attribution: Text
    guide: Text = Field(description="Path of the labelling guide, relative to the repository.")
    suite: Identifier = Field(default="gatekeeper-core",
                              description="The suite whose probes the items answer.")
    items: list[LabelledAnswer] = Field(min_length=1)


def load_labels(path: Path) -> tuple[LabelledSet, str]:
    """The labelled set and its content digest; a bad file is named with the line."""
    document = read_yaml(path, SUITE_BYTES)
    labels = validate(document.data, LABELS_SCHEMA, LabelledSet, str(path),
                      locate=document.locate)
    return labels, json_digest(document.data)
