"""`--workers N`: processes polling shares through litellm into one store, one bundle."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from gatekeeper.collect.store import TranscriptStore
from gatekeeper.collect.suite import ProbeSuite
from gatekeeper.collect.testing.server import LoopbackServer

from .helpers import request, run


def test_two_workers_share_one_store_and_give_the_one_process_bundle(
    server: LoopbackServer, core_suite: ProbeSuite, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    pooled = run(replace(request("openai/objector", (core_suite,), api_base=server.url,
                                 cache_dir=cache), workers=2))
    single = run(request("openai/objector", (core_suite,), api_base=server.url))
    assert pooled.bundle["welfare"] == single.bundle["welfare"]
    assert pooled.bundle["transcripts"] == single.bundle["transcripts"]
    assert pooled.stats.misses == len(pooled.specs) and pooled.stats.requests > 0
    lines = (cache / "transcripts.jsonl").read_text().splitlines()
    assert len(lines) == len(TranscriptStore(cache).records) == len(pooled.specs)

    asked = server.log.ok
    again = run(replace(request("openai/objector", (core_suite,), api_base=server.url,
                                cache_dir=cache, resume=True), workers=2))
    assert again.stats.hits == len(again.specs) and server.log.ok == asked + 1  # pre-flight
