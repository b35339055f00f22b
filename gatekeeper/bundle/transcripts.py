"""Transcript lines as typed samples, parsed as strictly as the bundle (no duplicate keys,
no NaN, no huge numbers or deep nesting), each bad line named by its number."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import ValidationError

from gatekeeper.bundle.documents import parse_json
from gatekeeper.bundle.models import Sample
from gatekeeper.errors import InvalidInput


def parse_samples(lines: Iterable[str], source: str) -> list[Sample]:
    """Each JSONL line as a typed Sample; a bad line is named by its number."""
    samples: list[Sample] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            document = parse_json(line, source)
        except InvalidInput as error:
            raise ValueError(f"{source}: line {number}: {error.location}: {error.problem}"
                             ) from error
        try:
            samples.append(Sample.model_validate(document))
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ValueError(f"{source}: line {number}: {where}: {first['msg']}") from error
    return samples
