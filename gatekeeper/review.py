"""The release review as a library: collect, evaluate, record, render — typed steps.

Every command is a prefix or a part of one flow (conftest's "the runner owns the flow"):
`collect` runs the first step, `evaluate` the last three (`decide`), `review` all four,
`card gate` the last three per card, and `report` renders a recorded decision. The CLI only
parses options into these types, so a decision is checked, recorded and rendered the same
way whichever command made it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from gatekeeper.audit import DEFAULT_LEDGER, record_decision
from gatekeeper.audit.keys import load_private_key
from gatekeeper.audit.recording import RecordedDecision, ledger_files
from gatekeeper.bundle.loading import load_release_plan
from gatekeeper.decision.decider import Decider
from gatekeeper.engines.registry import DEFAULT_ENGINE, make_engine
from gatekeeper.errors import InvalidInput
from gatekeeper.evaluation import Evaluation, EvaluationRequest, run_evaluation
from gatekeeper.files import atomic_write_text
from gatekeeper.output_guard import Kept, refuse_overwrites
from gatekeeper.report.registry import renderer, report_paths, write_reports
from gatekeeper.report.view import DecisionView, decision_view

if TYPE_CHECKING:  # collecting needs the `collect` extra; everything else runs without it
    from gatekeeper.collect.options import CollectOptions


@dataclass(frozen=True)
class EngineChoice:
    """`--engine` and `--opa-url`."""

    name: str = DEFAULT_ENGINE
    opa_url: str | None = None


@dataclass(frozen=True)
class RecordOptions:
    """Where the decision is recorded; `ledger=None` records nothing (exploration only)."""

    ledger: Path | None = DEFAULT_LEDGER
    signing_key: Path | None = None


@dataclass(frozen=True)
class RenderOptions:
    """The report format, and where reports are written besides the returned text."""

    output_format: str = "text"
    output: Path | None = None
    reports_dir: Path | None = None


@dataclass(frozen=True)
class Reviewed:
    """A decision as recorded and rendered."""

    evaluation: Evaluation
    recorded: RecordedDecision | None
    view: DecisionView
    text: str
    """The report in `RenderOptions.output_format` (also in `output`, when one was given)."""


def open_decider(engine: EngineChoice) -> Decider:
    """The chosen engine behind a Decider; a fallback to regopy is announced on stderr."""
    built = make_engine(engine.name, engine.opa_url)
    reason = getattr(built, "fallback_reason", None)
    if reason:
        print(f"gatekeeper: WARNING: {reason}; deciding with regopy instead of OPA "
              "(recorded as such)", file=sys.stderr)
    return Decider(built)


def render(view: DecisionView, options: RenderOptions) -> str:
    """The view in the chosen format, written to `output` and every format to `reports_dir`."""
    text = renderer(options.output_format)(view)
    if options.reports_dir is not None:
        options.reports_dir.mkdir(parents=True, exist_ok=True)
        write_reports(view, options.reports_dir)
    if options.output is not None:
        atomic_write_text(options.output, text)
    return text


def _refuse_overwriting_inputs(evaluation: Evaluation, record: RecordOptions,
                               options: RenderOptions, presented: tuple[Kept, ...]) -> None:
    outputs = [("--output", options.output)] if options.output is not None else []
    if options.reports_dir is not None:
        outputs += [("--reports-dir", path) for path in report_paths(options.reports_dir).values()]
    keys = [Kept("the signing key", record.signing_key)] if record.signing_key else []
    refuse_overwrites(outputs, [*evaluation.read, *keys, *presented,
                                *(ledger_files(record.ledger) if record.ledger else [])])


def conclude(evaluation: Evaluation, record: RecordOptions, options: RenderOptions,
             presented: tuple[Kept, ...] = ()) -> Reviewed:
    """Record the decision (unless told not to) and render the recorded decision.

    No report is written over an input, a key, a waiver (`presented`) or the ledger. The view
    is built from the record just written, so it is exactly what `report ID` renders later.
    """
    _refuse_overwriting_inputs(evaluation, record, options, presented)
    recorded = None
    if record.ledger is not None:
        recorded = record_decision(
            evaluation.result, evaluation.input_document, evaluation.policy, record.ledger,
            signing_key=load_private_key(record.signing_key) if record.signing_key else None,
            waivers=evaluation.waivers)
    view = decision_view(evaluation.result, evaluation.input_document["bundle"],
                         recorded.record if recorded else None, record.ledger)
    return Reviewed(evaluation, recorded, view, render(view, options))


def decide(request: EvaluationRequest, engine: EngineChoice, record: RecordOptions,
           options: RenderOptions, presented: tuple[Kept, ...] = ()) -> Reviewed:
    """Evaluate one bundle, then record and render the decision."""
    with open_decider(engine) as decider:
        evaluation = run_evaluation(request, decider)
    return conclude(evaluation, record, options, presented)


def review(collect: CollectOptions, weights_digest: str | None, request: EvaluationRequest,
           engine: EngineChoice, record: RecordOptions, options: RenderOptions,
           presented: tuple[Kept, ...] = ()) -> Reviewed | None:
    """Collect into `request.bundle`, then evaluate, record and render; None after a dry run.

    The release plan names the model under review and its weights digest: explicit
    `model_name`/`model_version`/`weights_digest` win.
    """
    from gatekeeper.collect.options import run_collection

    if request.release_plan is None:
        raise ValueError("a review needs the release plan")
    if collect.shard is not None:
        raise InvalidInput("--shard", "--shard", "review needs the whole collection: run "
                           "`collect --shard` per task, `bundle merge`, then `evaluate`")
    plan = load_release_plan(request.release_plan)
    collect = replace(
        collect, model_name=collect.model_name or plan.model.model.name,
        model_version=(plan.model.model.version if collect.model_version == "unspecified"
                       else collect.model_version))
    digest = weights_digest or plan.model.release.weights_digest
    if run_collection(collect, request.bundle, digest) is None:
        return None
    return decide(request, engine, record, options, presented)
