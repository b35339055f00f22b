"""A signed ledger of N real decisions over the example bundles (for verify and replay)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gatekeeper.audit.recording import record_decision
from gatekeeper.bundle.loading import load_bundle
from gatekeeper.decision.decider import Decider
from gatekeeper.engines.registry import make_engine
from gatekeeper.evaluation import EvaluationRequest, run_evaluation

EXAMPLES = Path(__file__).resolve().parents[1] / "evidence" / "examples"


def build_ledger(folder: Path, count: int, key: Ed25519PrivateKey) -> Path:
    """`count` signed decisions with attestations, cycling through the examples, each at
    its own evaluation time (so every archived input is distinct, as in real use)."""
    ledger = folder / "ledger.jsonl"
    examples = sorted(p.parent for p in EXAMPLES.glob("*/expected.json")
                      if (p.parent / "release-plan.yaml").exists())
    starts = {e: datetime.fromisoformat(load_bundle(e / "bundle.json").model.collection
                                        .finished_at).astimezone(UTC) for e in examples}
    with Decider(make_engine("opa")) as decider:
        for index in range(count):
            example = examples[index % len(examples)]
            now = starts[example] + timedelta(minutes=index)
            request = EvaluationRequest(example / "bundle.json", example / "release-plan.yaml",
                                        now=now)
            try:
                evaluation = run_evaluation(request, decider)
            except Exception:  # an invalid example: not a decision
                continue
            record_decision(evaluation.result, evaluation.input_document, evaluation.policy,
                            ledger, signing_key=key)
    return ledger
