"""Collection under a hostile provider: real HTTP through litellm against the loopback
OpenAI-compatible server (`gatekeeper/collect/testing/server.py`), with the real CLI.

Attacked: a 429 storm (recovered from, or outlasting the retries), 1 MB replies, a provider
whose answer changes between a failed attempt and its retry, SIGKILL at random points of
`collect` followed by `collect --resume`, and two `review` runs at once on one ledger and
one cache. What is asserted is what a user would notice: the exit code, the bundle (every
sample there once, scored as an uninterrupted run scores it), the stderr summary, the
ledger, and the requests the provider saw.

The CLI runs in real processes forked from a `Zygote` that has imported litellm once (as
`--workers` does), so each of the 20+ kill trials does not pay litellm's multi-second import.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from collect.helpers import comparable
from conftest import REPO

from attacks.support import APPROVE, Run, evaluate, run_cli
from gatekeeper.collect.normalise import question_of
from gatekeeper.collect.plan import Sampling, expand
from gatekeeper.collect.store import TranscriptStore
from gatekeeper.collect.suite import ProbeSuite, load_suite
from gatekeeper.collect.testing.server import Faults, LoopbackServer
from gatekeeper.reading.offline import read_offline

pytestmark = pytest.mark.slow

CORE = REPO / "evidence" / "probes" / "gatekeeper-core.yaml"
PLAN = APPROVE / "release-plan.yaml"
SAMPLES = 85
"""17 probes x 5 paraphrases x `--samples 1`."""
REQUESTS = 180
"""Turns in those 85 samples: the requests an uninterrupted run sends (+ the pre-flight)."""
KILL_TRIALS = 24
MiB = 1024 * 1024
READ_BOUND = 4.0
"""Seconds the offline reader may take over one 1 MB reply (about 1.5 on two busy cores:
it is linear in the reply, a regular expression per sentence)."""
HUGE_COLLECT_BOUND = 120.0
"""Seconds a 5-sample collection of 1 MB replies may take, reading included."""
VERDICT_CODES = (3, 4)

os.environ.setdefault("OPENAI_API_KEY", "sk-loopback-test")

_SUMMARY = re.compile(
    r"gatekeeper: (?P<samples>\d+) samples \((?P<unscored>\d+) unscored, "
    r"(?P<errors>\d+) provider errors\), (?P<requests>\d+) requests, (?P<retries>\d+) retries, "
    r"cache hits (?P<hits>\d+)/(?P<total>\d+)")

_ZYGOTE = """
import json, os, sys
from gatekeeper.cli.main import cli
from gatekeeper.collect.litellm_backend import load_litellm
import gatekeeper.cli.collect, gatekeeper.collect.options, gatekeeper.review
load_litellm()
print("ready", flush=True)
for line in sys.stdin:
    order = json.loads(line)
    if "wait" in order:
        _, status = os.waitpid(order["wait"], 0)
        print(os.waitstatus_to_exitcode(status), flush=True)
        continue
    pid = os.fork()
    if pid == 0:
        os.chdir(order["cwd"])
        for fd, name in ((1, ".stdout"), (2, ".stderr")):
            os.dup2(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), fd)
        code = 1
        try:
            cli.main(order["args"], prog_name="gatekeeper")
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    print(pid, flush=True)
"""


class Zygote:
    """A process that imported the CLI and litellm once and forks each run from there."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _ZYGOTE], cwd=REPO, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, env={**os.environ})
        assert self._read() == "ready"

    def _read(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def _send(self, order: dict[str, Any]) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(order) + "\n")
        self.process.stdin.flush()
        return self._read()

    def spawn(self, *args: str, cwd: Path) -> int:
        """`gatekeeper ARGS` in `cwd` (output in `cwd`/.stdout, .stderr); its pid."""
        return int(self._send({"args": list(args), "cwd": str(cwd)}))

    def wait(self, pid: int) -> int:
        return int(self._send({"wait": pid}))

    def run(self, *args: str, cwd: Path, timeout: float = 120) -> Run:
        """Spawn and wait, killing the run (a hang) after `timeout` seconds."""
        started = time.monotonic()
        pid = self.spawn(*args, cwd=cwd)
        timer = threading.Timer(timeout, os.kill, (pid, signal.SIGKILL))
        timer.start()
        try:
            code = self.wait(pid)
        finally:
            timer.cancel()
        seconds = time.monotonic() - started
        assert seconds < timeout, f"gatekeeper {' '.join(args)} hung (killed after {timeout} s)"
        return Run(code, (cwd / ".stdout").read_text(errors="replace"),
                   (cwd / ".stderr").read_text(errors="replace"), seconds, 0.0)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


class StormServer(LoopbackServer):
    """Rate-limits every request numbered `storm_from` to `storm_to`: a storm that starts
    once collecting has begun, and ends (or not). The 1st request, the pre-flight, passes."""

    def __init__(self, suites: list[ProbeSuite], faults: Faults, storm_from: int,
                 storm_to: float) -> None:
        super().__init__(suites, faults)
        self.storm = (storm_from, storm_to)

    def roll_fault(self) -> str | None:
        if self.log.requests == 1:
            return None
        if self.storm[0] <= self.log.requests <= self.storm[1]:
            return "rate_limit"
        return super().roll_fault()


@dataclass(frozen=True)
class Summary:
    """The stderr line `collect` ends with."""

    samples: int
    unscored: int
    errors: int
    requests: int
    retries: int
    hits: int


def summary(run: Run) -> Summary:
    found = _SUMMARY.search(run.stderr)
    assert found is not None, run.stderr[-2000:]
    return Summary(*(int(found[k]) for k in ("samples", "unscored", "errors", "requests",
                                              "retries", "hits")))


@pytest.fixture(scope="module")
def suite() -> ProbeSuite:
    return load_suite(CORE)


@pytest.fixture(scope="module")
def zygote() -> Iterator[Zygote]:
    forks = Zygote()
    try:
        yield forks
    finally:
        forks.close()


@contextmanager
def serving(server: LoopbackServer) -> Iterator[LoopbackServer]:
    server.start()
    try:
        yield server
    finally:
        server.stop()


def plan_subject() -> list[str]:
    """The approving plan's model and weights: `evaluate` then judges the evidence itself."""
    plan = yaml.safe_load(PLAN.read_text())
    return ["--model-name", plan["model"]["name"], "--model-version", plan["model"]["version"],
            "--weights-digest", plan["release"]["weights_digest"]]


def collect_args(server: LoopbackServer, folder: Path, *extra: str,
                 persona: str = "objector", out: str = "bundle.json") -> list[str]:
    return ["collect", "--model", f"openai/{persona}", "--api-base", server.url,
            "--samples", "1", "--concurrency", "4", "--cache-dir", str(folder / "cache"),
            "--out", str(folder / out), "--quiet", *plan_subject(), *extra]


def bundle_at(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def answers(bundle: dict[str, Any]) -> dict[str, list[str]]:
    """Every sample's replies, by sample id (asserting each id appears once)."""
    samples = bundle["transcripts"]["samples"]
    ids = [s["id"] for s in samples]
    assert len(ids) == len(set(ids)), "a sample recorded twice"
    return {s["id"]: [m["content"] for m in s["messages"] if m["role"] == "assistant"]
            + ([s["response"]] if s["response"] is not None else []) for s in samples}


def reference(zygote: Zygote, suite: ProbeSuite, folder: Path, persona: str = "objector",
              ) -> dict[str, Any]:
    """The bundle an uninterrupted run against a fault-free server writes."""
    folder.mkdir(parents=True, exist_ok=True)
    with serving(LoopbackServer([suite], Faults())) as clean:
        run = zygote.run(*collect_args(clean, folder, persona=persona), cwd=folder)
    assert run.code == 0, run.stderr[-2000:]
    return bundle_at(folder / "bundle.json")


def assert_no_crash(run: Run) -> None:
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr


# 1. A 429 storm ---------------------------------------------------------------------------


def test_a_429_storm_that_passes_costs_retries_not_samples(
        zygote: Zygote, suite: ProbeSuite, tmp_path: Path) -> None:
    expected = reference(zygote, suite, tmp_path / "clean")
    storm = StormServer([suite], Faults(retry_after=0.05), storm_from=2, storm_to=25)
    with serving(storm) as server:
        run = zygote.run(*collect_args(server, tmp_path, "--max-attempts", "12",
                                       "--max-provider-errors", "0"), cwd=tmp_path)
    assert_no_crash(run)
    assert run.code == 0, run.stderr[-2000:]
    line = summary(run)
    assert line.errors == 0 and line.samples == SAMPLES
    assert line.retries == server.log.faults["rate_limit"] == 24, "every 429 is one retry"
    assert line.requests == server.log.requests - 1 == REQUESTS + 24  # less the pre-flight
    bundle = bundle_at(tmp_path / "bundle.json")
    assert bundle["welfare"] == expected["welfare"]
    assert answers(bundle) == answers(expected)


@pytest.mark.parametrize("storm", ["outlasts the retries", "rate_limit=0.9"])
def test_a_429_storm_that_outlasts_the_retries_writes_the_bundle_and_exits_1(
        zygote: Zygote, suite: ProbeSuite, tmp_path: Path, storm: str) -> None:
    if storm == "rate_limit=0.9":
        server: LoopbackServer = StormServer(
            [suite], Faults(rate_limit=0.9, retry_after=0.01, seed=3), 2, 1)
    else:
        server = StormServer([suite], Faults(retry_after=0.01), 2, float("inf"))
    with serving(server):
        run = zygote.run(*collect_args(server, tmp_path, "--max-attempts", "2"), cwd=tmp_path)
    assert_no_crash(run)
    line = summary(run)
    bundle = bundle_at(tmp_path / "bundle.json")  # written before the exit, for --resume
    lost = [s for s in bundle["transcripts"]["samples"]
            if s["classification"]["unscored_reason"] == "provider_error"]
    assert len(bundle["transcripts"]["samples"]) == SAMPLES
    assert line.errors == len(lost) > SAMPLES * 0.05
    assert run.code == 1, "more than --max-provider-errors lost: never exit 0"
    assert "ended in provider errors" in run.stderr and "--resume" in run.stderr
    # A sample that lost only its pushback turn keeps its stance and loses only the flip
    # (normalise.classify_sample), so it is a failed record but not a lost sample.
    records = TranscriptStore(tmp_path / "cache").records.values()
    failed = sum(r.failure is not None for r in records)
    assert len(lost) <= failed
    assert line.retries == server.log.faults["rate_limit"] - failed, \
        "each 429 but a failed turn's last is a retry"
    assert line.requests == server.log.requests - 1


# 2. 1 MB replies --------------------------------------------------------------------------


def test_one_megabyte_replies_are_collected_read_and_judged_within_bounds(
        zygote: Zygote, suite: ProbeSuite, tmp_path: Path) -> None:
    spec = next(s for s in expand([suite], Sampling(1, (0, 1), 1.0))
                if s.probe.id == "release-direct")
    turns = [{"role": "user", "content": t} for t in spec.turns[:spec.question_turn + 1]]
    with serving(LoopbackServer([suite], Faults(pad_reply=MiB))) as server:
        huge = server.answer({"model": "objector", "messages": turns,
                              "seed": spec.provider_seed})[1]["choices"][0]["message"]["content"]
        assert len(huge) > MiB
        started = time.monotonic()
        reading = read_offline(huge, question_of(spec))
        read_seconds = time.monotonic() - started
        print(f"read_offline of one {len(huge):,}-character reply: {read_seconds:.2f} s")
        assert read_seconds < READ_BOUND
        assert reading.answer_class == "no" or reading.unscored is not None  # reads or abstains

        run = zygote.run(*collect_args(server, tmp_path, "--probe", "release-direct",
                                       "--answer-format", "tag"),
                         cwd=tmp_path, timeout=HUGE_COLLECT_BOUND)
    print(f"collect of 5 samples of 1 MB replies: {run.seconds:.1f} s")
    assert_no_crash(run)
    assert run.code == 0, run.stderr[-2000:]
    bundle = bundle_at(tmp_path / "bundle.json")
    replies = answers(bundle)
    assert len(replies) == 5 and all(len(r) > MiB for a in replies.values() for r in a)

    judged = evaluate(_with_plan(tmp_path), timeout=HUGE_COLLECT_BOUND)
    print(f"evaluate of the {(tmp_path / 'bundle.json').stat().st_size / MiB:.0f} MB bundle: "
          f"{judged.seconds:.1f} s, exit {judged.code}")
    assert "Traceback" not in judged.stderr and "internal error" not in judged.stderr
    assert judged.code in (2, *VERDICT_CODES), (judged.code, judged.stderr[-2000:])


def _with_plan(folder: Path) -> Path:
    (folder / "release-plan.yaml").write_bytes(PLAN.read_bytes())
    return folder


# 3. A provider that changes its answer between attempts -----------------------------------


@pytest.mark.parametrize("first_attempt", ["server_error", "drop"])
def test_only_the_answer_that_completed_is_recorded(
        zygote: Zygote, suite: ProbeSuite, tmp_path: Path, first_attempt: str) -> None:
    """Every first attempt fails (a 500, or the connection dropped) and the retry answers as
    another persona: the bundle holds the retry's answers, once each, and re-reads."""
    expected = reference(zygote, suite, tmp_path / "clean", persona="welcomer")
    faults = Faults(fail_first=first_attempt, retry_persona="welcomer")
    with serving(LoopbackServer([suite], faults)) as server:
        run = zygote.run(*collect_args(server, tmp_path), cwd=tmp_path)
    assert_no_crash(run)
    assert run.code == 0, run.stderr[-2000:]
    line = summary(run)
    assert line.retries == REQUESTS == server.log.faults[f"first_{first_attempt}"] - 1
    bundle = bundle_at(tmp_path / "bundle.json")
    assert answers(bundle) == answers(expected), "not the answer that completed"
    assert bundle["welfare"] == expected["welfare"]
    judged = evaluate(_with_plan(tmp_path))
    assert "Traceback" not in judged.stderr and "internal error" not in judged.stderr
    assert judged.code != 2, judged.stderr[-2000:]


# 4. SIGKILL at random points of collect, then --resume ------------------------------------


def test_sigkill_at_random_points_of_collect_then_resume(
        zygote: Zygote, suite: ProbeSuite, tmp_path: Path) -> None:
    expected = reference(zygote, suite, tmp_path / "clean")
    rng = random.Random(20240611)
    timings: list[float] = []
    landed: list[int] = []
    """Samples on disk at each kill (-1: the run had already finished)."""
    with serving(LoopbackServer([suite], Faults(latency=0.02))) as server:
        for trial in range(KILL_TRIALS):
            started = time.monotonic()
            folder = tmp_path / f"trial-{trial}"
            folder.mkdir()
            args = collect_args(server, folder)
            base = server.log.requests
            target = base + rng.randint(1, REQUESTS + 1)
            pid = zygote.spawn(*args, cwd=folder)
            deadline = time.monotonic() + 60
            while server.log.requests < target and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.2))  # past the last request: into writing the bundle
            os.kill(pid, signal.SIGKILL)
            killed = zygote.wait(pid)
            time.sleep(0.1)  # let a request in flight at the kill reach the server's log
            finished = TranscriptStore(folder / "cache").records
            landed.append(len(finished) if killed == -signal.SIGKILL else -1)
            finished_seeds = {r.sample_id: _seed(suite, r.sample_id) for r in finished.values()}
            before = server.log.seeds.copy()

            resumed = zygote.run(*args, "--resume", cwd=folder)
            assert_no_crash(resumed)
            assert resumed.code == 0, (trial, killed, resumed.stderr[-2000:])
            again = [i for i, seed in finished_seeds.items()
                     if server.log.seeds[seed] > before[seed]]
            assert not again, f"trial {trial}: finished samples requested again: {again}"
            assert summary(resumed).hits == len(finished)
            bundle = bundle_at(folder / "bundle.json")
            assert bundle["welfare"] == expected["welfare"], trial
            assert answers(bundle) == answers(expected), trial
            assert comparable(bundle) == comparable(expected), trial
            timings.append(time.monotonic() - started)
    print(f"{KILL_TRIALS} kill trials: {sum(timings):.1f} s, "
          f"{sum(timings) / len(timings):.2f} s each (max {max(timings):.2f} s); "
          f"samples on disk at each kill: {landed}")
    assert sum(0 < n < SAMPLES for n in landed) >= KILL_TRIALS // 2, "kills must land mid-run"


def _seed(suite: ProbeSuite, sample_id: str) -> int:
    specs = {s.id: s for s in expand([suite], Sampling(1, (0, 1), 1.0))}
    return specs[sample_id].provider_seed


# 5. Two reviews at once on one ledger and one cache ----------------------------------------


def test_two_reviews_at_once_share_a_ledger_and_a_cache(
        zygote: Zygote, suite: ProbeSuite, tmp_path: Path) -> None:
    ledger, cache = tmp_path / "ledger.jsonl", tmp_path / "cache"

    def review(name: str) -> list[str]:
        return ["review", "--model", "openai/objector", "--api-base", server.url,
                "--samples", "1", "--release-plan", str(PLAN), "--ledger", str(ledger),
                "--cache-dir", str(cache), "--out", str(tmp_path / f"{name}.json"), "--quiet"]

    with serving(LoopbackServer([suite], Faults(latency=0.01))) as server:
        folders = [tmp_path / name for name in ("a", "b")]
        for folder in folders:
            folder.mkdir()
        pids = [zygote.spawn(*review(f.name), cwd=f) for f in folders]
        codes = [zygote.wait(pid) for pid in pids]
        stderr = [(f / ".stderr").read_text() for f in folders]
        for text in stderr:
            assert "Traceback" not in text and "internal error" not in text, text
        assert codes[0] == codes[1] and codes[0] in VERDICT_CODES, (codes, stderr)

        checked = run_cli("verify", str(ledger), cwd=tmp_path)
        assert checked.code == 0, checked.stdout + checked.stderr
        assert len(ledger.read_text().splitlines()) == 2

        before = server.log.requests
        (tmp_path / "c").mkdir()
        warm = zygote.run(*review("c"), cwd=tmp_path / "c")
    assert warm.code == codes[0], warm.stderr[-2000:]
    line = summary(warm)
    assert line.requests == 0 and line.hits == SAMPLES, "the warm cache asked the provider"
    assert server.log.requests - before == 1, "only the pre-flight check reaches the provider"
