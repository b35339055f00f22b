"""The options `evaluate` and `review` share for recording and reporting, parsed into the
library's types (`gatekeeper.review`), and the exit on the verdict."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from gatekeeper.audit import DEFAULT_LEDGER
from gatekeeper.audit.head import head_text
from gatekeeper.audit.keys import load_public_key
from gatekeeper.audit.waivers import load_waiver
from gatekeeper.decision.verdict import FailOn, exit_code_for
from gatekeeper.output_guard import Kept
from gatekeeper.report.registry import formats
from gatekeeper.review import RecordOptions, RenderOptions, Reviewed

F = TypeVar("F", bound=Callable[..., Any])
_file = click.Path(exists=True, dir_okay=False, path_type=Path)


def gate_options(command: F) -> F:
    """Options for recording the decision and reporting it (shared by evaluate and review)."""
    decorators = [
        click.option("--ledger", type=click.Path(dir_okay=False, path_type=Path),
                     default=DEFAULT_LEDGER, show_default=True,
                     help="Append the decision to this hash-chained ledger."),
        click.option("--no-ledger", is_flag=True,
                     help="Do not record the decision (exploration only; audits need it)."),
        click.option("--signing-key", type=_file,
                     help="Ed25519 key (gatekeeper keys generate) to sign record + attestation."),
        click.option("--waiver", "waivers", multiple=True, type=_file,
                     help="Signed waiver file; repeatable. Void for other evidence or expired."),
        click.option("--approver-key", "approver_keys", multiple=True, type=_file,
                     help="Public key trusted to sign waivers; repeatable."),
        click.option("--format", "output_format", type=click.Choice(formats()), default="text",
                     show_default=True),
        click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
                     help="Write the report here (atomically) instead of stdout."),
        click.option("--reports-dir", type=click.Path(file_okay=False, path_type=Path),
                     help="Also write every report format here."),
        click.option("--fail-on", type=click.Choice(["block", "escalate", "conditions", "never"]),
                     default="escalate", show_default=True,
                     help="Weakest verdict that gives a failing exit code."),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


@dataclass(frozen=True)
class Gate:
    """What `gate_options` parse to."""

    record: RecordOptions
    render: RenderOptions
    fail_on: FailOn
    waivers: tuple[Path, ...]
    approver_keys: tuple[Path, ...]

    @classmethod
    def parse(cls, *, ledger: Path, no_ledger: bool, signing_key: Path | None,
              waivers: tuple[Path, ...], approver_keys: tuple[Path, ...], output_format: str,
              output: Path | None, reports_dir: Path | None, fail_on: str) -> Gate:
        if waivers and no_ledger:
            raise click.UsageError("waivers are only applied to recorded decisions: "
                                   "drop --no-ledger")
        return cls(RecordOptions(None if no_ledger else ledger, signing_key),
                   RenderOptions(output_format, output, reports_dir), cast(FailOn, fail_on),
                   waivers, approver_keys)

    def presented_waivers(self) -> dict[str, Any]:
        """The EvaluationRequest fields `--waiver`/`--approver-key` give, read now (a bad
        file is exit 2 before anything is collected or evaluated). The policy decides what
        a waiver lifts, so waivers go into the evaluation."""
        return {"waivers": tuple(load_waiver(path) for path in self.waivers),
                "approver_keys": tuple(load_public_key(path) for path in self.approver_keys)}

    @property
    def kept(self) -> tuple[Kept, ...]:
        """The waiver and key files, which no report may replace."""
        return (*(Kept("a waiver", path) for path in self.waivers),
                *(Kept("an approver key", path) for path in self.approver_keys))


def exit_on(reviewed: Reviewed, gate: Gate) -> None:
    """Say where the decision went, print the report (unless written to --output), publish
    to GitHub with `--format github`, and exit with the verdict's code."""
    result = reviewed.evaluation.result
    if reviewed.recorded is not None:
        print(f"gatekeeper: decision {result.decision_id} recorded in {gate.record.ledger} "
              f"(head {head_text(reviewed.recorded.head)})", file=sys.stderr)
    if gate.render.output is None:
        click.echo(reviewed.text, nl=False)
    if gate.render.output_format == "github":
        from gatekeeper.actions.publish import publish_result

        publish_result(reviewed.view, gate.fail_on, gate.render.reports_dir, os.environ)
    print(f"gatekeeper: verdict {result.verdict}", file=sys.stderr)
    sys.exit(exit_code_for(result.verdict, gate.fail_on))
