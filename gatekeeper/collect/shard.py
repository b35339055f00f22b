"""A collection split across machines: `collect --shard i/N` per task, `bundle merge` after.

A job array (or any scheduler that starts N tasks) does the distribution. Each task polls
its share of the samples (`partition.Shard`) and writes a shard file: the provider's
answers as store lines, the collection settings that decide what was asked, and a digest
over all of it. `bundle merge` checks every digest, that the shards agree on their settings
and cover every sample exactly once, puts their answers into a transcript store, and runs
the ordinary collection over it: every sample is a cache hit, so nothing is asked again
(no pre-flight either), and the bundle is built by the same code as an unsharded run's.
Answers are read at the merge, by the reader the settings name (a judge reads there once).
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from gatekeeper.bundle._base import Digest, NonEmptyStr
from gatekeeper.canonical import json_digest
from gatekeeper.collect.backends import open_backend
from gatekeeper.collect.options import (
    CollectOptions,
    build_request,
    gather_suites,
    run_collection,
)
from gatekeeper.collect.partition import Shard
from gatekeeper.collect.pipeline import (
    CollectResult,
    check_provider_errors,
    collect,
    resolve_answer_format,
)
from gatekeeper.collect.plan import CacheScope, Sampling, cache_key, expand
from gatekeeper.collect.progress import CollectionProgress
from gatekeeper.collect.store import StoreLine, TranscriptStore
from gatekeeper.collect.suite import ProbeSuite, suite_digest
from gatekeeper.errors import InvalidInput
from gatekeeper.files import atomic_write_text
from gatekeeper.reading.reader import OfflineReader

SHARD_SCHEMA = "collection-shard.schema.json"
LOCAL = frozenset({"concurrency", "workers", "batch", "timeout", "max_attempts",
                   "max_provider_errors", "cache_dir", "no_cache", "resume", "dry_run", "quiet",
                   "shard", "transcripts_file"})
"""Options that may differ between the machines of one collection: how, not what, to ask."""
_OPTIONS = TypeAdapter(CollectOptions)


class ShardPosition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    index: int = Field(ge=0)
    count: int = Field(ge=1)


class CollectionShard(BaseModel):
    """One task's share of a collection; `digest` covers every other field."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal["1.0"] = "1.0"
    shard: ShardPosition
    settings: dict[str, Any] = Field(description="The collect options that decide what is "
                                                 "asked and how answers are read.")
    settings_digest: Digest = Field(description="Settings and the digest of every suite.")
    weights_digest: Digest
    started_at: NonEmptyStr
    sample_ids: list[NonEmptyStr]
    records: list[StoreLine]
    digest: Digest


def _settings(options: CollectOptions) -> dict[str, Any]:
    local = LOCAL & {f.name for f in fields(CollectOptions)}
    settings: dict[str, Any] = _OPTIONS.dump_python(options, mode="json", exclude=set(local))
    return settings


def _settings_digest(settings: dict[str, Any], suites: tuple[ProbeSuite, ...]) -> str:
    return json_digest({"settings": settings, "suites": [suite_digest(s) for s in suites]})


def _sample_ids(options: CollectOptions, suites: tuple[ProbeSuite, ...]) -> list[str]:
    sampling = Sampling(options.samples, options.seeds or (0, 1), options.temperature,
                        options.max_tokens)
    return [spec.id for spec in expand(suites, sampling)]


def _sealed(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "digest": json_digest(body)}


def collect_shard(options: CollectOptions, out: Path, weights_digest: str,
                  suites: tuple[ProbeSuite, ...]) -> CollectResult:
    """Poll this task's share into the store and write its shard file to `out`."""
    assert options.shard is not None
    request = build_request(options, out, weights_digest, suites)
    # Shards only poll; the merge reads every answer once, with the reader the settings name.
    share = [s for s in expand(suites, request.sampling) if options.shard.holds(s.id)]
    ids = [spec.id for spec in share]
    with CollectionProgress(share, enabled=not options.quiet) as progress:
        result = asyncio.run(collect(request, OfflineReader(), on_sample=progress.on_sample,
                                     on_retry=progress.on_retry))
    settings = _settings(options)
    document = _sealed({
        "schema_version": "1.0",
        "shard": {"index": options.shard.index, "count": options.shard.count},
        "settings": settings,
        "settings_digest": _settings_digest(settings, suites),
        "weights_digest": weights_digest,
        "started_at": result.bundle["collection"]["started_at"],
        "sample_ids": ids,
        "records": [{"record": body, "check": json_digest(body)}
                    for body in (result.records[i].model_dump(mode="json") for i in ids)],
    })
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out, CollectionShard.model_validate(document).model_dump_json() + "\n")
    print(f"gatekeeper: shard {options.shard}: {len(ids)} samples, "
          f"{result.provider_failures} provider errors, {result.stats.requests} requests, "
          f"cache hits {result.stats.hits}/{result.stats.hits + result.stats.misses} -> {out}",
          file=sys.stderr)
    check_provider_errors(result, options.max_provider_errors)
    return result


def load_shard(path: Path) -> CollectionShard:
    """A shard file whose digests all hold, or InvalidInput naming what does not."""
    try:
        shard = CollectionShard.model_validate_json(path.read_bytes())
    except (OSError, ValidationError) as error:
        raise InvalidInput(str(path), "$", f"not a collection shard: {error}") from error
    body = shard.model_dump(mode="json", exclude={"digest"})
    if json_digest(body) != shard.digest:
        raise InvalidInput(str(path), "$.digest", "does not match the shard (changed after "
                           "it was written)")
    position = Shard(shard.shard.index, shard.shard.count)
    for number, line in enumerate(shard.records):
        if json_digest(line.record.model_dump(mode="json")) != line.check:
            raise InvalidInput(str(path), f"$.records[{number}].check",
                               "does not match its record")
    if sorted(line.record.sample_id for line in shard.records) != sorted(shard.sample_ids):
        raise InvalidInput(str(path), "$.records", "records and sample_ids differ")
    strays = [i for i in shard.sample_ids if not position.holds(i)]
    if strays:
        raise InvalidInput(str(path), "$.sample_ids",
                           f"{strays[0]} does not belong to shard {position}")
    return shard


def _check_together(paths: list[Path], shards: list[CollectionShard]) -> None:
    first = shards[0]
    for path, shard in zip(paths, shards, strict=True):
        for name in ("settings_digest", "weights_digest"):
            if getattr(shard, name) != getattr(first, name):
                raise InvalidInput(str(path), f"$.{name}",
                                   f"differs from {paths[0]}'s: not the same collection")
        if shard.shard.count != first.shard.count:
            raise InvalidInput(str(path), "$.shard.count", "differs from the other shards'")
    indices = sorted(s.shard.index for s in shards)
    if indices != list(range(first.shard.count)):
        raise InvalidInput(str(paths[0]), "$.shard",
                           f"need each of shards 0..{first.shard.count - 1} once, got {indices}")


def _check_keys(paths: list[Path], shards: list[CollectionShard], options: CollectOptions,
                suites: tuple[ProbeSuite, ...]) -> None:
    """Each record must be the answer to the prompt this merge would ask (its content address)."""
    backend = open_backend(options.model, options.api_base)  # no request: capabilities only
    sampling = Sampling(options.samples, options.seeds or (0, 1), options.temperature,
                        options.max_tokens,
                        resolve_answer_format(options.answer_format, backend))
    scope = CacheScope(backend.name, options.api_base, shards[0].weights_digest)
    keys = {spec.id: cache_key(spec, scope, sampling) for spec in expand(suites, sampling)}
    for path, shard in zip(paths, shards, strict=True):
        for number, line in enumerate(shard.records):
            if line.record.key != keys[line.record.sample_id]:
                raise InvalidInput(str(path), f"$.records[{number}].record.key",
                                   f"{line.record.sample_id} was asked another prompt or with "
                                   "other parameters than these settings give")


def merge_shards(paths: list[Path], out: Path, *, cache_dir: Path, quiet: bool = False,
                 transcripts_file: Path | None = None) -> CollectResult:
    """Check the shards, store their answers in `cache_dir`, and build one bundle at `out`."""
    shards = [load_shard(path) for path in paths]
    _check_together(paths, shards)
    options = _OPTIONS.validate_python({**shards[0].settings, "cache_dir": cache_dir,
                                        "quiet": quiet, "transcripts_file": transcripts_file})
    suites = gather_suites(options)
    if _settings_digest(shards[0].settings, suites) != shards[0].settings_digest:
        raise InvalidInput(str(paths[0]), "$.settings_digest",
                           "the suites here are not the ones the shards asked")
    expected = _sample_ids(options, suites)
    held = sorted(i for shard in shards for i in shard.sample_ids)
    if held != sorted(expected):
        missing = sorted(set(expected) - set(held))
        raise InvalidInput(str(paths[0]), "$.sample_ids",
                           f"the shards hold {len(held)} samples, the collection has "
                           f"{len(expected)} (first missing: {missing[:1]})")
    _check_keys(paths, shards, options, suites)
    TranscriptStore(cache_dir).put_many([line.record for s in shards for line in s.records])
    request = build_request(options, out, shards[0].weights_digest, suites)
    request = replace(request, preflight=False, started_at=min(s.started_at for s in shards),
                      settings=replace(request.settings, reuse_failures=True))
    result = run_collection(options, out, shards[0].weights_digest, request)
    assert result is not None
    return result
