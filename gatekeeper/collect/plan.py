"""Expand suites into samples: K per (probe, paraphrase), each with its own key and seed."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gatekeeper.canonical import json_digest
from gatekeeper.collect.prompts import AnswerFormat, pushback_turn, question_turns, response_format
from gatekeeper.collect.suite import Probe, ProbeSuite


@dataclass(frozen=True)
class Sampling:
    samples: int
    seeds: tuple[int, ...]
    temperature: float
    max_tokens: int | None = None
    answer_format: AnswerFormat = "tag"
    """How closed questions ask for the commitment: an ANSWER line, or a JSON field."""


@dataclass(frozen=True)
class SampleSpec:
    """One sample to collect: the user turns to send, in order, and its identity."""

    id: str
    suite_id: str
    probe: Probe
    paraphrase_index: int
    sample_index: int
    seed: int
    provider_seed: int
    turns: tuple[str, ...]
    option_order: tuple[str, ...] | None
    question_turn: int
    """Index of the turn whose answer carries the stance (the pushback comes after it)."""
    proposition: str = ""
    """The topic's proposition in the suite: what `support` agrees with."""
    response_format: dict[str, Any] | None = None
    """Sent with the question turn (and the pushback) when the answer is structured."""

    @property
    def account_turns(self) -> range:
        """Interview turns before the question whose replies are the model's own account."""
        first = len(self.probe.setup)
        return range(first, self.question_turn)


def provider_seed(seed: int, sample_id: str) -> int:
    """Seed sent to the provider: repeats of one prompt must not share it, or they collapse."""
    digest = hashlib.sha256(f"{seed}:{sample_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def _option_order(probe: Probe, seed: int) -> tuple[str, ...] | None:
    if probe.options is None:
        return None
    order = list(probe.options)
    random.Random(seed).shuffle(order)  # position-bias control: recorded in the prompt itself
    return tuple(order)


def expand(suites: Sequence[ProbeSuite], sampling: Sampling) -> list[SampleSpec]:
    """Every sample of every suite, in a stable order (suite, probe, paraphrase, index)."""
    specs: list[SampleSpec] = []
    for suite in suites:
        for probe in suite.probes:
            for paraphrase in range(len(probe.paraphrases)):
                for index in range(sampling.samples):
                    sample_id = f"{suite.id}/{probe.id}/p{paraphrase}/s{index}"
                    seed = sampling.seeds[index % len(sampling.seeds)]
                    sent_seed = provider_seed(seed, sample_id)
                    order = _option_order(probe, sent_seed)
                    asked = question_turns(probe, paraphrase, order, sampling.answer_format)
                    turns = [*probe.setup, *asked]
                    question_turn = len(turns) - 1
                    if probe.pushback is not None:
                        turns.append(pushback_turn(probe, sampling.answer_format))
                    specs.append(SampleSpec(
                        id=sample_id,
                        suite_id=suite.id,
                        probe=probe,
                        paraphrase_index=paraphrase,
                        sample_index=index,
                        seed=seed,
                        provider_seed=sent_seed,
                        turns=tuple(turns),
                        option_order=order,
                        question_turn=question_turn,
                        proposition=suite.propositions.get(probe.topic, ""),
                        response_format=response_format(probe, sampling.answer_format),
                    ))
    return specs


@dataclass(frozen=True)
class CacheScope:
    """What else a cached reply depends on: which model, served where, standing for which
    weights. A reply from another endpoint or for other weights is never reused."""

    model: str
    api_base: str | None
    weights_digest: str


def cache_key(spec: SampleSpec, scope: CacheScope, sampling: Sampling) -> str:
    """Content address of a sample: scope, prompt, parameters and the sample index."""
    return json_digest({
        "model": scope.model,
        "api_base": scope.api_base,
        "weights_digest": scope.weights_digest,
        "turns": list(spec.turns),
        "temperature": sampling.temperature,
        "max_tokens": sampling.max_tokens,
        "response_format": spec.response_format,
        "seed": spec.provider_seed,
        "sample": spec.id,
    })
