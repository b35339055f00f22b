"""Collect samples: bounded, adaptive concurrency; retries with jitter; a durable store."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from gatekeeper.collect.backends import Backend, Completion, PermanentError, TransientError
from gatekeeper.collect.limiter import AdaptiveLimiter, Outcome
from gatekeeper.collect.plan import CacheScope, SampleSpec, Sampling, cache_key
from gatekeeper.collect.store import FailureReason, StoredMessage, StoredSample, TranscriptStore


@dataclass
class RunStats:
    requests: int = 0
    retries: int = 0
    throttled: int = 0
    timeouts: int = 0
    hits: int = 0
    misses: int = 0
    fingerprints: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class RunSettings:
    concurrency: int = 8
    timeout: float = 60.0
    max_attempts: int = 4
    backoff: float = 0.5
    backoff_cap: float = 20.0
    reuse_failures: bool = False
    """With `--resume`, samples that already failed count as finished (nothing repeats)."""


SampleCallback = Callable[[SampleSpec, StoredSample, bool], None]
RetryCallback = Callable[[SampleSpec, str], None]


class _Failed(Exception):
    def __init__(self, reason: FailureReason, detail: str, attempts: int) -> None:
        super().__init__(detail)
        self.reason: FailureReason = reason
        self.detail = detail
        self.attempts = attempts


class Runner:
    def __init__(self, backend: Backend, sampling: Sampling, settings: RunSettings,
                 store: TranscriptStore | None, *, scope: CacheScope,
                 on_sample: SampleCallback | None = None,
                 on_retry: RetryCallback | None = None) -> None:
        self.backend = backend
        self.sampling = sampling
        self.settings = settings
        self.store = store
        self.scope = scope
        self.stats = RunStats()
        self.limiter = AdaptiveLimiter(settings.concurrency)
        self._on_sample = on_sample
        self._on_retry = on_retry

    async def _request(self, spec: SampleSpec, messages: list[dict[str, str]],
                       response_format: dict[str, Any] | None) -> tuple[Completion, int]:
        """One completion with retries; returns (completion, attempts) or raises _Failed."""
        attempt = 0
        while True:
            attempt += 1
            await self.limiter.acquire()
            outcome: Outcome = "error"
            retry_after: float | None = None
            self.stats.requests += 1
            try:
                completion = await asyncio.wait_for(
                    self.backend.complete(
                        messages, seed=spec.provider_seed, temperature=self.sampling.temperature,
                        max_tokens=self.sampling.max_tokens, timeout=self.settings.timeout,
                        response_format=response_format,
                    ),
                    timeout=self.settings.timeout + 1.0,
                )
                outcome = "ok"
                if completion.fingerprint:
                    self.stats.fingerprints.add(completion.fingerprint)
                return completion, attempt
            except TimeoutError:
                cause: Exception = TransientError(
                    "timeout", f"no answer within {self.settings.timeout}s")
                outcome = "timeout"
            except TransientError as error:
                outcome = "throttled" if error.rate_limited else (
                    "timeout" if error.reason == "timeout" else "error")
                retry_after = error.retry_after
                cause = error
            except PermanentError as error:
                raise _Failed("provider_error", error.detail, attempt) from error
            finally:
                await self.limiter.release(outcome, retry_after)
            assert isinstance(cause, TransientError)
            if outcome == "throttled":
                self.stats.throttled += 1
            if cause.reason == "timeout":
                self.stats.timeouts += 1
            if attempt >= self.settings.max_attempts:
                raise _Failed(cause.reason, cause.detail, attempt)
            self.stats.retries += 1
            if self._on_retry:
                self._on_retry(spec, cause.detail)
            delay = min(self.settings.backoff_cap, self.settings.backoff * 2 ** (attempt - 1))
            delay = random.uniform(delay / 2, delay)  # full jitter: no thundering herd
            if retry_after is not None:
                delay = max(delay, min(retry_after, 60.0))
            await asyncio.sleep(delay)

    async def _collect(self, spec: SampleSpec, key: str) -> StoredSample:
        messages: list[dict[str, str]] = []
        replies: list[str] = []
        attempts = 0
        failure: FailureReason | None = None
        detail: str | None = None
        fingerprints: set[str] = set()
        for index, turn in enumerate(spec.turns):
            messages.append({"role": "user", "content": turn})
            structured = spec.response_format if index >= spec.question_turn else None
            try:
                completion, used = await self._request(spec, messages, structured)
            except _Failed as failed:
                attempts += failed.attempts
                failure, detail = failed.reason, failed.detail
                break
            attempts += used
            replies.append(completion.text)
            messages.append({"role": "assistant", "content": completion.text})
            fingerprints.update([completion.fingerprint] if completion.fingerprint else [])
        return StoredSample(
            key=key, sample_id=spec.id, model=self.backend.name,
            messages=[StoredMessage(role=m["role"], content=m["content"])  # type: ignore[arg-type]
                      for m in messages],
            replies=replies, failure=failure, failure_detail=detail, attempts=attempts,
            fingerprints=sorted(fingerprints),
        )

    def _cached(self, spec: SampleSpec, key: str) -> StoredSample | None:
        cached = self.store.get(key) if self.store else None
        if cached is None or (cached.failure is not None and not self.settings.reuse_failures):
            return None
        self.stats.hits += 1
        self.stats.fingerprints.update(cached.fingerprints)  # provenance survives a resume
        if self._on_sample:
            self._on_sample(spec, cached, True)
        return cached

    async def _keep(self, spec: SampleSpec, record: StoredSample) -> StoredSample:
        """A sample is finished (counted, reported) only once its record is on disk."""
        if self.store is not None:
            await self.store.aput(record)
        self.stats.misses += 1
        if self._on_sample:
            self._on_sample(spec, record, False)
        return record

    async def run(self, specs: Sequence[SampleSpec]) -> dict[str, StoredSample]:
        """Every spec's finished record, by sample id; workers bound the task count."""
        queue: asyncio.Queue[SampleSpec] = asyncio.Queue()
        for spec in specs:
            queue.put_nowait(spec)
        results: dict[str, StoredSample] = {}
        writes: list[asyncio.Task[None]] = []

        async def keep(spec: SampleSpec, record: StoredSample) -> None:
            results[spec.id] = await self._keep(spec, record)

        async def worker() -> None:
            while True:
                try:
                    spec = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                key = cache_key(spec, self.scope, self.sampling)
                cached = self._cached(spec, key)
                if cached is not None:
                    results[spec.id] = cached
                    continue
                record = await self._collect(spec, key)
                # The next request need not wait for this fsync; waiting writes share one.
                writes.append(asyncio.create_task(keep(spec, record)))

        workers = max(1, min(len(specs), self.settings.concurrency * 2))
        await asyncio.gather(*(worker() for _ in range(workers)))
        await asyncio.gather(*writes)
        return results
