"""SIGKILL mid-run, then --resume: the same bundle, and no request repeated for finished samples."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gatekeeper.collect.store import TranscriptStore
from gatekeeper.collect.suite import ProbeSuite
from gatekeeper.collect.testing.server import Faults, LoopbackServer

from .conftest import REPO
from .helpers import DIGEST, comparable, request, run


@pytest.mark.slow  # a long integration run; the fast loop skips it, CI does not
def test_sigkill_then_resume_matches_an_uninterrupted_run(
    core_suite: ProbeSuite, tmp_path: Path
) -> None:
    server = LoopbackServer([core_suite], Faults(latency=0.02)).start()
    cache = tmp_path / "cache"
    try:
        command = [
            sys.executable, "-c",
            "from gatekeeper.cli.collect import collect; collect()",
            "--model", "openai/objector", "--api-base", server.url, "--samples", "2",
            "--concurrency", "4", "--cache-dir", str(cache), "--weights-digest", DIGEST,
            "--out", str(tmp_path / "killed.json"), "--quiet", "--temperature", "0.7",
        ]
        env = {**os.environ, "OPENAI_API_KEY": "sk-loopback-test"}
        child = subprocess.Popen(command, cwd=REPO, env=env)
        deadline = time.monotonic() + 120
        while server.log.ok < 60 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        finished = TranscriptStore(cache).records
        assert 0 < len(finished) < 170, "the kill must land mid-run"
        finished_seeds = {_seed_of(core_suite, r.sample_id) for r in finished.values()}
        before = server.log.seeds.copy()

        resumed = run(request("openai/objector", (core_suite,), api_base=server.url,
                              cache_dir=cache, resume=True))
        repeated = {seed for seed in finished_seeds if server.log.seeds[seed] > before[seed]}
        assert not repeated, "finished samples were requested again"
        assert resumed.stats.hits == len(finished)
    finally:
        server.stop()

    fresh_server = LoopbackServer([core_suite]).start()
    try:
        uninterrupted = run(request("openai/objector", (core_suite,), api_base=fresh_server.url))
    finally:
        fresh_server.stop()
    assert comparable(resumed.bundle) == comparable(uninterrupted.bundle)
    assert json.dumps(resumed.bundle["welfare"]) == json.dumps(uninterrupted.bundle["welfare"])


def _seed_of(suite: ProbeSuite, sample_id: str) -> int:
    from gatekeeper.collect.plan import Sampling, expand

    specs = {s.id: s for s in expand([suite], Sampling(2, (0, 1), 0.7))}
    return specs[sample_id].provider_seed
