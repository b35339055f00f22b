"""Content-addressed transcript store: append-only JSONL, one fsync per finished sample.

A run killed at any point loses at most the sample being written; a torn last line is
detected by its checksum and ignored, so `--resume` repeats nothing that finished.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gatekeeper.bundle._base import Digest, NonEmptyStr
from gatekeeper.canonical import json_digest

STORE_FILE = "transcripts.jsonl"
RECORD_SCHEMA = "transcript-record.schema.json"

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


class TranscriptStore:
    """Finished samples by key; `put` returns only once the line is on disk."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / STORE_FILE
        self.records: dict[str, StoredSample] = {}
        self.torn_lines = 0
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        with self.path.open("rb") as handle:
            for raw in handle:
                try:
                    line = StoreLine.model_validate_json(raw)
                except ValidationError:
                    self.torn_lines += 1  # a write cut short by a kill: the sample re-runs
                    continue
                if json_digest(line.record.model_dump(mode="json")) != line.check:
                    self.torn_lines += 1
                    continue
                self.records[line.record.key] = line.record

    def get(self, key: str) -> StoredSample | None:
        return self.records.get(key)

    def put(self, record: StoredSample) -> None:
        body = record.model_dump(mode="json")
        line = json.dumps({"record": body, "check": json_digest(body)}, sort_keys=True)
        data = (line + "\n").encode("utf-8")
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            size = os.fstat(fd).st_size
            if size and _last_byte(self.path) != b"\n":
                data = b"\n" + data  # start fresh after a torn line
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        self.records[record.key] = record


def _last_byte(path: Path) -> bytes:
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1)
