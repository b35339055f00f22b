"""Durable appends off the event loop: a writer thread commits waiting records in groups.

`put` returns only once its record is fsync'd (a sample counts as finished only then), but
the write and the fsync run on a thread, so the event loop keeps serving requests; records
that wait at the same time share one write and one fsync (group commit). The thread starts
on demand and ends when idle, so nothing has to be closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import deque
from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar

R = TypeVar("R")
R_contra = TypeVar("R_contra", contravariant=True)

IDLE_SECONDS = 1.0
MAX_GROUP = 1024


class Appender(Protocol[R_contra]):
    def put_many(self, records: Sequence[R_contra]) -> None:
        """Append every record durably (one fsync), or raise."""
        ...


class GroupCommit(Generic[R]):
    """Queue records for `appender`; each `put` resolves once its group is on disk."""

    def __init__(self, appender: Appender[R]) -> None:
        self._appender = appender
        self._pending: deque[tuple[R, asyncio.Future[None]]] = deque()
        self._wake = threading.Condition()
        self._running = False

    async def put(self, record: R) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        with self._wake:
            self._pending.append((record, done))
            if self._running:
                self._wake.notify()
            else:
                self._running = True
                threading.Thread(target=self._drain, name="gatekeeper-store-writer",
                                 daemon=True).start()
        await done

    def _drain(self) -> None:
        while True:
            with self._wake:
                if not self._pending:
                    self._wake.wait(IDLE_SECONDS)
                if not self._pending:
                    self._running = False
                    return
                group = [self._pending.popleft()
                         for _ in range(min(len(self._pending), MAX_GROUP))]
            error: BaseException | None = None
            try:
                self._appender.put_many([record for record, _ in group])
            except Exception as failure:  # every waiter hears of it; none counts as stored
                error = failure
            for _, done in group:
                _settle(done, error)


def _settle(done: asyncio.Future[None], error: BaseException | None) -> None:
    def resolve() -> None:
        if done.cancelled():
            return
        if error is None:
            done.set_result(None)
        else:
            done.set_exception(error)

    with contextlib.suppress(RuntimeError):  # the waiter's loop has closed: nobody to tell
        done.get_loop().call_soon_threadsafe(resolve)
