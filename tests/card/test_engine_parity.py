"""Card and fork facts decide the same on the real OPA and on regopy (both engines, real).

The Rego unit tests stay per package (decision-level `with` tests cost regopy gigabytes);
the whole decision over card facts is checked here, on every valid fixture card and on
each kind of disagreement, against both engines.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import example_inputs
from opa.differential_support import EnginePair

from gatekeeper.card.loading import load_card
from gatekeeper.engines.opa_private import PrivateOpaEngine
from gatekeeper.policy.loading import load_policy_set

CARDS = Path(__file__).parent / "cards" / "valid"
DIGEST = "sha256:afd01f7ab1b27005d25e3f1b9b2326883b0e0501765c29a650b0c8f5ae563e16"


@pytest.fixture(scope="module")
def pair(opa_bin: Path) -> Iterator[EnginePair]:
    engines = EnginePair(load_policy_set(), PrivateOpaEngine(opa_bin))
    yield engines
    engines.close()


def with_card(card: dict[str, Any] | None, pull_request: dict[str, Any] | None = None,
              ) -> dict[str, Any]:
    document = copy.deepcopy(example_inputs()["approve"])
    document["context"]["evidence_age_days"] = 1.0
    if card is not None:
        document["card"] = card
    if pull_request is not None:
        document["context"]["pull_request"] = pull_request
    return document


def agreeing() -> dict[str, Any]:
    card = load_card(CARDS / "gated.md").facts.model_dump(mode="json")
    card["release_review"]["weights_digest"] = DIGEST
    return card


def variants() -> dict[str, tuple[dict[str, Any] | None, dict[str, Any] | None, str]]:
    base = agreeing()
    cases: dict[str, tuple[dict[str, Any] | None, dict[str, Any] | None, str]] = {
        "no card": (None, None, "approve"), "agreeing card": (base, None, "approve"),
    }

    def changed(**changes: Any) -> dict[str, Any]:
        card = copy.deepcopy(base)
        for key, value in changes.items():
            target = card
            *parents, leaf = key.split("__")
            for parent in parents:
                target = target[parent]
            target[leaf] = value
        return card

    cases["other weights"] = (changed(release_review__weights_digest="sha256:" + "0" * 64),
                              None, "block")
    cases["fully open card"] = (changed(release_review__release_mode="fully_open"), None,
                                "escalate")
    cases["no gate"] = (changed(gating__declared=False), None, "escalate")
    cases["licence other unnamed"] = (changed(license_name=None), None,
                                      "approve_with_conditions")
    cases["no licence"] = (changed(license=None), None, "approve_with_conditions")
    cases["no release_review"] = (changed(release_review=None), None, "escalate")
    fork = {"number": 3, "base_repository": "a/b", "head_repository": None, "from_fork": True}
    same = {"number": 3, "base_repository": "a/b", "head_repository": "a/b", "from_fork": False}
    cases["fork"] = (base, fork, "escalate")
    cases["same repository"] = (base, same, "approve")
    for path in sorted(CARDS.glob("*.md")):
        facts = load_card(path).facts.model_dump(mode="json")
        cases[f"fixture {path.name}"] = (facts, None, "")
    return cases


@pytest.mark.parametrize("name", sorted(variants()))
def test_both_engines_give_the_same_decision(pair: EnginePair, name: str) -> None:
    card, pull_request, expected = variants()[name]
    document = with_card(card, pull_request)
    assert pair.divergence(document) is None, pair.divergence(document)
    if expected:
        assert pair.server(document).result["verdict"] == expected
