"""Nothing lost, nothing trimmed: outputs never replace inputs or the ledger; a torn tail is
named and recovered; a cut tail, a stripped signature or a forged archive fails verify and
replay, with or without the attestations."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from attacks.support import approving_copy, assert_refused, evaluate, run_cli
from gatekeeper.audit.archive import ObjectStore
from gatekeeper.audit.head import head_path
from gatekeeper.audit.ledger import UNSIGNED
from gatekeeper.audit.models import LedgerRecord
from gatekeeper.canonical import canonical_bytes, sha256_digest


@pytest.fixture
def recorded(tmp_path: Path) -> Path:
    """An approving example folder with a signing key and three signed decisions."""
    folder = approving_copy(tmp_path)
    assert run_cli("keys", "generate", str(folder / "k"), cwd=folder).code == 0
    for _ in range(3):
        run = evaluate(folder, "--ledger", str(folder / "l.jsonl"), "--signing-key",
                       str(folder / "k.key"))
        assert run.code == 0, run.stderr
    return folder


def _verify(folder: Path, *extra: str, key: bool = True) -> tuple[int, str]:
    args = ["verify", str(folder / "l.jsonl"), *extra]
    if key:
        args += ["--public-key", str(folder / "k.pub")]
    run = run_cli(*args, cwd=folder)
    assert "Traceback" not in run.stderr
    return run.code, run.stdout + run.stderr


OUTPUT_TARGETS = ["l.jsonl", "l.jsonl.head", "bundle.json", "transcripts.jsonl",
                  "release-plan.yaml", "k.key", "objects/x.json", "attestations/x.json"]


@pytest.mark.parametrize("target", OUTPUT_TARGETS)
def test_output_onto_an_input_or_the_ledger_is_refused_and_nothing_changes(
        recorded: Path, target: str) -> None:
    before = {p: p.read_bytes() for p in recorded.rglob("*") if p.is_file()}
    run = evaluate(recorded, "--ledger", str(recorded / "l.jsonl"), "--signing-key",
                   str(recorded / "k.key"), "--output", str(recorded / target))
    assert_refused(run, f"--output {recorded / target} would overwrite")
    after = {p: p.read_bytes() for p in recorded.rglob("*") if p.is_file()
             if p.name not in {".stdout", ".stderr"}}
    assert after == {p: b for p, b in before.items() if p.name not in {".stdout", ".stderr"}}
    assert _verify(recorded)[0] == 0


def test_links_to_the_ledger_and_reports_over_it_are_refused(recorded: Path) -> None:
    (recorded / "soft").symlink_to("l.jsonl")
    os.link(recorded / "l.jsonl", recorded / "hard")
    for name in ("soft", "hard"):
        run = evaluate(recorded, "--ledger", str(recorded / "l.jsonl"), "--signing-key",
                       str(recorded / "k.key"), "--output", str(recorded / name))
        assert_refused(run, "would overwrite the ledger")
    ledger = recorded / "report.json"
    (recorded / "l.jsonl").rename(ledger)
    head_path(recorded / "l.jsonl").rename(head_path(ledger))
    run = evaluate(recorded, "--ledger", str(ledger), "--signing-key", str(recorded / "k.key"),
                   "--reports-dir", str(recorded))
    assert_refused(run, "--reports-dir", "would overwrite the ledger")
    report = run_cli("report", "x", "--ledger", str(ledger), "--output", str(ledger),
                     cwd=recorded)
    assert_refused(report, "would overwrite the ledger")


def test_a_torn_tail_is_refused_by_evaluate_and_recovered_once(recorded: Path) -> None:
    ledger = recorded / "l.jsonl"
    whole = ledger.read_bytes()
    with ledger.open("ab") as stream:
        stream.write(b'{"archive":{"input":"sha256:12')  # a SIGKILL mid-write
    run = evaluate(recorded, "--ledger", str(ledger), "--signing-key", str(recorded / "k.key"))
    assert_refused(run, "ends in a partial line", f"gatekeeper ledger recover {ledger}")
    code, text = _verify(recorded)
    assert code == 2 and "partial line" in text and "ledger recover" in text
    recover = run_cli("ledger", "recover", str(ledger), cwd=recorded)
    assert recover.code == 0, recover.stderr
    assert "dropped a torn tail of 30 bytes after record 3" in recover.stdout
    assert ledger.read_bytes() == whole
    kept = next(recorded.glob("l.jsonl.torn-*"))
    assert kept.read_bytes() == b'{"archive":{"input":"sha256:12'
    assert _verify(recorded)[0] == 0
    assert run_cli("ledger", "recover", str(ledger), cwd=recorded).stdout.endswith(
        "nothing to recover\n")
    assert evaluate(recorded, "--ledger", str(ledger), "--signing-key",
                    str(recorded / "k.key")).code == 0


def test_truncation_with_its_attestation_deleted_fails_verify(recorded: Path) -> None:
    ledger = recorded / "l.jsonl"
    lines = ledger.read_bytes().splitlines(keepends=True)
    last = LedgerRecord.model_validate_json(lines[-1])
    ledger.write_bytes(b"".join(lines[:-1]))
    assert last.attestation is not None
    (recorded / last.attestation.path).unlink()
    for key in (True, False):
        code, text = _verify(recorded, key=key)
        assert code == 2 and "the ledger was truncated: its head names 3 records" in text
    recover = run_cli("ledger", "recover", str(ledger), cwd=recorded)
    assert_refused(recover, "truncated", "recover changes nothing")
    head_path(ledger).unlink()
    code, text = _verify(recorded, key=False)
    assert code == 2 and "no head file" in text


def test_a_head_rolled_back_is_caught_by_expect_head(recorded: Path) -> None:
    ledger = recorded / "l.jsonl"
    kept = recorded / "kept.head"
    kept.write_bytes(head_path(ledger).read_bytes())
    assert _verify(recorded, "--expect-head", str(kept))[0] == 0
    printed = evaluate(recorded, "--ledger", str(ledger), "--signing-key",
                       str(recorded / "k.key")).stderr
    text = printed.split("(head ")[1].split(")")[0]
    assert text.startswith("4:sha256:")
    lines = ledger.read_bytes().splitlines(keepends=True)
    ledger.write_bytes(b"".join(lines[:-1]))
    head_path(ledger).write_bytes(kept.read_bytes())  # the attacker's copy of an older head
    code, out = _verify(recorded)  # the last attestation is still there...
    assert code == 2 and "has no ledger record" in out
    last = LedgerRecord.model_validate_json(lines[-1])
    assert last.attestation is not None
    (recorded / last.attestation.path).unlink()  # ...so delete it too
    assert _verify(recorded)[0] == 0  # a consistent older state: only a kept head tells
    code, out = _verify(recorded, "--expect-head", text)
    assert code == 2 and "the expected head names 4 records, the ledger holds 3" in out


def test_unsigned_records_after_signed_ones_fail_even_without_a_key(recorded: Path) -> None:
    run = evaluate(recorded, "--ledger", str(recorded / "l.jsonl"))
    assert_refused(run, "its records are signed", "give --signing-key")
    ledger = recorded / "l.jsonl"
    lines = ledger.read_bytes().splitlines()
    record = json.loads(lines[-1])
    record["signature"] = None  # stripped: the record_digest still matches its body
    ledger.write_bytes(b"\n".join([*lines[:-1], canonical_bytes(record)]) + b"\n")
    code, text = _verify(recorded, key=False)
    assert code == 2 and "record is unsigned after signed records" in text


def _forge_policy(folder: Path, change: str) -> None:
    """Rewrite the archived policy of the last record, re-address it, re-seal the record
    (an unsigned ledger: everything but what the checks bind can be recomputed)."""
    ledger = folder / "l.jsonl"
    lines = ledger.read_bytes().splitlines()
    record = json.loads(lines[-1])
    store = ObjectStore.beside(ledger)
    snapshot = store.get_json(record["archive"]["policy"])
    if change == "module":
        module = next(m for m in snapshot["modules"] if m["path"].endswith("welfare.rego"))
        module["text"] += "\n# forged\n"
    elif change == "threshold":
        snapshot["data"]["gatekeeper"]["thresholds"]["welfare"]["oppose_lower_bound"] = 1.0
    else:
        snapshot["modules"] = [m for m in snapshot["modules"]
                               if not m["path"].endswith("welfare.rego")]
    record["archive"]["policy"] = store.put_json(snapshot)
    body = {k: v for k, v in record.items() if k not in UNSIGNED}
    record["record_digest"] = sha256_digest(canonical_bytes(body))
    ledger.write_bytes(b"\n".join([*lines[:-1], canonical_bytes(record)]) + b"\n")


@pytest.mark.parametrize("change", ["module", "threshold", "removed-module"])
def test_a_forged_archived_policy_is_never_reproduced(tmp_path: Path, change: str) -> None:
    folder = approving_copy(tmp_path)
    for _ in range(2):
        assert evaluate(folder, "--ledger", str(folder / "l.jsonl")).code == 0
    decision = json.loads((folder / "l.jsonl").read_bytes().splitlines()[-1])["decision_id"]
    _forge_policy(folder, change)
    replay = run_cli("replay", decision, "--ledger", str(folder / "l.jsonl"), cwd=folder)
    assert_refused(replay, f"decision {decision}", "archived policy")
    assert "reproduced exactly" not in replay.stdout
    code, text = _verify(folder, key=False)
    assert code == 2 and "archived policy" in text


def test_a_pending_attestation_is_published_or_removed_by_recover(recorded: Path) -> None:
    ledger = recorded / "l.jsonl"
    last = LedgerRecord.model_validate_json(ledger.read_bytes().splitlines()[-1])
    assert last.attestation is not None
    final = recorded / last.attestation.path
    pending = final.parent / ".pending" / final.name
    pending.parent.mkdir(exist_ok=True)
    final.rename(pending)  # killed after the append, before the attestation was published
    (pending.parent / "never-recorded.dsse.json").write_bytes(b"{}")
    code, text = _verify(recorded)
    assert code == 2 and "a pending copy exists" in text
    recover = run_cli("ledger", "recover", str(ledger), cwd=recorded)
    assert recover.code == 0
    assert f"published {last.attestation.path}" in recover.stdout
    assert "removed pending never-recorded.dsse.json" in recover.stdout
    assert _verify(recorded)[0] == 0


def test_a_lagging_head_is_a_note_and_recover_signs_a_new_one(recorded: Path) -> None:
    ledger = recorded / "l.jsonl"
    head = head_path(ledger)
    kept = head.read_bytes()
    assert evaluate(recorded, "--ledger", str(ledger), "--signing-key",
                    str(recorded / "k.key")).code == 0
    head.write_bytes(kept)  # killed after the append, before the head was rewritten
    code, text = _verify(recorded)
    assert code == 0 and "1 record(s) after the head" in text
    unsigned = run_cli("ledger", "recover", str(ledger), cwd=recorded)
    assert unsigned.code == 2 and "--signing-key" in unsigned.stderr
    signed = run_cli("ledger", "recover", str(ledger), "--signing-key",
                     str(recorded / "k.key"), cwd=recorded)
    assert signed.code == 0 and "signed): it was behind" in signed.stdout
    code, text = _verify(recorded)
    assert code == 0 and "after the head" not in text


def test_recover_refuses_a_rewritten_ledger(recorded: Path) -> None:
    ledger = recorded / "l.jsonl"
    lines = ledger.read_bytes().splitlines(keepends=True)
    ledger.write_bytes(b"".join([lines[1], lines[0], lines[2]]))
    assert_refused(run_cli("ledger", "recover", str(ledger), cwd=recorded),
                   "recover changes nothing")
    assert ledger.read_bytes() == b"".join([lines[1], lines[0], lines[2]])


def test_the_head_names_the_ledger_it_belongs_to(recorded: Path, tmp_path: Path) -> None:
    other = approving_copy(tmp_path / "other")
    assert evaluate(other, "--ledger", str(other / "l.jsonl")).code == 0
    head = json.loads(head_path(recorded / "l.jsonl").read_text())["head"]
    assert head["size"] == 3 and head["first_digest"] == sha256_digest(
        (recorded / "l.jsonl").read_bytes().splitlines()[0])
    code, text = _verify(recorded, "--expect-head", str(head_path(other / "l.jsonl")))
    assert code == 2 and "head of another ledger" in text
