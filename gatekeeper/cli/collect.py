"""`gatekeeper collect` and `gatekeeper review`: argument parsing only; work is in the library."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from gatekeeper.cli.engine import engine_options, policy_options
from gatekeeper.cli.errors import fail_closed
from gatekeeper.cli.gate import Gate, exit_on, gate_options
from gatekeeper.cli.params import model_id, weights_digest
from gatekeeper.cli.provenance import trust_options
from gatekeeper.collect.options import JUDGE_KEY_ENV, CollectOptions, run_collection
from gatekeeper.collect.partition import Shard
from gatekeeper.collect.pipeline import MAX_PROVIDER_ERROR_SHARE
from gatekeeper.collect.sources import DEFAULT_SUITE
from gatekeeper.errors import InvalidInput
from gatekeeper.weights import resolve_weights_digest

DEFAULT_SAMPLES = 24
"""5 paraphrases x 24 = 120 samples per record: >= 100 scored even with 10% unscored."""
_DIGEST = r"sha256:<64 hex>"

F = TypeVar("F", bound=Callable[..., Any])
_file = click.Path(exists=True, dir_okay=False, path_type=Path)


def _shard(context: click.Context, parameter: click.Parameter, value: str | None,
           ) -> Shard | None:
    return None if value is None else Shard.parse(value)


def collect_options(command: F) -> F:
    """Options shared by `collect` and `review`; each maps onto a `CollectOptions` field."""
    options = [
        click.option("--model", required=True, callback=model_id,
                     help="litellm model id, or scripted/<persona>."),
        click.option("--api-base", help="OpenAI-compatible base URL (e.g. a LiteLLM proxy)."),
        click.option("--suite", "suites", multiple=True,
                     help=f"Built-in suite name or YAML path; repeatable "
                          f"[default: {DEFAULT_SUITE}]."),
        click.option("--probe", "probes", multiple=True,
                     help="Only this probe of the suites; repeatable [default: every probe]."),
        click.option("--import-mwe", "imports", multiple=True, type=_file,
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
        click.option("--answer-format", type=click.Choice(["auto", "tag", "structured"]),
                     default="auto", show_default=True,
                     help="How closed questions ask for the commitment: a JSON field where "
                          "litellm says the provider enforces a schema (auto), or an ANSWER line."),
        click.option("--judge", default="offline", show_default=True, callback=model_id,
                     help="litellm id of the judge model, or `offline`."),
        click.option("--judge-api-base",
                     help=f"The judge's own base URL; its key comes from ${JUDGE_KEY_ENV} "
                          "(else the provider's usual variable)."),
        click.option("--allow-self-judge", is_flag=True,
                     help="Let the candidate judge its own answers (recorded; policies escalate)."),
        click.option("--calibration", type=_file,
                     help="A `judge calibrate --out` report for this reader, instead of "
                          "measuring it now."),
        click.option("--calibration-labels", type=_file,
                     help="Labelled answers to calibrate the reader on "
                          "[default: the shipped set]."),
        click.option("--no-calibration", is_flag=True,
                     help="Do not measure the reader (the policies then escalate)."),
        click.option("--concurrency", type=click.IntRange(min=1), default=8, show_default=True,
                     help="Requests in flight per process."),
        click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
                     help="Processes polling in parallel (one per core); they share the store."),
        click.option("--batch", is_flag=True,
                     help="Through the provider's batch service (litellm's batch API): one "
                          "job per conversation turn, resumable by its id, batch-priced."),
        click.option("--shard", callback=_shard, metavar="I/N",
                     help="Poll only share I of N (a job array's task) and write a shard "
                          "file to --out; `gatekeeper bundle merge` makes the bundle."),
        click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0,
                     show_default=True, help="Per-request timeout in seconds."),
        click.option("--max-attempts", type=click.IntRange(min=1), default=4, show_default=True),
        click.option("--max-provider-errors", type=click.FloatRange(min=0.0, max=1.0),
                     default=MAX_PROVIDER_ERROR_SHARE, show_default=True,
                     help="Share of samples lost to provider errors above which the run "
                          "exits 1 (the bundle is still written; finish it with --resume)."),
        click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
                     help="Transcript store [default: $XDG_CACHE_HOME/gatekeeper/transcripts]."),
        click.option("--no-cache", is_flag=True, help="Do not read or write the store."),
        click.option("--resume", is_flag=True,
                     help="Continue an interrupted run with the same settings."),
        click.option("--model-name", help="Subject model name [default: --model]."),
        click.option("--model-version", default="unspecified", show_default=True),
        click.option("--weights-digest", callback=weights_digest,
                     help=f"{_DIGEST} of the weights manifest."),
        click.option("--weights", type=click.Path(exists=True, file_okay=False, path_type=Path),
                     help="Weights folder: bind to its digest (gatekeeper weights digest)."),
        click.option("--transcripts-file", type=click.Path(dir_okay=False, path_type=Path),
                     help="Write transcripts as JSONL here (bound by digest) instead of inline."),
        click.option("--sign-bundle", type=_file,
                     help="Ed25519 key (gatekeeper keys generate): sign the bundle as its "
                          "collector (writes BUNDLE.dsse, for evaluate --trust-collector)."),
        click.option("--dry-run", is_flag=True,
                     help="Print requests, tokens and estimated cost; contact nothing."),
        click.option("--quiet", is_flag=True, help="No progress bars."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _require_digest(weights_digest: str | None) -> str:
    if not weights_digest:
        raise InvalidInput("--weights-digest", "--weights-digest",
                           "required: evidence is bound to one weights digest")
    return weights_digest


@click.command("collect")
@collect_options
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the evidence bundle (JSON), or the shard file.")
@fail_closed
def collect(out: Path, weights_digest: str | None, weights: Path | None, **options: Any) -> None:
    """Poll a candidate model with the probe suites and write a sealed evidence bundle."""
    parsed = CollectOptions(**options)
    given = resolve_weights_digest(weights, weights_digest)
    digest = (given or "") if parsed.dry_run else _require_digest(given)
    run_collection(parsed, out, digest)


@click.command("review")
@collect_options
@click.option("--release-plan", required=True, type=_file)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("gatekeeper-evidence.json"), show_default=True)
@click.option("--model-card", type=_file,
              help="Hugging Face model card (README.md): its facts join the policy input.")
@click.option("--pull-request-event", type=_file,
              help="GitHub pull_request event ($GITHUB_EVENT_PATH): fork PRs escalate.")
@policy_options
@engine_options
@trust_options
@gate_options
@fail_closed
def review(out: Path, weights_digest: str | None, weights: Path | None, release_plan: Path,
           model_card: Path | None, pull_request_event: Path | None,
           policy_dirs: tuple[Path, ...], data_files: tuple[Path, ...], engine: str,
           opa_url: str | None, trust_collectors: tuple[Path, ...],
           ledger: Path, no_ledger: bool, signing_key: Path | None,
           waivers: tuple[Path, ...], approver_keys: tuple[Path, ...], output_format: str,
           output: Path | None, reports_dir: Path | None, fail_on: str,
           **options: Any) -> None:
    """Collect, evaluate against the policies, record and report, in one go."""
    from gatekeeper.evaluation import EvaluationRequest
    from gatekeeper.review import EngineChoice
    from gatekeeper.review import review as run_review

    gate = Gate.parse(ledger=ledger, no_ledger=no_ledger, signing_key=signing_key,
                      waivers=waivers, approver_keys=approver_keys, output_format=output_format,
                      output=output, reports_dir=reports_dir, fail_on=fail_on)
    request = EvaluationRequest(out, release_plan, policy_dirs, data_files,
                                model_card=model_card, pull_request_event=pull_request_event,
                                trusted_collectors=trust_collectors, **gate.presented_waivers())
    digest = resolve_weights_digest(weights, weights_digest)
    reviewed = run_review(CollectOptions(**options), digest, request,
                          EngineChoice(engine, opa_url), gate.record, gate.render, gate.kept)
    if reviewed is not None:
        exit_on(reviewed, gate)
