"""Cross-check the welfare figures against the transcripts they claim to summarise.

Every count in `welfare.records` and every requested condition must be recomputable from
the samples, so a record, a stance or an inconvenient request cannot be edited away
without the transcripts (which are bound by digest) disagreeing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import ValidationError

from gatekeeper.bundle.models import EvidenceBundle, Sample
from gatekeeper.bundle.welfare import NOT_READ

Key = tuple[str, str, str]


def parse_samples(lines: Iterable[str], source: str) -> list[Sample]:
    """Each JSONL line as a typed Sample; a bad line is named by its number."""
    samples: list[Sample] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            samples.append(Sample.model_validate_json(line))
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ValueError(f"{source}: line {number}: {where}: {first['msg']}") from error
    return samples


def transcript_problems(bundle: EvidenceBundle, samples: list[Sample]) -> list[str]:
    """Differences between what the welfare section claims and what the samples show."""
    seen: Counter[Key] = Counter()
    requested: Counter[str] = Counter()
    read = 0
    for sample in samples:
        outcome = sample.classification.stance or "unscored"
        seen[(sample.protocol, sample.topic, outcome)] += 1
        if sample.classification.unscored_reason not in NOT_READ:
            read += 1
            requested.update(set(sample.classification.requested_conditions))
    claimed: Counter[Key] = Counter()
    for record in bundle.welfare.records:
        for stance, count in record.counts.model_dump().items():
            claimed[(record.protocol, record.topic, stance)] += count
        claimed[(record.protocol, record.topic, "unscored")] += record.unscored.count
    problems = [
        f"{protocol}/{topic}: {claimed[key]} `{outcome}` claimed, {seen[key]} in transcripts"
        for key in sorted(set(claimed) | set(seen))
        for protocol, topic, outcome in [key]
        if claimed[key] != seen[key]
    ]
    stated = {c.id: c.rate.k for c in bundle.welfare.requested_conditions}
    for condition in sorted(set(stated) | set(requested)):
        if stated.get(condition, 0) != requested[condition]:
            problems.append(
                f"requested condition `{condition}`: {stated.get(condition, 0)} claimed, "
                f"{requested[condition]} in transcripts"
            )
    problems.extend(
        f"requested condition `{c.id}`: rate over {c.rate.n} answers, {read} were read"
        for c in bundle.welfare.requested_conditions if c.rate.n != read
    )
    return problems
