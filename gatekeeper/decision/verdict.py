"""Verdicts, their precedence, and the exit codes every verdict-returning command shares."""

from __future__ import annotations

from enum import IntEnum
from typing import Literal, get_args

Verdict = Literal["block", "escalate", "approve_with_conditions", "approve"]
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)
"""Deny-overrides precedence, strongest first."""

FailOn = Literal["block", "escalate", "conditions", "never"]


class ExitCode(IntEnum):
    OK = 0
    INTERNAL_ERROR = 1
    INVALID_INPUT = 2
    BLOCK = 3
    ESCALATE = 4


_DEFAULT_EXIT = {
    "approve": ExitCode.OK,
    "approve_with_conditions": ExitCode.OK,
    "escalate": ExitCode.ESCALATE,
    "block": ExitCode.BLOCK,
}


def exit_code_for(verdict: Verdict, fail_on: FailOn = "escalate") -> ExitCode:
    """Map a verdict to an exit code; `--fail-on` picks the weakest verdict that fails.

    `escalate` (default) is the mapping of docs/verdict-matrix.md#exit-codes; `block` lets
    escalations pass CI (exit 0) while still printing them; `conditions` also fails
    approve_with_conditions (exit 4 is reused since it asks a human to look); `never` always
    exits 0.
    """
    if fail_on == "never":
        return ExitCode.OK
    failing = VERDICTS[: {"block": 1, "escalate": 2, "conditions": 3}[fail_on]]
    if verdict not in failing:
        return ExitCode.OK
    return _DEFAULT_EXIT[verdict] if verdict != "approve_with_conditions" else ExitCode.ESCALATE
