"""Every file the gate reads: only regular files, within its limit, no expansion, no hang.

Each attack runs the real CLI in a child process with a deadline, and checks the exit code
(2), the message (the file and what is wrong with it), the time and the peak memory.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from attacks.support import (
    APPROVE,
    MiB,
    approving_copy,
    assert_refused,
    bundle_of,
    evaluate,
    run_cli,
    write_sealed,
)
from gatekeeper.limits import (
    BUNDLE_BYTES,
    KEY_BYTES,
    MAX_DEPTH,
    POLICY_DATA_BYTES,
    RELEASE_PLAN_BYTES,
    TRANSCRIPTS_BYTES,
)

TIME_BOUND = 20.0
"""Seconds any refusal below may take (they take about one; CI machines are slower)."""
MEMORY_BOUND = 400.0
"""MiB of peak memory for a refusal (the interpreter and its imports take about 60)."""


def _fifo(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def _device(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.symlink_to("/dev/zero")


def _directory(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.mkdir()


def _sparse(size: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with path.open("r+b" if path.exists() else "wb") as stream:
            stream.truncate(size)
    return make


SPECIALS = {"fifo": (_fifo, "FIFO"), "device": (_device, "character device"),
            "directory": (_directory, "directory")}


@pytest.mark.parametrize("kind", sorted(SPECIALS))
@pytest.mark.parametrize("target", ["bundle.json", "release-plan.yaml", "data.yaml"])
def test_a_special_file_is_refused_at_once(tmp_path: Path, kind: str, target: str) -> None:
    folder = approving_copy(tmp_path)
    make, word = SPECIALS[kind]
    make(folder / target)
    extra = ("--data", str(folder / "data.yaml")) if target == "data.yaml" else ()
    run = evaluate(folder, *extra, timeout=TIME_BOUND)
    if kind == "directory":
        assert run.code == 2 and "is a directory" in run.stderr  # click refuses it first
        return
    assert_refused(run, str(folder / target), word)
    assert run.max_rss_mib < MEMORY_BOUND


@pytest.mark.parametrize("kind", sorted(SPECIALS))
def test_the_transcripts_file_may_not_be_a_special_file(tmp_path: Path, kind: str) -> None:
    folder = approving_copy(tmp_path)
    make, word = SPECIALS[kind]
    make(folder / "transcripts.jsonl")
    run = evaluate(folder, timeout=TIME_BOUND)
    if kind == "device":  # a link to /dev/zero leaves the folder before it is a device
        assert_refused(run, "$.transcripts.file.path", "leaves its folder")
    else:
        assert_refused(run, "$.transcripts.file.path", word)


@pytest.mark.parametrize("reference", ["../outside.jsonl", "/dev/zero", "link.jsonl"])
def test_the_transcripts_file_may_not_leave_the_bundles_folder(
        tmp_path: Path, reference: str) -> None:
    folder = approving_copy(tmp_path / "bundle")
    (tmp_path / "outside.jsonl").write_bytes((folder / "transcripts.jsonl").read_bytes())
    (folder / "link.jsonl").symlink_to(tmp_path / "outside.jsonl")
    bundle = bundle_of(folder)
    bundle["transcripts"]["file"]["path"] = reference
    write_sealed(folder, bundle)
    assert_refused(evaluate(folder, timeout=TIME_BOUND), "$.transcripts.file.path",
                   "leaves its folder")


def test_a_link_inside_the_folder_is_followed(tmp_path: Path) -> None:
    folder = approving_copy(tmp_path)
    (folder / "transcripts.jsonl").rename(folder / "real.jsonl")
    (folder / "transcripts.jsonl").symlink_to("real.jsonl")
    assert evaluate(folder).code == 0


OVERSIZE = {
    "bundle.json": BUNDLE_BYTES,
    "release-plan.yaml": RELEASE_PLAN_BYTES,
    "data.yaml": POLICY_DATA_BYTES,
    "transcripts.jsonl": TRANSCRIPTS_BYTES,
}


@pytest.mark.parametrize("target", sorted(OVERSIZE))
def test_a_file_above_its_limit_is_refused_before_it_is_read(tmp_path: Path,
                                                             target: str) -> None:
    folder = approving_copy(tmp_path)
    (folder / "data.yaml").write_text("gatekeeper: {}\n")
    _sparse(OVERSIZE[target] + 1)(folder / target)  # sparse: costs no disk
    run = evaluate(folder, "--data", str(folder / "data.yaml"), timeout=TIME_BOUND)
    assert_refused(run, target, f"larger than {OVERSIZE[target]} bytes")
    assert run.max_rss_mib < MEMORY_BOUND


def test_an_oversized_or_special_key_and_waiver_are_refused(tmp_path: Path) -> None:
    folder = approving_copy(tmp_path)
    _sparse(KEY_BYTES + 1)(folder / "big.key")
    _fifo(folder / "waiver.json")
    run = evaluate(folder, "--ledger", str(folder / "l.jsonl"), "--signing-key",
                   str(folder / "big.key"), timeout=TIME_BOUND)
    assert_refused(run, "big.key", "larger than")
    assert not (folder / "l.jsonl").exists()
    keys = run_cli("keys", "generate", str(folder / "k"), cwd=folder)
    assert keys.code == 0
    run = evaluate(folder, "--ledger", str(folder / "l.jsonl"), "--waiver",
                   str(folder / "waiver.json"), "--approver-key", str(folder / "k.pub"),
                   timeout=TIME_BOUND)
    assert_refused(run, "waiver.json", "FIFO")


ALIAS_BOMB = "\n".join(
    [f"a0: &a0 [{', '.join(['x'] * 9)}]"]
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
) + "\n"
"""Nine levels of nine: 387 million strings if expanded (1.5 GB in 20 s before)."""


@pytest.mark.parametrize("target", ["release-plan.yaml", "data.yaml"])
def test_a_yaml_alias_bomb_is_refused_without_expanding(tmp_path: Path, target: str) -> None:
    folder = approving_copy(tmp_path)
    (folder / "data.yaml").write_text("gatekeeper: {}\n")
    with (folder / target).open("a") as stream:
        stream.write(ALIAS_BOMB)
    run = evaluate(folder, "--data", str(folder / "data.yaml"), timeout=TIME_BOUND)
    assert_refused(run, target, "YAML aliases (*name) are not accepted")
    assert run.max_rss_mib < MEMORY_BOUND


DEEP = 100_000


@pytest.mark.parametrize("form", ["json", "yaml-flow", "yaml-block"])
def test_deep_nesting_is_refused_not_a_crash(tmp_path: Path, form: str) -> None:
    folder = approving_copy(tmp_path)
    if form == "json":
        (folder / "deep.json").write_text("[" * DEEP + "]" * DEEP)
        run = evaluate(folder, bundle="deep.json", plan=None, timeout=TIME_BOUND)
        target = "deep.json"
    else:
        text = ("a: " + "[" * DEEP + "]" * DEEP if form == "yaml-flow" else
                "".join(f"{'  ' * level}k:\n" for level in range(MAX_DEPTH + 2)) + "v: 1\n")
        (folder / "release-plan.yaml").write_text(text)
        run = evaluate(folder, timeout=TIME_BOUND)
        target = "release-plan.yaml"
    assert_refused(run, target, f"nested deeper than {MAX_DEPTH} levels")
    assert run.max_rss_mib < MEMORY_BOUND


NUMBERS = {
    "5000-digits": ("9" * 5000, "not valid JSON", "integer too long to read"),
    "2^64": (str(2**64), "beyond ±(2^53 - 1)", "beyond ±(2^53 - 1)"),
    "-2^53": ("-" + str(2**53), "beyond ±(2^53 - 1)", "beyond ±(2^53 - 1)"),
    "1e400": ("1e400", "inf is not a finite number", "1e400"),
}


@pytest.mark.parametrize("name", sorted(NUMBERS))
def test_huge_numbers_are_refused_naming_the_field(tmp_path: Path, name: str) -> None:
    number, in_json, in_yaml = NUMBERS[name]
    folder = approving_copy(tmp_path)
    text = (folder / "bundle.json").read_text()
    (folder / "bundle.json").write_text(re.sub(r'"n_samples": \d+', f'"n_samples": {number}',
                                               text, count=1))
    assert_refused(evaluate(folder, timeout=TIME_BOUND), "bundle.json", in_json)
    plan = folder / "release-plan.yaml"
    plan.write_text(re.sub(r"min_duration_days: \d+", f"min_duration_days: {number}",
                           plan.read_text(), count=1))
    (folder / "bundle.json").write_text(text)
    line = next(i for i, t in enumerate(plan.read_text().splitlines(), 1) if number in t)
    assert_refused(evaluate(folder, timeout=TIME_BOUND), f"release-plan.yaml: line {line}")
    plan.write_text((APPROVE / "release-plan.yaml").read_text())
    data = folder / "data.yaml"
    data.write_text(f"gatekeeper:\n  thresholds:\n    evidence:\n      min_seeds: {number}\n")
    run = evaluate(folder, "--data", str(data), timeout=TIME_BOUND)
    assert_refused(run, "data.yaml: line 4")
    assert in_yaml in run.stderr or "min_seeds" in run.stderr


def test_a_date_that_does_not_exist_is_invalid_input(tmp_path: Path) -> None:
    folder = approving_copy(tmp_path)
    bundle = bundle_of(folder)
    bundle["collection"]["finished_at"] = "2026-02-30T00:00:00Z"
    write_sealed(folder, bundle)
    assert_refused(evaluate(folder), "$.collection.finished_at", "not a real date")
    folder = approving_copy(tmp_path / "plan")
    plan = folder / "release-plan.yaml"
    lines = plan.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if "baseline_declared_at" in line)
    lines[index] = lines[index].split(":")[0] + ': "2026-13-01T00:00:00Z"'
    plan.write_text("\n".join(lines) + "\n")
    assert_refused(evaluate(folder), f"release-plan.yaml: line {index + 1}", "not a real date")


HOSTILE_JSON = {
    "nan": (lambda t: t.replace('"consistency":', '"consistency": NaN, "x":', 1),
            "NaN is not a JSON number"),
    "infinity": (lambda t: t.replace('"consistency":', '"consistency": -Infinity, "x":', 1),
                 "-Infinity is not a JSON number"),
    "duplicate-key": (lambda t: t.replace('"schema_version": "1.0"',
                                          '"schema_version": "1.0", "schema_version": "1.0"', 1),
                      "duplicate key 'schema_version'"),
    "bom": (lambda t: "\ufeff" + t, "BOM"),
    "lone-surrogate": (lambda t: t.replace('"model_name": "', '"model_name": "\\ud800', 1),
                       "lone surrogate"),
    "truncated": (lambda t: t[: len(t) // 2], "not valid JSON"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_JSON))
def test_hostile_json_is_refused(tmp_path: Path, name: str) -> None:
    folder = approving_copy(tmp_path)
    change, needle = HOSTILE_JSON[name]
    (folder / "bundle.json").write_text(change((folder / "bundle.json").read_text()))
    assert_refused(evaluate(folder), "bundle.json", needle)


def test_bad_utf8_is_refused_naming_the_line(tmp_path: Path) -> None:
    folder = approving_copy(tmp_path)
    data = (folder / "bundle.json").read_bytes()
    (folder / "bundle.json").write_bytes(data.replace(b'"model_name": "', b'"model_name": "\xff'))
    assert_refused(evaluate(folder), "bundle.json: line", "not UTF-8")


def test_large_fields_are_read_and_decided(tmp_path: Path) -> None:
    """Large but valid (1 MB in the bundle, half the plan's 1 MiB limit in the plan):
    decided and recorded within the bounds, nothing refused."""
    folder = approving_copy(tmp_path)
    bundle = bundle_of(folder)
    bundle["subject"]["model_name"] = "m" * MiB
    write_sealed(folder, bundle)
    plan = folder / "release-plan.yaml"
    plan.write_text(plan.read_text().replace(
        "rationale: Below the best", f"rationale: {'r' * (MiB // 2)} Below the best", 1))
    run = evaluate(folder, "--ledger", str(folder / "l.jsonl"), "--format", "json")
    assert run.code == 0, run.stderr[-2000:]
    assert json.loads(run.stdout)["subject"]["model_name"] == "m" * MiB
    assert run.seconds < TIME_BOUND and run.max_rss_mib < MEMORY_BOUND
    assert run_cli("verify", str(folder / "l.jsonl"), cwd=folder).code == 0
