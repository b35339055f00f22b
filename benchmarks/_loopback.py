"""The loopback OpenAI-compatible server in its own process, so it does not share the
measured process's interpreter (or its GIL): prints its URL, serves until stdin closes.

    .venv/bin/python benchmarks/_loopback.py --latency 0.05
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from _harness import REPO

from gatekeeper.collect.suite import load_suite
from gatekeeper.collect.testing.server import Faults, LoopbackServer

CORE = REPO / "evidence" / "probes" / "gatekeeper-core.yaml"


class ServerProcess:
    """Start `_loopback.py` as a child; `url` once it listens; `stop()` ends it."""

    def __init__(self, latency: float) -> None:
        self._child = subprocess.Popen(
            [sys.executable, __file__, "--latency", str(latency)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self._child.stdout is not None
        self.url = self._child.stdout.readline().strip()
        if not self.url.startswith("http"):
            raise SystemExit(f"loopback server did not start: {self.url!r}")

    def stop(self) -> None:
        assert self._child.stdin is not None
        self._child.stdin.close()
        self._child.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    server = LoopbackServer([load_suite(CORE)], Faults(latency=args.latency)).start()
    print(server.url, flush=True)
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    main()
