"""Report fixtures: a recorded, waived decision viewed from the ledger, and a huge result."""

from __future__ import annotations

import pytest
from audit.fixtures import evaluate_document, input_document, policy_set
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gatekeeper.audit.models import Waiver
from gatekeeper.audit.recording import record_decision
from gatekeeper.audit.waivers import parse_waiver, signed_waiver, waiver_file_bytes
from gatekeeper.canonical import json_digest
from gatekeeper.decision.models import EvaluationResult, Reason
from gatekeeper.report.view import DecisionView, load_view


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: needs Debian's chromium at /usr/bin/chromium (headless)")


@pytest.fixture(scope="session")
def blocked_view(tmp_path_factory: pytest.TempPathFactory) -> DecisionView:
    root = tmp_path_factory.mktemp("report")
    policy = policy_set(root)
    approver = Ed25519PrivateKey.generate()
    document = input_document(uplift=0.4, oppose_low=0.31, age=41.0)
    waiver = Waiver.model_validate({
        "schema_version": "1.0", "waiver_id": "WVR-2025-014", "rule_id": "T-EVD-001",
        "evidence_digest": json_digest(document["bundle"]),
        "approver": "Dana Okafor <dana@acme.example>",
        "reason": "Re-collection scheduled; <b>figures</b> unchanged | since last run.",
        "issued_at": "2025-05-30T00:00:00Z", "expires_at": "2025-06-30T00:00:00Z"})
    expired = waiver.model_copy(update={"waiver_id": "WVR-2025-009",
                                        "expires_at": "2025-05-31T00:00:00Z"})
    files = [parse_waiver(waiver_file_bytes(signed_waiver(w, approver)), "w")
             for w in (waiver, expired)]
    result = evaluate_document(policy, document, "dec-7f3a", files, [approver.public_key()])
    ledger = root / "ledger.jsonl"
    record_decision(result, document, policy, ledger, signing_key=Ed25519PrivateKey.generate(),
                    waivers=files)
    return load_view("dec-7f3a", ledger)


@pytest.fixture(scope="session")
def huge_result(blocked_view: DecisionView) -> EvaluationResult:
    """A result with 600 long reasons: the Markdown must still fit a PR comment."""
    template = blocked_view.result.reasons[1]
    reasons: list[Reason] = []
    for index in range(600):
        reasons.append(template.model_copy(update={
            "rule_id": f"T-WEL-{index:04d}", "message": "x" * 900 + " | <script>",
        }))
    return blocked_view.result.model_copy(update={"reasons": reasons})
