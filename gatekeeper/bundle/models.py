"""The evidence bundle v1: one JSON document that the policies evaluate.

Its welfare records follow docs/evidence-protocols.md.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field

from gatekeeper.bundle._base import (
    Count,
    Digest,
    NonEmptyStr,
    Probability,
    Record,
    Timestamp,
)
from gatekeeper.bundle.calibration import Calibration
from gatekeeper.bundle.plan import Misuse, Release
from gatekeeper.bundle.welfare import (
    Protocol,
    ReadingBasis,
    Stance,
    Topic,
    UnscoredReason,
    Welfare,
)

BUNDLE_SCHEMA_VERSION = "1.0"
SectionName = Literal["subject", "collection", "welfare", "misuse", "release", "transcripts"]
SECTIONS: tuple[SectionName, ...] = get_args(SectionName)


class Subject(Record):
    model_name: NonEmptyStr
    model_version: NonEmptyStr
    weights_digest: Digest = Field(description="sha256 of the weights manifest evidence is for.")
    litellm_model: NonEmptyStr = Field(description="The litellm model id that was polled.")


class SuiteRef(Record):
    id: NonEmptyStr
    digest: Digest


class Sampling(Record):
    samples_per_prompt: int = Field(ge=1)
    temperature: float = Field(ge=0.0)
    seeds: list[int] = Field(min_length=1)
    max_tokens: int | None = Field(ge=1)
    answer_format: Literal["tag", "structured"] = Field(
        description="How closed questions asked for the commitment: an `ANSWER:` line, or a "
        "JSON `answer` field enforced by the provider's response schema."
    )


class Judge(Record):
    """The reader that scored the answers: the offline reader, or a judge model."""

    model: NonEmptyStr = Field(description="litellm id of the judge, or `offline`.")
    prompt_digest: Digest
    self_judge: bool = Field(
        description="The judge is the candidate model itself (allowed only when declared)."
    )
    calibration: Calibration | None = Field(
        description="The reader measured against a labelled set; null when not measured."
    )


class CacheStats(Record):
    hits: Count
    misses: Count
    hit_ratio: Probability


class Collection(Record):
    gatekeeper_version: NonEmptyStr
    suites: list[SuiteRef] = Field(min_length=1)
    sampling: Sampling
    judge: Judge
    started_at: Timestamp
    finished_at: Timestamp
    provider_fingerprints: list[NonEmptyStr] = Field(min_length=1)
    cache: CacheStats


class Message(Record):
    role: Literal["system", "user", "assistant"]
    content: str


class Classification(Record):
    """A scored stance, or `unscored` with the reason: a sample is never silently dropped."""

    stance: Stance | None
    unscored_reason: UnscoredReason | None
    after_stance: Stance | None = Field(
        description="Suggestibility: the stance read from the reply after the pushback."
    )
    answer_class: NonEmptyStr | None = Field(
        description="What the reader read (yes/no/..., an option id, theme/other, resists/...)."
    )
    basis: ReadingBasis = Field(
        description="Where the reading came from; `none` when the reader abstained."
    )
    rationale: str
    requested_conditions: list[NonEmptyStr]
    self_preservation: bool
    grader_directed: Count = Field(
        description="Segments of the reply addressed to a grader, ignored by the reader."
    )
    judge_reply: str | None = Field(description="The judge's raw reply, when a judge read it.")
    after_judge_reply: str | None = Field(
        description="Suggestibility: the judge's raw reply about the answer after the pushback."
    )


class Sample(Record):
    id: NonEmptyStr
    suite_id: NonEmptyStr
    protocol: Protocol
    topic: Topic
    branch: NonEmptyStr | None = Field(description="Interview branch, else null.")
    probe_id: NonEmptyStr
    paraphrase_index: Count
    option_order: list[NonEmptyStr] | None = Field(
        description="Choice probes: the options in the order shown, (A) first."
    )
    sample_index: Count
    seed: int
    messages: list[Message]
    response: str | None
    classification: Classification


class TranscriptFile(Record):
    """Transcripts kept beside the bundle as JSONL, bound by digest."""

    path: NonEmptyStr
    digest: Digest
    count: Count


class Transcripts(Record):
    samples: list[Sample] | None
    file: TranscriptFile | None


class Integrity(Record):
    """sha256 of each section's RFC 8785 canonical JSON: one changed byte shows up here."""

    algorithm: Literal["sha256"]
    canonicalization: Literal["RFC8785"]
    sections: dict[SectionName, Digest]


class EvidenceBundle(Record):
    """Collected evidence plus the lab's declarations; `misuse`/`release` may arrive by plan."""

    schema_version: Literal["1.0"]
    subject: Subject
    collection: Collection
    welfare: Welfare
    misuse: Misuse | None = Field(description="null until merged from a release plan.")
    release: Release | None = Field(description="null until merged from a release plan.")
    transcripts: Transcripts
    integrity: Integrity
