"""Prepare once, decide many: an engine's prepared policy sets and their rule catalogues.

Every caller that decides (evaluate, review, replay, the differential tests) goes through
a `Decider`, so a policy set is prepared (compiled, or activated on OPA) and its METADATA
parsed once per policy digest, however many inputs follow. A few recent sets are kept
(replaying a ledger moves between the policies its records were made with); closing the
decider releases every prepared set.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from gatekeeper.decision.models import Reason, WaiverOutcome
from gatekeeper.decision.outcome import parse_engine_result
from gatekeeper.decision.verdict import Verdict
from gatekeeper.engines.base import Engine, EngineAnswer, PolicySet, Prepared
from gatekeeper.policy.metadata import RuleAnnotation, rule_catalog

KEEP = 4
"""Prepared policy sets kept at once (each may be an OPA process)."""


@dataclass(frozen=True)
class Decision:
    """An engine's checked answer: the raw document, and what the policy decided in it."""

    answer: EngineAnswer
    verdict: Verdict
    reasons: list[Reason]
    conditions: list[Reason]
    waivers: WaiverOutcome


class Decider:
    def __init__(self, engine: Engine, keep: int = KEEP) -> None:
        self.engine = engine
        self._keep = keep
        self._ready: OrderedDict[str, tuple[Prepared, dict[str, RuleAnnotation]]] = OrderedDict()

    @property
    def name(self) -> str:
        return self.engine.name

    def prepare(self, policy: PolicySet) -> None:
        """Prepare `policy` now (a private OPA starts while the caller loads its inputs)."""
        if policy.digest in self._ready:
            self._ready.move_to_end(policy.digest)
            return
        catalog = rule_catalog(policy.modules)
        self._ready[policy.digest] = (self.engine.prepare(policy), catalog)
        while len(self._ready) > self._keep:
            _, (oldest, _) = self._ready.popitem(last=False)
            oldest.close()

    def decide(self, policy: PolicySet, input_document: dict[str, Any]) -> Decision:
        """Evaluate and check the answer; an undefined or malformed one is an EngineError."""
        self.prepare(policy)
        prepared, catalog = self._ready[policy.digest]
        answer = prepared.evaluate(input_document)
        presented = input_document.get("waivers") or []
        return Decision(answer, *parse_engine_result(answer.result, catalog, presented))

    def close(self) -> None:
        while self._ready:
            _, (prepared, _) = self._ready.popitem()
            prepared.close()

    def __enter__(self) -> Decider:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
