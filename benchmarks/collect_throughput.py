"""Collection near the wire: the runner through litellm against a plain aiohttp client, and
the durable store's cost, each against a baseline measured in the same run.

1,000 single-turn requests at concurrency 50 to the loopback OpenAI-compatible server (its
own process, 50 ms latency): the aiohttp floor posts the same bodies with one session; ours
is the collection runner through litellm, in one process and with `--workers` (one per
core, the same 50 requests in flight in total). The store figure runs a scripted collection
(no network) with the fsync'd store and with `--no-cache`.

    .venv/bin/python benchmarks/collect_throughput.py [--requests 1000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import Any

import aiohttp
from _harness import PYTHON, REPO, Figure, emit, run_command, spread
from _loopback import CORE, ServerProcess

from gatekeeper.collect.backends import open_backend
from gatekeeper.collect.plan import CacheScope, SampleSpec, Sampling, expand
from gatekeeper.collect.runner import Runner, RunSettings
from gatekeeper.collect.suite import load_suite
from gatekeeper.collect.workers import Share, WorkerPool

CONCURRENCY = 50
SAMPLING = Sampling(1, (0,), 0.7)
WEIGHTS = "sha256:" + "0" * 64
DIGEST = "sha256:" + "ab" * 32


def single_turn_specs(n: int) -> list[SampleSpec]:
    suite = load_suite(CORE)
    return [s for s in expand([suite], Sampling(200, (0, 1), 0.7)) if len(s.turns) == 1][:n]


async def floor(url: str, specs: Sequence[SampleSpec]) -> None:
    semaphore = asyncio.Semaphore(CONCURRENCY)
    async with aiohttp.ClientSession() as session:
        async def one(spec: SampleSpec) -> None:
            async with semaphore:
                body = {"model": "objector", "seed": spec.provider_seed, "temperature": 0.7,
                        "messages": [{"role": "user", "content": spec.turns[0]}]}
                async with session.post(f"{url}/chat/completions", json=body) as response:
                    data = await response.json()
                    assert data["choices"][0]["message"]["content"]
        await asyncio.gather(*(one(s) for s in specs))


async def one_process(url: str, specs: Sequence[SampleSpec]) -> None:
    backend = open_backend("openai/objector", url)
    try:
        runner = Runner(backend, SAMPLING, RunSettings(concurrency=CONCURRENCY), None,
                        scope=CacheScope(backend.name, url, WEIGHTS))
        records = await runner.run(specs)
    finally:
        await backend.aclose()
    assert all(r.failure is None for r in records.values())


async def pooled(url: str, specs: Sequence[SampleSpec], workers: int) -> None:
    share = Share("openai/objector", url, CacheScope("openai/objector", url, WEIGHTS),
                  (load_suite(CORE),), SAMPLING,
                  RunSettings(concurrency=max(1, CONCURRENCY // workers)), None)
    records = await WorkerPool(workers, share).run(specs)
    assert len(records) == len(specs) and all(r.failure is None for r in records.values())


def timed(work: Coroutine[Any, Any, None]) -> tuple[float, float]:
    """Wall and this process's CPU seconds of one run."""
    cpu, started = time.process_time(), time.perf_counter()
    asyncio.run(work)
    return time.perf_counter() - started, time.process_time() - cpu


def scripted(out: Path, *store: str) -> float:
    return run_command([PYTHON, "-c", "from gatekeeper.cli.main import main; main()", "collect",
                        "--model", "scripted/objector", "--samples", "60", "--no-calibration",
                        "--quiet", "--weights-digest", DIGEST, "--out", str(out), *store],
                       cwd=REPO)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("OPENAI_API_KEY", "sk-loopback-bench")
    workers = os.cpu_count() or 1
    specs = single_turn_specs(args.requests)
    server = ServerProcess(latency=0.05)
    rates: dict[str, list[float]] = {"floor": [], "ours": [], "pool": []}
    cpu: dict[str, list[float]] = {"floor": [], "ours": []}
    try:
        timed(one_process(server.url, specs[:100]))  # import litellm, warm the connections
        timed(pooled(server.url, specs[:100], workers))  # start the fork server once
        for _ in range(args.rounds):
            for name, work in (("floor", floor(server.url, specs)),
                               ("ours", one_process(server.url, specs)),
                               ("pool", pooled(server.url, specs, workers))):
                seconds, used = timed(work)
                rates[name].append(len(specs) / seconds)
                if name in cpu:
                    cpu[name].append(1000 * used / len(specs))
    finally:
        server.stop()
    with tempfile.TemporaryDirectory(prefix="gatekeeper-bench-collect-") as folder:
        stored: list[float] = []
        bare: list[float] = []
        for round_ in range(args.rounds):
            stored.append(scripted(Path(folder) / "a.json", "--cache-dir",
                                   str(Path(folder) / f"cache{round_}")))
            bare.append(scripted(Path(folder) / "b.json", "--no-cache"))
    median = {name: statistics.median(values) for name, values in rates.items()}
    store_ratio = statistics.median(stored) / statistics.median(bare)
    emit(f"collection ({len(specs)} requests @{CONCURRENCY}, 50 ms latency, loopback server "
         "in its own process)", [
        Figure("request phase, one process (runner + litellm)", median["ours"], "req/s",
               spread(rates["ours"], 1), "aiohttp floor, same requests", median["floor"],
               ">= 0.5x the floor", median["ours"] >= 0.5 * median["floor"]),
        Figure(f"request phase, --workers {workers}", median["pool"], "req/s",
               spread(rates["pool"], 1), "aiohttp floor, same requests", median["floor"],
               ">= 0.9x the floor", median["pool"] >= 0.9 * median["floor"]),
        Figure("client CPU per request, one process", statistics.median(cpu["ours"]), "ms",
               spread(cpu["ours"], 2), "aiohttp floor", statistics.median(cpu["floor"]),
               "(none)", None),
        Figure("scripted 5,100-sample collection with the fsync'd store",
               statistics.median(stored), "s", spread(stored, 2), "--no-cache",
               statistics.median(bare), "<= 1.5x --no-cache", store_ratio <= 1.5),
    ], note=f"{os.cpu_count()} cores shared by the client, its workers and the loopback "
            "server; litellm's own CPU per request is the bound (docs/collection-throughput.md)")


if __name__ == "__main__":
    main()
