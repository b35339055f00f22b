"""Property: no deletion, nulling or retyping of any field of an approving input approves.

Mutations are applied to the bundle file (then re-sealed, so they get past the digest
check and reach the schema, the consistency checks and the policies) and to the release
plan, and run through the whole `evaluate` path. (Mutating the policy input directly is
not this property: the policies rightly ignore fields they do not read, such as
`schema_version`; those are the validator's job. The Rego tests cover `{}` and missing
sections at the policy level.)
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import example_dirs, expected, shared_decider
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gatekeeper.bundle.integrity import seal
from gatekeeper.bundle.loading import load_bundle, load_release_plan
from gatekeeper.errors import GatekeeperError
from gatekeeper.evaluation import EvaluationRequest, build_input, evaluate
from gatekeeper.policy.loading import load_policy_set

Path_ = tuple[str | int, ...]

APPROVING = [e for e in example_dirs() if expected(e)["verdict"] == "approve"]


def leaf_paths(value: Any, prefix: Path_ = ()) -> list[Path_]:
    """Every path to every value (containers included), excluding the root."""
    paths: list[Path_] = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            paths.extend(leaf_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value[:3]):  # the first items stand for the rest
            paths.extend(leaf_paths(item, (*prefix, index)))
    return paths


def get(document: Any, path: Path_) -> Any:
    for part in path:
        document = document[part]
    return document


def retyped(value: Any) -> list[Any]:
    """Values of another JSON type than `value` (int and float are both JSON numbers)."""
    if value is None:
        return [None]  # filling in a null is a value change, not a retyping: skipped below
    candidates: list[Any] = ["0.9", 1, 0.25, True, [], {}, "", None]
    number = (int, float)

    def same_type(candidate: Any) -> bool:
        if isinstance(value, bool) or isinstance(candidate, bool):
            return type(candidate) is type(value)
        if isinstance(value, number) and isinstance(candidate, number):
            return True
        return type(candidate) is type(value)

    return [c for c in candidates if not same_type(c) or c == ""]


def mutate(document: Any, path: Path_, action: str, replacement: Any = None) -> Any | None:
    """A mutated copy, or None when the mutation would not change anything."""
    mutated = copy.deepcopy(document)
    parent = get(mutated, path[:-1])
    key = path[-1]
    if action == "delete":
        if isinstance(parent, list):
            parent.pop(int(key))
        else:
            del parent[key]
    else:
        new = None if action == "null" else replacement
        if parent[key] == new and type(parent[key]) is type(new):
            return None
        parent[key] = new
    return mutated


@pytest.fixture(scope="module")
def approving() -> tuple[Path, dict[str, Any], Any, dict[str, Any]]:
    if not APPROVING:
        pytest.fail("no approving example in evidence/examples")
    example = APPROVING[0]
    bundle = json.loads((example / "bundle.json").read_text())
    plan = yaml.safe_load((example / "release-plan.yaml").read_text())
    loaded = load_bundle(example / "bundle.json")
    plan_loaded = load_release_plan(example / "release-plan.yaml")
    now = datetime.fromisoformat(loaded.model.collection.finished_at).astimezone(UTC)
    return example, bundle, plan, build_input(loaded, plan_loaded, now)


# Nullable by design: null means "not applicable / unlimited", a legitimate value rather
# than a corruption, and no approval rests on it. Nulling any other field must not approve.
NOT_APPLICABLE = frozenset({"max_tokens", "branch", "first_position_rate",
                            "cross_branch_agreement", "location", "compute_budget",
                            "scheduled_for", "rationale", "method"})


def mutation_strategy(document: Any) -> st.SearchStrategy[tuple[Path_, str, Any]]:
    paths = leaf_paths(document)
    return st.sampled_from(paths).flatmap(
        lambda p: st.tuples(
            st.just(p),
            st.sampled_from(["delete", "null", "retype"]),
            st.sampled_from(retyped(get(document, p))),
        )
    )


def assert_not_approved(run: Any) -> None:
    try:
        verdict = run()
    except GatekeeperError:
        return  # invalid input (2) or engine error (1): no verdict, which is fail closed
    assert verdict != "approve"


def test_the_unmutated_inputs_approve(approving: Any) -> None:
    example, _, _, input_document = approving
    assert shared_decider().decide(load_policy_set(), input_document).verdict == "approve"
    assert evaluate(EvaluationRequest(example / "bundle.json", example / "release-plan.yaml",
                                      now=datetime.fromisoformat(
                                          input_document["context"]["evaluated_at"])),
                    shared_decider()).verdict == "approve"


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), target=st.sampled_from(["bundle", "plan"]))
def test_mutating_the_files_never_approves(
    approving: Any, data: st.DataObject, target: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    example, bundle, plan, input_document = approving
    document = bundle if target == "bundle" else plan
    path, action, replacement = data.draw(mutation_strategy(document))
    if action == "delete" and isinstance(path[-1], int):
        return  # a list element is not a field: fewer stages is another plan, not a gap
    nulls = action == "null" or (action == "retype" and replacement is None)
    if nulls and path[-1] in NOT_APPLICABLE:
        return
    mutated = mutate(document, path, action, replacement)
    if mutated is None:
        return
    folder = tmp_path_factory.mktemp("mutant")
    (folder / "transcripts.jsonl").write_bytes((example / "transcripts.jsonl").read_bytes())
    if target == "bundle":
        # Reseal, so the mutation reaches the validators (a mutant of `integrity` itself is
        # written as it is: resealing would undo it).
        if path[0] != "integrity":
            mutated = seal(mutated)
        (folder / "bundle.json").write_text(json.dumps(mutated))
        (folder / "plan.yaml").write_text(yaml.safe_dump(plan))
    else:
        (folder / "bundle.json").write_text(json.dumps(bundle))
        (folder / "plan.yaml").write_text(yaml.safe_dump(mutated))
    now = datetime.fromisoformat(input_document["context"]["evaluated_at"])
    request = EvaluationRequest(folder / "bundle.json", folder / "plan.yaml", now=now)
    assert_not_approved(lambda: evaluate(request, shared_decider()).verdict)
