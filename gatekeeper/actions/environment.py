"""The files a GitHub Actions step writes to: the job summary and the step outputs.

GitHub fails a step whose summary exceeds 1 MiB (with an error annotation), so appends
stop short of it and say what was left out. Outputs use the multi-line form with a random
delimiter that the value is checked not to contain, so no value can forge another output.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from pathlib import Path

SUMMARY_LIMIT = 1024 * 1024
_CUT_NOTE = "\n\n_The rest of this report is left out: the job summary holds 1 MiB per step._\n"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def append_summary(markdown: str, environ: Mapping[str, str]) -> Path | None:
    """Append to $GITHUB_STEP_SUMMARY (when set), keeping the whole file under 1 MiB."""
    target = environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    path = Path(target)
    used = path.stat().st_size if path.exists() else 0
    data = markdown.encode("utf-8")
    room = SUMMARY_LIMIT - used
    if len(data) > room:
        note = _CUT_NOTE.encode("utf-8")
        keep = max(room - len(note), 0)
        data = data[:keep].decode("utf-8", "ignore").encode("utf-8")
        data = data + note if len(data) + len(note) <= room else data
    with path.open("ab") as stream:
        stream.write(data)
    return path


def write_outputs(values: Mapping[str, str], environ: Mapping[str, str]) -> Path | None:
    """Append `name<<delimiter` blocks to $GITHUB_OUTPUT (when set)."""
    target = environ.get("GITHUB_OUTPUT")
    if not target:
        return None
    lines: list[str] = []
    for name, value in values.items():
        if not _NAME.match(name):
            raise ValueError(f"not an output name: {name!r}")
        delimiter = f"gatekeeper_{secrets.token_hex(16)}"
        if delimiter in value:
            raise ValueError("output value contains its delimiter")
        lines += [f"{name}<<{delimiter}", value, delimiter]
    path = Path(target)
    with path.open("a", encoding="utf-8") as stream:
        stream.write("\n".join(lines) + "\n")
    return path

