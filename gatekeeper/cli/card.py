"""`gatekeeper card …`: model-card intake (parsing only; the work is in gatekeeper.card)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from gatekeeper.cli.errors import fail_closed
from gatekeeper.decision.verdict import ExitCode
from gatekeeper.errors import InvalidInput

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
