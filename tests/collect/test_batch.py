"""`--batch` through litellm's batch API against the loopback server's batch service."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from gatekeeper.collect import batch
from gatekeeper.collect.runner import RunSettings
from gatekeeper.collect.suite import ProbeSuite
from gatekeeper.collect.testing.server import Faults, LoopbackServer
from gatekeeper.errors import InvalidInput

from .helpers import comparable, request, run


@pytest.fixture(autouse=True)
def _quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "FIRST_POLL", 0.02)


def test_a_batch_collection_gives_the_interactive_bundle(
    server: LoopbackServer, core_suite: ProbeSuite, tmp_path: Path
) -> None:
    batched = run(replace(request("openai/objector", (core_suite,), api_base=server.url,
                                  cache_dir=tmp_path / "cache"), batch=True))
    chats = server.log.requests
    interactive = run(request("openai/objector", (core_suite,), api_base=server.url))
    assert comparable(batched.bundle) == comparable(interactive.bundle)
    longest = max(len(s.turns) for s in batched.specs)
    assert server.batches.log["created"] == longest  # one job per conversation turn
    assert chats == 1  # the pre-flight; every sample went through the batch service
    assert not list((tmp_path / "cache" / "batches").iterdir())


def test_failed_lines_are_sent_again_and_a_stopped_run_resumes_its_job(
    core_suite: ProbeSuite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = LoopbackServer([core_suite], Faults(server_error=0.2, rate_limit=0.1, seed=3)).start()
    cache = tmp_path / "cache"
    settings = RunSettings(concurrency=4, timeout=2.0, max_attempts=6, backoff=0.02)
    req = replace(request("openai/objector", (core_suite,), api_base=server.url,
                          cache_dir=cache, samples=1, settings=settings), batch=True)
    waits = 0
    wait = batch.BatchRunner._wait

    async def stop_on_the_second_round(self: batch.BatchRunner, batch_id: str) -> object:
        nonlocal waits
        waits += 1
        if waits == 2:
            raise KeyboardInterrupt  # the operator stops the run while a job is in flight
        return await wait(self, batch_id)

    try:
        monkeypatch.setattr(batch.BatchRunner, "_wait", stop_on_the_second_round)
        with pytest.raises(KeyboardInterrupt):
            run(req)
        (state,) = (cache / "batches").iterdir()
        assert '"batch_id":"batch-2"' in state.read_text()
        calls: list[str] = []

        async def logged(self: batch.BatchRunner, batch_id: str) -> object:
            calls.append(batch_id)
            return await wait(self, batch_id)

        monkeypatch.setattr(batch.BatchRunner, "_wait", logged)
        resumed = run(replace(req, resume=True))
    finally:
        server.stop()
    assert calls[0] == "batch-2", "the resumed run must wait on the job in flight, not resubmit"
    assert server.batches.log["failed"] > 0 and resumed.stats.retries > 0
    assert resumed.provider_failures == 0
    assert server.batches.log["retrieved"] >= server.batches.log["created"]
    assert not any(s["classification"]["unscored_reason"] == "provider_error"
                   for s in resumed.bundle["transcripts"]["samples"])


def test_batch_needs_a_cache_directory(
    server: LoopbackServer, core_suite: ProbeSuite
) -> None:
    with pytest.raises(InvalidInput, match="cache directory"):
        run(replace(request("openai/objector", (core_suite,), api_base=server.url),
                    batch=True))
