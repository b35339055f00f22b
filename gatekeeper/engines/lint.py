"""Refuse Rego that regopy would mis-evaluate silently (regopy 1.5.2 defects)."""

from __future__ import annotations

import re

from gatekeeper.engines.base import PolicyModule
from gatekeeper.errors import PolicyError

_HAZARDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"\bwith\s+input\s+as\b"),
        "`with input as …` crashes regopy 1.5.2; mock a field instead (`with input.bundle as …`)",
    ),
    (
        re.compile(r"\brego\.metadata\."),
        "`rego.metadata.*` is unsupported by regopy (crashes or is undefined); "
        "Gatekeeper reads METADATA in Python",
    ),
    (
        re.compile(
            r"sprintf\([^\n]*\[[^\n]*\b(concat|upper|lower|replace|format_int|json\.marshal)\("
        ),
        "a string computed by a built-in is passed to sprintf; regopy 1.5.2 wraps it in raw "
        "quotes and cannot parse its own output: build the message with concat instead",
    ),
    (
        re.compile(r"^\s*[A-Za-z_][\w.]*\[[^\]\n]*\]\s*\{", re.MULTILINE),
        "Rego v0 rule syntax (`name[x] {`); regopy accepts it silently with another meaning, "
        "write `name contains x if {`",
    ),
)


def _strip_comments(text: str) -> str:
    return re.sub(r"#[^\n]*", "", text)


def check_module(module: PolicyModule) -> None:
    """Raise PolicyError naming the file and line of the first hazard found."""
    code = _strip_comments(module.text)
    if not re.search(r"^\s*import\s+rego\.v1\s*$", code, re.MULTILINE):
        raise PolicyError(
            f"{module.path}: line 1: missing `import rego.v1`; Gatekeeper requires Rego v1 "
            "modules to say so, because regopy accepts v0 syntax without complaint"
        )
    for pattern, why in _HAZARDS:
        match = pattern.search(code)
        if match:
            line = code.count("\n", 0, match.start()) + 1
            raise PolicyError(f"{module.path}: line {line}: {why}")
