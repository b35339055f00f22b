"""The `gatekeeper` command: argument parsing only; the work lives in the library."""

from __future__ import annotations

import os

import click

from gatekeeper import __version__
from gatekeeper.cli.audit import (
    keys_group,
    replay_command,
    report_command,
    verify_command,
    waiver_group,
)
from gatekeeper.cli.card import card_group
from gatekeeper.cli.collect import collect, review
from gatekeeper.cli.evaluate import evaluate_command
from gatekeeper.cli.github import github_group
from gatekeeper.cli.judge import judge_group
from gatekeeper.cli.policy import policy_group
from gatekeeper.cli.weights import weights_group

# litellm is imported only by `collect`/`review`; when it is, it must stay offline.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gatekeeper")
def cli() -> None:
    """Gatekeeper: a fail-closed pre-release gate for open-weights decisions."""


cli.add_command(evaluate_command)
cli.add_command(policy_group)
cli.add_command(collect)
cli.add_command(review)
cli.add_command(judge_group)
cli.add_command(weights_group)
cli.add_command(card_group)
cli.add_command(github_group)
for command in (verify_command, replay_command, report_command, keys_group, waiver_group):
    cli.add_command(command)


def main() -> None:
    cli()
