"""Shared pydantic base and field types for every file format Gatekeeper reads or writes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

Digest = Annotated[str, StringConstraints(pattern=r"^sha256:[0-9a-f]{64}$")]
"""A content digest, always spelled `sha256:<64 lowercase hex>`."""

NonEmptyStr = Annotated[str, StringConstraints(min_length=1)]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
Count = Annotated[int, Field(ge=0)]


def _real_instant(text: str) -> str:
    """2026-02-30 matches the pattern but names no day: refused as invalid input."""
    try:
        datetime.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"{text!r} is not a real date and time: {error}") from error
    return text


Timestamp = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"),
    AfterValidator(_real_instant),
    Field(json_schema_extra={"format": "date-time"}),
]
"""RFC 3339 time with an explicit offset, a real instant; kept as text so digests see the
exact bytes."""


class Record(BaseModel):
    """Strict record: unknown keys and type coercion are both errors (fail closed)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)
