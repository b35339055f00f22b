"""Write machine output to stdout or atomically to a file (never a half-written report)."""

from __future__ import annotations

from pathlib import Path

import click

from gatekeeper.files import atomic_write_text


def write_output(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write_text(output, text)
