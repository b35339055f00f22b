"""`--engine`/`--opa-url` and `--policy-dir`/`--data`, shared by the commands that decide."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from gatekeeper.engines.registry import DEFAULT_ENGINE, engine_help, engine_names

F = TypeVar("F", bound=Callable[..., Any])


_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def policy_options(command: F) -> F:
    """`--policy-dir` and `--data`: the policy set a command decides with."""
    command = click.option(
        "--data", "data_files", multiple=True, type=_FILE,
        help="JSON/YAML data merged over the default thresholds; repeatable.")(command)
    return click.option(
        "--policy-dir", "policy_dirs", multiple=True,
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Extra Rego modules (package gatekeeper.rules.<name>); repeatable.")(command)


def engine_options(command: F) -> F:
    command = click.option("--opa-url", help="An OPA server you run, for --engine opa-server "
                           "(or opa/both, as before).")(command)
    return click.option("--engine", type=click.Choice(engine_names()), default=DEFAULT_ENGINE,
                        show_default=True, help=engine_help())(command)
