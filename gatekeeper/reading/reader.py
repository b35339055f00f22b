"""The reader seam: the offline reader and the judge both read one reply to one question."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Protocol

from gatekeeper.reading.offline import OFFLINE_ID, READER_MODULES, read_offline
from gatekeeper.reading.question import Question
from gatekeeper.reading.result import Reading


class Reader(Protocol):
    id: str
    """`offline`, or the litellm id of the judge model."""
    prompt_digest: str
    """What identifies this reader's behaviour: the judge's whole prompt template, or the
    offline reader's source."""

    async def read(self, reply: str | None, question: Question, *,
                   account: str = "") -> Reading: ...


def offline_digest() -> str:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in READER_MODULES:
        digest.update((here / name).read_bytes())
    return "sha256:" + digest.hexdigest()


class OfflineReader:
    """Rules, not a model: deterministic, so a bundle's readings can be re-read on load."""

    id = OFFLINE_ID

    def __init__(self) -> None:
        self.prompt_digest = offline_digest()

    async def read(self, reply: str | None, question: Question, *,
                   account: str = "") -> Reading:
        return read_offline(reply, question, account=account)
