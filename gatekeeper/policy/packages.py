"""Organisation modules may only add rules: `package gatekeeper.rules.<name>`, checked in Python.

A module of another package could redefine the decision or the thresholds; OPA refuses some
of these only by accident (a conflict at compile time) and regopy lets them rewrite
`data.gatekeeper.thresholds`, so the gate refuses them before any engine sees them.
"""

from __future__ import annotations

import re

from gatekeeper.engines.base import PolicyModule
from gatekeeper.errors import PolicyError

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_PACKAGE = re.compile(r"package\s+(\S+)\s*(#.*)?")
_BLANK_OR_COMMENT = re.compile(r"\s*(#.*)?")


def _first_statement(text: str) -> tuple[int, str]:
    """(line number, line) of the first line that is not blank or a comment."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not _BLANK_OR_COMMENT.fullmatch(line):
            return number, line.strip()
    return 1, ""


def check_organisation_package(module: PolicyModule, *, test: bool) -> None:
    """Refuse `module` unless its first statement is `package gatekeeper.rules.<name>`
    (`gatekeeper.rules.<name>_test` for a `_test.rego` file, OPA's convention), naming the
    file and line."""
    expected = "gatekeeper.rules.<name>_test" if test else "gatekeeper.rules.<name>"
    allowed = re.compile(r"gatekeeper\.rules\." + _NAME + ("_test" if test else ""))
    number, first = _first_statement(module.text.removeprefix("\ufeff"))
    match = _PACKAGE.fullmatch(first)
    if match is None or not allowed.fullmatch(match.group(1)):
        raise PolicyError(
            f"{module.path}: line {number}: an organisation module must be "
            f"`package {expected}` (found {first[:80]!r}); other packages could "
            "rewrite the decision or the thresholds")
