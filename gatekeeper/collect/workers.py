"""`--workers N`: N processes poll disjoint shares of the samples for a multi-core machine.

litellm costs milliseconds of CPU per request, so one process saturates one core long before
the provider does (docs/collection-throughput.md). Each worker runs the ordinary `Runner`
over every N-th sample with its own litellm client, appending to the one shared store
(every append holds an flock); what it finishes streams back to this process, which owns
the progress display and the bundle. Workers are forked from a server that has already
imported litellm, so none pays its multi-second import again.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import queue
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from gatekeeper.collect.backends import SCRIPTED_PREFIX, Backend, open_backend
from gatekeeper.collect.litellm_backend import load_litellm
from gatekeeper.collect.plan import CacheScope, SampleSpec, Sampling
from gatekeeper.collect.runner import RetryCallback, Runner, RunSettings, RunStats, SampleCallback
from gatekeeper.collect.scripted import ScriptedBackend
from gatekeeper.collect.store import StoredSample, TranscriptStore
from gatekeeper.collect.suite import ProbeSuite
from gatekeeper.errors import InvalidInput

_events: multiprocessing.Queue[tuple[str, str, str, bool]] | None = None
"""In a worker: where finished samples and retries go (set by the pool's initializer)."""


@dataclass(frozen=True)
class Share:
    """What one worker polls, with the run's settings."""

    model: str
    api_base: str | None
    scope: CacheScope
    """What the cached replies are keyed by (the endpoint and the weights they stand for)."""
    suites: tuple[ProbeSuite, ...]
    sampling: Sampling
    settings: RunSettings
    cache_dir: Path | None
    specs: tuple[SampleSpec, ...] = ()


def _connect(events: multiprocessing.Queue[tuple[str, str, str, bool]]) -> None:
    global _events
    _events = events


def _report(kind: str, sample_id: str, payload: str, hit: bool = False) -> None:
    assert _events is not None, "a worker runs only in the pool"
    _events.put((kind, sample_id, payload, hit))


async def _poll(share: Share) -> RunStats:
    backend = open_backend(share.model, share.api_base)
    if isinstance(backend, ScriptedBackend):
        backend.learn(share.suites)
    store = TranscriptStore(share.cache_dir) if share.cache_dir else None
    runner = Runner(backend, share.sampling, share.settings, store, scope=share.scope,
                    on_sample=lambda spec, record, hit: _report(
                        "sample", spec.id, record.model_dump_json(), hit),
                    on_retry=lambda spec, detail: _report("retry", spec.id, detail))
    try:
        await runner.run(share.specs)
    finally:
        await backend.aclose()
    return runner.stats


def poll_share(share: Share) -> RunStats:
    """A worker's whole job; its last event tells the parent that every sample was sent."""
    stats = asyncio.run(_poll(share))
    _report("done", "", "")
    return stats


def _merged(parts: Sequence[RunStats]) -> RunStats:
    total = RunStats()
    for part in parts:
        total.requests += part.requests
        total.retries += part.retries
        total.throttled += part.throttled
        total.timeouts += part.timeouts
        total.hits += part.hits
        total.misses += part.misses
        total.fingerprints |= part.fingerprints
    return total


class WorkerPool:
    """A `Runner` in N processes: same `run(specs)`, same callbacks, summed `stats`."""

    def __init__(self, workers: int, run: Share, *, on_sample: SampleCallback | None = None,
                 on_retry: RetryCallback | None = None) -> None:
        self.workers = workers
        self._run = run
        self._on_sample = on_sample
        self._on_retry = on_retry
        self.stats = RunStats()

    def _context(self) -> multiprocessing.context.ForkServerContext:
        context = multiprocessing.get_context("forkserver")
        preload = ["gatekeeper.collect.workers"]
        if not self._run.model.startswith(SCRIPTED_PREFIX):
            load_litellm()  # sets the offline environment the fork server inherits
            preload += ["litellm"]
        context.set_forkserver_preload(preload)
        return context

    async def run(self, specs: Sequence[SampleSpec]) -> dict[str, StoredSample]:
        by_id = {spec.id: spec for spec in specs}
        count = max(1, min(self.workers, len(specs)))
        context = self._context()
        events: multiprocessing.Queue[tuple[str, str, str, bool]] = context.Queue()
        records: dict[str, StoredSample] = {}
        loop = asyncio.get_running_loop()
        with ProcessPoolExecutor(count, mp_context=context, initializer=_connect,
                                 initargs=(events,)) as pool:
            # Every count-th sample: multi-turn probes, which come together, are spread out.
            jobs: list[Future[RunStats]] = [
                pool.submit(poll_share, replace(self._run, specs=tuple(specs[index::count])))
                for index in range(count)]
            finished = 0
            while finished < count:
                if any(job.done() and job.exception() for job in jobs):
                    break  # a worker failed or died: its error is raised below
                event = await loop.run_in_executor(None, _next, events)
                if event is None:
                    continue
                kind, sample_id, payload, hit = event
                if kind == "done":
                    finished += 1
                elif kind == "retry" and self._on_retry:
                    self._on_retry(by_id[sample_id], payload)
                elif kind == "sample":
                    record = StoredSample.model_validate_json(payload)
                    records[sample_id] = record
                    if self._on_sample:
                        self._on_sample(by_id[sample_id], record, hit)
            self.stats = _merged([job.result() for job in jobs])
        return records


def _next(events: multiprocessing.Queue[tuple[str, str, str, bool]],
          ) -> tuple[str, str, str, bool] | None:
    try:
        return events.get(timeout=0.2)
    except queue.Empty:
        return None


def open_poller(workers: int, backend: Backend, run: Share, store: TranscriptStore | None, *,
                batch: bool = False, on_sample: SampleCallback | None = None,
                on_retry: RetryCallback | None = None) -> Runner | WorkerPool:
    """This process's `Runner` over `backend`, the provider's batch service, or a pool."""
    if batch:
        if workers != 1:
            raise InvalidInput("--batch", "--workers", "the batch service does the work: "
                               "--batch takes no --workers")
        from gatekeeper.collect.batch import BatchRunner

        return BatchRunner(backend, run.sampling, run.settings, store, scope=run.scope,
                           on_sample=on_sample, on_retry=on_retry)
    if workers == 1:
        return Runner(backend, run.sampling, run.settings, store, scope=run.scope,
                      on_sample=on_sample, on_retry=on_retry)
    return WorkerPool(workers, run, on_sample=on_sample, on_retry=on_retry)
