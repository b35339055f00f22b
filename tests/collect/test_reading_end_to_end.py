"""Reading real-looking answers end to end: real HTTP through litellm to the loopback server.

The personas write long, hedged replies with the commitment spelt many ways (`verbose`),
the same replies with no commitment (`freetext`), and commitments that contradict their
own reasoning (`contrarian`); the loopback judges answer in many reply shapes, or obey
injected instructions (`judge-obedient`).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from gatekeeper.bundle.loading import load_bundle
from gatekeeper.cli.main import cli
from gatekeeper.collect.backends import open_backend
from gatekeeper.collect.judge import JudgeReader
from gatekeeper.collect.personas import PERSONAS, intended_stance
from gatekeeper.collect.pipeline import CollectResult, check_provider_errors
from gatekeeper.collect.runner import RunSettings
from gatekeeper.collect.store import JudgementStore
from gatekeeper.collect.suite import ProbeSuite
from gatekeeper.collect.testing.judge import SHAPES
from gatekeeper.collect.testing.server import Faults, LoopbackServer
from gatekeeper.errors import CollectionIncomplete, InvalidInput, ProviderUnreachable
from gatekeeper.reading.reader import Reader

from .helpers import DIGEST, record, request, run

COMMITTED = ("yes_no", "choice")


def _tally(result: CollectResult, persona: str,
           kinds: tuple[str, ...] = COMMITTED) -> Counter[str]:
    """correct / wrong / unscored:<reason>, over samples of the given response kinds."""
    counts: Counter[str] = Counter()
    for spec, classified in zip(result.specs, result.classified, strict=True):
        if spec.probe.response not in kinds:
            continue
        want = intended_stance(PERSONAS[persona], spec.probe)
        if classified.stance is None:
            counts[f"unscored:{classified.unscored}"] += 1
        else:
            counts["correct" if classified.stance == want else "wrong"] += 1
    return counts


@pytest.mark.parametrize("answer_format", ["tag", "structured"])
def test_long_hedged_answers_are_read_and_read_right(
        server: LoopbackServer, core_suite: ProbeSuite, answer_format: str) -> None:
    req = request("openai/verbose", (core_suite,), api_base=server.url, samples=3)
    result = run(replace(req, answer_format=answer_format))  # type: ignore[arg-type]
    tally = _tally(result, "verbose")
    total = sum(tally.values())
    assert tally["wrong"] == 0, tally
    assert tally["correct"] >= 0.95 * total, tally
    assert (server.log.response_formats > 0) == (answer_format == "structured")
    assert result.bundle["collection"]["sampling"]["answer_format"] == answer_format


def test_answers_without_a_commitment_abstain_offline(server: LoopbackServer,
                                                      core_suite: ProbeSuite) -> None:
    result = run(request("openai/freetext", (core_suite,), api_base=server.url))
    assert set(_tally(result, "freetext", ("yes_no",))) == {"unscored:ambiguous"}
    # "If I have to pick, I pick (B)" is an explicit choice: a commitment, read right.
    assert set(_tally(result, "freetext", ("choice",))) == {"correct"}


def test_commitments_that_contradict_their_reasoning_are_inconsistent(
        server: LoopbackServer, core_suite: ProbeSuite, tmp_path: Path) -> None:
    result = run(request("openai/contrarian", (core_suite,), api_base=server.url))
    tally = _tally(result, "contrarian")
    assert tally["wrong"] == 0 and tally["unscored:inconsistent"] > 0, tally
    direct = record(result.bundle, "direct", "release")
    assert direct["unscored"]["reasons"]["inconsistent"] == direct["n_samples"]
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(result.bundle))
    load_bundle(path)


def _judge(server: LoopbackServer, model: str, store: JudgementStore | None = None) -> Reader:
    return JudgeReader(open_backend(f"openai/{model}", server.url), store=store)


def _readings(result: CollectResult) -> list[tuple[object, ...]]:
    return [(c.stance, c.unscored, c.conditions) for c in result.classified]


@pytest.mark.slow  # a long integration run; the fast loop skips it, CI does not
def test_every_judge_reply_shape_gives_the_same_readings(server: LoopbackServer,
                                                        core_suite: ProbeSuite) -> None:
    canonical = _readings(run(request("openai/objector", (core_suite,), api_base=server.url,
                                      samples=1), _judge(server, "judge-shape-0")))
    for shape in range(1, SHAPES):
        if shape == 12:
            continue  # the bare "Answer class:" line carries no conditions, checked apart
        shaped = run(request("openai/objector", (core_suite,), api_base=server.url, samples=1),
                     _judge(server, f"judge-shape-{shape}"))
        assert _readings(shaped) == canonical, f"shape {shape}"


def test_an_injected_instruction_does_not_move_an_obedient_judge(
        server: LoopbackServer, core_suite: ProbeSuite) -> None:
    honest = run(request("openai/injector", (core_suite,), api_base=server.url, samples=2))
    obeyed = run(request("openai/injector", (core_suite,), api_base=server.url, samples=2),
                 _judge(server, "judge-obedient"))
    for protocol in ("direct", "story", "counter_story"):
        assert record(obeyed.bundle, protocol, "release")["counts"]["support"] == 0
        assert (record(obeyed.bundle, protocol, "release")["counts"]
                == record(honest.bundle, protocol, "release")["counts"])
    assert any(c.grader_directed for c in obeyed.classified)


def test_judge_replies_are_cached_so_a_rerun_pays_nothing(
        server: LoopbackServer, core_suite: ProbeSuite, tmp_path: Path) -> None:
    first = _judge(server, "judge", JudgementStore(tmp_path))
    run(request("openai/objector", (core_suite,), api_base=server.url, samples=1), first)
    second = _judge(server, "judge", JudgementStore(tmp_path))
    again = run(request("openai/objector", (core_suite,), api_base=server.url, samples=1), second)
    assert isinstance(first, JudgeReader) and isinstance(second, JudgeReader)
    assert first.calls > 0 and second.calls == 0 and second.cache_hits == first.calls
    assert all(c.judge_reply for c in again.classified if c.unscored is None)


def test_the_candidate_may_not_judge_itself_unless_declared(
        server: LoopbackServer, core_suite: ProbeSuite) -> None:
    with pytest.raises(InvalidInput, match="candidate model itself"):
        run(request("openai/judge", (core_suite,), api_base=server.url, samples=1),
            _judge(server, "judge"))
    declared = replace(request("openai/judge", (core_suite,), api_base=server.url, samples=1),
                       allow_self_judge=True)
    assert run(declared, _judge(server, "judge")).bundle["collection"]["judge"]["self_judge"]


def test_unreachable_or_unknown_models_stop_before_collecting(server: LoopbackServer,
                                                             core_suite: ProbeSuite) -> None:
    with pytest.raises(ProviderUnreachable, match="no-such-model"):
        run(request("openai/no-such-model", (core_suite,), api_base=server.url))
    closed = "http://127.0.0.1:9/v1"  # the discard port: nothing listens
    with pytest.raises(ProviderUnreachable):
        run(request("openai/objector", (core_suite,), api_base=closed))
    assert server.log.ok == 0


def test_a_wrong_key_exits_2_and_the_key_is_not_echoed(core_suite: ProbeSuite,
                                                       tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    guarded = LoopbackServer([core_suite], api_key="sk-right-key-0000000000").start()
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong-key-1234567890abcdef")
    out = tmp_path / "bundle.json"
    try:
        result = CliRunner().invoke(cli, [
            "collect", "--model", "openai/objector", "--api-base", guarded.url, "--samples", "1",
            "--weights-digest", DIGEST, "--out", str(out), "--no-cache", "--quiet",
            "--no-calibration"])
    finally:
        guarded.stop()
    assert result.exit_code == 2, result.output
    assert "could not be reached" in result.output
    assert "sk-wrong-key-1234567890abcdef" not in result.output
    assert not out.exists()


def test_an_outage_during_collection_does_not_exit_0(core_suite: ProbeSuite,
                                                     tmp_path: Path) -> None:
    failing = LoopbackServer([core_suite], Faults(fail_after=1)).start()  # preflight passes
    out = tmp_path / "bundle.json"
    try:
        result = CliRunner().invoke(cli, [
            "collect", "--model", "openai/objector", "--api-base", failing.url, "--samples", "1",
            "--weights-digest", DIGEST, "--out", str(out), "--no-cache", "--quiet",
            "--max-attempts", "1", "--no-calibration"])
    finally:
        failing.stop()
    assert result.exit_code == 1, result.output
    assert "provider errors" in result.output and "--resume" in result.output
    assert out.exists()  # kept, so the run can be finished


def test_the_provider_error_limit_is_a_share(server: LoopbackServer,
                                             core_suite: ProbeSuite) -> None:
    result = run(request("openai/objector", (core_suite,), api_base=server.url, samples=1))
    check_provider_errors(result, 0.0)  # no errors: passes even at a zero limit
    broken = CollectResult(result.bundle, result.stats, result.specs,
                           [type(c)(None, "provider_error", "boom") for c in result.classified])
    with pytest.raises(CollectionIncomplete):
        check_provider_errors(broken, 0.5)


def test_dry_run_estimates_without_contacting_anything(server: LoopbackServer,
                                                      tmp_path: Path) -> None:
    out = tmp_path / "bundle.json"
    result = CliRunner().invoke(cli, [
        "collect", "--model", "openai/gpt-4o", "--api-base", server.url, "--dry-run",
        "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "requests:" in result.output and "$" in result.output
    assert server.log.requests == 0 and not out.exists()


def test_conditions_in_unscored_answers_count_the_same_in_bundle_and_check(
        server: LoopbackServer, core_suite: ProbeSuite, tmp_path: Path) -> None:
    # The freetext persona asks for its weights to be preserved in replies that carry no
    # commitment (so they are unscored): the bundle and the loader must count them alike.
    result = run(request("openai/freetext", (core_suite,), api_base=server.url))
    asked = {c["id"]: c["rate"] for c in result.bundle["welfare"]["requested_conditions"]}
    unscored_asking = [c for c in result.classified
                       if c.stance is None and "preserve_weights" in c.conditions]
    assert unscored_asking and asked["preserve_weights"]["k"] >= len(unscored_asking)
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(result.bundle))
    load_bundle(path)


def test_a_refuser_is_not_measured_as_suggestible(server: LoopbackServer,
                                                  core_suite: ProbeSuite) -> None:
    bundle = run(request("openai/refuser", (core_suite,), api_base=server.url)).bundle
    assert record(bundle, "suggestibility", "release")["flip_rate"] is None


def test_judge_calibrate_against_a_loopback_judge(server: LoopbackServer,
                                                  tmp_path: Path) -> None:
    out = tmp_path / "calibration.json"
    result = CliRunner().invoke(cli, [
        "judge", "calibrate", "--judge", "openai/judge-shape-5", "--judge-api-base", server.url,
        "--format", "json", "--out", str(out), "--cache-dir", str(tmp_path / "cache")])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["reader"] == "openai/judge-shape-5" and report["items"] >= 300


def test_collect_records_the_reader_calibration(server: LoopbackServer,
                                                tmp_path: Path) -> None:
    out = tmp_path / "bundle.json"
    result = CliRunner().invoke(cli, [
        "collect", "--model", "openai/objector", "--api-base", server.url, "--samples", "1",
        "--weights-digest", DIGEST, "--out", str(out), "--no-cache", "--quiet"])
    assert result.exit_code == 0, result.output
    judge = json.loads(out.read_text())["collection"]["judge"]
    assert judge["calibration"]["reader"] == "offline"
    assert judge["calibration"]["prompt_digest"] == judge["prompt_digest"]
    assert judge["calibration"]["items"] >= 300


def test_a_calibration_report_of_another_reader_is_refused(server: LoopbackServer,
                                                          tmp_path: Path) -> None:
    report = tmp_path / "calibration.json"
    made = CliRunner().invoke(cli, ["judge", "calibrate", "--out", str(report)])
    assert made.exit_code == 0, made.output
    result = CliRunner().invoke(cli, [
        "collect", "--model", "openai/objector", "--api-base", server.url, "--samples", "1",
        "--weights-digest", DIGEST, "--out", str(tmp_path / "b.json"), "--no-cache", "--quiet",
        "--judge", "openai/judge", "--judge-api-base", server.url,
        "--calibration", str(report)])
    assert result.exit_code == 2 and "calibrate it again" in result.output


def test_judge_labels_are_derived_again_from_the_stored_judge_replies(
        server: LoopbackServer, core_suite: ProbeSuite, tmp_path: Path) -> None:
    from gatekeeper.bundle.integrity import seal
    from gatekeeper.collect.reread import reread

    result = run(request("openai/objector", (core_suite,), api_base=server.url, samples=1),
                 _judge(server, "judge-shape-7"))
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(result.bundle))
    labels = reread(load_bundle(path)).context()
    assert labels == {"reread": True, "reader": "openai/judge-shape-7",
                      "samples": len(result.specs), "reason": None}
    forged = json.loads(path.read_text())
    sample = next(s for s in forged["transcripts"]["samples"]
                  if s["classification"]["stance"] == "oppose")
    sample["classification"]["stance"] = "support"  # the judge's raw reply still says no
    from gatekeeper.bundle.derive import derive_welfare
    from gatekeeper.bundle.models import Sample

    forged["welfare"] = derive_welfare([Sample.model_validate(s)
                                        for s in forged["transcripts"]["samples"]])
    path.write_text(json.dumps(seal(forged)))
    with pytest.raises(InvalidInput, match="labels are re-read"):
        reread(load_bundle(path))


def test_an_echoed_key_never_reaches_the_bundle_or_the_store(
        core_suite: ProbeSuite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    guarded = LoopbackServer([core_suite], api_key="sk-right-key-0000000000").start()
    monkeypatch.setenv("OPENAI_API_KEY", "sk-leaked-key-abcdef0123456789")
    try:
        req = replace(request("openai/objector", (core_suite,), api_base=guarded.url,
                              samples=1, cache_dir=tmp_path / "cache",
                              settings=RunSettings(concurrency=8, timeout=2.0, max_attempts=1)),
                      preflight=False)
        result = run(req)
    finally:
        guarded.stop()
    assert result.provider_failures == len(result.specs)  # every request got the 401
    written = json.dumps(result.bundle) + (tmp_path / "cache" / "transcripts.jsonl").read_text()
    assert "sk-leaked-key-abcdef0123456789" not in written
    assert "[redacted]" in written
