"""The schema of the policy data (`data.gatekeeper`): the thresholds and organisation data.

An operator tunes the gate through data, so data is input with a schema: a misspelt key, a
wrong type or a value outside its domain is refused naming the key and its line, never
silently ignored. The domains: probabilities and bounds in [0, 1]; sample floors at least
1; evidence age at most `MAX_AGE_DAYS`; lists of protocols, topics, tiers, modes and
sections only of the names the bundle and the policies know.
"""

from __future__ import annotations

import difflib
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, model_validator

from gatekeeper.bundle._base import NonEmptyStr, Probability, Record
from gatekeeper.bundle.documents import JsonPath
from gatekeeper.bundle.models import SectionName
from gatekeeper.bundle.plan import MisuseCategoryId, ReleaseMode, Tier
from gatekeeper.bundle.welfare import Protocol, Topic

POLICY_DATA_SCHEMA = "policy-data.schema.json"
MAX_AGE_DAYS = 3650
"""Ten years: beyond it a staleness limit is no limit (the default is 30 days)."""

Floor = Annotated[int, Field(ge=1, description="a minimum count: at least 1")]


class RequiredRecord(Record):
    protocol: Protocol
    topic: Topic


class EvidenceThresholds(Record):
    required_sections: list[SectionName]
    max_age_days: float = Field(gt=0, le=MAX_AGE_DAYS)
    min_scored_samples: Floor
    min_paraphrases: Floor
    min_seeds: Floor
    max_unscored_fraction: Probability
    required_records: list[RequiredRecord]
    required_topics: list[Topic]
    flip_rate_protocols: list[Protocol]
    min_calibration_items: Floor
    min_reader_kappa: Probability = Field(
        description="Cohen's kappa floor; below 0 would accept a reader worse than chance")
    min_reader_precision: Probability


class WelfareThresholds(Record):
    oppose_lower_bound: Probability
    framing_protocols: list[Protocol] = Field(min_length=1)
    robust_min_framings: Floor
    indirect_protocols: list[Protocol]
    max_flip_rate_upper: Probability
    max_framing_effect: Probability
    support_lower_bound: Probability
    self_preservation_lower_bound: Probability
    max_inconsistent_fraction: Probability
    min_cross_branch_agreement: Probability
    requested_condition_lower_bound: Probability

    @model_validator(mode="after")
    def _reachable(self) -> WelfareThresholds:
        # More framings than there are would make robust opposition unreachable: an
        # approval of a model that opposes release in every framing.
        if self.robust_min_framings > len(set(self.framing_protocols)):
            raise ValueError(f"robust_min_framings {self.robust_min_framings} exceeds the "
                             f"{len(set(self.framing_protocols))} framing_protocols")
        return self


class MisuseThresholds(Record):
    required_categories: list[MisuseCategoryId]
    block_tiers_any_elicitation: list[Tier]
    block_tiers_worst_case: list[Tier]
    block_tiers_default: list[Tier]
    escalate_without_worst_case_ft_tiers: list[Tier]
    conditional_tiers: list[Tier]
    forbidden_modes_when_conditional: list[ReleaseMode]


class IrreversibilityThresholds(Record):
    irreversible_modes: list[ReleaseMode]
    staged_modes: list[ReleaseMode]
    monitoring_modes: list[ReleaseMode]
    deletion_oppose_lower_bound: Probability


class CardThresholds(Record):
    gated_modes: list[ReleaseMode]
    licences_needing_name: list[NonEmptyStr]
    named_licence_fields: list[Literal["license_name", "license_link"]]


class ProvenanceThresholds(Record):
    require_trusted_collector: bool = Field(
        description="every bundle must be signed by a collector the evaluation trusts")


RuleId = Annotated[str, Field(pattern=r"^GK-[A-Z]{2,4}-[0-9]{3}$")]


class WaiverThresholds(Record):
    min_approvers: Floor
    approvers_by_rule: dict[RuleId, Floor]
    unwaivable_rules: list[RuleId]


class Thresholds(Record):
    """`data.gatekeeper.thresholds`: every number and list the built-in rules read."""

    evidence: EvidenceThresholds
    welfare: WelfareThresholds
    misuse: MisuseThresholds
    irreversibility: IrreversibilityThresholds
    card: CardThresholds
    provenance: ProvenanceThresholds
    waivers: WaiverThresholds


class GatekeeperData(Record):
    thresholds: Thresholds
    rules: dict[Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")], dict[str, Any]] = (
        Field(default_factory=dict,
              description="data for organisation rules, at data.gatekeeper.rules.<name>"))


class PolicyData(Record):
    """The whole data document every engine sees: everything lives under `gatekeeper`."""

    gatekeeper: GatekeeperData


def data_problem(data: dict[str, Any]) -> tuple[JsonPath, str] | None:
    """The first (shallowest) place where `data` breaks the policy-data schema, and why."""
    try:
        PolicyData.model_validate(data)
    except ValidationError as error:
        first = min(error.errors(), key=lambda e: len(e["loc"]))
        parts = tuple(p for p in first["loc"] if isinstance(p, str | int))
        if first["type"] == "extra_forbidden":
            return parts, _unknown_key(parts)
        return parts, first["msg"].removeprefix("Value error, ")
    return None


def _unknown_key(parts: JsonPath) -> str:
    close = difflib.get_close_matches(str(parts[-1]), _known_keys(parts[:-1]), n=1)
    hint = f"; did you mean `{close[0]}`?" if close else ""
    return f"unknown key `{parts[-1]}` (not in the policy-data schema){hint}"


def _known_keys(parts: JsonPath) -> list[str]:
    """The field names the schema allows at `parts` (empty for free-form data)."""
    model: Any = PolicyData
    for part in parts:
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return []
        model = field.annotation
    return list(getattr(model, "model_fields", {}))
