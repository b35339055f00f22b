"""JSON Schemas of the collection file formats, generated from their pydantic models.

Run `python -m gatekeeper.collect.schemas` after changing a model; a test fails on drift.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from pydantic import BaseModel

from gatekeeper.collect.store import RECORD_SCHEMA, StoreLine
from gatekeeper.collect.suite import SUITE_SCHEMA, ProbeSuite
from gatekeeper.resources import data_root

SCHEMA_MODELS: dict[str, tuple[type[BaseModel], str]] = {
    SUITE_SCHEMA: (ProbeSuite, "Gatekeeper probe suite v1"),
    RECORD_SCHEMA: (StoreLine, "Gatekeeper transcript-store line v1"),
}


def render_schema(file_name: str) -> dict[str, Any]:
    model, title = SCHEMA_MODELS[file_name]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://gatekeeper.invalid/schemas/{file_name}",
        **model.model_json_schema(mode="validation"),
        "title": title,
    }


def schema_text(file_name: str) -> str:
    return json.dumps(render_schema(file_name), indent=2, sort_keys=True) + "\n"


def main() -> int:
    for file_name in SCHEMA_MODELS:
        target = data_root("schemas") / file_name
        target.write_text(schema_text(file_name), encoding="utf-8")
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
