"""The trusted `workflow_run` job: check the pull request's artifact, then comment once.

The artifact was made by the pull request's own workflow run, which a fork can rewrite.
So it is validated against its schema and model, must be about the pull request the event
names, and a fork's artifact must carry the fork escalation (GK-PR-001): a forged
approval for a fork is refused, never posted.
"""

from __future__ import annotations

from pathlib import Path

from gatekeeper.actions.event import WorkflowRunEvent
from gatekeeper.bundle.documents import load_json
from gatekeeper.bundle.validation import validate
from gatekeeper.card.gate import GATE_SCHEMA, GateReport
from gatekeeper.errors import InvalidInput
from gatekeeper.limits import EVENT_BYTES

FORK_RULE = "GK-PR-001"


def load_gate_report(path: Path) -> GateReport:
    return validate(load_json(path, EVENT_BYTES), GATE_SCHEMA, GateReport, str(path))


def check_artifact(report: GateReport, event: WorkflowRunEvent, number: int, file: str) -> None:
    """Refuse an artifact that is not this pull request's, or a fork's without GK-PR-001."""
    head = event.workflow_run.head_repository
    for index, card in enumerate(report.cards):
        if card.result is None:
            continue
        where = f"$.cards[{index}].result"
        context = card.result.context.get("pull_request")
        if not isinstance(context, dict) or context.get("number") != number:
            raise InvalidInput(file, f"{where}.context.pull_request",
                               f"is not about pull request #{number}")
        if context.get("head_repository") != (head.full_name if head else None):
            raise InvalidInput(file, f"{where}.context.pull_request.head_repository",
                               "does not match the workflow run's head repository")
        fork_reasons = [r for r in card.result.reasons if r.rule_id == FORK_RULE]
        if event.from_fork and (not fork_reasons or card.result.verdict not in ("block",
                                                                                "escalate")):
            raise InvalidInput(file, where, f"a fork pull request's result must escalate "
                                            f"with {FORK_RULE}: this artifact was altered")
