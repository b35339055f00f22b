"""Gate the model cards of a pull request: each card's release_review, evaluated and recorded.

One card's invalid input does not stop the others; it is reported at its line and makes
the whole gate exit 2. The gate report (`card-gate.schema.json`) is what a pull request's
workflow uploads for the trusted job that comments: it carries every result in full.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field

from gatekeeper.bundle._base import NonEmptyStr, Record
from gatekeeper.card.check import check_card
from gatekeeper.card.loading import LoadedCard
from gatekeeper.decision.decider import Decider
from gatekeeper.decision.models import EvaluationResult
from gatekeeper.decision.verdict import VERDICTS, ExitCode, FailOn, Verdict, exit_code_for
from gatekeeper.errors import InvalidInput
from gatekeeper.evaluation import EvaluationRequest, run_evaluation
from gatekeeper.review import RecordOptions, RenderOptions, conclude

GATE_SCHEMA = "card-gate.schema.json"
Collector = Callable[[LoadedCard, Path], Path]
"""Collect live evidence for a card into the given bundle path; returns that path."""


class CardError(Record):
    file: NonEmptyStr
    location: NonEmptyStr
    problem: NonEmptyStr


class GatedCard(Record):
    card: NonEmptyStr
    result: EvaluationResult | None = Field(description="null when the card was invalid")
    error: CardError | None
    reports_dir: NonEmptyStr | None


class GateReport(Record):
    """Every card the pull request changed, its decision or its error, and the gate's exit."""

    schema_version: Literal["1.0"]
    cards: list[GatedCard]
    verdict: Verdict | None = Field(description="the strongest verdict; null if none ran")
    exit_code: int = Field(ge=0, le=4)


@dataclass(frozen=True)
class GateSettings:
    reports_dir: Path
    policy_dirs: tuple[Path, ...] = ()
    data_files: tuple[Path, ...] = ()
    pull_request_event: Path | None = None
    ledger: Path | None = None
    fail_on: FailOn = "escalate"
    collect: Collector | None = None
    signing_key: Path | None = None


def _evidence(card: Path, settings: GateSettings, reports: Path) -> tuple[Path, Path]:
    """(bundle, release plan) for one card: the committed bundle, or one collected now."""
    loaded = check_card(card)
    review = loaded.facts.release_review
    if review is None:
        raise InvalidInput(str(card), "$.release_review",
                           "no release_review block: the gate cannot tell which release plan "
                           "and evidence this card is for")
    plan = loaded.resolve("release_review.release_plan", review.release_plan)
    if settings.collect is not None:
        return settings.collect(loaded, reports / "evidence.json"), plan
    if review.evidence_bundle is None:
        raise InvalidInput(str(card), loaded.where("release_review"),
                           "no evidence_bundle, and live collection is off (fork pull "
                           "requests never collect): commit the bundle or enable collection")
    return loaded.resolve("release_review.evidence_bundle", review.evidence_bundle), plan


def gate_card(card: Path, index: int, settings: GateSettings, decider: Decider) -> GatedCard:
    reports = settings.reports_dir / f"card-{index}"
    try:
        bundle, plan = _evidence(card, settings, reports)
        evaluation = run_evaluation(EvaluationRequest(
            bundle, plan, settings.policy_dirs, settings.data_files, model_card=card,
            pull_request_event=settings.pull_request_event), decider)
    except InvalidInput as error:
        problem = CardError(file=error.file, location=error.location, problem=error.problem)
        return GatedCard(card=str(card), result=None, error=problem, reports_dir=None)
    conclude(evaluation, RecordOptions(settings.ledger, settings.signing_key),
             RenderOptions(reports_dir=reports))
    return GatedCard(card=str(card), result=evaluation.result, error=None,
                     reports_dir=str(reports))


def strongest(verdicts: Sequence[Verdict]) -> Verdict | None:
    """Deny-overrides across cards: the first in precedence order that any card got."""
    return next((v for v in VERDICTS if v in verdicts), None)


def gate_cards(cards: Sequence[Path], settings: GateSettings, decider: Decider) -> GateReport:
    gated = [gate_card(card, index, settings, decider) for index, card in enumerate(cards, 1)]
    verdict = strongest([g.result.verdict for g in gated if g.result is not None])
    if any(g.error is not None for g in gated):
        code = ExitCode.INVALID_INPUT
    elif verdict is None:
        code = ExitCode.OK  # no model card changed: nothing to gate
    else:
        code = exit_code_for(verdict, settings.fail_on)
    return GateReport(schema_version="1.0", cards=gated, verdict=verdict, exit_code=int(code))
