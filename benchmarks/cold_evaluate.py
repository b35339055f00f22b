"""Cold `gatekeeper evaluate` of an example (a fresh process, a fresh ledger), against the
interpreter floor (`python -c pass`) and a cold `opa eval` of the same decision, measured
interleaved so machine noise hits every command alike.

    .venv/bin/python benchmarks/cold_evaluate.py [--runs 7] [--example approve]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from _harness import OPA, PYTHON, REPO, Figure, emit, run_command, spread
from conftest import example_inputs

from gatekeeper.policy.loading import load_policy_set
from gatekeeper.policy.opa_testing import write_policy_tree


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--example", default="approve")
    args = parser.parse_args()
    example = REPO / "evidence" / "examples" / args.example
    scratch = Path(tempfile.mkdtemp(prefix="gatekeeper-bench-cold-"))
    policy_dir = scratch / "policy"
    write_policy_tree(load_policy_set(), policy_dir)
    (scratch / "input.json").write_text(json.dumps(example_inputs()[args.example]))
    commands = {
        "floor": [PYTHON, "-c", "pass"],
        "opa": [OPA, "eval", "--data", str(policy_dir), "--input",
                str(scratch / "input.json"), "data.gatekeeper.decision.result"],
        "ours": [PYTHON, "-m", "gatekeeper.cli", "evaluate", str(example / "bundle.json"),
                 "--release-plan", str(example / "release-plan.yaml"), "--format", "json"],
    }
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    for run in range(args.runs + 1):
        for name, command in commands.items():
            cwd = scratch / f"run-{run}-{name}"
            cwd.mkdir()
            took = run_command(command, cwd)
            if run:  # the first round warms the page cache
                seconds[name].append(took)
    ours = statistics.median(seconds["ours"])
    emit("cold evaluate (new process, ledger written)", [
        Figure("cold `gatekeeper evaluate`", ours, "s", spread(seconds["ours"]),
               "python -c pass", statistics.median(seconds["floor"]), "<= 0.6 s", ours <= 0.6),
        Figure("cold `gatekeeper evaluate`", ours, "s", spread(seconds["ours"]),
               "opa eval (same decision)", statistics.median(seconds["opa"]), "(none)", None),
    ])


if __name__ == "__main__":
    main()
