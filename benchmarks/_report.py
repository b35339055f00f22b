"""Turn the `BENCHMARK {json}` lines of a `benchmarks/run` log into RESULTS.md."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from _harness import OPA, REPO


def _machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    memory_kb = next(int(line.split()[1]) for line in
                     Path("/proc/meminfo").read_text().splitlines()
                     if line.startswith("MemTotal"))
    opa = subprocess.run([OPA, "version"], capture_output=True, text=True, check=False)
    opa_version = next((line.split(":", 1)[1].strip() for line in opa.stdout.splitlines()
                        if line.startswith("Version")), "?")
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True, check=False).stdout.strip()
    return (f"{os.cpu_count()} cores ({cpu}), {memory_kb / 2**20:.0f} GiB, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
            f"OPA {opa_version}, commit {commit or '?'}")


def _cell(value: float | None, unit: str) -> str:
    return "-" if value is None else f"{value:.4g} {unit}"


def main() -> None:
    log, seconds = Path(sys.argv[1]), sys.argv[2]
    benchmarks = [json.loads(line.removeprefix("BENCHMARK "))
                  for line in log.read_text().splitlines() if line.startswith("BENCHMARK ")]
    print("# Benchmark results\n")
    print(f"Written by `benchmarks/run` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC in "
          f"{seconds} s, on {_machine()}. The machine is shared, so each baseline is "
          "measured in the same run and the ratio is the figure to compare across runs. "
          "Spread: median (min-max, n) over repeats.\n")
    print("| benchmark | figure | value | spread | baseline (same run) | ratio | target | "
          "result |")
    print("|---|---|---|---|---|---|---|---|")
    for bench in benchmarks:
        for row in bench["figures"]:
            ratio = f"{row['ratio']:.2f}x" if row["ratio"] is not None else "-"
            result = {True: "**pass**", False: "**FAIL**", None: "info"}[row["passed"]]
            print(f"| {bench['benchmark']} | {row['name']} | {_cell(row['value'], row['unit'])}"
                  f" | {row['spread']} | {row['baseline_name']}: "
                  f"{_cell(row['baseline'], row['unit'])} | {ratio} | {row['target']} | "
                  f"{result} |")
    notes = [f"- {bench['benchmark']}: {bench['note']}" for bench in benchmarks
             if bench.get("note")]
    if notes:
        print("\nNotes:\n")
        print("\n".join(notes))


if __name__ == "__main__":
    main()
