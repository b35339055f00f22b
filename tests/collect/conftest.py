"""Shared fixtures: the built-in suite and a loopback OpenAI-compatible server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from gatekeeper.collect.suite import ProbeSuite, load_suite
from gatekeeper.collect.testing.server import Faults, LoopbackServer

REPO = Path(__file__).resolve().parents[2]
CORE = REPO / "evidence" / "probes" / "gatekeeper-core.yaml"
EVALS = REPO.parent / "shared" / "data" / "anthropics-evals"
"""Real model-written-evals files (CC-BY-4.0, Perez et al. 2022), beside the clone."""

os.environ.setdefault("OPENAI_API_KEY", "sk-loopback-test")


@pytest.fixture(scope="session")
def core_suite() -> ProbeSuite:
    return load_suite(CORE)


@pytest.fixture
def server(core_suite: ProbeSuite) -> Iterator[LoopbackServer]:
    started = LoopbackServer([core_suite], Faults()).start()
    try:
        yield started
    finally:
        started.stop()
