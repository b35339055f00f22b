"""The report seam: a format is a function from a `DecisionView` to text.

One registry and one signature for every command that renders (evaluate, review, report,
card gate): adding a format is one new module with a `render(view)` and one line in
`_FORMATS` (conftest's `output.Get`).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from gatekeeper.report.view import DecisionView

Renderer = Callable[[DecisionView], str]

_FORMATS: dict[str, str] = {
    "text": "gatekeeper.report.text",
    "json": "gatekeeper.report.json_format",
    "markdown": "gatekeeper.report.markdown",
    "html": "gatekeeper.report.html",
    "sarif": "gatekeeper.report.sarif",
    "junit": "gatekeeper.report.junit",
    "github": "gatekeeper.report.github",
}


def formats() -> list[str]:
    """Names for `--format`, in the order shown by --help."""
    return list(_FORMATS)


def renderer(name: str) -> Renderer:
    """The `render` function of the named format's module (imported only when asked)."""
    module = import_module(_FORMATS[name])
    render: Renderer = module.render
    return render


def report_paths(directory: Path) -> dict[str, Path]:
    """Where `write_reports` puts each format."""
    return {name: directory / f"report.{name}" for name in formats()}


def write_reports(view: DecisionView, directory: Path) -> dict[str, Path]:
    """Every format into `directory/report.<format>` (atomically); returns the paths."""
    from gatekeeper.files import atomic_write_text

    written = report_paths(directory)
    for name, path in written.items():
        atomic_write_text(path, renderer(name)(view))
    return written
