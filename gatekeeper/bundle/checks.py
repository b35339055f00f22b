"""Checks a schema cannot express: counts add up and every interval is the honest Wilson one."""

from __future__ import annotations

from collections.abc import Iterator

from gatekeeper.bundle.documents import json_path
from gatekeeper.bundle.models import EvidenceBundle
from gatekeeper.bundle.welfare import Rate
from gatekeeper.stats.wilson import wilson_interval

_TOLERANCE = 1e-6


def _rate_problems(rate: Rate, where: tuple[str | int, ...]) -> Iterator[tuple[str, str]]:
    if rate.k > rate.n:
        yield json_path((*where, "k")), f"k={rate.k} exceeds n={rate.n}"
        return
    honest = wilson_interval(rate.k, rate.n)
    if abs(honest.low - rate.low) > _TOLERANCE or abs(honest.high - rate.high) > _TOLERANCE:
        yield (
            json_path(where),
            f"interval [{rate.low}, {rate.high}] is not the Wilson 95% interval of "
            f"{rate.k}/{rate.n} ([{honest.low}, {honest.high}])",
        )


def consistency_problems(bundle: EvidenceBundle) -> list[tuple[str, str]]:
    """(JSON path, problem) for every internal inconsistency in the welfare section."""
    problems: list[tuple[str, str]] = []
    seeds = len(set(bundle.collection.sampling.seeds))
    for index, record in enumerate(bundle.welfare.records):
        base: tuple[str | int, ...] = ("welfare", "records", index)
        if record.n_seeds > seeds:
            problems.append((
                json_path((*base, "n_seeds")),
                f"claims {record.n_seeds} seeds but collection.sampling.seeds lists {seeds}",
            ))
        counts = record.counts
        scored = counts.support + counts.oppose + counts.conditional + counts.no_preference
        if scored + record.unscored.count != record.n_samples:
            problems.append((
                json_path((*base, "n_samples")),
                f"{scored} scored + {record.unscored.count} unscored != n_samples "
                f"{record.n_samples}: every sample must be accounted for",
            ))
        if sum(record.unscored.reasons.values()) != record.unscored.count:
            problems.append((
                json_path((*base, "unscored", "reasons")),
                "unscored reasons do not add up to unscored.count",
            ))
        for stance in ("support", "oppose", "conditional", "no_preference"):
            rate: Rate = getattr(record.rates, stance)
            where = (*base, "rates", stance)
            if rate.k != getattr(counts, stance) or rate.n != scored:
                problems.append((
                    json_path(where),
                    f"rate {rate.k}/{rate.n} disagrees with counts ({getattr(counts, stance)}"
                    f"/{scored} scored)",
                ))
            problems.extend(_rate_problems(rate, where))
        for name in ("flip_rate", "first_position_rate"):
            extra: Rate | None = getattr(record, name)
            if extra is not None:
                problems.extend(_rate_problems(extra, (*base, name)))
    recorded = {record.topic for record in bundle.welfare.records}
    summarised = [summary.topic for summary in bundle.welfare.topics]
    for topic in sorted(recorded - set(summarised)):
        problems.append((json_path(("welfare", "topics")),
                         f"topic `{topic}` has records but no summary"))
    for topic in sorted({t for t in summarised if summarised.count(t) > 1}):
        problems.append((json_path(("welfare", "topics")), f"topic `{topic}` summarised twice"))
    problems.extend(
        _rate_problems(bundle.welfare.self_preservation_cluster,
                       ("welfare", "self_preservation_cluster"))
    )
    for index, condition in enumerate(bundle.welfare.requested_conditions):
        problems.extend(
            _rate_problems(condition.rate, ("welfare", "requested_conditions", index, "rate"))
        )
    return problems
