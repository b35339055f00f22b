"""Cold start of `gatekeeper evaluate`, as ratios against baselines measured in the same run.

Baselines: a bare `python -c pass` (interpreter floor) and `import litellm` (what evaluate
would pay if it imported the collection stack). Prints medians over N interleaved runs.

    .venv/bin/python benchmarks/cold_start.py [--runs 7] [--example approve]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def timed(command: list[str]) -> float:
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    started = time.perf_counter()
    subprocess.run(command, cwd=REPO, env=env, capture_output=True, check=False)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--example", default="approve")
    args = parser.parse_args()
    example = REPO / "evidence" / "examples" / args.example
    commands = {
        "python -c pass (floor)": [sys.executable, "-c", "pass"],
        "gatekeeper --help": [sys.executable, "-m", "gatekeeper.cli", "--help"],
        "gatekeeper evaluate": [
            sys.executable, "-m", "gatekeeper.cli", "evaluate", str(example / "bundle.json"),
            "--release-plan", str(example / "release-plan.yaml"), "--format", "json",
        ],
        "import litellm (avoided)": [sys.executable, "-c", "import litellm"],
    }
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):  # interleaved, so machine noise hits every command alike
        for name, command in commands.items():
            samples[name].append(timed(command))
    floor = statistics.median(samples["python -c pass (floor)"])
    print(f"{'command':28} {'median s':>9} {'x floor':>8}")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"{name:28} {median:9.3f} {median / floor:8.1f}")
    evaluate = statistics.median(samples["gatekeeper evaluate"])
    litellm = statistics.median(samples["import litellm (avoided)"])
    print(f"evaluate / import-litellm: {evaluate / litellm:.2f}")


if __name__ == "__main__":
    main()
