"""Content-addressed stores: transcripts and judge replies, append-only JSONL, fsync'd lines.

A run killed at any point loses at most the records being written; a torn last line is
detected by its checksum and ignored, so `--resume` repeats nothing that finished. Writers
in several processes share a file safely: each append holds an exclusive flock.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gatekeeper.bundle._base import Digest, NonEmptyStr
from gatekeeper.canonical import json_digest
from gatekeeper.collect.writer import GroupCommit

STORE_FILE = "transcripts.jsonl"
JUDGEMENT_FILE = "judgements.jsonl"
RECORD_SCHEMA = "transcript-record.schema.json"
JUDGEMENT_SCHEMA = "judgement-record.schema.json"

FailureReason = Literal["provider_error", "timeout"]


class StoredMessage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Literal["system", "user", "assistant"]
    content: str


class StoredSample(BaseModel):
    """One finished sample as the provider answered it (before any classification)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal["1.0"] = "1.0"
    key: Digest = Field(description="Content address: model, prompt, parameters, sample index.")
    sample_id: NonEmptyStr
    model: NonEmptyStr
    messages: list[StoredMessage] = Field(description="The conversation, replies included.")
    replies: list[str] = Field(description="Assistant replies, one per user turn answered.")
    failure: FailureReason | None = None
    failure_detail: str | None = None
    attempts: int = Field(ge=0)
    fingerprints: list[str] = Field(default_factory=list)


class StoreLine(BaseModel):
    """A line of the store: the record and the digest of its canonical JSON."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    record: StoredSample
    check: Digest


class Judgement(BaseModel):
    """A judge's raw reply to one reading request, cached so `--resume` does not pay again."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal["1.0"] = "1.0"
    key: Digest = Field(description="Judge id, prompt digest and the request's digest.")
    judge: NonEmptyStr
    prompt_digest: Digest
    reply: str


class JudgementLine(BaseModel):
    """A line of the judgement cache: the record and the digest of its canonical JSON."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    record: Judgement
    check: Digest


R = TypeVar("R", StoredSample, Judgement)


class KeyedLog(Generic[R]):
    """Records by key in an append-only JSONL file; `put` returns only once the line is on disk.

    A run killed at any point loses at most the records being written; a torn last line is
    detected by its checksum and ignored, so what finished is never asked for again. On the
    event loop use `aput`: the fsync then runs on a writer thread, in groups.
    """

    def __init__(self, path: Path, line_model: type[StoreLine] | type[JudgementLine]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.records: dict[str, R] = {}
        self.torn_lines = 0
        self._line_model = line_model
        self._writer: GroupCommit[R] = GroupCommit(self)
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        with self.path.open("rb") as handle:
            for raw in handle:
                try:
                    line = self._line_model.model_validate_json(raw)
                except ValidationError:
                    self.torn_lines += 1  # a write cut short by a kill: the record is redone
                    continue
                if json_digest(line.record.model_dump(mode="json")) != line.check:
                    self.torn_lines += 1
                    continue
                self.records[line.record.key] = line.record  # type: ignore[assignment]

    def get(self, key: str) -> R | None:
        return self.records.get(key)

    def put(self, record: R) -> None:
        self.put_many([record])

    async def aput(self, record: R) -> None:
        """`put` from the event loop: returns once on disk, without blocking the loop."""
        await self._writer.put(record)

    def put_many(self, records: Sequence[R]) -> None:
        """Append the records with one write and one fsync, under an exclusive flock."""
        data = b"".join(_line(record) for record in records)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            size = os.fstat(fd).st_size
            if size and _last_byte(self.path) != b"\n":
                data = b"\n" + data  # start fresh after a torn line
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        for record in records:
            self.records[record.key] = record


class TranscriptStore(KeyedLog[StoredSample]):
    """Finished samples by key, in `<directory>/transcripts.jsonl`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        super().__init__(directory / STORE_FILE, StoreLine)


class JudgementStore(KeyedLog[Judgement]):
    """Judge replies by key, in `<directory>/judgements.jsonl`."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory / JUDGEMENT_FILE, JudgementLine)


def _line(record: StoredSample | Judgement) -> bytes:
    body = record.model_dump(mode="json")
    return (json.dumps({"record": body, "check": json_digest(body)}, sort_keys=True)
            + "\n").encode("utf-8")


def _last_byte(path: Path) -> bytes:
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1)
