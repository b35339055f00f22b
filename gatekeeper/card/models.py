"""What the gate reads from a model card: the `release_review` block and the card facts.

`ReleaseReview` is the block a lab adds to its card's front matter (schema
`model-card-release-review.schema.json`); `CardFacts` is what the policies see as
`input.card` and what `gatekeeper card check --format json` prints
(`model-card-facts.schema.json`). The card is evidence, never the place a verdict is read
from: a `verdict:` in the block is refused as an unknown key.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from gatekeeper.bundle._base import Digest, NonEmptyStr, Record
from gatekeeper.bundle.plan import ReleaseMode

_SEGMENT = r"(?:[^./\\\x00][^/\\\x00]*|\.[^./\\\x00][^/\\\x00]*|\.\.[^/\\\x00]+|\.)"
_CARD_PATH = rf"^{_SEGMENT}(?:/{_SEGMENT})*$"
CARD_PATH = re.compile(_CARD_PATH)
CardPath = Annotated[str, StringConstraints(pattern=_CARD_PATH)]
"""A relative POSIX path that stays below the card's folder: no `/` start, no `..`, no `\\`."""

CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
"""Characters that break a line or a terminal: never in a one-line card field."""

GatedFieldType = Literal["text", "checkbox", "date_picker", "country", "select"]


class ReleaseReview(Record):
    """The card's pointer to what the gate must evaluate, paths relative to the card."""

    weights_digest: Digest = Field(description="gatekeeper weights digest of the candidate")
    release_mode: ReleaseMode = Field(description="the release the card asks for")
    release_plan: CardPath = Field(description="the release plan (YAML) for these weights")
    evidence_bundle: CardPath | None = Field(
        default=None, description="the committed evidence bundle; absent when CI collects it"
    )


class Gating(Record):
    """The Hub access gate the card declares (`extra_gated_*` keys)."""

    declared: bool = Field(description="any extra_gated_* key is present")
    prompt: bool
    fields: list[NonEmptyStr] = Field(description="labels of extra_gated_fields")
    eu_disallowed: bool


class CardFacts(Record):
    """The model card as the policies see it (`input.card`)."""

    file: NonEmptyStr
    digest: Digest = Field(description="sha256 of the card file's bytes")
    license: NonEmptyStr | None
    license_name: NonEmptyStr | None
    license_link: NonEmptyStr | None
    license_link_kind: Literal["url", "path"] | None
    base_model: list[NonEmptyStr] = Field(description="a list: more than one means a merge")
    base_model_relation: NonEmptyStr | None
    language: list[NonEmptyStr]
    pipeline_tag: NonEmptyStr | None
    gating: Gating
    release_review: ReleaseReview | None
