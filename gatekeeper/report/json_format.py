"""The canonical JSON result (schemas/evaluation-result.schema.json), waivers included.

The one format that renders the result alone: what `report RESULT.json` and
`waiver check --result` read back.
"""

from __future__ import annotations

import json

from gatekeeper.report.view import DecisionView


def render(view: DecisionView) -> str:
    return json.dumps(view.result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
