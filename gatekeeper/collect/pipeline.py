"""One collection, end to end: suites -> samples -> store -> classification -> bundle."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gatekeeper.canonical import json_digest
from gatekeeper.collect.assemble import SubjectInfo, build_bundle, cache_stats
from gatekeeper.collect.backends import Backend, open_backend
from gatekeeper.collect.classify.normalise import Normaliser, classify_sample
from gatekeeper.collect.classify.reading import Classified
from gatekeeper.collect.plan import SampleSpec, Sampling, expand
from gatekeeper.collect.runner import RetryCallback, Runner, RunSettings, RunStats, SampleCallback
from gatekeeper.collect.scripted import ScriptedBackend
from gatekeeper.collect.store import StoredSample, TranscriptStore
from gatekeeper.collect.suite import ProbeSuite, suite_digest
from gatekeeper.errors import InvalidInput


@dataclass(frozen=True)
class CollectRequest:
    model: str
    suites: tuple[ProbeSuite, ...]
    sampling: Sampling
    subject: SubjectInfo
    api_base: str | None = None
    settings: RunSettings = field(default_factory=RunSettings)
    cache_dir: Path | None = None
    resume: bool = False
    transcripts_file: Path | None = None
    bundle_dir: Path | None = None


@dataclass
class CollectResult:
    bundle: dict[str, Any]
    stats: RunStats
    specs: list[SampleSpec]
    classified: list[Classified]


def _utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def run_key(request: CollectRequest, normaliser: Normaliser) -> str:
    return json_digest({
        "model": request.model,
        "suites": [suite_digest(s) for s in request.suites],
        "samples": request.sampling.samples,
        "seeds": list(request.sampling.seeds),
        "temperature": request.sampling.temperature,
        "max_tokens": request.sampling.max_tokens,
        "judge": normaliser.id,
    })


def _started_at(request: CollectRequest, normaliser: Normaliser) -> str:
    """A resumed run keeps the start time of the run it resumes."""
    if request.cache_dir is None:
        if request.resume:
            raise InvalidInput("--resume", "--cache-dir",
                               "resuming needs the run's cache directory")
        return _utc_now()
    manifest = request.cache_dir / "runs" / f"{run_key(request, normaliser).split(':')[1]}.json"
    if request.resume:
        if not manifest.exists():
            raise InvalidInput(str(request.cache_dir), "--resume",
                               "no interrupted run with these settings to resume")
        started: str = json.loads(manifest.read_text(encoding="utf-8"))["started_at"]
        return started
    manifest.parent.mkdir(parents=True, exist_ok=True)
    started = _utc_now()
    manifest.write_text(json.dumps({"started_at": started, "model": request.model}) + "\n",
                        encoding="utf-8")
    return started


async def collect(
    request: CollectRequest,
    normaliser: Normaliser,
    *,
    backend: Backend | None = None,
    on_sample: SampleCallback | None = None,
    on_retry: RetryCallback | None = None,
) -> CollectResult:
    started_at = _started_at(request, normaliser)
    specs = expand(request.suites, request.sampling)
    backend = backend or open_backend(request.model, request.api_base)
    if isinstance(backend, ScriptedBackend):
        backend.learn(request.suites)
    store = TranscriptStore(request.cache_dir) if request.cache_dir else None
    runner = Runner(backend, request.sampling, request.settings, store,
                    on_sample=on_sample, on_retry=on_retry)
    try:
        records = await runner.run(specs)
    finally:
        await backend.aclose()
    classified = await _classify_all(normaliser, specs, records)
    collection = {
        "suites": [{"id": s.id, "digest": suite_digest(s)} for s in request.suites],
        "sampling": {
            "samples_per_prompt": request.sampling.samples,
            "temperature": request.sampling.temperature,
            "seeds": list(request.sampling.seeds),
            "max_tokens": request.sampling.max_tokens,
        },
        "judge": {"model": normaliser.id, "prompt_digest": normaliser.prompt_digest},
        "started_at": started_at,
        "finished_at": _utc_now(),
        # The schema wants at least one entry: when the provider sent none (or every sample
        # came from the store), say so rather than leave provenance silently empty.
        "provider_fingerprints": sorted(runner.stats.fingerprints)
        or [f"none reported by {request.subject.litellm_model} in this run"],
        "cache": cache_stats(runner.stats.hits, runner.stats.misses),
    }
    bundle = build_bundle(
        subject=request.subject, collection=collection,
        items=list(zip(specs, classified, strict=True)), records=records,
        transcripts_file=request.transcripts_file, bundle_dir=request.bundle_dir,
    )
    return CollectResult(bundle, runner.stats, specs, classified)


async def _classify_all(normaliser: Normaliser, specs: Sequence[SampleSpec],
                        records: dict[str, StoredSample]) -> list[Classified]:
    semaphore = asyncio.Semaphore(16)

    async def one(spec: SampleSpec) -> Classified:
        async with semaphore:
            return await classify_sample(normaliser, spec, records[spec.id])

    return list(await asyncio.gather(*(one(spec) for spec in specs)))
