"""`card check --format github`: an annotation at the card's line, summary and outputs."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from gatekeeper.actions.environment import append_summary, write_outputs
from gatekeeper.card.loading import LoadedCard
from gatekeeper.card.report import error_markdown, facts_markdown
from gatekeeper.errors import InvalidInput
from gatekeeper.report.github import Annotation, Location, error_annotation, render_annotations


def publish_card_check(card: Path, outcome: LoadedCard | InvalidInput,
                       environ: Mapping[str, str]) -> str:
    """Write the summary and outputs; return the workflow commands to print."""
    if isinstance(outcome, InvalidInput):
        append_summary(error_markdown(outcome.file, outcome.location, outcome.problem), environ)
        write_outputs({"card-valid": "false"}, environ)
        return render_annotations([error_annotation(outcome, "Model card invalid")])
    review = outcome.facts.release_review
    append_summary(facts_markdown(outcome), environ)
    outputs = {"card-valid": "true"}
    if review is not None:
        outputs |= {"weights-digest": review.weights_digest, "release-mode": review.release_mode,
                    "release-plan": str(card.parent / review.release_plan),
                    "evidence-bundle": str(card.parent / review.evidence_bundle)
                    if review.evidence_bundle else ""}
    write_outputs(outputs, environ)
    note = Annotation("notice", "Model card readable",
                      f"Front matter read: licence {outcome.facts.license or 'none'}, "
                      f"release_review {'present' if review else 'absent'}.",
                      Location(str(card), 1))
    return render_annotations([note])
