"""`--shard i/N`: a fixed share of the samples, chosen by each sample's deterministic id.

The share depends on the id alone (a hash, not a position), so every machine of a job array
computes the same split without talking to the others, and a sample keeps its shard when
suites are reordered.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from gatekeeper.errors import InvalidInput

_FORM = re.compile(r"(\d+)/(\d+)")


@dataclass(frozen=True)
class Shard:
    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`i/N` with 0 <= i < N, as a job array numbers its tasks."""
        match = _FORM.fullmatch(text.strip())
        if match is None or not int(match[1]) < int(match[2]):
            raise InvalidInput("--shard", "--shard", f"{text!r} is not i/N with 0 <= i < N")
        return cls(int(match[1]), int(match[2]))

    def holds(self, sample_id: str) -> bool:
        digest = hashlib.sha256(sample_id.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"
