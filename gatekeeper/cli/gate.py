"""What `evaluate` and `review` share after evaluating: record, report, exit on the verdict."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from gatekeeper.audit import DEFAULT_LEDGER, record_decision
from gatekeeper.audit.head import head_text
from gatekeeper.audit.keys import load_private_key, load_public_key
from gatekeeper.audit.recording import ledger_files
from gatekeeper.audit.waivers import load_waiver
from gatekeeper.cli.output import write_output
from gatekeeper.decision.verdict import FailOn, exit_code_for
from gatekeeper.evaluation import Evaluation
from gatekeeper.output_guard import Kept, refuse_overwrites
from gatekeeper.report.registry import formats, renderer, report_paths, write_reports
from gatekeeper.report.view import decision_view

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
        click.option("--fail-on", type=click.Choice(["block", "escalate", "conditions", "never"]),
                     default="escalate", show_default=True,
                     help="Weakest verdict that gives a failing exit code."),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def presented_waivers(gate: dict[str, Any]) -> dict[str, Any]:
    """The EvaluationRequest fields that `--waiver`/`--approver-key` give (taken from `gate`).

    The policy decides what a waiver lifts, so waivers go into the evaluation; they count
    only for a decision that is recorded.
    """
    waivers: tuple[Path, ...] = gate.pop("waivers")
    approver_keys: tuple[Path, ...] = gate.pop("approver_keys")
    if waivers and gate["no_ledger"]:
        raise click.UsageError("waivers are only applied to recorded decisions: drop --no-ledger")
    # `finish` refuses to write a report over any of them.
    gate["presented"] = (*(Kept("a waiver", path) for path in waivers),
                         *(Kept("an approver key", path) for path in approver_keys))
    return {"waivers": tuple(load_waiver(path) for path in waivers),
            "approver_keys": tuple(load_public_key(path) for path in approver_keys)}


def finish(
    evaluation: Evaluation,
    *,
    ledger: Path,
    no_ledger: bool,
    signing_key: Path | None,
    output_format: str,
    output: Path | None,
    fail_on: str,
    reports_dir: Path | None = None,
    presented: tuple[Kept, ...] = (),
) -> None:
    """Record (unless told not to), render the recorded decision, exit with its code."""
    result = evaluation.result
    record = None
    outputs = [("--output", output)] if output is not None else []
    if reports_dir is not None:
        outputs += [("--reports-dir", path) for path in report_paths(reports_dir).values()]
    keys = [Kept("the signing key", signing_key)] if signing_key else []
    refuse_overwrites(outputs, [
        *evaluation.read, *([] if no_ledger else ledger_files(ledger)), *keys, *presented])
    if not no_ledger:
        recorded = record_decision(
            result,
            evaluation.input_document,
            evaluation.policy,
            ledger,
            signing_key=load_private_key(signing_key) if signing_key else None,
            waivers=evaluation.waivers,
        )
        record = recorded.record
        print(f"gatekeeper: decision {result.decision_id} recorded in {ledger} "
              f"(head {head_text(recorded.head)})", file=sys.stderr)
    view = decision_view(result, evaluation.input_document["bundle"], record, ledger)
    if reports_dir is not None:
        write_reports(view, reports_dir)
    write_output(renderer(output_format)(view), output)
    if output_format == "github":
        from gatekeeper.actions.publish import publish_result

        publish_result(view, cast(FailOn, fail_on), reports_dir, os.environ)
    print(f"gatekeeper: verdict {result.verdict}", file=sys.stderr)
    sys.exit(exit_code_for(result.verdict, cast(FailOn, fail_on)))
