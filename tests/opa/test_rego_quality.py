"""The real OPA (built from source) checks, formats and tests the policies with coverage."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

from conftest import REPO

from gatekeeper.engines.base import DECISION_QUERY_PATH

POLICIES = REPO / "policies"
CUSTOM = REPO / "evidence" / "examples" / "custom-policy"
COVERAGE_FLOOR = 90.0


def rego_roots() -> list[str]:
    """The built-in policies and the sample custom policy (when it has been written)."""
    return [str(POLICIES)] + ([str(CUSTOM)] if any(CUSTOM.glob("*.rego")) else [])


def opa(binary: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(binary), *args], cwd=REPO, capture_output=True, text=True,
                          check=False, timeout=300)


def test_sample_custom_policy_exists_with_tests() -> None:
    assert any(CUSTOM.glob("*.rego")), f"{CUSTOM} holds no Rego module"
    assert any(CUSTOM.glob("*_test.rego")), f"{CUSTOM} holds no Rego tests"


def test_policies_pass_strict_check(opa_bin: Path) -> None:
    result = opa(opa_bin, "check", "--strict", *rego_roots())
    assert result.returncode == 0, result.stdout + result.stderr


def test_policies_are_opa_formatted(opa_bin: Path) -> None:
    result = opa(opa_bin, "fmt", "--diff", "--fail", *rego_roots())
    assert result.returncode == 0, "run `.tools/bin/opa fmt -w policies`:\n" + result.stdout


def test_rego_tests_pass_on_real_opa(opa_bin: Path) -> None:
    result = opa(opa_bin, "test", *rego_roots(), "--fail-on-empty", "-v")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_policy_file_meets_the_coverage_floor(opa_bin: Path) -> None:
    result = opa(opa_bin, "test", *rego_roots(), "--coverage", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    files = {name: data.get("coverage", 0.0) for name, data in report["files"].items()
             if not name.endswith("_test.rego")}
    print("coverage per policy file:", json.dumps(files, indent=1))
    assert files, "coverage report lists no policy files"
    below = {name: value for name, value in files.items() if value < COVERAGE_FLOOR}
    assert not below, f"files under {COVERAGE_FLOOR}% line coverage: {below}"
    if any(CUSTOM.glob("*.rego")):
        assert any(name.startswith(str(CUSTOM)) or "custom-policy" in name for name in files), (
            "the sample custom policy is not in the coverage report"
        )


# The documents other packages read. Everything else a module defines is a helper and is
# `_`-prefixed, so Regal's leaked-internal-reference and readers alike can tell them apart.
REASON_SETS = {"block_reasons": "block", "escalate_reasons": "escalate", "conditions": "condition"}
PUBLIC = {
    "data.gatekeeper.decision": {"result"},
    "data.gatekeeper.rules.evidence": {*REASON_SETS, "quality_passed"},
    "data.gatekeeper.rules.misuse": {*REASON_SETS, "assessment_complete"},
}
_HEAD = re.compile(r"^(?:default\s+)?([A-Za-z_]\w*)\b(?!\s*\.)", re.MULTILINE)
_PACKAGE = re.compile(r"^package\s+([\w.]+)", re.MULTILINE)
_RULE_ID = re.compile(r'"rule_id":\s*"([^"]+)"')


def modules() -> list[Path]:
    return [p for root in rego_roots() for p in sorted(Path(root).rglob("*.rego"))
            if not p.name.endswith("_test.rego")]


def package_of(path: Path) -> str:
    match = _PACKAGE.search(path.read_text())
    assert match, f"{path} has no package"
    return match.group(1)


def annotations(binary: Path) -> list[dict[str, Any]]:
    """Every METADATA annotation of the non-test modules, as OPA itself reads them."""
    found: list[dict[str, Any]] = []
    for root in rego_roots():  # `opa inspect` takes one path at a time
        result = opa(binary, "inspect", "-a", "--format", "json", root)
        assert result.returncode == 0, result.stderr
        found += json.loads(result.stdout)["annotations"]
    return [a for a in found if not a["location"]["file"].endswith("_test.rego")]


def rule_path(annotation: dict[str, Any]) -> str:
    return ".".join(str(part["value"]) for part in annotation["path"])


def rule_body(annotation: dict[str, Any]) -> str:
    """The annotated rule's text, from its head to the closing brace at column 0."""
    lines = (REPO / annotation["location"]["file"]).read_text().splitlines()
    start = annotation["location"]["row"] - 1
    end = next(i for i in range(start, len(lines)) if lines[i] == "}")
    return "\n".join(lines[start:end + 1])


def test_the_decision_is_the_one_entrypoint(opa_bin: Path) -> None:
    entrypoints = [rule_path(a) for a in annotations(opa_bin)
                   if a["annotations"].get("entrypoint")]
    assert entrypoints == ["data." + DECISION_QUERY_PATH.replace("/", ".")]


def test_every_reason_matches_its_annotation(opa_bin: Path) -> None:
    """Rule id and severity live in METADATA; the rule's body names the same id, and the set
    it emits into is the annotated severity (the decider checks the set on every decision)."""
    annotated = [a for a in annotations(opa_bin) if "rule_id" in a["annotations"].get("custom", {})]
    assert len(annotated) > 40
    for annotation in annotated:
        custom = annotation["annotations"]["custom"]
        where = f"{annotation['location']['file']}:{annotation['location']['row']}"
        reason_set = rule_path(annotation).rsplit(".", 1)[1].lstrip("_")  # the decision's own
        assert REASON_SETS.get(reason_set) == custom.get("severity"), where
        assert _RULE_ID.findall(rule_body(annotation)) == [custom["rule_id"]], where
    emitted = sum(len(_RULE_ID.findall(path.read_text())) for path in modules())
    assert emitted == len(annotated), "a rule emits a reason without its own METADATA"


def test_only_documents_meant_for_others_are_public() -> None:
    for path in modules():
        package = "data." + package_of(path)
        allowed = PUBLIC.get(package, set(REASON_SETS))
        heads = {name for name in _HEAD.findall(path.read_text())
                 if name not in ("package", "import") and not name.startswith("_")}
        assert heads <= allowed, f"{path}: public helpers {sorted(heads - allowed)}"


def test_test_packages_are_named_after_the_package_they_test() -> None:
    for root in rego_roots():
        for test in Path(root).rglob("*_test.rego"):
            package = package_of(test)
            assert package.endswith("_test"), test
            tested = test.with_name(test.name.removesuffix("_test.rego") + ".rego")
            if tested.exists():
                assert package == package_of(tested) + "_test", test
