"""`card check`: a card the gate can read, whose release_review files exist."""

from __future__ import annotations

from pathlib import Path

from gatekeeper.card.loading import LoadedCard, load_card


def check_card(path: Path) -> LoadedCard:
    """Load the card and resolve every path its release_review names (InvalidInput by line)."""
    card = load_card(path)
    review = card.facts.release_review
    if review is not None:
        card.resolve("release_review.release_plan", review.release_plan)
        if review.evidence_bundle is not None:
            card.resolve("release_review.evidence_bundle", review.evidence_bundle)
    return card


def card_paths(path: Path) -> tuple[Path | None, Path | None]:
    """(release plan, evidence bundle) that the card's release_review names, checked."""
    card = check_card(path)
    review = card.facts.release_review
    if review is None:
        return None, None
    plan = card.resolve("release_review.release_plan", review.release_plan)
    bundle = (card.resolve("release_review.evidence_bundle", review.evidence_bundle)
              if review.evidence_bundle else None)
    return plan, bundle
