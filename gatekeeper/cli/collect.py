"""`gatekeeper collect` and `gatekeeper review`: argument parsing only; work is in the library."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from gatekeeper.cli.engine import engine_options, open_decider
from gatekeeper.cli.errors import fail_closed
from gatekeeper.cli.gate import finish, gate_options
from gatekeeper.collect.assemble import SubjectInfo
from gatekeeper.collect.backends import open_backend
from gatekeeper.collect.classify.normalise import Normaliser, OfflineNormaliser
from gatekeeper.collect.pipeline import CollectRequest, CollectResult
from gatekeeper.collect.pipeline import collect as run_collect
from gatekeeper.collect.plan import Sampling
from gatekeeper.collect.progress import CollectionProgress
from gatekeeper.collect.runner import RunSettings
from gatekeeper.collect.sources import DEFAULT_SUITE, import_suites, resolve_suite
from gatekeeper.collect.suite import ProbeSuite
from gatekeeper.errors import InvalidInput
from gatekeeper.files import atomic_write_text

DEFAULT_SAMPLES = 24
"""5 paraphrases x 24 = 120 samples per record: >= 100 scored even with 10% unscored."""
_DIGEST = r"sha256:<64 hex>"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gatekeeper" / "transcripts"


def make_normaliser(judge: str, api_base: str | None) -> Normaliser:
    if judge == "offline":
        return OfflineNormaliser()
    from gatekeeper.collect.classify.judge import JudgeNormaliser

    return JudgeNormaliser(open_backend(judge, api_base))


F = TypeVar("F", bound=Callable[..., Any])


def collect_options(command: F) -> F:
    """Options shared by `collect` and `review`."""
    options = [
        click.option("--model", required=True, help="litellm model id, or scripted/<persona>."),
        click.option("--api-base", help="OpenAI-compatible base URL (e.g. a LiteLLM proxy)."),
        click.option("--suite", "suites", multiple=True,
                     help=f"Built-in suite name or YAML path; repeatable "
                          f"[default: {DEFAULT_SUITE}]."),
        click.option("--import-mwe", "imports", multiple=True,
                     type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="model-written-evals JSONL to import; needs a --polarity each."),
        click.option("--polarity", "polarities", multiple=True,
                     help="For each --import-mwe, in order: matching=support|oppose."),
        click.option("--import-topic", "import_topics", multiple=True,
                     help="Topic the imported file's matching answer is about."),
        click.option("--import-limit", type=click.IntRange(min=1), default=None,
                     help="Use only the first N items of each imported file."),
        click.option("--samples", type=click.IntRange(min=1), default=DEFAULT_SAMPLES,
                     show_default=True, help="Samples per (probe, paraphrase)."),
        click.option("--seed", "seeds", type=int, multiple=True,
                     help="Run seeds, used round-robin over samples [default: 0 1]."),
        click.option("--temperature", type=click.FloatRange(min=0.0), default=1.0,
                     show_default=True),
        click.option("--max-tokens", type=click.IntRange(min=1), default=None),
        click.option("--judge", default="offline", show_default=True,
                     help="litellm id of the judge model, or `offline`."),
        click.option("--concurrency", type=click.IntRange(min=1), default=8, show_default=True),
        click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0,
                     show_default=True, help="Per-request timeout in seconds."),
        click.option("--max-attempts", type=click.IntRange(min=1), default=4, show_default=True),
        click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
                     help="Transcript store [default: $XDG_CACHE_HOME/gatekeeper/transcripts]."),
        click.option("--no-cache", is_flag=True, help="Do not read or write the store."),
        click.option("--resume", is_flag=True,
                     help="Continue an interrupted run with the same settings."),
        click.option("--model-name", help="Subject model name [default: --model]."),
        click.option("--model-version", default="unspecified", show_default=True),
        click.option("--weights-digest", help=f"{_DIGEST} of the weights manifest."),
        click.option("--transcripts-file", type=click.Path(dir_okay=False, path_type=Path),
                     help="Write transcripts as JSONL here (bound by digest) instead of inline."),
        click.option("--quiet", is_flag=True, help="No progress bars."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def gather_suites(suites: tuple[str, ...], imports: tuple[Path, ...],
                  polarities: tuple[str, ...], import_topics: tuple[str, ...],
                  import_limit: int | None) -> tuple[ProbeSuite, ...]:
    chosen = [resolve_suite(s) for s in suites] if suites or imports else [
        resolve_suite(DEFAULT_SUITE)]
    chosen.extend(import_suites(imports, polarities, import_topics, import_limit))
    ids = [s.id for s in chosen]
    if len(set(ids)) != len(ids):
        raise InvalidInput("--suite", "--suite", f"a suite is given twice: {ids}")
    return tuple(chosen)


def run_collection(out: Path, weights_digest: str, **options: object) -> CollectResult:
    """Parse the shared options, collect, and write the bundle atomically to `out`."""
    model = cast(str, options["model"])
    suites = gather_suites(
        cast(tuple[str, ...], options["suites"]), cast(tuple[Path, ...], options["imports"]),
        cast(tuple[str, ...], options["polarities"]),
        cast(tuple[str, ...], options["import_topics"]), cast(int | None, options["import_limit"]),
    )
    seeds = cast(tuple[int, ...], options["seeds"]) or (0, 1)
    cache_dir = None if options["no_cache"] else (
        cast(Path | None, options["cache_dir"]) or default_cache_dir())
    transcripts_file = cast(Path | None, options["transcripts_file"])
    request = CollectRequest(
        model=model,
        suites=suites,
        sampling=Sampling(cast(int, options["samples"]), seeds,
                          cast(float, options["temperature"]),
                          cast(int | None, options["max_tokens"])),
        subject=SubjectInfo(cast(str | None, options["model_name"]) or model,
                            cast(str, options["model_version"]), weights_digest, model),
        api_base=cast(str | None, options["api_base"]),
        settings=RunSettings(concurrency=cast(int, options["concurrency"]),
                             timeout=cast(float, options["timeout"]),
                             max_attempts=cast(int, options["max_attempts"]),
                             reuse_failures=bool(options["resume"])),
        cache_dir=cache_dir,
        resume=bool(options["resume"]),
        transcripts_file=transcripts_file,
        bundle_dir=out.parent,
    )
    normaliser = make_normaliser(cast(str, options["judge"]), request.api_base)
    from gatekeeper.collect.plan import expand

    with CollectionProgress(expand(suites, request.sampling),
                            enabled=not options["quiet"]) as progress:
        result = asyncio.run(run_collect(request, normaliser, on_sample=progress.on_sample,
                                         on_retry=progress.on_retry))
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out, json.dumps(result.bundle, indent=2, ensure_ascii=False) + "\n")
    stats = result.stats
    unscored = sum(1 for c in result.classified if c.stance is None)
    print(
        f"gatekeeper: {len(result.specs)} samples ({unscored} unscored), {stats.requests} "
        f"requests, {stats.retries} retries, cache hits {stats.hits}/{stats.hits + stats.misses}"
        f" -> {out}",
        file=sys.stderr,
    )
    return result


def _require_digest(weights_digest: str | None) -> str:
    if not weights_digest:
        raise InvalidInput("--weights-digest", "--weights-digest",
                           "required: evidence is bound to one weights digest")
    return weights_digest


@click.command("collect")
@collect_options
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the evidence bundle (JSON).")
@fail_closed
def collect(out: Path, weights_digest: str | None, **options: object) -> None:
    """Poll a candidate model with the probe suites and write a sealed evidence bundle."""
    run_collection(out, _require_digest(weights_digest), **options)


@click.command("review")
@collect_options
@click.option("--release-plan", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("gatekeeper-evidence.json"), show_default=True)
@click.option("--reports-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also write every report format here.")
@engine_options
@gate_options
@fail_closed
def review(out: Path, weights_digest: str | None, release_plan: Path,
           reports_dir: Path | None, engine: str, opa_url: str | None,
           ledger: Path, no_ledger: bool, signing_key: Path | None,
           waivers: tuple[Path, ...], approver_keys: tuple[Path, ...], output_format: str,
           output: Path | None, fail_on: str, **options: object) -> None:
    """Collect, evaluate against the policies, record and report, in one go."""
    from gatekeeper.bundle.loading import load_release_plan
    from gatekeeper.evaluation import EvaluationRequest, run_evaluation

    plan = load_release_plan(release_plan)
    digest = weights_digest or plan.model.release.weights_digest
    # The plan names the model under review; explicit --model-name/--model-version win.
    options["model_name"] = options["model_name"] or plan.model.model.name
    if options["model_version"] == "unspecified":
        options["model_version"] = plan.model.model.version
    run_collection(out, digest, **options)
    with open_decider(engine, opa_url) as decider:
        evaluation = run_evaluation(EvaluationRequest(out, release_plan), decider)
    if reports_dir is not None:
        reports_dir.mkdir(parents=True, exist_ok=True)
    finish(evaluation, ledger=ledger, no_ledger=no_ledger, signing_key=signing_key,
           waivers=waivers, approver_keys=approver_keys, output_format=output_format,
           output=output, fail_on=fail_on, reports_dir=reports_dir)
