"""Adaptive concurrency: halve on 429 and pause for Retry-After, grow back on success."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Literal

Outcome = Literal["ok", "throttled", "timeout", "error"]


class AdaptiveLimiter:
    """AIMD over in-flight requests, so a throttled provider is not hammered."""

    def __init__(self, limit: int, minimum: int = 1) -> None:
        if limit < 1:
            raise ValueError("concurrency must be at least 1")
        self.maximum = limit
        self.minimum = max(1, min(minimum, limit))
        self.limit = limit
        self.in_flight = 0
        self.paused_until = 0.0
        self.lowest = limit
        self._streak = 0
        self._condition = asyncio.Condition()

    async def acquire(self) -> None:
        async with self._condition:
            while True:
                wait = self.paused_until - time.monotonic()
                if wait <= 0 and self.in_flight < self.limit:
                    self.in_flight += 1
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._condition.wait(), wait if wait > 0 else None)

    async def release(self, outcome: Outcome, retry_after: float | None = None) -> None:
        async with self._condition:
            self.in_flight -= 1
            if outcome == "throttled":
                self.limit = max(self.minimum, self.limit // 2)
                pause = retry_after if retry_after is not None else 1.0
                self.paused_until = max(self.paused_until, time.monotonic() + min(pause, 60.0))
                self._streak = 0
            elif outcome == "timeout":
                self.limit = max(self.minimum, self.limit - 1)
                self._streak = 0
            elif outcome == "ok":
                self._streak += 1
                if self._streak >= self.limit and self.limit < self.maximum:
                    self.limit += 1
                    self._streak = 0
            self.lowest = min(self.lowest, self.limit)
            self._condition.notify_all()
