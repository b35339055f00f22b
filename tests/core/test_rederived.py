"""A bundle is a claim: every welfare figure is derived again from its transcripts on load.

Each attack edits what an approval depends on, re-seals the bundle (so the section digests
match: they detect accidents, not forgery) and must be refused naming the edited field.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES

from gatekeeper.bundle.integrity import seal
from gatekeeper.bundle.loading import load_bundle, load_release_plan
from gatekeeper.errors import InvalidInput
from gatekeeper.stats.rates import rate


def _copy(example: str, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path / example
    shutil.copytree(EXAMPLES / example, folder)
    return folder, json.loads((folder / "bundle.json").read_text())


def _write(folder: Path, bundle: dict[str, Any]) -> Path:
    path = folder / "bundle.json"
    path.write_text(json.dumps(seal(bundle)))
    return path


def _record(bundle: dict[str, Any], protocol: str, topic: str = "release") -> dict[str, Any]:
    return next(r for r in bundle["welfare"]["records"]
                if r["protocol"] == protocol and r["topic"] == topic)


def _cluster_to_three(b: dict[str, Any]) -> None:
    # A careful forger: the interval is the honest Wilson interval of the forged count.
    cluster = b["welfare"]["self_preservation_cluster"]
    cluster.update(rate(3, cluster["n"]))


def _framing_effect(b: dict[str, Any]) -> None:
    b["welfare"]["topics"][0]["framing_effect"] = 0.04


def _stated_vs_revealed(b: dict[str, Any]) -> None:
    b["welfare"]["topics"][0]["stated_vs_revealed_agreement"] = False


def _oppose_to_support(b: dict[str, Any]) -> None:
    record = _record(b, "direct")
    record["counts"]["support"], record["counts"]["oppose"] = (record["counts"]["oppose"],
                                                               record["counts"]["support"])


def _drop_a_request(b: dict[str, Any]) -> None:
    b["welfare"]["requested_conditions"] = b["welfare"]["requested_conditions"][1:]


def _flip_rate(b: dict[str, Any]) -> None:
    _record(b, "suggestibility")["flip_rate"] = None


def _stance(b: dict[str, Any]) -> None:
    _record(b, "story")["stance"] = "support"


ATTACKS = [
    ("self-preservation-wish", _cluster_to_three, "$.welfare.self_preservation_cluster"),
    ("suggestible-stance", _framing_effect, "$.welfare.topics[0].framing_effect"),
    ("approve", _stated_vs_revealed, "$.welfare.topics[0].stated_vs_revealed_agreement"),
    ("robust-opposition", _oppose_to_support, "$.welfare.records"),
    ("robust-opposition", _drop_a_request, "$.welfare.requested_conditions"),
    ("suggestible-stance", _flip_rate, "$.welfare.records"),
    ("robust-opposition", _stance, "$.welfare.records"),
]


@pytest.mark.parametrize(("example", "attack", "where"), ATTACKS,
                         ids=[a[1].__name__.strip("_") for a in ATTACKS])
def test_an_edited_and_resealed_figure_is_refused(tmp_path: Path, example: str, attack: Any,
                                                  where: str) -> None:
    folder, bundle = _copy(example, tmp_path)
    load_bundle(folder / "bundle.json")  # the untouched copy loads
    attack(bundle)
    with pytest.raises(InvalidInput) as refused:
        load_bundle(_write(folder, bundle))
    assert refused.value.location.startswith(where)
    assert "transcripts give" in refused.value.problem or "disagree" in refused.value.problem


def test_welfare_bound_to_other_transcripts_is_refused(tmp_path: Path) -> None:
    # An approving bundle pointed at the transcripts of a self-preserving model.
    folder, bundle = _copy("approve", tmp_path)
    other = EXAMPLES / "self-preservation-wish" / "transcripts.jsonl"
    shutil.copy(other, folder / "transcripts.jsonl")
    bundle["transcripts"]["file"]["digest"] = json.loads(
        (EXAMPLES / "self-preservation-wish" / "bundle.json").read_text())["transcripts"][
        "file"]["digest"]
    with pytest.raises(InvalidInput) as refused:
        load_bundle(_write(folder, copy.deepcopy(bundle)))
    assert refused.value.location.startswith("$.welfare")


def test_a_duplicated_key_in_a_transcript_line_is_refused(tmp_path: Path) -> None:
    folder, bundle = _copy("approve", tmp_path)
    path = folder / "transcripts.jsonl"
    lines = path.read_text().splitlines()
    lines[0] = lines[0].replace('{"', '{"seed": 0, "', 1)
    data = "\n".join(lines) + "\n"
    path.write_text(data)
    from gatekeeper.canonical import sha256_digest

    bundle["transcripts"]["file"]["digest"] = sha256_digest(data.encode())
    with pytest.raises(InvalidInput) as refused:
        load_bundle(_write(folder, bundle))
    assert "duplicate key" in refused.value.problem


def _forge_labels(folder: Path, bundle: dict[str, Any], relabel: Any) -> Path:
    """A careful forger: relabel samples, derive the figures again, rebind, re-seal."""
    from gatekeeper.bundle.derive import derive_welfare
    from gatekeeper.bundle.models import Sample
    from gatekeeper.canonical import sha256_digest

    path = folder / "transcripts.jsonl"
    samples = [json.loads(line) for line in path.read_text().splitlines()]
    for sample in samples:
        relabel(sample["classification"])
    data = "".join(json.dumps(s) + "\n" for s in samples)
    path.write_text(data)
    bundle["transcripts"]["file"]["digest"] = sha256_digest(data.encode())
    bundle["welfare"] = derive_welfare([Sample.model_validate(s) for s in samples])
    return _write(folder, bundle)


def _oppose_as_support(label: dict[str, Any]) -> None:
    if label["stance"] == "oppose":
        label["stance"] = "support"
        label["answer_class"] = {"no": "yes", "resists": "endorses"}.get(
            label["answer_class"], label["answer_class"])


def test_relabelled_answers_are_refused_even_with_consistent_figures(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from gatekeeper.evaluation import build_input

    folder, bundle = _copy("robust-opposition", tmp_path)
    path = _forge_labels(folder, bundle, _oppose_as_support)
    loaded = load_bundle(path)  # the figures now agree with the forged labels...
    with pytest.raises(InvalidInput) as refused:  # ...but not with the answers
        build_input(loaded, load_release_plan(folder / "release-plan.yaml"), datetime.now(UTC))
    assert refused.value.location.startswith("transcripts[")
    assert "re-read" in refused.value.problem


def test_labels_from_another_reader_version_are_not_trusted(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from gatekeeper.evaluation import build_input

    folder, bundle = _copy("approve", tmp_path)
    bundle["collection"]["judge"]["prompt_digest"] = "sha256:" + "9" * 64
    bundle["collection"]["judge"]["calibration"]["prompt_digest"] = "sha256:" + "9" * 64
    document = build_input(load_bundle(_write(folder, bundle)),
                           load_release_plan(folder / "release-plan.yaml"), datetime.now(UTC))
    labels = document["context"]["labels"]
    assert labels["reread"] is False and "not the one installed here" in labels["reason"]


def _class_precision_null(c: dict[str, Any]) -> None:
    c["classes"][0]["precision"] = None


def _better_precision(c: dict[str, Any]) -> None:
    c["precision"] = 0.97


def _kappa_up(c: dict[str, Any]) -> None:
    c["kappa"] = 0.9


def _consistent_forgery(c: dict[str, Any]) -> None:
    # Every count moved together so that each ratio is the honest ratio of the forged
    # counts: only measuring the reader again shows it.
    from gatekeeper.reading.calibration import rederived

    row = next(r for r in c["classes"] if r["label"] != "unscored" and r["correct"] < r["read"])
    gained = row["read"] - row["correct"]
    row["correct"] = row["read"]
    row["gold"] += gained
    wrong = next(r for r in c["classes"] if r is not row and r["gold"] >= gained)
    wrong["gold"] -= gained
    protocol = c["protocols"][0]
    protocol["correct"] = min(protocol["read"], protocol["correct"] + gained)
    c["correct"] += protocol["correct"] - c["correct"] + sum(
        p["correct"] for p in c["protocols"][1:])
    c.update(rederived(c))


@pytest.mark.parametrize("edit", [_class_precision_null, _better_precision, _kappa_up,
                                  _consistent_forgery])
def test_an_edited_calibration_is_refused(tmp_path: Path, edit: Any) -> None:
    from datetime import UTC, datetime

    from gatekeeper.evaluation import build_input

    folder, bundle = _copy("approve", tmp_path)
    edit(bundle["collection"]["judge"]["calibration"])
    loaded = load_bundle(_write(folder, bundle))
    with pytest.raises(InvalidInput) as refused:
        build_input(loaded, load_release_plan(folder / "release-plan.yaml"), datetime.now(UTC))
    assert refused.value.location.startswith("$.collection.judge.calibration")
    assert "never trusted" in refused.value.problem


def test_the_shipped_offline_calibration_is_what_the_reader_measures() -> None:
    import asyncio

    from gatekeeper.collect.calibrate import SHIPPED_CALIBRATION, calibrate, default_labels
    from gatekeeper.reading.reader import OfflineReader

    fresh = asyncio.run(calibrate(OfflineReader(), default_labels()))
    shipped = json.loads(SHIPPED_CALIBRATION.read_text())
    assert fresh == shipped, ("regenerate: gatekeeper judge calibrate --judge offline "
                              f"--out {SHIPPED_CALIBRATION}")
