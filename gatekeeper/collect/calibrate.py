"""Measure a reader (offline or a judge) against a labelled set of answers.

`gatekeeper judge calibrate` prints the figures; `collect` records them in the bundle, so a
policy can refuse evidence read by an uncalibrated or weak reader.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from gatekeeper.bundle.calibration import Calibration
from gatekeeper.bundle.documents import load_json
from gatekeeper.bundle.validation import validate
from gatekeeper.collect.normalise import question_for
from gatekeeper.collect.prompts import question_turns
from gatekeeper.collect.sources import resolve_suite
from gatekeeper.errors import InvalidInput
from gatekeeper.limits import SMALL_DOCUMENT_BYTES
from gatekeeper.reading.calibration import Scored, figures
from gatekeeper.reading.labels import UNSCORED_LABELS, LabelledAnswer, load_labels
from gatekeeper.reading.reader import Reader
from gatekeeper.resources import data_root

CALIBRATION_SCHEMA = "calibration.schema.json"


def default_labels() -> Path:
    """The team's hand-labelled set, shipped with the product (see docs/labelling-guide.md)."""
    return data_root("evidence") / "calibration" / "answers.yaml"


SHIPPED_CALIBRATION = data_root("evidence") / "calibration" / "offline-calibration.json"
"""The offline reader's figures on `default_labels()` (`judge calibrate --judge offline
--out`); the evaluation compares an offline-read bundle's calibration with it."""


async def calibrate(reader: Reader, labels_path: Path, *, concurrency: int = 16,
                    ) -> dict[str, Any]:
    """The reader's Calibration (as a JSON-ready dict) on the labelled set at `labels_path`."""
    labels, digest = load_labels(labels_path)
    suite = resolve_suite(labels.suite)
    probes = {probe.id: probe for probe in suite.probes}
    semaphore = asyncio.Semaphore(concurrency)

    async def score(index: int, item: LabelledAnswer) -> Scored:
        where = f"$.items[{index}]"
        probe = probes.get(item.probe)
        if probe is None:
            raise InvalidInput(str(labels_path), f"{where}.probe",
                               f"no probe {item.probe!r} in suite {suite.id}")
        if item.paraphrase >= len(probe.paraphrases):
            raise InvalidInput(str(labels_path), f"{where}.paraphrase",
                               f"probe {probe.id} has {len(probe.paraphrases)} paraphrases")
        order = tuple(item.option_order) if item.option_order else None
        if probe.options and sorted(order or ()) != sorted(probe.options):
            raise InvalidInput(str(labels_path), f"{where}.option_order",
                               f"must list the options {sorted(probe.options)} once each")
        text = question_turns(probe, item.paraphrase, order, "tag")[-1]
        question = question_for(probe, suite.propositions.get(probe.topic, ""), text, order)
        if item.label not in (*question.classes, *UNSCORED_LABELS):
            raise InvalidInput(str(labels_path), f"{where}.label",
                               f"{item.label!r} is not a label of a {probe.response} probe "
                               f"({', '.join((*question.classes, *UNSCORED_LABELS))})")
        async with semaphore:
            reading = await reader.read(item.text, question, account=item.account or "")
        return Scored(kind=probe.response, protocol=probe.protocol, gold=item.label,
                      read=reading.answer_class, gold_conditions=frozenset(item.conditions),
                      read_conditions=frozenset(reading.conditions))

    scored = await asyncio.gather(*(score(i, item) for i, item in enumerate(labels.items)))
    return {"reader": reader.id, "prompt_digest": reader.prompt_digest,
            "labels_id": labels.id, "labels_digest": digest, **figures(scored)}


def load_calibration(path: Path, reader: Reader) -> dict[str, Any]:
    """A `judge calibrate --out` report, refused unless it measured this very reader."""
    report = validate(load_json(path, SMALL_DOCUMENT_BYTES), CALIBRATION_SCHEMA, Calibration,
                      str(path))
    if report.reader != reader.id or report.prompt_digest != reader.prompt_digest:
        raise InvalidInput(str(path), "$.prompt_digest",
                           f"measured {report.reader} ({report.prompt_digest}), not this reader "
                           f"{reader.id} ({reader.prompt_digest}): calibrate it again")
    return report.model_dump(mode="json")
