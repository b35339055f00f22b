"""One decision in a long-lived process: the default engine (a private OPA, prepared once)
against the baseline of an OPA server in its own process, queried through
opa-python-client (what `--engine opa-server` does), on the same inputs, interleaved.

    .venv/bin/python benchmarks/decision_latency.py [--decisions 400] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from _harness import OPA, Figure, emit, percentile, spread
from conftest import OpaServer, example_inputs  # the tests' real-OPA launcher

from gatekeeper.engines.base import Prepared
from gatekeeper.engines.opa_private import PrivateOpaEngine
from gatekeeper.engines.opa_server import OpaServerEngine
from gatekeeper.engines.regopy_engine import RegopyEngine
from gatekeeper.policy.loading import load_policy_set


def latencies(prepared: Prepared, documents: list[dict[str, object]]) -> list[float]:
    seconds = []
    for document in documents:
        started = time.perf_counter()
        prepared.evaluate(document)
        seconds.append(time.perf_counter() - started)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--decisions", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    inputs = list(example_inputs().values())
    documents = [inputs[i % len(inputs)] for i in range(args.decisions)]
    policy = load_policy_set()
    server = OpaServer(Path(OPA), Path("/tmp/gatekeeper-bench-opa.log"))
    ours = PrivateOpaEngine(Path(OPA)).prepare(policy)
    theirs = OpaServerEngine(server.url).prepare(policy)
    try:
        latencies(ours, documents[:20])  # warm both (first answers JIT-compile the query)
        latencies(theirs, documents[:20])
        p50s: dict[str, list[float]] = {"ours": [], "theirs": []}
        p99s: dict[str, list[float]] = {"ours": [], "theirs": []}
        for _ in range(args.rounds):
            for name, prepared in (("ours", ours), ("theirs", theirs)):
                values = [1000 * s for s in latencies(prepared, documents)]
                p50s[name].append(statistics.median(values))
                p99s[name].append(percentile(values, 0.99))
        regopy = [1000 * s for s in latencies(RegopyEngine().prepare(policy), documents[:20])]
    finally:
        ours.close()
        theirs.close()
        server.stop()
    base50, base99 = statistics.median(p50s["theirs"]), statistics.median(p99s["theirs"])
    p50, p99 = statistics.median(p50s["ours"]), statistics.median(p99s["ours"])
    emit("one decision (default engine, long-lived process)", [
        Figure("p50 per decision, private OPA", p50, "ms", spread(p50s["ours"]),
               "OPA server via opa-python-client", base50, "<= 5 ms", p50 <= 5),
        Figure("p99 per decision, private OPA", p99, "ms", spread(p99s["ours"]),
               "OPA server via opa-python-client", base99, "(none)", None),
        Figure("p50 per decision, regopy fallback", statistics.median(regopy), "ms",
               spread(regopy), "OPA server via opa-python-client", base50, "(none)", None),
    ])


if __name__ == "__main__":
    main()
