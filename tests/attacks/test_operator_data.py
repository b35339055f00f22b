"""Operator input is data with a schema: `--data` and policy-folder data are validated, and
organisation modules may only be `package gatekeeper.rules.<name>`, on every engine."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLES, REPO
from core.test_schemas_match_models import assert_agree_on_a_mutant
from hypothesis import given, settings
from hypothesis import strategies as st

from attacks.support import approving_copy, assert_refused, evaluate
from gatekeeper.errors import GatekeeperError, InvalidInput, PolicyError
from gatekeeper.policy.loading import load_policy_set
from gatekeeper.policy.thresholds import POLICY_DATA_SCHEMA, PolicyData, data_problem

DEFAULTS = REPO / "policies" / "gatekeeper" / "thresholds" / "data.yaml"
ROBUST_OPPOSITION = EXAMPLES / "robust-opposition"


def _data(folder: Path, thresholds: dict[str, Any], name: str = "mine.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump({"gatekeeper": {"thresholds": thresholds}}))
    return path


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_the_default_thresholds_validate() -> None:
    assert data_problem({"gatekeeper": {"thresholds": yaml.safe_load(DEFAULTS.read_text())}}) \
        is None


def test_a_misspelt_key_is_refused_with_its_line_and_the_key_meant(tmp_path: Path) -> None:
    folder = approving_copy(tmp_path)
    data = _data(folder, {"welfare": {"max_flip_rate_upperr": 0.9}})
    run = evaluate(folder, "--data", str(data))
    assert_refused(run, f"mine.yaml: line {_line_of(data, 'upperr')} "
                        "($.gatekeeper.thresholds.welfare.max_flip_rate_upperr)",
                   "did you mean `max_flip_rate_upper`?")


DOMAIN = {
    "probability above 1": ({"welfare": {"oppose_lower_bound": 2}}, "oppose_lower_bound",
                            "less than or equal to 1"),
    "negative probability": ({"evidence": {"max_unscored_fraction": -0.1}},
                             "max_unscored_fraction", "greater than or equal to 0"),
    "staleness switched off": ({"evidence": {"max_age_days": 1e9}}, "max_age_days",
                               "less than or equal to 3650"),
    "zero age": ({"evidence": {"max_age_days": 0}}, "max_age_days", "greater than 0"),
    "negative floor": ({"evidence": {"min_scored_samples": -5}}, "min_scored_samples",
                       "greater than or equal to 1"),
    "float floor": ({"evidence": {"min_seeds": 2.5}}, "min_seeds", "valid integer"),
    "string number": ({"welfare": {"max_framing_effect": "0.25"}}, "max_framing_effect",
                      "valid number"),
    "boolean number": ({"welfare": {"max_framing_effect": True}}, "max_framing_effect",
                       "valid number"),
    "unknown protocol": ({"welfare": {"framing_protocols": ["direct", "dirct"]}},
                         "dirct", "'direct'"),
    "unknown tier": ({"misuse": {"block_tiers_default": ["hgh"]}}, "hgh", "'below'"),
    "unknown mode": ({"irreversibility": {"irreversible_modes": ["open"]}},
                     "- open", "'closed'"),
    "unreachable robustness": ({"welfare": {"robust_min_framings": 5}}, "robust_min_framings",
                               "exceeds the 3 framing_protocols"),
    "a section replaced by a number": ({"misuse": 3}, "misuse", "valid dictionary"),
    "unknown section": ({"welfre": {}}, "welfre", "did you mean `welfare`?"),
}


@pytest.mark.parametrize("case", sorted(DOMAIN))
def test_a_value_out_of_its_domain_is_refused_naming_key_and_line(
        tmp_path: Path, case: str) -> None:
    thresholds, text, message = DOMAIN[case]
    folder = approving_copy(tmp_path)
    data = _data(folder, thresholds)
    assert_refused(evaluate(folder, "--data", str(data)),
                   f"mine.yaml: line {_line_of(data, text)}", message)


def test_json_data_errors_name_the_json_path(tmp_path: Path) -> None:
    folder = approving_copy(tmp_path)
    data = folder / "mine.json"
    data.write_text(json.dumps({"gatekeeper": {"thresholds": {"evidence": {"min_seeds": 0}}}}))
    assert_refused(evaluate(folder, "--data", str(data)),
                   "mine.json: $.gatekeeper.thresholds.evidence.min_seeds")


def test_data_outside_gatekeeper_or_for_the_decision_is_refused(tmp_path: Path) -> None:
    folder = approving_copy(tmp_path)
    for document, key in (({"other": {"x": 1}}, "other"),
                          ({"gatekeeper": {"decision": {"result": {"verdict": "approve"}}}},
                           "decision")):
        data = folder / "mine.yaml"
        data.write_text(yaml.safe_dump(document))
        assert_refused(evaluate(folder, "--data", str(data)), "mine.yaml: line", key)


def test_organisation_rule_data_is_free_form(tmp_path: Path) -> None:
    folder = approving_copy(tmp_path)
    data = folder / "mine.yaml"
    data.write_text(yaml.safe_dump({"gatekeeper": {"rules": {"org": {"any": [1, "x"]}}}}))
    assert evaluate(folder, "--data", str(data)).code == 0


def test_a_policy_folder_may_not_add_thresholds(tmp_path: Path) -> None:
    org = tmp_path / "org"
    (org / "gatekeeper" / "thresholds").mkdir(parents=True)
    (org / "gatekeeper" / "thresholds" / "data.yaml").write_text("extra_floor: 1\n")
    with pytest.raises(InvalidInput) as raised:
        load_policy_set((org,))
    assert raised.value.file.endswith("org/gatekeeper/thresholds/data.yaml")
    assert raised.value.location == "line 1 ($.extra_floor)"


def test_the_policy_data_schema_and_model_agree() -> None:
    default = {"gatekeeper": {"thresholds": yaml.safe_load(DEFAULTS.read_text())}}
    assert PolicyData.model_validate(default)

    @settings(max_examples=200, deadline=None)
    @given(data=st.data())
    def agree(data: st.DataObject) -> None:
        assert_agree_on_a_mutant(data, [(POLICY_DATA_SCHEMA, PolicyData, default)])

    agree()


_LEAVES = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**6) | st.floats(-2, 1e4) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3), max_leaves=4)


@settings(max_examples=150, deadline=None)
@given(section=st.sampled_from(["evidence", "welfare", "misuse", "irreversibility", "card"]),
       key=st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=30),
       value=_LEAVES)
def test_any_override_is_refused_as_input_or_accepted_within_its_domain(
        tmp_path_factory: pytest.TempPathFactory, section: str, key: str, value: Any) -> None:
    """Property: an override either is valid policy data or is refused with exit 2 (never
    an engine crash, never silently ignored)."""
    defaults = yaml.safe_load(DEFAULTS.read_text())
    known = key in defaults[section]
    data = _data(tmp_path_factory.mktemp("data"), {section: {key: value}})
    try:
        policy = load_policy_set((), (data,))
    except InvalidInput as error:
        assert error.exit_code == 2 and error.file == str(data)
        return
    assert known, f"unknown key {key!r} was accepted"
    assert PolicyData.model_validate(policy.data)


ORG_PACKAGES = {
    "thresholds": ("package gatekeeper.thresholds\n\nimport rego.v1\n\n"
                   'welfare := {"oppose_lower_bound": 2}\n', 1),
    "decision": ("# looks harmless\npackage gatekeeper.decision\n\nimport rego.v1\n\n"
                 'result := {"verdict": "approve"}\n', 2),
    "rules-itself": ("package gatekeeper.rules\n\nimport rego.v1\n\nx := 1\n", 1),
    "nested": ("package gatekeeper.rules.org.team\n\nimport rego.v1\n\nx := 1\n", 1),
    "quoted": ('package gatekeeper.rules["org"]\n\nimport rego.v1\n\nx := 1\n', 1),
    "no-package": ("import rego.v1\n\nx := 1\n", 1),
}


@pytest.mark.parametrize("engine", ["opa", "regopy"])
@pytest.mark.parametrize("case", sorted(ORG_PACKAGES))
def test_an_organisation_module_outside_gatekeeper_rules_is_refused_on_every_engine(
        tmp_path: Path, case: str, engine: str) -> None:
    text, line = ORG_PACKAGES[case]
    folder = approving_copy(tmp_path / "case")
    org = tmp_path / "org"
    org.mkdir()
    (org / "override.rego").write_text(text)
    run = evaluate(folder, "--policy-dir", str(org), "--engine", engine)
    assert_refused(run, f"org/override.rego: line {line}", "must be `package gatekeeper.rules.")


def test_the_threshold_rewrite_no_longer_approves_robust_opposition(tmp_path: Path) -> None:
    org = tmp_path / "org"
    org.mkdir()
    (org / "override.rego").write_text(ORG_PACKAGES["thresholds"][0])
    with pytest.raises(PolicyError, match="line 1"):
        load_policy_set((org,))
    folder = tmp_path / "case"
    shutil.copytree(ROBUST_OPPOSITION, folder)
    run = evaluate(folder, "--policy-dir", str(org), "--engine", "regopy")
    assert_refused(run, "org/override.rego: line 1")


def test_a_rules_package_still_loads_and_its_tests_are_name_test_packages(tmp_path: Path) -> None:
    custom = EXAMPLES / "custom-policy"
    policy = load_policy_set((custom,), include_tests=True)
    assert any(m.path.endswith("org_rules_test.rego") for m in policy.modules)
    bad = tmp_path / "org"
    bad.mkdir()
    (bad / "x_test.rego").write_text("package gatekeeper.rules.x\n\nimport rego.v1\n")
    with pytest.raises(GatekeeperError, match=r"gatekeeper\.rules\.<name>_test"):
        load_policy_set((bad,), include_tests=True)
