"""What every benchmark prints: figure, same-run baseline, ratio, target, pass/fail, spread.

Each benchmark script measures its figure and its baseline side by side in one run (the
machine is shared, so only same-run ratios mean much), repeats, and calls `emit`. The
last line it prints is machine-readable (`BENCHMARK {json}`) for `benchmarks/run`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # conftest: the examples, loaded as the tests do
PYTHON = sys.executable
OPA = os.environ.get("GATEKEEPER_OPA") or str(REPO / ".tools" / "bin" / "opa")


@dataclass(frozen=True)
class Figure:
    """One row of the results table."""

    name: str
    value: float
    unit: str
    spread: str
    baseline_name: str
    baseline: float | None
    target: str
    passed: bool | None
    """None for a figure without a target (shown for context)."""

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None


def spread(values: list[float], digits: int = 3) -> str:
    """`median (min-max, n)`, the form every row uses."""
    return (f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}-"
            f"{max(values):.{digits}f}, n={len(values)})")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def wall(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def run_command(command: list[str], cwd: Path | None = None) -> float:
    """Wall seconds of one command; it must succeed (exit 0, 3 or 4: a verdict)."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 3, 4):
        raise SystemExit(f"{command[:4]} failed ({done.returncode}): {done.stderr[-800:]!r}")
    return seconds


def emit(benchmark: str, figures: list[Figure], note: str = "") -> None:
    """Print the rows, then the `BENCHMARK` line; `note` says what a reader must know."""
    print(f"\n{benchmark}")
    for row in figures:
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        verdict = {True: "PASS", False: "FAIL", None: "info"}[row.passed]
        base = f"{row.baseline:.4g} {row.unit}" if row.baseline is not None else "-"
        print(f"  {row.name}: {row.value:.4g} {row.unit} [{row.spread}] | baseline "
              f"{row.baseline_name}: {base} | ratio {ratio} | target {row.target} | {verdict}")
    if note:
        print(f"  note: {note}")
    document = {"benchmark": benchmark, "note": note,
                "figures": [{**asdict(f), "ratio": f.ratio} for f in figures]}
    print("BENCHMARK " + json.dumps(document))
