"""SIGKILL at random points, torn writes at every offset, a crash at each step of recording,
and concurrent writers: afterwards `verify` passes or names the break, `ledger recover`
mends exactly what a crash leaves, no decision reported as recorded is lost, and nothing is
ever approved by a run that did not finish."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest
from audit.fixtures import evaluate_document, input_document, policy_set

from attacks.support import (
    NEVER_STALE,
    MiB,
    approving_copy,
    bundle_of,
    finish,
    kill,
    run_cli,
    start,
    write_sealed,
)
from gatekeeper.audit import recording
from gatekeeper.audit.head import head_path
from gatekeeper.audit.recover import recover
from gatekeeper.audit.verify import verify_ledger

KILL_TRIALS = 24
REPORT_KILL_TRIALS = 8
TORN_OFFSETS = 30
CRASH_MARKERS = ("partial line", "pending copy exists", "after the head")
"""What verify may name after a kill: each is something `ledger recover` mends."""


@pytest.fixture
def signed_folder(tmp_path: Path) -> Path:
    """The approving example with a 4 MB model name (so an append writes a 4 MB line and a
    kill can land inside the write), a key, and one recorded decision."""
    folder = approving_copy(tmp_path / "case")
    bundle = bundle_of(folder)
    bundle["subject"]["model_name"] = "m" * (4 * MiB)
    write_sealed(folder, bundle)
    assert run_cli("keys", "generate", str(folder / "k"), cwd=folder).code == 0
    assert _evaluate(folder).code == 0
    return folder


def _args(folder: Path) -> list[str]:
    return ["evaluate", str(folder / "bundle.json"), "--release-plan",
            str(folder / "release-plan.yaml"), "--data", str(NEVER_STALE), "--ledger",
            str(folder / "l.jsonl"), "--signing-key", str(folder / "k.key"), "--format", "json"]


def _evaluate(folder: Path):  # type: ignore[no-untyped-def]
    return run_cli(*_args(folder), cwd=folder)


def _recorded_ids(folder: Path) -> list[str]:
    return [json.loads(line)["decision_id"]
            for line in (folder / "l.jsonl").read_bytes().splitlines(keepends=True)
            if line.endswith(b"\n")]


def _verify(folder: Path) -> tuple[int, str]:
    run = run_cli("verify", str(folder / "l.jsonl"), "--public-key", str(folder / "k.pub"),
                  cwd=folder)
    assert "Traceback" not in run.stderr
    return run.code, run.stdout + run.stderr


def test_sigkill_at_random_points_of_evaluate(signed_folder: Path) -> None:
    folder = signed_folder
    started = time.monotonic()
    uncut = finish(start(*_args(folder), cwd=folder), folder, started)
    assert uncut.code == 0
    span = uncut.seconds
    rng = random.Random(9)
    promised: list[str] = []  # decisions a run said it recorded
    breaks: dict[str, int] = {}
    ledger = folder / "l.jsonl"
    for trial in range(KILL_TRIALS):
        size = ledger.stat().st_size
        process = start(*_args(folder), cwd=folder)
        began = time.monotonic()
        if trial % 2:
            time.sleep(rng.uniform(0.0, span * 1.1))  # anywhere in the run
        else:  # inside the append: the moment the ledger starts to grow, or just after
            while ledger.stat().st_size == size and process.poll() is None \
                    and time.monotonic() - began < 2 * span + 5:
                time.sleep(0.0002)
            time.sleep(rng.uniform(0.0, 0.005))
        kill(process)
        run = finish(process, folder, began)
        if run.code == 0:
            promised.append(json.loads(run.stdout)["decision_id"])
        else:
            assert run.code == -9, (trial, run.code, run.stderr[-500:])
            said = [line.split("decision ")[1].split(" ")[0]
                    for line in run.stderr.splitlines() if " recorded in " in line]
            promised.extend(said)
            # A killed run shows an approval only after its decision was recorded.
            assert "verdict approve" not in run.stderr or said, run.stderr
        code, text = _verify(folder)
        if code != 0 or "after the head" in text:
            marker = next((m for m in CRASH_MARKERS if m in text), None)
            assert marker is not None, (trial, text)  # verify names the break...
            breaks[marker] = breaks.get(marker, 0) + 1
            mended = run_cli("ledger", "recover", str(folder / "l.jsonl"), "--signing-key",
                             str(folder / "k.key"), cwd=folder)
            assert mended.code == 0, (trial, mended.stderr)
            code, text = _verify(folder)  # ...and recover mends it
        assert code == 0 and "after the head" not in text, (trial, text)
    assert set(promised) <= set(_recorded_ids(folder)), "a recorded decision was lost"
    assert _evaluate(folder).code == 0  # the ledger takes appends again
    print(f"{KILL_TRIALS} kills; breaks named and mended: {breaks}")


def test_sigkill_at_random_points_of_report(signed_folder: Path) -> None:
    folder = signed_folder
    decision = _recorded_ids(folder)[-1]
    args = ["report", decision, "--ledger", str(folder / "l.jsonl"), "--format", "html",
            "--output", str(folder / "out.html")]
    complete = run_cli(*args, cwd=folder)
    assert complete.code == 0
    full = (folder / "out.html").read_bytes()
    (folder / "out.html").unlink()
    ledger = (folder / "l.jsonl").read_bytes()
    rng = random.Random(11)
    for _ in range(REPORT_KILL_TRIALS):
        process = start(*args, cwd=folder)
        began = time.monotonic()
        time.sleep(rng.uniform(0.0, complete.seconds * 1.1))
        kill(process)
        finish(process, folder, began)
        output = folder / "out.html"
        assert not output.exists() or output.read_bytes() == full  # whole or absent
        assert (folder / "l.jsonl").read_bytes() == ledger
    assert _verify(folder)[0] == 0


def test_a_write_torn_at_any_offset_is_refused_then_recovered(signed_folder: Path) -> None:
    """A kill inside the write leaves the record's first bytes, before its head is written."""
    folder = signed_folder
    ledger = folder / "l.jsonl"
    prefix, head_before = ledger.read_bytes(), head_path(ledger).read_bytes()
    assert _evaluate(folder).code == 0
    last = ledger.read_bytes()[len(prefix):]
    attestation = folder / json.loads(last)["attestation"]["path"]
    signed = attestation.read_bytes()
    attestation.unlink()
    pending = attestation.parent / ".pending" / attestation.name
    rng = random.Random(5)
    for offset in sorted(rng.sample(range(1, len(last) - 1), TORN_OFFSETS)):
        ledger.write_bytes(prefix + last[:offset])
        head_path(ledger).write_bytes(head_before)
        pending.write_bytes(signed)
        report = verify_ledger(ledger)
        assert not report.ok and "partial line" in str(report.findings[0])
        done, remaining = recover(ledger, None)
        assert ledger.read_bytes() == prefix and not remaining, (offset, done)
        assert head_path(ledger).read_bytes() == head_before
        assert verify_ledger(ledger).ok


class Crash(BaseException):
    """What a SIGKILL at one point of recording leaves: everything written before it."""


@pytest.mark.parametrize("point", ["pending-written", "before-publish", "before-head"])
def test_a_crash_at_each_step_of_recording_is_named_and_mended(
        tmp_path: Path, point: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    policy = policy_set(tmp_path / "policy")
    ledger = tmp_path / "audit" / "ledger.jsonl"
    document = input_document()
    recording.record_decision(evaluate_document(policy, document, "first"), document, policy,
                              ledger, signing_key=key)

    def crash(*_: object) -> None:
        raise Crash

    if point == "pending-written":
        monkeypatch.setattr(recording, "sign", crash)  # after the pending attestation
    elif point == "before-publish":
        monkeypatch.setattr(recording, "publish_pending", crash)
    else:
        monkeypatch.setattr(recording, "write_head", crash)
    with pytest.raises(Crash):
        recording.record_decision(evaluate_document(policy, document, "second"), document,
                                  policy, ledger, signing_key=key)
    monkeypatch.undo()
    report = verify_ledger(ledger, key.public_key())
    if point == "pending-written":
        assert report.ok  # a pending attestation of no record is not an attestation
    elif point == "before-publish":
        assert not report.ok and "a pending copy exists" in str(report.findings[0])
    else:
        assert report.ok and "after the head" in report.notes[0]
    done, remaining = recover(ledger, key)
    assert done and not remaining
    report = verify_ledger(ledger, key.public_key())
    assert report.ok and not report.notes, report.summary()


WRITERS = 2
APPENDS = 5


def test_concurrent_evaluate_runs_append_to_one_ledger(tmp_path: Path) -> None:
    folder = approving_copy(tmp_path)
    assert run_cli("keys", "generate", str(folder / "k"), cwd=folder).code == 0
    ids = []
    for index in range(APPENDS):
        started = time.monotonic()
        together = [start(*_args(folder), cwd=_own(folder, w, index)) for w in range(WRITERS)]
        for writer, process in enumerate(together):
            run = finish(process, _own(folder, writer, index), started)
            assert run.code == 0, run.stderr[-1000:]
            ids.append(json.loads(run.stdout)["decision_id"])
    report = verify_ledger(folder / "l.jsonl")
    assert report.ok and report.records == WRITERS * APPENDS, report.summary()
    assert sorted(ids) == sorted(_recorded_ids(folder))
    head = json.loads(head_path(folder / "l.jsonl").read_text())["head"]
    assert head["size"] == WRITERS * APPENDS


def _own(folder: Path, writer: int, index: int) -> Path:
    """A working folder per process (for its captured output)."""
    own = folder / f"w{writer}-{index}"
    own.mkdir(exist_ok=True)
    return own
