"""Read OPA's answer to a decision query (`POST /v1/data/...`), the same for every OPA."""

from __future__ import annotations

from typing import Any

from gatekeeper.engines.base import DECISION_QUERY_PATH
from gatekeeper.errors import EngineError

QUERY_PARAMETERS = {"provenance": "true", "strict-builtin-errors": "true"}
"""Provenance names the OPA version and bundle revision that answered. Built-in errors
fail the query (HTTP 500) instead of leaving an expression undefined, as on regopy
(strict_built_in_errors): OPA's default could turn a broken rule into a silent pass."""


def provenance_of(body: dict[str, Any]) -> dict[str, Any]:
    provenance = body.get("provenance")
    return provenance if isinstance(provenance, dict) else {}


def served_revision(body: dict[str, Any], bundle: str) -> Any:
    """The revision of `bundle` that answered, according to the answer's provenance."""
    bundles = provenance_of(body).get("bundles")
    entry = bundles.get(bundle) if isinstance(bundles, dict) else None
    return entry.get("revision") if isinstance(entry, dict) else None


def decision_of(body: Any, where: str) -> tuple[Any, str | None]:
    """(decision document, OPA version) from an answer; undefined is an EngineError."""
    if not isinstance(body, dict):
        raise EngineError(f"{where} sent {type(body).__name__}, not an object")
    if "result" not in body:
        raise EngineError(
            f"{where} returned no result for data.{DECISION_QUERY_PATH.replace('/', '.')} "
            "(undefined): the policies are not loaded there, or they do not define a "
            "decision; refusing to guess"
        )
    version = provenance_of(body).get("version")
    return body["result"], version if isinstance(version, str) else None
