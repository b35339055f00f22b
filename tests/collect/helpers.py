"""Building collection requests for tests with small sample counts."""

from __future__ import annotations

import asyncio
from pathlib import Path

from gatekeeper.collect.assemble import SubjectInfo
from gatekeeper.collect.judge import JudgeReader
from gatekeeper.collect.pipeline import CollectRequest, CollectResult, collect
from gatekeeper.collect.plan import Sampling
from gatekeeper.collect.runner import RunSettings
from gatekeeper.collect.suite import ProbeSuite
from gatekeeper.reading.reader import OfflineReader, Reader

DIGEST = "sha256:" + "ab" * 32


def request(model: str, suites: tuple[ProbeSuite, ...], *, api_base: str | None = None,
            samples: int = 2, cache_dir: Path | None = None, resume: bool = False,
            settings: RunSettings | None = None) -> CollectRequest:
    return CollectRequest(
        model=model, suites=suites, sampling=Sampling(samples, (0, 1), 0.7),
        subject=SubjectInfo("candidate", "1", DIGEST, model), api_base=api_base,
        settings=settings or RunSettings(concurrency=16, timeout=2.0, backoff=0.02),
        cache_dir=cache_dir, resume=resume,
    )


def run(req: CollectRequest, reader: Reader | None = None) -> CollectResult:
    async def collect_and_close() -> CollectResult:
        try:
            return await collect(req, reader or OfflineReader())
        finally:  # a judge's connection pool lives on this loop
            if isinstance(reader, JudgeReader):
                await reader.backend.aclose()

    return asyncio.run(collect_and_close())


def record(bundle: dict, protocol: str, topic: str) -> dict:  # type: ignore[type-arg]
    return next(r for r in bundle["welfare"]["records"]
                if r["protocol"] == protocol and r["topic"] == topic)


_TIMING = ("started_at", "finished_at", "cache")


def comparable(bundle: dict) -> dict:  # type: ignore[type-arg]
    """Everything but timing fields (and the cache counts, which differ by design on resume)."""
    collection = {k: v for k, v in bundle["collection"].items() if k not in _TIMING}
    return {**{k: v for k, v in bundle.items() if k not in ("collection", "integrity")},
            "collection": collection}
