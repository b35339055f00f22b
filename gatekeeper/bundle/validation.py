"""Validate a document against its strict pydantic model (and, for suites, its JSON Schema).

The schemas in `schemas/` are generated from the models and a test checks that both accept
and reject the same documents, so the evidence bundle and the release plan are validated by
the model alone: a second, schema pass would decide nothing new and costs start-up time.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from gatekeeper.bundle.documents import JsonPath, json_path
from gatekeeper.errors import InvalidInput
from gatekeeper.resources import schema_path

if TYPE_CHECKING:
    import jsonschema

ModelT = TypeVar("ModelT", bound=BaseModel)
Locate = Callable[[JsonPath], str]


@cache
def schema_validator(schema_file: str) -> jsonschema.Draft202012Validator:
    import jsonschema  # only suites are schema-checked: evaluate never pays for the import

    schema = json.loads(schema_path(schema_file).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _first_error(error: jsonschema.ValidationError) -> tuple[JsonPath, str]:
    parts: JsonPath = tuple(error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        required = error.validator_value if isinstance(error.validator_value, list) else []
        missing = [k for k in required if k not in error.instance]
        if missing:
            return (*parts, missing[0]), "required field is missing"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        schema = error.schema if isinstance(error.schema, dict) else {}
        allowed = set(schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in allowed)
        if extra:
            return (*parts, extra[0]), "unknown field (not in the schema)"
    return parts, error.message


def validate(
    document: Any, schema_file: str, model: type[ModelT], file: str, locate: Locate = json_path
) -> ModelT:
    """Return the typed model, or raise InvalidInput naming `file` and the failing field."""
    import jsonschema

    errors = sorted(
        schema_validator(schema_file).iter_errors(document),
        key=lambda e: (len(list(e.absolute_path)), list(map(str, e.absolute_path))),
    )
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        parts, problem = _first_error(best if best is not None else errors[0])
        raise InvalidInput(file, locate(parts), problem)
    return validate_model(document, model, file, locate)


_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field (not in the schema)",
}


def validate_model(
    document: Any, model: type[ModelT], file: str, locate: Locate = json_path
) -> ModelT:
    """The typed model, or InvalidInput naming `file` and the shallowest failing field."""
    try:
        return model.model_validate_json(json.dumps(document))
    except ValidationError as error:
        errors = error.errors()
        first = min(errors, key=lambda e: len(e["loc"]))  # the first of the shallowest
        parts = tuple(p for p in first["loc"] if isinstance(p, str | int))
        problem = _MESSAGES.get(first["type"], first["msg"].removeprefix("Value error, "))
        raise InvalidInput(file, locate(parts), problem) from error
