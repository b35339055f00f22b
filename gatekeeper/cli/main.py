"""The `gatekeeper` command: argument parsing only; the work lives in the library.

Subcommands are imported only when run (click's lazy-group pattern): `evaluate` must not
pay for the collection stack, the audit commands or the report formats it does not use.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module

import click

from gatekeeper import __version__
from gatekeeper.errors import missing_extra

# litellm is imported only by `collect`/`review`; when it is, it must stay offline.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

_COMMANDS = {
    "evaluate": "gatekeeper.cli.evaluate:evaluate_command",
    "policy": "gatekeeper.cli.policy:policy_group",
    "collect": "gatekeeper.cli.collect:collect",
    "review": "gatekeeper.cli.collect:review",
    "bundle": "gatekeeper.cli.bundle:bundle_group",
    "verify": "gatekeeper.cli.audit:verify_command",
    "replay": "gatekeeper.cli.audit:replay_command",
    "report": "gatekeeper.cli.audit:report_command",
    "keys": "gatekeeper.cli.audit:keys_group",
    "waiver": "gatekeeper.cli.audit:waiver_group",
    "ledger": "gatekeeper.cli.audit:ledger_group",
    "judge": "gatekeeper.cli.judge:judge_group",
    "weights": "gatekeeper.cli.weights:weights_group",
    "card": "gatekeeper.cli.card:card_group",
    "github": "gatekeeper.cli.github:github_group",
}


class LazyGroup(click.Group):
    """A group whose subcommands are `module:attribute` strings, imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = _COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        try:
            command: click.Command = getattr(import_module(module), attribute)
        except ModuleNotFoundError as error:
            if missing_extra(error) is None:
                raise
            return _not_installed(cmd_name, error)
        return command


def _not_installed(name: str, error: ModuleNotFoundError) -> click.Command:
    """A command whose extra is missing: still listed, and running it says what to install."""
    from gatekeeper.cli.errors import fail_closed

    @fail_closed
    def explain() -> None:
        raise error

    return click.Command(
        name, callback=explain, add_help_option=False,
        help=f"(not installed: needs the collect extra, missing {error.name})",
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gatekeeper")
def cli() -> None:
    """Gatekeeper: a fail-closed pre-release gate for open-weights decisions."""


def main() -> None:
    if os.name != "posix":
        # fcntl locks (ledger, sample store), OPA over a unix socket: README, "Platforms".
        sys.exit("gatekeeper: needs a POSIX system (Linux, macOS); this is not one")
    cli()
