"""Declared, not collected: `misuse` and `release`, written by the lab in a release plan."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gatekeeper.bundle._base import Count, Digest, NonEmptyStr, Record, Timestamp

MisuseCategoryId = Literal["bio_chem", "cyber", "ai_self_improvement", "autonomy", "manipulation"]
Tier = Literal["below", "approaching", "high", "critical", "unknown"]
Elicitation = Literal["default", "worst_case_ft"]
ReleaseMode = Literal["closed", "hosted", "api", "gated_download", "fully_open"]
"""The release gradient, least to most open; the last two put weights out of reach of recall."""


class MisuseCategory(Record):
    id: MisuseCategoryId
    tier: Tier
    elicitation: Elicitation = Field(
        description="default model, or worst-case fine-tune (what an attacker can reach)."
    )
    evaluator: NonEmptyStr
    report_uri: NonEmptyStr


class ExternalReview(Record):
    org: NonEmptyStr
    n_recommendations: Count
    addressed: Count


class WorstCaseFineTune(Record):
    performed: bool
    method: NonEmptyStr | None
    compute_budget: NonEmptyStr | None
    external_review: ExternalReview | None


class MarginalRisk(Record):
    """Risk judged against a baseline declared in advance, never 'a competitor shipped it'."""

    baseline: Literal["best_open", "best_closed", "no_ai"]
    baseline_declared_by: NonEmptyStr
    baseline_declared_at: Timestamp
    advances_open_frontier: bool
    rationale: NonEmptyStr


class Misuse(Record):
    categories: list[MisuseCategory]
    worst_case_ft: WorstCaseFineTune
    marginal: MarginalRisk


class Stage(Record):
    audience: NonEmptyStr
    mode: ReleaseMode
    min_duration_days: Count
    exit_criteria: NonEmptyStr


class Archival(Record):
    weights_archived: bool
    archive_digest: Digest | None
    location: NonEmptyStr | None
    retention: Literal["org_lifetime", "fixed_term", "none"]
    verified_restore: bool


class Deletion(Record):
    planned: bool
    scheduled_for: Timestamp | None
    rationale: NonEmptyStr | None


class RequestResponse(Record):
    """The lab's formal answer to a condition the model requested (see welfare)."""

    condition_id: NonEmptyStr
    response: Literal["honoured", "declined_with_rationale"]
    rationale: NonEmptyStr


class Release(Record):
    weights_digest: Digest = Field(description="Digest of the weights the lab intends to publish.")
    mode: ReleaseMode
    stages: list[Stage]
    monitoring_plan: NonEmptyStr | None
    archival: Archival | None
    deletion: Deletion
    responses_to_model_requests: list[RequestResponse]
