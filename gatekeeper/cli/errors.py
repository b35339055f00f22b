"""One place that turns exceptions into messages and exit codes: nothing escapes as a pass."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import NoReturn, ParamSpec, TypeVar

import click

from gatekeeper.decision.verdict import ExitCode
from gatekeeper.errors import GatekeeperError, missing_extra
from gatekeeper.report.escape import terminal_safe

P = ParamSpec("P")
R = TypeVar("R")


def one_line(text: str) -> str:
    """A message that names hostile input (a card, a file name) stays on its own line, so it
    can never start a GitHub workflow command (`::set-output`, `::stop-commands::`) nor
    repaint the terminal."""
    return terminal_safe(text)


def fail_closed(command: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command: Gatekeeper errors exit with their code, anything else exits 1."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except click.ClickException:
            raise  # a usage error: click prints it with the usage line and exits 2
        except GatekeeperError as error:
            _refuse(error)
        except Exception as error:
            extra = missing_extra(error) if isinstance(error, ModuleNotFoundError) else None
            if extra is not None:
                _refuse(extra)
            print(f"gatekeeper: internal error: {one_line(repr(error))}", file=sys.stderr)
            print("gatekeeper: no verdict was produced (fail closed)", file=sys.stderr)
            sys.exit(ExitCode.INTERNAL_ERROR)

    return wrapper


def _refuse(error: GatekeeperError) -> NoReturn:
    kind = "invalid input" if error.exit_code == ExitCode.INVALID_INPUT else "error"
    print(f"gatekeeper: {kind}: {one_line(str(error))}", file=sys.stderr)
    print("gatekeeper: no verdict was produced (fail closed)", file=sys.stderr)
    sys.exit(error.exit_code)
