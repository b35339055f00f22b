"""Never write a report over what a run reads or keeps: its inputs, the ledger, the archive.

`evaluate --ledger L --output L` once recorded a decision and then replaced the ledger with
the report. Every output path is checked against every kept file (the same name, a link to
it, or a hard link) and kept folder (anything beneath) before anything is recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gatekeeper.errors import UsageError


@dataclass(frozen=True)
class Kept:
    """A file (or, with `tree`, a folder and all in it) that no output may replace."""

    what: str
    path: Path
    tree: bool = False


def _replaces(target: Path, kept: Kept) -> bool:
    resolved, base = target.resolve(), kept.path.resolve()
    if kept.tree:
        return resolved.is_relative_to(base)
    if resolved == base:
        return True
    try:
        return target.samefile(kept.path)
    except OSError:  # one of them does not exist (yet): not the same file
        return False


def refuse_overwrites(outputs: Iterable[tuple[str, Path]], kept: Iterable[Kept]) -> None:
    """UsageError (exit 2) naming the option, the output and what it would replace."""
    protected = list(kept)
    for option, target in outputs:
        for item in protected:
            if _replaces(target, item):
                inside = " (inside it)" if item.tree and target.resolve() != item.path.resolve() \
                    else ""
                raise UsageError(f"{option} {target} would overwrite {item.what} "
                                 f"{item.path}{inside}: refused before anything was recorded; "
                                 "write it elsewhere")
