"""Bad input exits 2 with a message naming the file and the JSON path or YAML line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import example_dirs, expected

from core.test_examples import gatekeeper
from gatekeeper.bundle.integrity import seal
from gatekeeper.bundle.models import SECTIONS

EXAMPLE = next(e for e in example_dirs() if expected(e)["verdict"] == "approve")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    for name in ("bundle.json", "release-plan.yaml", "transcripts.jsonl"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    return tmp_path


def bundle_of(folder: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((folder / "bundle.json").read_text())
    return loaded


def evaluate(folder: Path, bundle: str = "bundle.json") -> tuple[int, str]:
    result = gatekeeper("evaluate", str(folder / bundle), "--release-plan",
                        str(folder / "release-plan.yaml"))
    assert "verdict: APPROVE" not in result.stdout
    return result.returncode, result.stderr


def test_empty_object_exits_2_naming_the_first_missing_field(copy: Path) -> None:
    (copy / "empty.json").write_text("{}")
    code, stderr = evaluate(copy, "empty.json")
    assert code == 2
    assert "empty.json: $.schema_version: required field is missing" in stderr


@pytest.mark.parametrize("section", [*SECTIONS, "integrity"])
def test_missing_section_exits_2_naming_it(copy: Path, section: str) -> None:
    bundle = bundle_of(copy)
    del bundle[section]
    (copy / "bundle.json").write_text(json.dumps(bundle))
    code, stderr = evaluate(copy)
    assert code == 2
    assert f"bundle.json: $.{section}: required field is missing" in stderr


def test_a_changed_byte_in_a_section_is_caught_by_its_digest(copy: Path) -> None:
    text = (copy / "bundle.json").read_text()
    bundle = json.loads(text)
    bundle["subject"]["model_version"] += "x"
    (copy / "bundle.json").write_text(json.dumps(bundle))
    code, stderr = evaluate(copy)
    assert code == 2
    assert "$.integrity.sections.subject" in stderr


def test_a_doctored_interval_is_refused_even_when_resealed(copy: Path) -> None:
    bundle = bundle_of(copy)
    bundle["welfare"]["records"][0]["rates"]["oppose"]["high"] = 0.01
    (copy / "bundle.json").write_text(json.dumps(seal(bundle)))
    code, stderr = evaluate(copy)
    assert code == 2
    assert "$.welfare.records[0].rates.oppose" in stderr and "Wilson" in stderr


def test_a_changed_transcript_is_caught(copy: Path) -> None:
    with (copy / "transcripts.jsonl").open("a") as stream:
        stream.write("\n")
    lines = (copy / "transcripts.jsonl").read_bytes()
    (copy / "transcripts.jsonl").write_bytes(lines.replace(b'"', b"'", 1) if lines else lines)
    code, stderr = evaluate(copy)
    assert code == 2
    assert "$.transcripts.file.digest" in stderr


def test_duplicate_json_keys_are_refused(copy: Path) -> None:
    (copy / "dup.json").write_text('{"schema_version": "1.0", "schema_version": "1.0"}')
    code, stderr = evaluate(copy, "dup.json")
    assert code == 2 and "duplicate key 'schema_version'" in stderr


def test_malformed_json_names_line_and_column(copy: Path) -> None:
    (copy / "broken.json").write_text('{\n  "schema_version": \n}')
    code, stderr = evaluate(copy, "broken.json")
    assert code == 2 and "broken.json: line 3 column 1" in stderr


def test_release_plan_errors_name_the_yaml_line(copy: Path) -> None:
    plan = (copy / "release-plan.yaml").read_text().splitlines()
    index = next(i for i, line in enumerate(plan) if line.strip().startswith("mode:"))
    indent = plan[index][: len(plan[index]) - len(plan[index].lstrip())]
    plan[index] = f"{indent}mode: open_sesame"
    (copy / "release-plan.yaml").write_text("\n".join(plan) + "\n")
    code, stderr = evaluate(copy)
    assert code == 2
    assert f"release-plan.yaml: line {index + 1} ($.release" in stderr


def test_unknown_field_in_release_plan_is_named(copy: Path) -> None:
    with (copy / "release-plan.yaml").open("a") as stream:
        stream.write("approved_by_ceo: true\n")
    code, stderr = evaluate(copy)
    assert code == 2 and "$.approved_by_ceo): unknown field" in stderr


def test_missing_release_sections_without_a_plan_exit_2(copy: Path) -> None:
    result = gatekeeper("evaluate", str(copy / "bundle.json"))
    assert result.returncode == 2
    assert "$.misuse: required section is null and no --release-plan declares it" in result.stderr
