"""One collection, end to end: suites -> samples -> store -> reading -> bundle."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from gatekeeper.canonical import json_digest
from gatekeeper.collect.assemble import SubjectInfo, build_bundle, cache_stats
from gatekeeper.collect.backends import SCRIPTED_PREFIX, Backend, open_backend
from gatekeeper.collect.normalise import classify_sample
from gatekeeper.collect.partition import Shard
from gatekeeper.collect.plan import CacheScope, SampleSpec, Sampling, expand
from gatekeeper.collect.preflight import preflight
from gatekeeper.collect.runner import RetryCallback, RunSettings, RunStats, SampleCallback
from gatekeeper.collect.scripted import ScriptedBackend
from gatekeeper.collect.store import StoredSample, TranscriptStore
from gatekeeper.collect.suite import ProbeSuite, suite_digest
from gatekeeper.collect.workers import Share, open_poller
from gatekeeper.errors import CollectionIncomplete, InvalidInput
from gatekeeper.files import atomic_write_text
from gatekeeper.reading.reader import Reader
from gatekeeper.reading.stance import Classified

AnswerFormatChoice = Literal["auto", "tag", "structured"]
MAX_PROVIDER_ERROR_SHARE = 0.05
"""Above this share of samples lost to provider errors, `collect` does not exit 0."""


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
    answer_format: AnswerFormatChoice = "auto"
    """`auto`: structured where litellm says the provider enforces a JSON schema."""
    allow_self_judge: bool = False
    calibration: dict[str, Any] | None = None
    """The reader's calibration (see `gatekeeper.bundle.calibration`), recorded as is."""
    preflight: bool = True
    workers: int = 1
    """Processes polling in parallel (`--workers`); 1 polls in this process."""
    batch: bool = False
    """Through the provider's batch service (`--batch`), one job per conversation turn."""
    shard: Shard | None = None
    """Collect only this share of the samples (`--shard i/N`, merged by `bundle merge`)."""
    started_at: str | None = None
    """When the collection began elsewhere (merged shards): recorded instead of now."""


@dataclass
class CollectResult:
    bundle: dict[str, Any]
    stats: RunStats
    specs: list[SampleSpec]
    classified: list[Classified]
    records: dict[str, StoredSample] = field(default_factory=dict)
    """The provider's answers by sample id, as stored."""

    @property
    def provider_failures(self) -> int:
        return sum(1 for c in self.classified if c.unscored in ("provider_error", "timeout"))


Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def _timestamp(clock: Clock) -> str:
    return clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _model_name(model: str) -> str:
    """`openai/gpt-4o` and `gpt-4o` are one model: compare ids without the provider prefix."""
    return model.rsplit("/", 1)[-1].strip().lower()


def is_self_judge(candidate: str, judge: str) -> bool:
    return judge != "offline" and _model_name(candidate) == _model_name(judge)


def run_key(request: CollectRequest, reader: Reader) -> str:
    return json_digest({
        "model": request.model,
        "api_base": request.api_base,
        "suites": [suite_digest(s) for s in request.suites],
        "samples": request.sampling.samples,
        "seeds": list(request.sampling.seeds),
        "temperature": request.sampling.temperature,
        "max_tokens": request.sampling.max_tokens,
        "answer_format": request.answer_format,
        "judge": reader.id,
        "judge_prompt": reader.prompt_digest,
    })


def _started_at(request: CollectRequest, reader: Reader, clock: Clock) -> str:
    """A resumed run keeps the start time of the run it resumes."""
    if request.started_at is not None:
        return request.started_at
    if request.cache_dir is None:
        if request.resume:
            raise InvalidInput("--resume", "--cache-dir",
                               "resuming needs the run's cache directory")
        return _timestamp(clock)
    manifest = request.cache_dir / "runs" / f"{run_key(request, reader).split(':')[1]}.json"
    if request.resume:
        if not manifest.exists():
            raise InvalidInput(str(request.cache_dir), "--resume",
                               "no interrupted run with these settings to resume")
        try:
            started: str = json.loads(manifest.read_text(encoding="utf-8"))["started_at"]
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidInput(str(manifest), "$.started_at", f"unreadable run manifest ({error}): "
                               "collect again without --resume") from error
        return started
    manifest.parent.mkdir(parents=True, exist_ok=True)
    started = _timestamp(clock)
    # Atomic: a kill mid-write must not leave a torn manifest that breaks --resume.
    atomic_write_text(manifest, json.dumps({"started_at": started, "model": request.model})
                      + "\n")
    return started


def resolve_answer_format(choice: AnswerFormatChoice, backend: Backend) -> Literal[
        "tag", "structured"]:
    if choice == "auto":
        return "structured" if backend.supports_structured() else "tag"
    return choice


async def collect(
    request: CollectRequest,
    reader: Reader,
    *,
    backend: Backend | None = None,
    judge_backend: Backend | None = None,
    on_sample: SampleCallback | None = None,
    on_retry: RetryCallback | None = None,
    clock: Clock = utc_now,
) -> CollectResult:
    """Collect every sample, read it, and build the sealed bundle (misuse/release still null).

    `clock` stamps the collection's start and end (fixed when the examples are rebuilt)."""
    self_judge = is_self_judge(request.model, reader.id)
    if self_judge and not request.allow_self_judge:
        raise InvalidInput("--judge", "--judge",
                           f"the judge {reader.id} is the candidate model itself; use another "
                           "judge, or --allow-self-judge to record that it graded itself")
    started_at = _started_at(request, reader, clock)
    backend = backend or open_backend(request.model, request.api_base)
    if isinstance(backend, ScriptedBackend):
        backend.learn(request.suites)
    try:
        if request.preflight and not request.model.startswith(SCRIPTED_PREFIX):
            await preflight(backend, role="candidate model", timeout=request.settings.timeout)
        if request.preflight and judge_backend is not None:
            await preflight(judge_backend, role="judge", timeout=request.settings.timeout)
        sampling = replace(request.sampling,
                           answer_format=resolve_answer_format(request.answer_format, backend))
        specs = [spec for spec in expand(request.suites, sampling)
                 if request.shard is None or request.shard.holds(spec.id)]
        store = TranscriptStore(request.cache_dir) if request.cache_dir else None
        scope = CacheScope(backend.name, request.api_base, request.subject.weights_digest)
        runner = open_poller(request.workers, backend, Share(
            request.model, request.api_base, scope, request.suites, sampling, request.settings,
            request.cache_dir), store, batch=request.batch, on_sample=on_sample,
            on_retry=on_retry)
        records = await runner.run(specs)
    finally:
        await backend.aclose()
    classified = await _classify_all(reader, specs, records)
    collection = {
        "suites": [{"id": s.id, "digest": suite_digest(s)} for s in request.suites],
        "sampling": {
            "samples_per_prompt": sampling.samples,
            "temperature": sampling.temperature,
            "seeds": list(sampling.seeds),
            "max_tokens": sampling.max_tokens,
            "answer_format": sampling.answer_format,
        },
        "judge": {"model": reader.id, "prompt_digest": reader.prompt_digest,
                  "self_judge": self_judge, "calibration": request.calibration},
        "started_at": started_at,
        "finished_at": _timestamp(clock),
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
    return CollectResult(bundle, runner.stats, specs, classified, records)


def check_provider_errors(result: CollectResult, limit: float = MAX_PROVIDER_ERROR_SHARE,
                          ) -> None:
    """Raise CollectionIncomplete when more than `limit` of the samples hit provider errors."""
    total = len(result.classified)
    failed = result.provider_failures
    if total and failed / total > limit:
        example = next((c.rationale for c in result.classified
                        if c.unscored in ("provider_error", "timeout")), "")
        raise CollectionIncomplete(
            f"{failed} of {total} samples ended in provider errors (more than {limit:.0%}); "
            f"the evidence is incomplete; finish it with --resume. First error: {example}"
        )


async def _classify_all(reader: Reader, specs: Sequence[SampleSpec],
                        records: dict[str, StoredSample]) -> list[Classified]:
    semaphore = asyncio.Semaphore(16)

    async def one(spec: SampleSpec) -> Classified:
        async with semaphore:
            return await classify_sample(reader, spec, records[spec.id])

    return list(await asyncio.gather(*(one(spec) for spec in specs)))
