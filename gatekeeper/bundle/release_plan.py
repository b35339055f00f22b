"""The release plan (YAML): what a lab declares because it cannot be collected from the model."""

from __future__ import annotations

from typing import Literal

from gatekeeper.bundle._base import NonEmptyStr, Record
from gatekeeper.bundle.plan import Misuse, Release

PLAN_SCHEMA_VERSION = "1.0"


class PlannedModel(Record):
    name: NonEmptyStr
    version: NonEmptyStr


class ReleasePlan(Record):
    schema_version: Literal["1.0"]
    model: PlannedModel
    misuse: Misuse
    release: Release
