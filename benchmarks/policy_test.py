"""`gatekeeper policy test` (the built-in policies and the sample custom policy): wall time
and peak memory, against raw `opa test` on the same folders, interleaved.

Peak memory is the largest resident set of any process of the run (Gatekeeper's Python or
the OPA it starts), read from the kernel's accounting of waited-for children.

    .venv/bin/python benchmarks/policy_test.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time

from _harness import OPA, PYTHON, REPO, Figure, emit, spread

_PEAK = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], "
         "capture_output=True); print(done.returncode, "
         "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
CUSTOM = REPO / "evidence" / "examples" / "custom-policy"


def measured(command: list[str]) -> tuple[float, float]:
    """(seconds, peak MB) of one run; it must pass."""
    started = time.perf_counter()
    done = subprocess.run([PYTHON, "-c", _PEAK, *command], capture_output=True, text=True,
                          check=True, cwd=REPO)
    seconds = time.perf_counter() - started
    code, kilobytes = done.stdout.split()
    if code != "0":
        raise SystemExit(f"{command[:4]} exited {code}")
    return seconds, int(kilobytes) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    commands = {
        "ours": [PYTHON, "-m", "gatekeeper.cli", "policy", "test", str(CUSTOM)],
        "opa": [OPA, "test", str(REPO / "policies"), str(CUSTOM)],
    }
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            took, peak = measured(command)
            seconds[name].append(took)
            peaks[name].append(peak)
    time_ours, peak_ours = statistics.median(seconds["ours"]), max(peaks["ours"])
    emit("policy test (all Rego tests, with the sample custom policy)", [
        Figure("`gatekeeper policy test` wall time", time_ours, "s", spread(seconds["ours"]),
               "opa test", statistics.median(seconds["opa"]), "<= 5 s", time_ours <= 5),
        Figure("`gatekeeper policy test` peak RSS", peak_ours, "MB",
               spread(peaks["ours"], 1), "opa test", max(peaks["opa"]), "<= 500 MB",
               peak_ours <= 500),
    ])


if __name__ == "__main__":
    main()
