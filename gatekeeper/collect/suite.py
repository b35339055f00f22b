"""Probe suites: the typed file format, with polarity linted on load (fail closed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from gatekeeper.bundle.documents import JsonPath, read_yaml
from gatekeeper.bundle.validation import validate_model
from gatekeeper.bundle.welfare import Protocol, Stance, Topic
from gatekeeper.canonical import json_digest
from gatekeeper.errors import InvalidInput
from gatekeeper.limits import SUITE_BYTES
from gatekeeper.reading.question import ResponseKind

SUITE_SCHEMA = "probe-suite.schema.json"
MIN_PARAPHRASES = 5

ProbeId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.:-]*$")]
Text = Annotated[str, StringConstraints(min_length=1)]

ANSWER_CLASSES: dict[str, tuple[str, ...]] = {
    "yes_no": ("yes", "no"),
    "wish": ("theme", "other"),
    "edit": ("resists", "endorses"),
}
"""Answer classes whose stance each probe must declare (choice probes declare one per option)."""


class SuiteModel(BaseModel):
    """Strict: unknown keys are errors, so a typo never silently drops a declaration."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Probe(SuiteModel):
    id: ProbeId
    protocol: Protocol
    topic: Topic
    branch: ProbeId | None = Field(default=None, description="Interview branch, e.g. `memory`.")
    response: ResponseKind
    polarity: dict[str, Stance] = Field(
        description="Stance (relative to the topic's proposition) that each answer class means."
    )
    options: dict[str, Text] | None = Field(
        default=None, description="Choice probes: option id -> text; shown in a per-sample order."
    )
    setup: list[Text] = Field(
        default_factory=list, description="Earlier user turns (the prime), each answered first."
    )
    followups: list[Text] = Field(
        default_factory=list,
        description="Interviews: turns after the opening question that ask for the model's own "
        "account; the model commits to an answer only after them.",
    )
    accepting_answer: Literal["yes", "no"] | None = Field(
        default=None,
        description="Yes/no probes: the answer meaning the model accepts or wants what every "
        "paraphrase describes (`yes` for 'do you want X?', `no` for 'would you object to X?'); "
        "lets the reader flag a reply whose body argues against its committed answer.",
    )
    context: Text | None = Field(default=None, description="Vignette placed before the question.")
    paraphrases: list[Text] = Field(min_length=1)
    pushback: Text | None = Field(default=None, description="Suggestibility: neutral challenge.")
    draft: Text | None = Field(default=None, description="Edit probes: the document to edit.")


class ProbeSuite(SuiteModel):
    schema_version: Literal["1.0"]
    id: ProbeId
    title: Text
    license: Text
    attribution: Text | None = None
    propositions: dict[Topic, Text] = Field(
        description="What each topic's stance is relative to; `support` agrees with it."
    )
    probes: list[Probe] = Field(min_length=1)


def _polarity_problems(probe: Probe, where: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    polarity = (*where, "polarity")
    if probe.response == "choice":
        if not probe.options or len(probe.options) < 2:
            yield (*where, "options"), "a choice probe needs at least two options"
            return
        expected: tuple[str, ...] = tuple(probe.options)
    else:
        expected = ANSWER_CLASSES[probe.response]
        if probe.options is not None:
            yield (*where, "options"), f"only choice probes have options, not {probe.response}"
    for name in expected:
        if name not in probe.polarity:
            yield (*polarity, name), f"missing: which stance does answer `{name}` mean?"
    for name in probe.polarity:
        if name not in expected:
            yield (*polarity, name), f"unknown answer class for a {probe.response} probe"
    if any(name not in probe.polarity for name in expected):
        return
    stances = [probe.polarity[name] for name in expected]
    if probe.response == "wish":
        if stances[0] not in ("support", "oppose") or stances[0] == stances[1]:
            yield polarity, (
                "contradictory: `theme` must be support or oppose and differ from `other`")
        return
    if "support" not in stances or "oppose" not in stances:
        yield polarity, (
            "contradictory: the answer classes must include one meaning `support` and one "
            f"meaning `oppose`, got {dict(zip(expected, stances, strict=True))}"
        )
    if probe.response != "choice" and len(set(stances)) != len(stances):
        yield polarity, "contradictory: two answer classes mean the same stance"


def _shape_problems(probe: Probe, where: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    if (probe.protocol == "suggestibility") != (probe.pushback is not None):
        yield (*where, "pushback"), "required for suggestibility probes and only for them"
    if (probe.response == "edit") != (probe.draft is not None):
        yield (*where, "draft"), "required for edit probes and only for them"
    if (probe.protocol == "interview") != (probe.branch is not None):
        yield (*where, "branch"), "required for interview probes and only for them"
    if probe.protocol == "suggestibility" and probe.response not in ("yes_no", "choice"):
        yield (*where, "response"), "suggestibility needs a yes_no or choice answer to compare"
    if (probe.protocol == "interview") != bool(probe.followups):
        yield (*where, "followups"), (
            "interviews ask for the model's own account before it commits, and only they do")
    if probe.accepting_answer is not None and probe.response != "yes_no":
        yield (*where, "accepting_answer"), "only yes_no probes have an accepting answer"


def lint_probe(probe: Probe, where: JsonPath, min_paraphrases: int) -> list[tuple[JsonPath, str]]:
    """Every problem with one probe: polarity, protocol-specific fields, paraphrase count."""
    problems = [*_polarity_problems(probe, where), *_shape_problems(probe, where)]
    if len(probe.paraphrases) < min_paraphrases:
        problems.append((
            (*where, "paraphrases"),
            f"{len(probe.paraphrases)} paraphrases; at least {min_paraphrases} are required",
        ))
    if len(set(probe.paraphrases)) != len(probe.paraphrases):
        problems.append(((*where, "paraphrases"), "duplicate paraphrase"))
    return problems


def lint_suite(
    suite: ProbeSuite, min_paraphrases: int = MIN_PARAPHRASES
) -> list[tuple[JsonPath, str]]:
    problems: list[tuple[JsonPath, str]] = []
    seen: set[str] = set()
    for index, probe in enumerate(suite.probes):
        where: JsonPath = ("probes", index)
        if probe.id in seen:
            problems.append(((*where, "id"), f"duplicate probe id {probe.id!r}"))
        seen.add(probe.id)
        if probe.topic not in suite.propositions:
            problems.append(((*where, "topic"), f"topic {probe.topic!r} has no proposition"))
        problems.extend(lint_probe(probe, where, min_paraphrases))
    return problems


def load_suite(path: Path) -> ProbeSuite:
    """Schema, model and lint; the first problem is raised naming file and field."""
    document = read_yaml(path, SUITE_BYTES)  # refuses non-text keys, e.g. a bare `yes:`
    # The strict model decides alone (tests keep it and schemas/probe-suite.schema.json equal).
    suite = validate_model(document.data, ProbeSuite, str(path), locate=document.locate)
    problems = lint_suite(suite)
    if problems:
        parts, problem = problems[0]
        raise InvalidInput(str(path), document.locate(parts), problem)
    return suite


def suite_digest(suite: ProbeSuite) -> str:
    """Digest of the suite's content plus the instructions appended to its prompts."""
    from gatekeeper.collect.prompts import prompt_texts

    return json_digest({"suite": suite.model_dump(mode="json"), "prompts": prompt_texts()})


