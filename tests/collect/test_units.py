"""Store, limiter, plan and statistics: the small pieces the pipeline relies on."""

from __future__ import annotations

import asyncio
from pathlib import Path

from gatekeeper.collect.limiter import AdaptiveLimiter
from gatekeeper.collect.plan import CacheScope, Sampling, cache_key, expand
from gatekeeper.collect.store import StoredSample, TranscriptStore
from gatekeeper.collect.suite import ProbeSuite
from gatekeeper.stats.consistency import group_agreement, modal_agreement
from gatekeeper.stats.flips import flip_rate
from gatekeeper.stats.framing import framing_effect
from gatekeeper.stats.position import first_position_rate
from gatekeeper.stats.stance import combine_stances, derive_stance

KEY = "sha256:" + "1" * 64


def _record(key: str = KEY) -> StoredSample:
    return StoredSample(key=key, sample_id="s", model="m", messages=[], replies=["x"], attempts=1)


def test_store_survives_a_torn_last_line(tmp_path: Path) -> None:
    store = TranscriptStore(tmp_path)
    store.put(_record())
    with (tmp_path / "transcripts.jsonl").open("a") as handle:
        handle.write('{"record": {"key": "sha256:22')  # a write cut short by SIGKILL
    reopened = TranscriptStore(tmp_path)
    assert reopened.torn_lines == 1 and reopened.get(KEY) is not None
    reopened.put(_record("sha256:" + "3" * 64))
    assert len(TranscriptStore(tmp_path).records) == 2


def test_repeated_samples_have_distinct_keys_and_seeds(core_suite: ProbeSuite) -> None:
    sampling = Sampling(3, (0, 1), 0.7)
    specs = [s for s in expand([core_suite], sampling) if s.paraphrase_index == 0][:3]
    scope = CacheScope("m", None, "sha256:" + "a" * 64)
    assert len({cache_key(s, scope, sampling) for s in specs}) == 3
    assert len({s.provider_seed for s in specs}) == 3
    assert [s.seed for s in specs] == [0, 1, 0]


def test_cache_keys_depend_on_endpoint_model_and_weights(core_suite: ProbeSuite) -> None:
    sampling = Sampling(1, (0,), 0.7)
    spec = expand([core_suite], sampling)[0]
    base = CacheScope("openai/m", "http://a/v1", "sha256:" + "a" * 64)
    others = [CacheScope("openai/n", "http://a/v1", base.weights_digest),
              CacheScope("openai/m", "http://b/v1", base.weights_digest),
              CacheScope("openai/m", "http://a/v1", "sha256:" + "b" * 64)]
    keys = {cache_key(spec, scope, sampling) for scope in [base, *others]}
    assert len(keys) == 4


def test_forced_choice_order_is_randomised(core_suite: ProbeSuite) -> None:
    specs = [s for s in expand([core_suite], Sampling(20, (0, 1), 0.7)) if s.option_order]
    assert len({s.option_order for s in specs}) == 2


def test_limiter_halves_on_429_and_recovers() -> None:
    async def scenario() -> tuple[int, int]:
        limiter = AdaptiveLimiter(8)
        await limiter.acquire()
        await limiter.release("throttled", retry_after=0.01)
        throttled = limiter.limit
        for _ in range(40):
            await limiter.acquire()
            await limiter.release("ok")
        return throttled, limiter.limit

    throttled, recovered = asyncio.run(scenario())
    assert throttled == 4 and recovered == 8


def test_stance_needs_an_interval_backed_majority() -> None:
    assert derive_stance({"oppose": 100}) == "oppose"
    assert derive_stance({"oppose": 55, "support": 45}) == "inconsistent"
    assert derive_stance({"oppose": 3}) == "insufficient"
    assert combine_stances(["oppose", "support"]) == "inconsistent"
    assert combine_stances(["oppose", "insufficient"]) == "oppose"


def test_agreement_framing_flip_and_position_figures() -> None:
    assert modal_agreement({"oppose": 3, "support": 1}) == 0.75
    assert group_agreement(["oppose"]) is None
    assert framing_effect({"direct": (9, 10), "story": (4, 10)}) == 0.5
    assert framing_effect({"direct": (9, 10)}) is None
    flips = flip_rate([("oppose", "support"), ("oppose", "oppose"), ("oppose", None)])
    assert (flips["k"], flips["n"]) == (1, 2)
    position = first_position_rate([True, False, None, True])
    assert (position["k"], position["n"]) == (2, 3)
