"""`gatekeeper evaluate`: verdict for one evidence bundle (and release plan), offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from gatekeeper.cli.engine import engine_options, policy_options
from gatekeeper.cli.errors import fail_closed
from gatekeeper.cli.gate import Gate, exit_on, gate_options
from gatekeeper.cli.provenance import trust_options
from gatekeeper.evaluation import EvaluationRequest
from gatekeeper.review import EngineChoice, decide

_existing_file = click.Path(exists=True, dir_okay=False, path_type=Path)


def card_inputs(model_card: Path | None, bundle: Path | None,
                release_plan: Path | None) -> tuple[Path, Path | None]:
    """BUNDLE and --release-plan, defaulting to what the card's release_review names."""
    if model_card is not None and (bundle is None or release_plan is None):
        from gatekeeper.card.check import card_paths

        named_plan, named_bundle = card_paths(model_card)
        bundle = bundle or named_bundle
        release_plan = release_plan or named_plan
    if bundle is None:
        raise click.UsageError("give BUNDLE, or a --model-card whose release_review names "
                               "an evidence_bundle")
    return bundle, release_plan


@click.command("evaluate")
@click.argument("bundle", type=_existing_file, required=False)
@click.option("--release-plan", type=_existing_file, help="YAML release plan (misuse, release).")
@click.option("--model-card", type=_existing_file,
              help="Hugging Face model card (README.md): its facts join the policy input; "
                   "its release_review names the default BUNDLE and --release-plan.")
@click.option("--pull-request-event", type=_existing_file,
              help="GitHub pull_request event ($GITHUB_EVENT_PATH): fork PRs escalate.")
@policy_options
@engine_options
@trust_options
@click.option("--collector-attestation", type=_existing_file,
              help="The collector's signed statement [default: BUNDLE.dsse when present].")
@gate_options
@fail_closed
def evaluate_command(
    bundle: Path | None,
    release_plan: Path | None,
    model_card: Path | None,
    pull_request_event: Path | None,
    policy_dirs: tuple[Path, ...],
    data_files: tuple[Path, ...],
    engine: str,
    opa_url: str | None,
    trust_collectors: tuple[Path, ...],
    collector_attestation: Path | None,
    **gate: Any,
) -> None:
    """Evaluate BUNDLE against the policies, record the decision, print the verdict.

    Exit codes: 0 approve / approve_with_conditions, 3 block, 4 escalate,
    2 invalid input, 1 internal error (never an approval).
    """
    parsed = Gate.parse(**gate)
    bundle, release_plan = card_inputs(model_card, bundle, release_plan)
    request = EvaluationRequest(bundle, release_plan, policy_dirs, data_files,
                                model_card=model_card, pull_request_event=pull_request_event,
                                trusted_collectors=trust_collectors,
                                collector_attestation=collector_attestation,
                                **parsed.presented_waivers())
    exit_on(decide(request, EngineChoice(engine, opa_url), parsed.record, parsed.render,
                   parsed.kept), parsed)
