"""The engine seam: load modules and data, evaluate one query, return plain JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

DECISION_QUERY_PATH = "gatekeeper/decision/result"


@dataclass(frozen=True)
class PolicyModule:
    """One Rego source file, exactly the bytes that were hashed."""

    path: str
    text: str


@dataclass(frozen=True)
class PolicySet:
    modules: tuple[PolicyModule, ...]
    data: dict[str, Any]
    digest: str
    files: tuple[tuple[str, str], ...] = ()
    """(path, digest) of every file behind `digest`, for the audit trail."""


@dataclass(frozen=True)
class EngineAnswer:
    """What an engine returned for the decision rule; `None` when undefined."""

    result: Any
    engine_version: str
    decision_id: str | None = None


class Engine(Protocol):
    name: str

    def evaluate(self, policy: PolicySet, input_document: dict[str, Any]) -> EngineAnswer:
        """Evaluate `data.gatekeeper.decision.result`; raise EngineError on any failure."""
        ...
