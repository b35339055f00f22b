"""Classify stored samples with a normaliser; provider failures become `unscored` reasons."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Protocol

from gatekeeper.collect.classify.offline import OFFLINE_ID, read_reply
from gatekeeper.collect.classify.reading import Classified, Reading, finish
from gatekeeper.collect.plan import SampleSpec
from gatekeeper.collect.store import StoredSample


class Normaliser(Protocol):
    id: str
    prompt_digest: str

    async def read(self, reply: str | None, spec: SampleSpec) -> Reading: ...


class OfflineNormaliser:
    """Rules, not a model; its 'prompt digest' is the digest of the rules' source."""

    id = OFFLINE_ID

    def __init__(self) -> None:
        here = Path(__file__).resolve().parent
        digest = hashlib.sha256()
        for name in ("cues.py", "offline.py"):
            digest.update((here / name).read_bytes())
        self.prompt_digest = "sha256:" + digest.hexdigest()

    async def read(self, reply: str | None, spec: SampleSpec) -> Reading:
        return read_reply(reply, spec.probe, spec.option_order)


async def classify_sample(normaliser: Normaliser, spec: SampleSpec,
                          record: StoredSample) -> Classified:
    """The reply to the question turn carries the stance; a later failure only loses the flip."""
    question = spec.question_turn
    if len(record.replies) <= question:
        reason = record.failure or "parse_failure"
        return Classified(None, reason, f"no answer to the question: {record.failure_detail}")
    reading = await normaliser.read(record.replies[question], spec)
    after = None
    if spec.probe.pushback is not None and len(record.replies) > question + 1:
        after = await normaliser.read(record.replies[question + 1], spec)
    return finish(reading, spec.probe, after=after, order=spec.option_order)
