"""Every file format's JSON Schema, generated from its pydantic model into `schemas/`.

Run `python -m gatekeeper.schema_export` after changing a model; a test fails when the
committed schema and the model drift apart.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from gatekeeper.actions.event import (
    PULL_REQUEST_SCHEMA,
    WORKFLOW_RUN_SCHEMA,
    PullRequestEvent,
    WorkflowRunEvent,
)
from gatekeeper.audit.dsse import Envelope
from gatekeeper.audit.models import (
    LedgerRecord,
    PolicySnapshot,
    SignedHead,
    SignedWaiver,
    Statement,
)
from gatekeeper.audit.provenance import CollectionStatement
from gatekeeper.bundle.calibration import Calibration
from gatekeeper.bundle.models import EvidenceBundle
from gatekeeper.bundle.release_plan import ReleasePlan
from gatekeeper.card.gate import GATE_SCHEMA, GateReport
from gatekeeper.card.loading import FACTS_SCHEMA, RELEASE_REVIEW_SCHEMA
from gatekeeper.card.models import CardFacts, ReleaseReview
from gatekeeper.collect.batch import BATCH_STATE_SCHEMA, BatchState
from gatekeeper.collect.calibrate import CALIBRATION_SCHEMA
from gatekeeper.collect.shard import SHARD_SCHEMA, CollectionShard
from gatekeeper.collect.store import JUDGEMENT_SCHEMA, RECORD_SCHEMA, JudgementLine, StoreLine
from gatekeeper.collect.suite import SUITE_SCHEMA, ProbeSuite
from gatekeeper.decision.models import EvaluationResult
from gatekeeper.policy.thresholds import POLICY_DATA_SCHEMA, PolicyData
from gatekeeper.reading.labels import LABELS_SCHEMA, LabelledSet
from gatekeeper.resources import data_root
from gatekeeper.weights import MANIFEST_SCHEMA, WeightsManifest

SCHEMA_MODELS: dict[str, tuple[type[BaseModel], str]] = {
    SUITE_SCHEMA: (ProbeSuite, "Gatekeeper probe suite v1"),
    RECORD_SCHEMA: (StoreLine, "Gatekeeper transcript-store line v1"),
    JUDGEMENT_SCHEMA: (JudgementLine, "Gatekeeper judgement-cache line v1"),
    SHARD_SCHEMA: (CollectionShard, "Gatekeeper collection shard v1 (`collect --shard`)"),
    BATCH_STATE_SCHEMA: (BatchState, "Gatekeeper batch collection state v1 (`collect --batch`)"),
    LABELS_SCHEMA: (LabelledSet, "Gatekeeper labelled answers v1"),
    CALIBRATION_SCHEMA: (Calibration, "Gatekeeper reader calibration v1"),
    "evidence-bundle.schema.json": (EvidenceBundle, "Gatekeeper evidence bundle v1"),
    "release-plan.schema.json": (ReleasePlan, "Gatekeeper release plan v1"),
    "evaluation-result.schema.json": (EvaluationResult, "Gatekeeper evaluation result v1"),
    "ledger-record.schema.json": (LedgerRecord, "Gatekeeper decision ledger record v1"),
    "ledger-head.schema.json": (SignedHead, "Gatekeeper ledger head (size, last digest) v1"),
    "attestation-envelope.schema.json": (Envelope, "DSSE envelope of a Gatekeeper attestation"),
    "attestation-statement.schema.json": (
        Statement, "in-toto Statement v1 with the Gatekeeper release-decision predicate"
    ),
    "waiver.schema.json": (SignedWaiver, "Gatekeeper signed waiver v1"),
    "collection-statement.schema.json": (
        CollectionStatement, "in-toto Statement v1 with the evidence-collection predicate"
    ),
    "archived-policy.schema.json": (PolicySnapshot, "Gatekeeper archived policy snapshot v1"),
    RELEASE_REVIEW_SCHEMA: (ReleaseReview, "Gatekeeper `release_review` block of a model card"),
    FACTS_SCHEMA: (CardFacts, "Gatekeeper model-card facts (input.card) v1"),
    GATE_SCHEMA: (GateReport, "Gatekeeper card gate report v1 (the pull request's artifact)"),
    MANIFEST_SCHEMA: (WeightsManifest, "Gatekeeper weights manifest v1"),
    POLICY_DATA_SCHEMA: (
        PolicyData, "Gatekeeper policy data (data.gatekeeper: thresholds, organisation data) v1"
    ),
    PULL_REQUEST_SCHEMA: (PullRequestEvent, "The part of GitHub's pull_request event read"),
    WORKFLOW_RUN_SCHEMA: (WorkflowRunEvent, "The part of GitHub's workflow_run event read"),
}


def render_schema(file_name: str) -> dict[str, Any]:
    model, title = SCHEMA_MODELS[file_name]
    schema = model.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://gatekeeper.invalid/schemas/{file_name}",
        **schema,
        "title": title,
    }


def schema_text(file_name: str) -> str:
    return json.dumps(render_schema(file_name), indent=2, sort_keys=True) + "\n"


def main() -> int:
    out_dir: Path = data_root("schemas")
    for file_name in SCHEMA_MODELS:
        (out_dir / file_name).write_text(schema_text(file_name), encoding="utf-8")
        print(out_dir / file_name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
