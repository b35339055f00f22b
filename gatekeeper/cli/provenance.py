"""`--trust-collector`: the collectors whose signed bundles an evaluation trusts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])
_file = click.Path(exists=True, dir_okay=False, path_type=Path)


def trust_options(command: F) -> F:
    """Options shared by evaluate and review."""
    return click.option(
        "--trust-collector", "trust_collectors", multiple=True, type=_file,
        help="Public key of a trusted collector; repeatable. With it, a bundle not signed by "
             "one of them escalates (GK-PRV-002).")(command)
