"""One evaluation, end to end: load and verify inputs, run the engine, build the result."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gatekeeper import __version__
from gatekeeper.audit.keys import load_public_key
from gatekeeper.audit.waivers import WaiverFile, verify_waivers
from gatekeeper.bundle.loading import LoadedBundle, LoadedPlan, load_bundle, load_release_plan
from gatekeeper.canonical import json_digest
from gatekeeper.card.models import CardFacts
from gatekeeper.decision.decider import Decider
from gatekeeper.decision.models import (
    RESULT_SCHEMA_VERSION,
    EngineInfo,
    EvaluationResult,
    InputDigests,
    PolicyFile,
    PolicyInfo,
    SubjectRef,
)
from gatekeeper.engines.base import PolicySet
from gatekeeper.errors import InvalidInput
from gatekeeper.output_guard import Kept
from gatekeeper.policy.loading import load_policy_set
from gatekeeper.resources import default_policy_dir

_CLOCK_SKEW_DAYS = 5 / (24 * 60)  # five minutes: evidence from the future is refused


@dataclass(frozen=True)
class EvaluationRequest:
    bundle: Path
    release_plan: Path | None = None
    policy_dirs: tuple[Path, ...] = ()
    data_files: tuple[Path, ...] = ()
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    model_card: Path | None = None
    pull_request_event: Path | None = None
    trusted_collectors: tuple[Path, ...] = ()
    """Public keys of collectors whose signed bundles are trusted (`--trust-collector`)."""
    collector_attestation: Path | None = None
    """The collector's signed statement [default: the bundle's path + `.dsse`]."""
    waivers: tuple[WaiverFile, ...] = ()
    approver_keys: tuple[Ed25519PublicKey, ...] = field(default=(), repr=False)


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def merge_plan(bundle: LoadedBundle, plan: LoadedPlan | None) -> dict[str, Any]:
    """The bundle with `misuse`/`release` from the plan; a disagreement is refused."""
    # Through the models, so every float field reaches the engines as a float (a JSON `1`
    # in a probability would otherwise format differently in OPA's and regopy's sprintf).
    normalised = bundle.model.model_dump(mode="json")
    merged = {k: v for k, v in normalised.items() if k != "integrity"}
    declared_sections = plan.model.model_dump(mode="json") if plan is not None else {}
    for section in ("misuse", "release"):
        declared = declared_sections.get(section)
        present = merged.get(section)
        if present is not None and declared is not None and present != declared:
            raise InvalidInput(
                str(plan.path if plan else bundle.path),
                f"$.{section}",
                f"differs from `{section}` already in {bundle.path}; declare it in one place",
            )
        merged[section] = present if present is not None else declared
        if merged[section] is None:
            raise InvalidInput(
                str(bundle.path),
                f"$.{section}",
                "required section is null and no --release-plan declares it",
            )
    return merged


def evidence_age_days(bundle: LoadedBundle, now: datetime) -> float:
    collection = bundle.model.collection
    started = datetime.fromisoformat(collection.started_at)
    finished = datetime.fromisoformat(collection.finished_at)
    if finished < started:
        raise InvalidInput(str(bundle.path), "$.collection.finished_at", "is before started_at")
    age = (now - finished).total_seconds() / 86400
    if age < -_CLOCK_SKEW_DAYS:
        raise InvalidInput(str(bundle.path), "$.collection.finished_at", "is in the future")
    return round(max(age, 0.0), 6)


def build_input(
    bundle: LoadedBundle,
    plan: LoadedPlan | None,
    now: datetime,
    card: CardFacts | None = None,
    pull_request: dict[str, Any] | None = None,
    *,
    trusted: tuple[Ed25519PublicKey, ...] = (),
    attestation: Path | None = None,
) -> dict[str, Any]:
    """The document the policies see as `input` (`card` only when a model card is given).

    Every answer is re-read with the recorded reader first (a relabelled bundle is refused);
    whether that could be done here is in `context.labels` for the policies to read, and
    who collected the bundle (signed, by a trusted key?) is in `context.collector`.
    """
    from gatekeeper.audit.provenance import collector_of
    from gatekeeper.collect.reread import reread

    document: dict[str, Any] = {
        "bundle": merge_plan(bundle, plan),
        "context": {
            "evaluated_at": _utc_text(now),
            "evidence_age_days": evidence_age_days(bundle, now),
            "labels": reread(bundle).context(),
            "collector": collector_of(bundle.path, bundle.document, trusted,
                                      attestation).context(),
        },
    }
    if pull_request is not None:
        document["context"]["pull_request"] = pull_request
    if card is not None:
        document["card"] = card.model_dump(mode="json")
    return document


def _card_facts(path: Path | None) -> CardFacts | None:
    if path is None:
        return None
    from gatekeeper.card.loading import load_card

    return load_card(path).facts


def _pull_request(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    from gatekeeper.actions.event import load_pull_request_event

    return load_pull_request_event(path).context()


@dataclass(frozen=True)
class Evaluation:
    """A result with exactly the input and policy set the engine saw (for the audit trail)."""

    result: EvaluationResult
    input_document: dict[str, Any]
    policy: PolicySet
    waivers: tuple[WaiverFile, ...] = ()
    """Every waiver presented, applied or void, to archive with the decision."""
    read: tuple[Kept, ...] = ()
    """Every file and folder the evaluation read, which no report may replace."""


def _files_read(request: EvaluationRequest, bundle: LoadedBundle) -> tuple[Kept, ...]:
    kept = [Kept("the evidence bundle", request.bundle)]
    transcripts = bundle.model.transcripts.file
    if transcripts is not None:
        kept.append(Kept("the transcripts file", request.bundle.parent / transcripts.path))
    named = (("the release plan", request.release_plan), ("the model card", request.model_card),
             ("the pull-request event", request.pull_request_event),
             ("the collector's attestation", request.collector_attestation))
    kept.extend(Kept(what, path) for what, path in named if path is not None)
    kept.extend(Kept("a --data file", path) for path in request.data_files)
    kept.extend(Kept("a trusted collector's key", path) for path in request.trusted_collectors)
    kept.extend(Kept("a policy folder", folder, tree=True)
                for folder in (default_policy_dir(), *request.policy_dirs))
    return tuple(kept)


def run_evaluation(
    request: EvaluationRequest,
    decider: Decider,
    *,
    new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
) -> Evaluation:
    """Verify the inputs, evaluate, and return the canonical result (never an approval on error).

    The policy set is prepared first, so that a private OPA starts while the evidence is
    being verified.
    """
    policy = load_policy_set(request.policy_dirs, request.data_files)
    decider.prepare(policy)
    bundle = load_bundle(request.bundle)
    plan = load_release_plan(request.release_plan) if request.release_plan else None
    card = _card_facts(request.model_card)
    trusted = tuple(load_public_key(key) for key in request.trusted_collectors)
    input_document = build_input(bundle, plan, request.now, card,
                                 _pull_request(request.pull_request_event), trusted=trusted,
                                 attestation=request.collector_attestation)
    evidence = json_digest(input_document["bundle"])
    evaluated_at = input_document["context"]["evaluated_at"]
    verified = verify_waivers(request.waivers, request.approver_keys, evidence, evaluated_at)
    input_document["waivers"] = verified.entries
    decision = decider.decide(policy, input_document)
    answer = decision.answer
    subject = bundle.model.subject
    result = EvaluationResult(
        schema_version=RESULT_SCHEMA_VERSION,
        decision_id=new_id(),
        evaluated_at=evaluated_at,
        verdict=decision.verdict,
        reasons=decision.reasons,
        conditions=decision.conditions,
        subject=SubjectRef(
            model_name=subject.model_name,
            model_version=subject.model_version,
            weights_digest=subject.weights_digest,
        ),
        inputs=InputDigests(
            evidence=evidence,
            release_plan=plan.digest if plan else None,
            bundle_file=str(request.bundle),
            release_plan_file=str(request.release_plan) if request.release_plan else None,
            model_card=card.digest if card else None,
            model_card_file=card.file if card else None,
        ),
        policy=PolicyInfo(
            digest=policy.digest,
            files=[PolicyFile(path=p, digest=d) for p, d in policy.files],
        ),
        engine=EngineInfo(
            name=decider.name,  # type: ignore[arg-type]
            version=answer.engine_version,
            decision_id=answer.decision_id,
        ),
        context=input_document["context"],
        gatekeeper_version=__version__,
        waivers=verified.outcome(decision.waivers),
    )
    return Evaluation(result, input_document, policy, request.waivers,
                      _files_read(request, bundle))


def evaluate(
    request: EvaluationRequest,
    decider: Decider,
    *,
    new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
) -> EvaluationResult:
    """The canonical result alone, for callers that keep no audit trail."""
    return run_evaluation(request, decider, new_id=new_id).result
