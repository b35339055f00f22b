"""`--engine`/`--opa-url`, shared by every command that decides (evaluate, review, replay)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from gatekeeper.decision.decider import Decider
from gatekeeper.engines.registry import DEFAULT_ENGINE, engine_help, engine_names, make_engine

F = TypeVar("F", bound=Callable[..., Any])


def engine_options(command: F) -> F:
    command = click.option("--opa-url", help="An OPA server you run, for --engine opa-server "
                           "(or opa/both, as before).")(command)
    return click.option("--engine", type=click.Choice(engine_names()), default=DEFAULT_ENGINE,
                        show_default=True, help=engine_help())(command)


def open_decider(engine: str, opa_url: str | None) -> Decider:
    """The chosen engine behind a Decider; a fallback to regopy is announced on stderr."""
    built = make_engine(engine, opa_url)
    reason = getattr(built, "fallback_reason", None)
    if reason:
        print(f"gatekeeper: WARNING: {reason}; deciding with regopy instead of OPA "
              "(recorded as such)", file=sys.stderr)
    return Decider(built)
