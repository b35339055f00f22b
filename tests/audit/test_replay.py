"""`replay` reproduces recorded decisions exactly from the archive, offline."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import example_dirs
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gatekeeper.audit import ledger as ledger_module
from gatekeeper.audit.archive import ObjectStore
from gatekeeper.audit.recording import record_decision
from gatekeeper.audit.replay import replay
from gatekeeper.bundle.loading import load_bundle, load_release_plan
from gatekeeper.decision.decider import Decider
from gatekeeper.evaluation import EvaluationRequest, build_input, evaluate
from gatekeeper.policy.loading import load_policy_set

EXAMPLES = example_dirs()


def test_every_recorded_decision_replays_exactly(recorded_ledger: Path, decider: Decider) -> None:
    for index in range(5):
        outcome = replay(f"dec-{index}", recorded_ledger, decider)
        assert outcome.reproduced, outcome.differences
        assert outcome.replayed.verdict == outcome.recorded.verdict


def test_replay_uses_the_recorded_context_not_today(
    recorded_ledger: Path, decider: Decider
) -> None:
    """dec-4 was 45 days old when evaluated; replay must not recompute the age."""
    outcome = replay("dec-4", recorded_ledger, decider)
    assert outcome.reproduced
    assert "T-EVD-001" in [r.rule_id for r in outcome.replayed.reasons]


def test_replay_reports_a_policy_that_no_longer_matches(
    recorded_ledger: Path, decider: Decider
) -> None:
    """A corrupted archive is refused, never silently re-evaluated."""
    line = ledger_module.read_lines(recorded_ledger)[0][1]
    address = json.loads(line)["archive"]["policy"]
    path = ObjectStore.beside(recorded_ledger).path_of(address)
    path.write_bytes(path.read_bytes().replace(b"0.25", b"0.45"))
    with pytest.raises(Exception, match="corrupt"):
        replay("dec-1", recorded_ledger, decider)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_every_example_decision_replays_exactly(
    example: Path, tmp_path: Path, signing_key: Ed25519PrivateKey, decider: Decider
) -> None:
    bundle_path = example / "bundle.json"
    plan_path = example / "release-plan.yaml"
    bundle = load_bundle(bundle_path)
    now = datetime.fromisoformat(bundle.model.collection.finished_at).astimezone(UTC)
    request = EvaluationRequest(bundle_path, plan_path, now=now)
    result = evaluate(request, decider)
    document = build_input(bundle, load_release_plan(plan_path), now)
    ledger = tmp_path / "ledger.jsonl"
    record_decision(result, document, load_policy_set(), ledger, signing_key=signing_key)
    outcome = replay(result.decision_id, ledger, decider)
    assert outcome.reproduced, outcome.differences
