"""How `card check` shows a card: every fact with the line it came from.

Card text is hostile: values are printed JSON-quoted (a newline in a value cannot start a
line of its own, so cannot start a workflow command) and Markdown cells are escaped.
"""

from __future__ import annotations

import json
from typing import Any

from gatekeeper.card.loading import LoadedCard
from gatekeeper.report.markdown import cell, code

_FIELDS = ("license", "license_name", "license_link", "base_model", "base_model_relation",
           "language", "pipeline_tag", "release_review")


def _rows(card: LoadedCard) -> list[tuple[str, Any, int | None]]:
    facts = card.facts.model_dump(mode="json")
    rows = [(name, facts[name], card.line(name)) for name in _FIELDS]
    gating = card.facts.gating
    rows.append(("gating", {"declared": gating.declared, "fields": gating.fields},
                 card.line("extra_gated_fields") or card.line("extra_gated_prompt")))
    return rows


def facts_text(card: LoadedCard) -> str:
    lines = [f"{json.dumps(str(card.path))}: readable model card ({card.facts.digest})"]
    for name, value, line in _rows(card):
        where = f"  (line {line})" if line else ""
        lines.append(f"  {name}: {json.dumps(value, ensure_ascii=True)}{where}")
    return "\n".join(lines) + "\n"


def facts_markdown(card: LoadedCard) -> str:
    lines = [f"### Model card {code(str(card.path))}: readable", "",
             "| Field | Value | Line |", "|---|---|---|"]
    for name, value, line in _rows(card):
        lines.append(f"| {code(name)} | {cell(json.dumps(value))} | {line or ''} |")
    return "\n".join(lines) + "\n\n"


def error_markdown(file: str, location: str, problem: str) -> str:
    return (f"### Model card {code(file)}: invalid\n\n"
            f"{cell(location)}: {cell(problem, 2000)}\n\n")
