"""`gatekeeper evaluate`: verdict for one evidence bundle (and release plan), offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from gatekeeper.cli.engine import engine_options, open_decider
from gatekeeper.cli.errors import fail_closed
from gatekeeper.cli.gate import finish, gate_options
from gatekeeper.evaluation import EvaluationRequest, run_evaluation

_existing_file = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("evaluate")
@click.argument("bundle", type=_existing_file)
@click.option("--release-plan", type=_existing_file, help="YAML release plan (misuse, release).")
@click.option(
    "--policy-dir",
    "policy_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Extra Rego modules (package gatekeeper.rules.<name>); repeatable.",
)
@click.option(
    "--data", "data_files", multiple=True, type=_existing_file,
    help="JSON/YAML data merged over the default thresholds; repeatable.",
)
@engine_options
@gate_options
@fail_closed
def evaluate_command(
    bundle: Path,
    release_plan: Path | None,
    policy_dirs: tuple[Path, ...],
    data_files: tuple[Path, ...],
    engine: str,
    opa_url: str | None,
    **gate: Any,
) -> None:
    """Evaluate BUNDLE against the policies, record the decision, print the verdict.

    Exit codes: 0 approve / approve_with_conditions, 3 block, 4 escalate,
    2 invalid input, 1 internal error (never an approval).
    """
    request = EvaluationRequest(bundle, release_plan, policy_dirs, data_files)
    with open_decider(engine, opa_url) as decider:
        evaluation = run_evaluation(request, decider)
    finish(evaluation, **gate)
