"""`gatekeeper card …`: model-card intake (parsing only; the work is in gatekeeper.card)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from gatekeeper.bundle.documents import read_text
from gatekeeper.cli.engine import engine_options
from gatekeeper.cli.errors import fail_closed, one_line
from gatekeeper.decision.verdict import ExitCode, FailOn
from gatekeeper.errors import InvalidInput
from gatekeeper.limits import SMALL_DOCUMENT_BYTES

if TYPE_CHECKING:
    from gatekeeper.card.gate import Collector
    from gatekeeper.card.loading import LoadedCard

_file = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group("card")
def card_group() -> None:
    """Read Hugging Face model cards the way the gate does."""


@card_group.command("check")
@click.argument("card", type=_file)
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]),
              default="text", show_default=True)
@fail_closed
def check_command(card: Path, output_format: str) -> None:
    """Check CARD's front matter and release_review; exit 2 naming the line if unreadable."""
    from gatekeeper.card.check import check_card

    if output_format != "github":
        loaded = check_card(card)
        if output_format == "json":
            click.echo(loaded.facts.model_dump_json(indent=2))
        else:
            from gatekeeper.card.report import facts_text

            click.echo(facts_text(loaded), nl=False)
        return
    from gatekeeper.actions.card_check import publish_card_check

    try:
        loaded = check_card(card)
    except InvalidInput as error:
        click.echo(publish_card_check(card, error, os.environ), nl=False)
        sys.exit(ExitCode.INVALID_INPUT)
    click.echo(publish_card_check(card, loaded, os.environ), nl=False)


def _card_list(cards: tuple[Path, ...], cards_from: Path | None) -> list[Path]:
    """CARDs, then the NUL- or newline-separated names in --cards-from (`git diff -z`)."""
    listed = list(cards)
    if cards_from is not None:
        text = read_text(cards_from, SMALL_DOCUMENT_BYTES)
        names = text.split("\0") if "\0" in text else text.splitlines()
        listed += [Path(name) for name in names if name]
    return listed


def _collector(model: str, judge: str, api_base: str | None, samples: int | None,
               ) -> Collector:
    """Live collection with `collect`'s own options and defaults, bound to the card's digest."""
    from gatekeeper.cli.collect import collect
    from gatekeeper.collect.options import CollectOptions, run_collection

    def collect_for(card: LoadedCard, out: Path) -> Path:
        review = card.facts.release_review
        assert review is not None  # the gate checks it first
        args = ["--model", model, "--judge", judge, "--out", str(out), "--quiet",
                "--weights-digest", review.weights_digest, "--no-cache"]
        args += ["--api-base", api_base] if api_base else []
        args += ["--samples", str(samples)] if samples else []
        params = dict(collect.make_context("collect", args).params)
        out_path, digest = params.pop("out"), params.pop("weights_digest")
        params.pop("weights")
        run_collection(CollectOptions(**params), out_path, digest)
        return out

    return collect_for


@card_group.command("gate")
@click.argument("cards", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--cards-from", type=_file,
              help="File listing more cards, NUL- or newline-separated (git diff -z).")
@click.option("--reports-dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Per-card reports, gate.json (the artifact) and comment.md go here.")
@click.option("--pull-request-event", type=_file,
              help="GitHub pull_request event ($GITHUB_EVENT_PATH): fork PRs escalate.")
@click.option("--policy-dir", "policy_dirs", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--data", "data_files", multiple=True, type=_file)
@engine_options
@click.option("--ledger", type=click.Path(dir_okay=False, path_type=Path),
              help="Record every decision in this ledger (default: do not record).")
@click.option("--signing-key", type=_file, help="Ed25519 key to sign records + attestations.")
@click.option("--fail-on", type=click.Choice(["block", "escalate", "conditions", "never"]),
              default="escalate", show_default=True)
@click.option("--collect-model", help="Collect live evidence from this model (same-repo PRs).")
@click.option("--collect-judge", default="offline", show_default=True)
@click.option("--collect-api-base")
@click.option("--collect-samples", type=click.IntRange(min=1))
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]),
              default="text", show_default=True)
@fail_closed
def gate_command(cards: tuple[Path, ...], cards_from: Path | None, reports_dir: Path,
                 pull_request_event: Path | None, policy_dirs: tuple[Path, ...],
                 data_files: tuple[Path, ...], engine: str, opa_url: str | None,
                 ledger: Path | None, signing_key: Path | None, fail_on: str,
                 collect_model: str | None, collect_judge: str, collect_api_base: str | None,
                 collect_samples: int | None, output_format: str) -> None:
    """Gate each model CARD: its release_review's plan and evidence, evaluated and recorded.

    Exit codes as `evaluate`, for the strongest verdict over all cards; 2 if any card is
    invalid (the others are still evaluated and reported).
    """
    from gatekeeper.card.gate import GateSettings, gate_cards
    from gatekeeper.files import atomic_write_text
    from gatekeeper.report.comment import render_comment
    from gatekeeper.review import EngineChoice, open_decider

    settings = GateSettings(
        reports_dir=reports_dir, policy_dirs=policy_dirs, data_files=data_files,
        pull_request_event=pull_request_event, ledger=ledger, fail_on=cast(FailOn, fail_on),
        collect=_collector(collect_model, collect_judge, collect_api_base, collect_samples)
        if collect_model else None,
        signing_key=signing_key,
    )
    with open_decider(EngineChoice(engine, opa_url)) as decider:
        report = gate_cards(_card_list(cards, cards_from), settings, decider)
    comment = render_comment(report, _run_url(os.environ))
    atomic_write_text(reports_dir / "gate.json", report.model_dump_json(indent=2) + "\n")
    atomic_write_text(reports_dir / "comment.md", comment)
    if output_format == "github":
        from gatekeeper.actions.gate import publish_gate

        click.echo(publish_gate(report, comment, reports_dir, os.environ), nl=False)
    elif output_format == "json":
        click.echo(report.model_dump_json(indent=2))
    else:
        for card in report.cards:
            outcome = card.result.verdict if card.result else f"invalid: {card.error}"
            click.echo(f"{json.dumps(card.card)}: {one_line(outcome)}")
    sys.exit(report.exit_code)


def _run_url(environ: Mapping[str, str]) -> str | None:
    parts = [environ.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")]
    return f"{parts[0]}/{parts[1]}/actions/runs/{parts[2]}" if all(parts) else None

