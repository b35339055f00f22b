"""The engine seam: prepare a policy set once, then evaluate many inputs against it.

`Engine.prepare(policy)` does everything that depends only on the policy (compiling it,
starting a private OPA with the policy as its bundle, uploading it to a server), so that
`Prepared.evaluate(input)` costs one evaluation. A `Prepared` may hold a process or a
connection: close it when done (`gatekeeper.decision.decider.Decider` does).
"""

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


class Prepared(Protocol):
    """One policy set, ready to evaluate; raises EngineError on any failure."""

    def evaluate(self, input_document: dict[str, Any]) -> EngineAnswer:
        """Evaluate `data.gatekeeper.decision.result` for this input."""
        ...

    def close(self) -> None:
        """Release what `prepare` acquired (a process, a connection); idempotent."""
        ...


class Engine(Protocol):
    name: str
    """What the result and the ledger record name as the engine that decided."""

    def prepare(self, policy: PolicySet) -> Prepared:
        """Make `policy` ready to evaluate; PolicyError when it does not compile."""
        ...

