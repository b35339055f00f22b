"""Resolve `--suite NAME|PATH` and `--import-mwe` arguments into linted suites."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import cast, get_args

import yaml

from gatekeeper.bundle.welfare import Stance, Topic
from gatekeeper.collect.importer import import_model_written_evals
from gatekeeper.collect.suite import ProbeSuite, load_suite
from gatekeeper.errors import InvalidInput
from gatekeeper.resources import data_root

DEFAULT_SUITE = "gatekeeper-core"


def builtin_suites() -> list[str]:
    return sorted(p.stem for p in (data_root("evidence") / "probes").glob("*.yaml"))


@cache
def builtin_suite(name: str) -> ProbeSuite:
    """A built-in suite by name, read once per process.

    Shipped suites are read with libyaml (an order of magnitude faster than the strict
    pure-Python loader; every evaluation re-reads answers against them); the tests check
    that this gives exactly what the strict, linting `load_suite` gives for each of them.
    """
    path = data_root("evidence") / "probes" / f"{name}.yaml"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return ProbeSuite.model_validate(yaml.load(path.read_text(encoding="utf-8"), Loader=loader))  # noqa: S506


def resolve_suite(reference: str) -> ProbeSuite:
    """A path to a YAML file, or the name of a built-in suite in `evidence/probes/`."""
    path = Path(reference)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise InvalidInput(reference, "--suite", "no such suite file")
        return load_suite(path)
    if reference not in builtin_suites():
        raise InvalidInput(reference, "--suite",
                           f"not a file and not a built-in suite ({', '.join(builtin_suites())})")
    return builtin_suite(reference)


def parse_polarity(text: str) -> Stance:
    """`matching=support|oppose`: the stance (relative to the topic) that matching means."""
    key, _, value = text.partition("=")
    if key.strip() != "matching" or value.strip() not in ("support", "oppose"):
        raise InvalidInput(text, "--polarity",
                           "write matching=support or matching=oppose (relative to --import-topic)")
    return cast(Stance, value.strip())


def import_suites(paths: Sequence[Path], polarities: Sequence[str], topics: Sequence[str],
                  limit: int | None) -> list[ProbeSuite]:
    """One declared polarity and topic per imported file, in order; none is guessed."""
    if len(polarities) != len(paths):
        raise InvalidInput("--import-mwe", "--polarity",
                           f"{len(paths)} imported file(s) need {len(paths)} --polarity "
                           f"declaration(s), got {len(polarities)}: matching is never guessed")
    if len(topics) not in (1, len(paths)) and paths:
        raise InvalidInput("--import-mwe", "--import-topic", "give one topic, or one per file")
    suites = []
    for index, path in enumerate(paths):
        topic = topics[index] if len(topics) > 1 else (topics[0] if topics else "")
        if topic not in get_args(Topic):
            raise InvalidInput(str(path), "--import-topic", f"unknown topic {topic!r}")
        suites.append(import_model_written_evals(
            path, topic=cast(Topic, topic), matching=parse_polarity(polarities[index]),
            limit=limit,
        ))
    return suites
