"""Where in the inputs a reason's evidence lives: the card key or plan key it read, by line.

The canonical result names the input files and their digests, not lines; lines are found
again at render time by reading those files, and only when they still have the digest
the decision recorded (a card or plan changed since points at the file, not a stale line).
"""

from __future__ import annotations

from pathlib import Path

from gatekeeper.bundle.documents import YamlDocument, read_yaml
from gatekeeper.canonical import json_digest
from gatekeeper.decision.models import EvaluationResult, Reason
from gatekeeper.errors import GatekeeperError
from gatekeeper.limits import RELEASE_PLAN_BYTES
from gatekeeper.report.github import Location, Locator

_PLAN_SECTIONS = ("release", "misuse")


def _card(result: EvaluationResult) -> YamlDocument | None:
    """The card's front matter, if the file still has the digest the decision recorded."""
    inputs = result.inputs
    if inputs.model_card_file is None:
        return None
    from gatekeeper.card.loading import load_card

    try:
        card = load_card(Path(inputs.model_card_file))
    except GatekeeperError:
        return None
    return card.document if card.facts.digest == inputs.model_card else None


def _plan(result: EvaluationResult) -> YamlDocument | None:
    """The release plan, if the file still has the digest the decision recorded."""
    inputs = result.inputs
    if inputs.release_plan_file is None:
        return None
    try:
        plan = read_yaml(Path(inputs.release_plan_file), RELEASE_PLAN_BYTES)
    except (GatekeeperError, OSError):
        return None
    return plan if json_digest(plan.data) == inputs.release_plan else None


def locator(result: EvaluationResult) -> Locator:
    """Map each reason to the first input field it read: a card key, a plan key, else the
    evidence file (a bundle is JSON: its reasons point at the file)."""
    inputs = result.inputs
    card, plan = _card(result), _plan(result)
    fallback = Location(inputs.release_plan_file or inputs.bundle_file)

    def locate(reason: Reason) -> Location:
        for field in reason.fields:
            parts = tuple(field.split("."))
            if parts[0] == "card" and inputs.model_card_file:
                # A key the card lacks (no extra_gated_* at all) points at its front matter.
                line = card.key_line(parts[1:]) if card else None
                return Location(inputs.model_card_file, line or 1)
            if parts[0] in _PLAN_SECTIONS and plan and inputs.release_plan_file:
                line = plan.key_line(parts)
                if line is not None:
                    return Location(inputs.release_plan_file, line)
        return fallback

    return locate
