"""A collection as the operator asks for it (typed), turned into a request, run and written.

`collect` and `review` build one `CollectOptions` from their flags and call `run_collection`;
nothing here knows about click.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from gatekeeper.collect.assemble import SubjectInfo
from gatekeeper.collect.backends import Backend, open_backend
from gatekeeper.collect.calibrate import calibrate, default_labels, load_calibration
from gatekeeper.collect.judge import JudgeReader
from gatekeeper.collect.partition import Shard
from gatekeeper.collect.pipeline import (
    AnswerFormatChoice,
    CollectRequest,
    CollectResult,
    check_provider_errors,
    collect,
)
from gatekeeper.collect.plan import Sampling, expand
from gatekeeper.collect.progress import CollectionProgress
from gatekeeper.collect.prompts import AnswerFormat
from gatekeeper.collect.runner import RunSettings
from gatekeeper.collect.sources import DEFAULT_SUITE, import_suites, resolve_suite
from gatekeeper.collect.store import JudgementStore
from gatekeeper.collect.suite import ProbeSuite
from gatekeeper.errors import InvalidInput
from gatekeeper.files import atomic_write_bytes, atomic_write_text
from gatekeeper.reading.reader import OfflineReader, Reader

JUDGE_KEY_ENV = "GATEKEEPER_JUDGE_API_KEY"
"""The judge's own API key, so the judge need not share the candidate's provider or key."""


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gatekeeper" / "transcripts"


@dataclass(frozen=True)
class CollectOptions:
    """Every collection flag, typed; the CLI passes its parsed options straight in."""

    model: str
    api_base: str | None = None
    suites: tuple[str, ...] = ()
    probes: tuple[str, ...] = ()
    """Only these probe ids of the suites (all when empty)."""
    imports: tuple[Path, ...] = ()
    polarities: tuple[str, ...] = ()
    import_topics: tuple[str, ...] = ()
    import_limit: int | None = None
    samples: int = 24
    seeds: tuple[int, ...] = ()
    temperature: float = 1.0
    max_tokens: int | None = None
    answer_format: AnswerFormatChoice = "auto"
    judge: str = "offline"
    judge_api_base: str | None = None
    allow_self_judge: bool = False
    calibration: Path | None = None
    calibration_labels: Path | None = None
    no_calibration: bool = False
    concurrency: int = 8
    workers: int = 1
    batch: bool = False
    timeout: float = 60.0
    max_attempts: int = 4
    max_provider_errors: float = 0.05
    cache_dir: Path | None = None
    no_cache: bool = False
    resume: bool = False
    model_name: str | None = None
    model_version: str = "unspecified"
    transcripts_file: Path | None = None
    sign_bundle: Path | None = None
    """The collector's Ed25519 key: the bundle is signed as collected by it."""
    dry_run: bool = False
    quiet: bool = False
    shard: Shard | None = None

    @property
    def store_dir(self) -> Path | None:
        return None if self.no_cache else (self.cache_dir or default_cache_dir())


def gather_suites(options: CollectOptions) -> tuple[ProbeSuite, ...]:
    chosen = [resolve_suite(s) for s in options.suites] if options.suites or options.imports else [
        resolve_suite(DEFAULT_SUITE)]
    chosen.extend(import_suites(options.imports, options.polarities, options.import_topics,
                                options.import_limit))
    ids = [s.id for s in chosen]
    if len(set(ids)) != len(ids):
        raise InvalidInput("--suite", "--suite", f"a suite is given twice: {ids}")
    return tuple(select_probes(chosen, options.probes))


def select_probes(suites: Sequence[ProbeSuite], probes: Sequence[str]) -> list[ProbeSuite]:
    """The suites with only the named probes (each suite keeps its id; its digest changes)."""
    if not probes:
        return list(suites)
    known = {p.id for suite in suites for p in suite.probes}
    unknown = sorted(set(probes) - known)
    if unknown:
        raise InvalidInput("--probe", "--probe", f"no such probe {unknown[0]!r}; the suites "
                           f"have {', '.join(sorted(known))}")
    chosen = [suite.model_copy(update={"probes": [p for p in suite.probes if p.id in probes]})
              for suite in suites]
    return [suite for suite in chosen if suite.probes]


def open_reader(options: CollectOptions) -> tuple[Reader, Backend | None]:
    """The offline reader, or a judge with its own endpoint, key and answer cache."""
    if options.judge == "offline":
        return OfflineReader(), None
    backend = open_backend(options.judge, options.judge_api_base, os.environ.get(JUDGE_KEY_ENV))
    store = JudgementStore(options.store_dir) if options.store_dir else None
    return JudgeReader(backend, store=store, timeout=options.timeout), backend


async def reader_calibration(options: CollectOptions, reader: Reader) -> dict[str, object] | None:
    """The figures recorded in the bundle: a given report, a fresh measurement, or none."""
    if options.no_calibration:
        return None
    if options.calibration is not None:
        return load_calibration(options.calibration, reader)
    return await calibrate(reader, options.calibration_labels or default_labels())


def build_request(options: CollectOptions, out: Path, weights_digest: str,
                  suites: tuple[ProbeSuite, ...]) -> CollectRequest:
    return CollectRequest(
        model=options.model,
        suites=suites,
        sampling=Sampling(options.samples, options.seeds or (0, 1), options.temperature,
                          options.max_tokens),
        subject=SubjectInfo(options.model_name or options.model, options.model_version,
                            weights_digest, options.model),
        api_base=options.api_base,
        settings=RunSettings(concurrency=options.concurrency, timeout=options.timeout,
                             max_attempts=options.max_attempts, reuse_failures=options.resume),
        cache_dir=options.store_dir,
        resume=options.resume,
        transcripts_file=options.transcripts_file,
        bundle_dir=out.parent,
        answer_format=options.answer_format,
        allow_self_judge=options.allow_self_judge,
        workers=options.workers,
        batch=options.batch,
        shard=options.shard,
    )


def dry_run(options: CollectOptions, suites: tuple[ProbeSuite, ...]) -> None:
    """Print what the collection would send and cost; contact nothing."""
    from gatekeeper.collect.estimate import estimate

    fmt: AnswerFormat = "structured" if options.answer_format == "structured" else "tag"
    sampling = Sampling(options.samples, options.seeds or (0, 1), options.temperature,
                        options.max_tokens, fmt)
    specs = expand(suites, sampling)
    for line in estimate(options.model, specs, options.max_tokens).lines():
        print(line)
    if options.judge != "offline":
        print(f"judge:             {options.judge}, about {len(specs)} reading requests "
              "plus the calibration set (cached by answer)")


async def _collect(options: CollectOptions, request: CollectRequest, reader: Reader,
                   judge_backend: Backend | None, progress: CollectionProgress) -> CollectResult:
    try:
        calibration = await reader_calibration(options, reader)
        return await collect(replace(request, calibration=calibration), reader,
                             judge_backend=judge_backend, on_sample=progress.on_sample,
                             on_retry=progress.on_retry)
    finally:
        if judge_backend is not None:  # on this loop: its connection pool lives here
            await judge_backend.aclose()


def run_collection(options: CollectOptions, out: Path, weights_digest: str,
                   request: CollectRequest | None = None) -> CollectResult | None:
    """Collect and write the bundle atomically to `out`; None after a dry run.

    `request` replaces the one the options make (merged shards: no pre-flight, a given start).
    """
    suites = gather_suites(options)
    if options.dry_run:
        dry_run(options, suites)
        return None
    if options.shard is not None:
        from gatekeeper.collect.shard import collect_shard

        collect_shard(options, out, weights_digest, suites)
        return None
    request = request or build_request(options, out, weights_digest, suites)
    reader, judge_backend = open_reader(options)
    specs = expand(suites, request.sampling)
    with CollectionProgress(specs, enabled=not options.quiet) as progress:
        result = asyncio.run(_collect(options, request, reader, judge_backend, progress))
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out, json.dumps(result.bundle, indent=2, ensure_ascii=False) + "\n")
    if options.sign_bundle is not None:
        from gatekeeper.audit.keys import load_private_key
        from gatekeeper.audit.provenance import attestation_path, sign_bundle

        signature = sign_bundle(result.bundle, load_private_key(options.sign_bundle))
        atomic_write_bytes(attestation_path(out), signature)
    stats = result.stats
    unscored = sum(1 for c in result.classified if c.stance is None)
    print(
        f"gatekeeper: {len(result.specs)} samples ({unscored} unscored, "
        f"{result.provider_failures} provider errors), {stats.requests} requests, "
        f"{stats.retries} retries, cache hits {stats.hits}/{stats.hits + stats.misses} -> {out}",
        file=sys.stderr,
    )
    check_provider_errors(result, options.max_provider_errors)
    return result
