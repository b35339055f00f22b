"""Fixtures for audit tests: a tiny policy set, signing keys, and a recorded ledger."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from audit.fixtures import evaluate_document, input_document, policy_set
from gatekeeper.audit.recording import record_decision
from gatekeeper.engines.base import PolicySet

VARIANTS = [
    {},
    {"uplift": 0.4},
    {"oppose_low": 0.3},
    {"archival": False},
    {"age": 45.0},
]


@pytest.fixture(scope="session")
def signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="session")
def approver_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="session")
def policy(tmp_path_factory: pytest.TempPathFactory) -> PolicySet:
    return policy_set(tmp_path_factory.mktemp("policy"))


@pytest.fixture
def recorded_ledger(tmp_path: Path, policy: PolicySet, signing_key: Ed25519PrivateKey) -> Path:
    """A ledger of five signed decisions (one per verdict path) with archive + attestations."""
    ledger = tmp_path / "audit" / "ledger.jsonl"
    for index, variant in enumerate(VARIANTS):
        document = input_document(**variant)
        result = evaluate_document(policy, document, f"dec-{index}")
        record_decision(result, document, policy, ledger, signing_key=signing_key)
    return ledger
