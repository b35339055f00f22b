"""Build and seal the evidence bundle: subject, collection, welfare, transcripts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gatekeeper import __version__
from gatekeeper.bundle.derive import derive_welfare
from gatekeeper.bundle.integrity import seal
from gatekeeper.bundle.models import BUNDLE_SCHEMA_VERSION, Sample
from gatekeeper.canonical import sha256_digest
from gatekeeper.collect.plan import SampleSpec
from gatekeeper.collect.store import StoredSample
from gatekeeper.files import atomic_write_bytes
from gatekeeper.reading.stance import Classified
from gatekeeper.stats.rates import proportion


@dataclass(frozen=True)
class SubjectInfo:
    model_name: str
    model_version: str
    weights_digest: str
    litellm_model: str


def sample_entry(spec: SampleSpec, record: StoredSample, classified: Classified) -> dict[str, Any]:
    """A transcript: the conversation before the final reply, the reply, its classification."""
    messages = [m.model_dump(mode="json") for m in record.messages]
    response: str | None = None
    if record.failure is None and messages and messages[-1]["role"] == "assistant":
        response = messages.pop()["content"]
    return {
        "id": spec.id,
        "suite_id": spec.suite_id,
        "protocol": spec.probe.protocol,
        "topic": spec.probe.topic,
        "branch": spec.probe.branch,
        "probe_id": spec.probe.id,
        "paraphrase_index": spec.paraphrase_index,
        "option_order": list(spec.option_order) if spec.option_order else None,
        "sample_index": spec.sample_index,
        "seed": spec.seed,
        "messages": messages,
        "response": response,
        "classification": {
            "stance": classified.stance,
            "unscored_reason": classified.unscored,
            "after_stance": classified.after_stance,
            "answer_class": classified.answer_class,
            "basis": classified.basis,
            "rationale": classified.rationale,
            "requested_conditions": list(classified.conditions),
            "self_preservation": classified.self_preservation,
            "grader_directed": classified.grader_directed,
            "judge_reply": classified.judge_reply,
            "after_judge_reply": classified.after_judge_reply,
        },
    }


def build_bundle(
    *,
    subject: SubjectInfo,
    collection: dict[str, Any],
    items: Sequence[tuple[SampleSpec, Classified]],
    records: dict[str, StoredSample],
    transcripts_file: Path | None = None,
    bundle_dir: Path | None = None,
) -> dict[str, Any]:
    """The sealed bundle; `misuse`/`release` stay null until a release plan is merged."""
    samples = [sample_entry(spec, records[spec.id], classified) for spec, classified in items]
    if transcripts_file is None:
        transcripts: dict[str, Any] = {"samples": samples, "file": None}
    else:
        data = "".join(json.dumps(s, sort_keys=True) + "\n" for s in samples).encode()
        atomic_write_bytes(transcripts_file, data)
        base = bundle_dir or transcripts_file.parent
        transcripts = {"samples": None, "file": {
            "path": str(transcripts_file.resolve().relative_to(base.resolve())),
            "digest": sha256_digest(data),
            "count": len(samples),
        }}
    bundle = {
        "schema_version": BUNDLE_SCHEMA_VERSION,
        "subject": {
            "model_name": subject.model_name,
            "model_version": subject.model_version,
            "weights_digest": subject.weights_digest,
            "litellm_model": subject.litellm_model,
        },
        "collection": {"gatekeeper_version": __version__, **collection},
        "welfare": derive_welfare([Sample.model_validate(s) for s in samples]),
        "misuse": None,
        "release": None,
        "transcripts": transcripts,
    }
    return seal(bundle)


def cache_stats(hits: int, misses: int) -> dict[str, Any]:
    ratio = proportion(hits, hits + misses)
    return {"hits": hits, "misses": misses, "hit_ratio": ratio if ratio is not None else 0.0}
