"""The canonical JSON result (schemas/evaluation-result.schema.json): the source of all others."""

from __future__ import annotations

import json

from gatekeeper.decision.models import EvaluationResult


def render(result: EvaluationResult) -> str:
    return json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
