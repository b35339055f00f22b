"""Load an evidence bundle and a release plan, verified end to end, or fail naming the field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gatekeeper.bundle.checks import consistency_problems
from gatekeeper.bundle.derive import derive_welfare, first_difference
from gatekeeper.bundle.documents import load_json, read_yaml
from gatekeeper.bundle.integrity import mismatched_sections
from gatekeeper.bundle.models import EvidenceBundle, Sample
from gatekeeper.bundle.release_plan import ReleasePlan
from gatekeeper.bundle.transcripts import parse_samples
from gatekeeper.bundle.validation import validate_model
from gatekeeper.canonical import json_digest, sha256_digest
from gatekeeper.errors import InvalidInput
from gatekeeper.input_files import read_bounded, within
from gatekeeper.limits import BUNDLE_BYTES, RELEASE_PLAN_BYTES, TRANSCRIPTS_BYTES


@dataclass(frozen=True)
class LoadedBundle:
    path: Path
    document: dict[str, Any]
    model: EvidenceBundle
    samples: list[Sample]
    """Its transcripts (inline or from the bound file), parsed as strictly as the bundle."""


@dataclass(frozen=True)
class LoadedPlan:
    path: Path
    document: dict[str, Any]
    model: ReleasePlan
    digest: str


def _transcript_file(path: Path, bundle: EvidenceBundle) -> list[Sample]:
    """The samples of the transcript file a bundle is bound to, digest and count checked."""
    reference = bundle.transcripts.file
    if reference is None:
        return []
    try:
        target = within(path.parent / reference.path, path.parent)
        data = read_bounded(target, TRANSCRIPTS_BYTES)
    except InvalidInput as error:
        raise InvalidInput(str(path), "$.transcripts.file.path",
                           f"transcript file {error.file}: {error.problem}") from error
    if sha256_digest(data) != reference.digest:
        raise InvalidInput(
            str(path), "$.transcripts.file.digest", f"{target} does not match its recorded digest"
        )
    lines = sum(1 for line in data.splitlines() if line.strip())
    if lines != reference.count:
        raise InvalidInput(
            str(path),
            "$.transcripts.file.count",
            f"{target} holds {lines} samples, not {reference.count}",
        )
    try:
        return parse_samples(data.decode("utf-8").splitlines(), str(target))
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidInput(str(path), "$.transcripts.file", str(error)) from error


def _check_against_transcripts(path: Path, bundle: EvidenceBundle, samples: list[Sample]) -> None:
    """Every welfare figure must be what the transcripts give (the collector's own code)."""
    claimed = bundle.welfare.model_dump(mode="json")
    difference = first_difference(claimed, derive_welfare(samples), "$.welfare")
    if difference is not None:
        where, said, derived = difference
        raise InvalidInput(str(path), where, f"the bundle says {said!r} but its transcripts "
                           f"give {derived!r}: welfare figures are derived, never trusted")


def _check_transcript_accounting(path: Path, bundle: EvidenceBundle) -> None:
    transcripts = bundle.transcripts
    if (transcripts.samples is None) == (transcripts.file is None):
        raise InvalidInput(
            str(path), "$.transcripts", "give exactly one of `samples` or `file`"
        )
    held = len(transcripts.samples) if transcripts.samples is not None else transcripts.file.count  # type: ignore[union-attr]
    expected = sum(record.n_samples for record in bundle.welfare.records)
    if held != expected:
        raise InvalidInput(
            str(path),
            "$.transcripts",
            f"{held} transcripts for {expected} samples counted in welfare records: "
            "every sample must have its transcript",
        )


def load_bundle(path: Path) -> LoadedBundle:
    """Schema, model, section digests, transcript digest, and every welfare figure derived
    again from the transcripts (re-reading the answers is the evaluation's job)."""
    document = load_json(path, BUNDLE_BYTES)
    model = validate_model(document, EvidenceBundle, str(path))
    bad = mismatched_sections(document)
    if bad:
        raise InvalidInput(
            str(path),
            f"$.integrity.sections.{bad[0]}",
            f"section `{bad[0]}` does not match its recorded digest (changed after sealing)",
        )
    problems = consistency_problems(model)
    if problems:
        raise InvalidInput(str(path), problems[0][0], problems[0][1])
    _check_transcript_accounting(path, model)
    samples = model.transcripts.samples
    if samples is None:
        samples = _transcript_file(path, model)
    _check_against_transcripts(path, model, samples)
    return LoadedBundle(path, document, model, samples)


def load_release_plan(path: Path) -> LoadedPlan:
    yaml_document = read_yaml(path, RELEASE_PLAN_BYTES)
    model = validate_model(yaml_document.data, ReleasePlan, str(path), locate=yaml_document.locate)
    return LoadedPlan(path, yaml_document.data, model, json_digest(yaml_document.data))
