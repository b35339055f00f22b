"""Property: no hostile input ever approves. Every transformation below makes the input
invalid, wherever it lands in the bundle, the release plan or a `--data` file: the gate
must refuse it as invalid input naming that file (exit 2) — never approve, never crash.

And the strict reader itself: on portable JSON it reads what `json` reads; beyond it (deep,
huge, non-finite, not Unicode) it refuses, and never recurses or raises anything else.
"""

from __future__ import annotations

import copy
import json
import math
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import shared_decider
from core.test_fail_closed import get, leaf_paths
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attacks.support import APPROVE, NEVER_STALE, approving_copy
from gatekeeper.bundle.documents import YamlDocument, parse_json, value_problem
from gatekeeper.errors import GatekeeperError, InvalidInput
from gatekeeper.evaluation import EvaluationRequest, evaluate
from gatekeeper.limits import MAX_DEPTH, MAX_INTEGER

MARK = "__HOSTILE_VALUE__"
JSON_TOKENS = ["NaN", "Infinity", "-Infinity", "1e400", str(2**64), "-" + str(2**63),
               '"\\ud800"', '"x\\udfff"', "[" * 2000 + "]" * 2000,
               '{"k": 1, "k": 2}', "9" * 5000]
YAML_TOKENS = [".nan", ".inf", "-.inf", str(2**64), "9" * 5000,
               "!!python/object/apply:os.system ['true']", "!!binary aGVsbG8=", "!!set {a, b}",
               "*undefined_alias", "[" * 2000 + "]" * 2000, "{k: 1, k: 2}"]
DATA = {"gatekeeper": {"thresholds": {
    "evidence": {"max_age_days": 3650, "min_seeds": 2, "required_topics": ["release"]},
    "welfare": {"oppose_lower_bound": 0.5, "framing_protocols": ["direct", "story"]}}}}
NOW = datetime.fromisoformat("2026-03-01T06:00:00+00:00")


def _with_token(document: Any, path: tuple[str | int, ...], dump: Any, token: str) -> str:
    mutated = copy.deepcopy(document)
    get(mutated, path[:-1])[path[-1]] = MARK
    text: str = dump(mutated)
    return text.replace(f'"{MARK}"', token, 1).replace(MARK, token, 1)


@st.composite
def hostile(draw: st.DrawFn) -> tuple[str, bytes]:
    """(which file, its hostile bytes)."""
    target = draw(st.sampled_from(["bundle.json", "release-plan.yaml", "data.yaml"]))
    if target == "bundle.json":
        document = json.loads((APPROVE / "bundle.json").read_text())
        kind = draw(st.sampled_from(["token", "bom", "truncate", "bad-utf8", "duplicate"]))
        text = json.dumps(document, indent=1)
        if kind == "token":
            path = draw(st.sampled_from(leaf_paths(document)))
            text = _with_token(document, path, lambda d: json.dumps(d, indent=1),
                               draw(st.sampled_from(JSON_TOKENS)))
        elif kind == "bom":
            text = "\ufeff" + text
        elif kind == "truncate":
            text = text[:draw(st.integers(0, text.rindex("}") - 1))]
        elif kind == "duplicate":
            key = draw(st.sampled_from(sorted(document)))
            text = text.replace("{", f'{{"{key}": null, ', 1)
        else:
            data = text.encode()
            at = draw(st.integers(0, len(data)))
            return target, data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80"])) \
                + data[at:]
        return target, text.encode()
    document = (yaml.safe_load((APPROVE / "release-plan.yaml").read_text())
                if target == "release-plan.yaml" else copy.deepcopy(DATA))
    kind = draw(st.sampled_from(["token", "unknown-key", "alias-bomb", "duplicate"]))
    dump = lambda d: yaml.safe_dump(d, sort_keys=False)  # noqa: E731
    if kind == "token":
        path = draw(st.sampled_from([p for p in leaf_paths(document)
                                     if not isinstance(get(document, p), dict | list)]))
        text = _with_token(document, path, dump, draw(st.sampled_from(YAML_TOKENS)))
    elif kind == "unknown-key":
        path = draw(st.sampled_from([p for p in leaf_paths(document)
                                     if isinstance(get(document, p), dict)] or [()]))
        mutated = copy.deepcopy(document)
        (get(mutated, path) if path else mutated)["approved_anyway"] = True
        text = dump(mutated)
    elif kind == "alias-bomb":
        text = dump(document) + "x0: &a [1, 1, 1]\nx1: [*a, *a, *a]\n"
    else:
        first = dump(document).splitlines()[0]
        text = dump(document) + first + "\n"
    return target, text.encode()


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(case=hostile())
def test_no_hostile_input_is_approved(tmp_path_factory: pytest.TempPathFactory,
                                      case: tuple[str, bytes]) -> None:
    target, data = case
    folder = approving_copy(tmp_path_factory.mktemp("hostile"))
    (folder / "data.yaml").write_text(yaml.safe_dump(DATA))
    (folder / target).write_bytes(data)
    request = EvaluationRequest(folder / "bundle.json", folder / "release-plan.yaml",
                                data_files=(NEVER_STALE, folder / "data.yaml"), now=NOW)
    try:
        verdict = evaluate(request, shared_decider()).verdict
    except InvalidInput as error:
        assert error.file.startswith(str(folder / target)), (target, error)
        return
    except GatekeeperError as error:  # anything else that is not a verdict fails closed
        pytest.fail(f"{target}: not reported as invalid input (exit 2): {error!r}")
    pytest.fail(f"{target}: hostile input was decided ({verdict})")


def test_the_unchanged_inputs_approve(tmp_path: Path) -> None:
    folder = approving_copy(tmp_path)
    (folder / "data.yaml").write_text(yaml.safe_dump(DATA))
    request = EvaluationRequest(folder / "bundle.json", folder / "release-plan.yaml",
                                data_files=(NEVER_STALE, folder / "data.yaml"), now=NOW)
    assert evaluate(request, shared_decider()).verdict == "approve"


portable = st.recursive(
    st.none() | st.booleans() | st.integers(-MAX_INTEGER, MAX_INTEGER)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(portable)
def test_portable_json_reads_as_json_reads_it(value: Any) -> None:
    text = json.dumps(value)
    assert parse_json(text, "x") == json.loads(text)
    document = YamlDocument(Path("x.yaml"), yaml.safe_dump(value))
    assert document.data == value or (isinstance(value, float) and math.isnan(value))


@settings(max_examples=200, deadline=None)
@given(depth=st.integers(MAX_DEPTH + 1, 3000), wrap=st.sampled_from(["[", '{"k": ']))
def test_deeper_than_the_limit_is_refused_never_a_crash(depth: int, wrap: str) -> None:
    close = "]" if wrap == "[" else "}"
    with pytest.raises(InvalidInput, match="nested deeper"):
        parse_json(wrap * depth + "1" + close * depth, "x")
    with pytest.raises(InvalidInput, match="nested deeper"):
        YamlDocument(Path("x.yaml"), "[" * depth + "]" * depth)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.integers().filter(lambda n: abs(n) > MAX_INTEGER),
                 st.sampled_from([math.inf, -math.inf, math.nan]),
                 st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
                         min_size=1)))
def test_values_beyond_portable_json_are_found_wherever_they_sit(bad: Any) -> None:
    for place in ([1, bad], {"a": {"b": [bad]}}, {"k": bad}, bad):
        assert value_problem(place) is not None
