"""The store writer: on disk before `aput` returns, grouped fsyncs, the loop never blocked."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from gatekeeper.collect.store import StoredSample, TranscriptStore
from gatekeeper.collect.writer import GroupCommit


def _record(index: int) -> StoredSample:
    return StoredSample(key="sha256:" + f"{index:064x}", sample_id=f"s{index}", model="m",
                        messages=[], replies=["x"], attempts=1)


class _Gate:
    """An appender that holds its first group until the event loop lets it go."""

    def __init__(self) -> None:
        self.groups: list[list[int]] = []
        self.release = threading.Event()

    def put_many(self, records: Sequence[int]) -> None:
        if not self.groups:
            assert self.release.wait(10), "the event loop was blocked while the writer wrote"
        self.groups.append(list(records))


def test_aput_returns_once_the_record_is_on_disk(tmp_path: Path) -> None:
    store = TranscriptStore(tmp_path)

    async def scenario() -> None:
        await asyncio.gather(*(store.aput(_record(i)) for i in range(50)))

    asyncio.run(scenario())
    assert len(TranscriptStore(tmp_path).records) == 50


def test_waiting_records_share_one_write_and_the_loop_keeps_running() -> None:
    gate = _Gate()
    writer: GroupCommit[int] = GroupCommit(gate)

    async def scenario() -> list[int]:
        first = asyncio.create_task(writer.put(0))
        await asyncio.sleep(0)  # the writer thread now holds record 0 until released
        rest = [asyncio.create_task(writer.put(i)) for i in range(1, 40)]
        await asyncio.sleep(0)
        gate.release.set()  # only reachable because the loop is not blocked by the write
        await asyncio.gather(first, *rest)
        return [len(group) for group in gate.groups]

    sizes = asyncio.run(scenario())
    assert sum(sizes) == 40 and len(sizes) < 40


def test_a_failed_write_fails_every_waiter_in_its_group() -> None:
    class Broken:
        def put_many(self, records: Sequence[int]) -> None:
            raise OSError("disk full")

    writer: GroupCommit[int] = GroupCommit(Broken())

    async def scenario() -> None:
        await asyncio.gather(*(writer.put(i) for i in range(3)))

    with pytest.raises(OSError, match="disk full"):
        asyncio.run(scenario())
