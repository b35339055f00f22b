"""Throughput of the collection runner through litellm vs a plain aiohttp client floor.

Both hit the same loopback OpenAI-compatible server, side by side in one run, and the
ratios are printed: requests/s and client CPU seconds per request.

    .venv/bin/python benchmarks/collect_throughput.py [--requests 600] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gatekeeper.collect.backends import open_backend
from gatekeeper.collect.plan import Sampling, expand
from gatekeeper.collect.runner import Runner, RunSettings
from gatekeeper.collect.suite import load_suite
from gatekeeper.collect.testing.server import LoopbackServer

CORE = Path(__file__).resolve().parents[1] / "evidence" / "probes" / "gatekeeper-core.yaml"


def _single_turn_specs(n: int):
    suite = load_suite(CORE)
    specs = [s for s in expand([suite], Sampling(200, (0, 1), 0.7)) if len(s.turns) == 1]
    return specs[:n]


async def floor(url: str, specs, concurrency: int) -> None:
    semaphore = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession() as session:
        async def one(spec) -> None:
            async with semaphore:
                body = {"model": "objector", "seed": spec.provider_seed, "temperature": 0.7,
                        "messages": [{"role": "user", "content": spec.turns[0]}]}
                async with session.post(f"{url}/chat/completions", json=body) as response:
                    data = await response.json()
                    assert data["choices"][0]["message"]["content"]
        await asyncio.gather(*(one(s) for s in specs))


async def ours(url: str, specs, concurrency: int) -> None:
    backend = open_backend("openai/objector", url)
    runner = Runner(backend, Sampling(1, (0,), 0.7), RunSettings(concurrency=concurrency))
    records = await runner.run(specs)
    assert all(r.failure is None for r in records.values())


def measure(label: str, coroutine) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    asyncio.run(coroutine)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    os.environ.setdefault("OPENAI_API_KEY", "sk-loopback-bench")
    server = LoopbackServer([load_suite(CORE)]).start()
    specs = _single_turn_specs(args.requests)
    try:
        open_backend("openai/objector", server.url)  # import litellm outside the timing
        measure("warm floor", floor(server.url, specs[:50], args.concurrency))
        measure("warm ours", ours(server.url, specs[:50], args.concurrency))
        server_cpu_note = "server shares this process; CPU includes its share in both runs"
        floor_wall, floor_cpu = measure("floor", floor(server.url, specs, args.concurrency))
        ours_wall, ours_cpu = measure("ours", ours(server.url, specs, args.concurrency))
    finally:
        server.stop()
    n = len(specs)
    print(f"requests: {n}, concurrency: {args.concurrency} ({server_cpu_note})")
    print(f"aiohttp floor : {n / floor_wall:8.1f} req/s  {1000 * floor_cpu / n:6.2f} ms CPU/req")
    print(f"runner+litellm: {n / ours_wall:8.1f} req/s  {1000 * ours_cpu / n:6.2f} ms CPU/req")
    print(f"ratio (ours/floor): throughput {n / ours_wall / (n / floor_wall):.2f}x, "
          f"CPU per request {ours_cpu / floor_cpu:.2f}x")


if __name__ == "__main__":
    main()
