"""`replay --all` throughput over a ledger of real decisions, and whether memory stays flat,
against the baseline of an OPA server (its own process, through opa-python-client)
evaluating the same archived inputs with no Gatekeeper checks at all.

    .venv/bin/python benchmarks/replay_throughput.py [--decisions 400] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from _harness import OPA, Figure, emit, spread
from _ledger import build_ledger
from conftest import OpaServer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gatekeeper.audit import ledger as ledger_file
from gatekeeper.audit.archive import ObjectStore
from gatekeeper.audit.models import LedgerRecord
from gatekeeper.audit.replay_all import replay_all
from gatekeeper.decision.decider import Decider
from gatekeeper.engines.opa_private import PrivateOpaEngine
from gatekeeper.engines.opa_server import OpaServerEngine
from gatekeeper.policy.loading import load_policy_set


def resident_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--decisions", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gatekeeper-bench-replay-"))
    ledger = build_ledger(folder, args.decisions, Ed25519PrivateKey.generate())
    store = ObjectStore.beside(ledger)
    inputs = [store.get_json(LedgerRecord.model_validate_json(line).archive.input)
              for line in ledger_file.iter_lines(ledger)]
    server = OpaServer(Path(OPA), folder / "opa.log")
    baseline = OpaServerEngine(server.url).prepare(load_policy_set())
    ours: list[float] = []
    theirs: list[float] = []
    growth: list[float] = []
    try:
        with Decider(PrivateOpaEngine(Path(OPA))) as decider:
            for _ in range(args.rounds):
                started, rows, early = time.perf_counter(), 0, 0.0
                for row in replay_all(ledger, decider):
                    assert row.status == "unchanged", row
                    rows += 1
                    if rows == len(inputs) // 10:
                        early = resident_mb()
                ours.append(rows / (time.perf_counter() - started))
                growth.append(resident_mb() - early)
                started = time.perf_counter()
                for document in inputs:
                    baseline.evaluate(document)
                theirs.append(len(inputs) / (time.perf_counter() - started))
    finally:
        baseline.close()
        server.stop()
    rate = statistics.median(ours)
    emit(f"replay --all ({len(inputs)} recorded decisions, archived policies)", [
        Figure("replay throughput", rate, "decisions/s", spread(ours, 1),
               "OPA server alone, same inputs", statistics.median(theirs), ">= 200/s",
               rate >= 200),
        Figure("RSS growth from 10% to 100% of the ledger", max(growth), "MB",
               spread(growth, 1), "-", None, "flat (<= 10 MB)", max(growth) <= 10),
    ], note="the baseline is an OPA server evaluating the same inputs through "
            "opa-python-client with no checks; replay also verifies each archived input's "
            "digest and re-verifies the recorded waivers")


if __name__ == "__main__":
    main()
