"""The ledger: canonical chained lines, safe concurrent appends, clean verification."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.fixtures import evaluate_document, input_document, policy_set
from gatekeeper.audit import ledger
from gatekeeper.audit.models import LedgerRecord
from gatekeeper.audit.recording import record_decision
from gatekeeper.audit.verify import verify_ledger
from gatekeeper.canonical import CanonicalJson, canonical_bytes


def test_every_line_is_canonical_and_chained(recorded_ledger: Path,
                                             signing_key: Ed25519PrivateKey) -> None:
    lines, torn = ledger.read_lines(recorded_ledger)
    assert not torn and len(lines) == 5
    previous = ledger.GENESIS_DIGEST
    for index, line in enumerate(lines):
        raw = json.loads(line)
        assert canonical_bytes(raw) == line
        record = LedgerRecord.model_validate(raw)
        assert record.sequence == index and record.prev_digest == previous
        assert record.path == "gatekeeper/decision/result"
        assert record.bundles["gatekeeper"].revision == record.result.policy.digest
        previous = ledger.line_digest(line)
    report = verify_ledger(recorded_ledger, signing_key.public_key())
    assert report.ok, report.summary()
    assert report.signatures_checked == 5 and report.attestations_checked == 5


def test_archive_is_content_addressed_and_shared(recorded_ledger: Path) -> None:
    objects = [p for p in (recorded_ledger.parent / "objects").rglob("*") if p.is_file()]
    # five inputs (all different) and one policy snapshot shared by every record
    assert len(objects) == 6


def _append_many(args: tuple[str, str, int]) -> None:
    root, worker, count = args
    policy = policy_set(Path(root) / f"policy-{worker}")
    for index in range(count):
        document = input_document(uplift=0.01 * index)
        result = evaluate_document(policy, document, f"{worker}-{index}")
        record_decision(result, document, policy, Path(root) / "ledger.jsonl")


def test_two_concurrent_writers_never_break_the_chain(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        pool.map(_append_many, [(str(tmp_path), "a", 15), (str(tmp_path), "b", 15)])
    report = verify_ledger(tmp_path / "ledger.jsonl")
    assert report.ok, report.summary()
    assert report.records == 30
    ids = [json.loads(line)["decision_id"] for line in ledger.read_lines(
        tmp_path / "ledger.jsonl")[0]]
    assert sorted(ids) == sorted([f"a-{i}" for i in range(15)] + [f"b-{i}" for i in range(15)])


def test_append_refuses_to_chain_over_a_torn_line(tmp_path: Path) -> None:
    path = tmp_path / "ledger.jsonl"
    path.write_bytes(b'{"sequence":0')
    try:
        ledger.append(path, lambda s, p: {"sequence": s})
    except ledger.LedgerError as error:
        assert "partial line" in str(error)
    else:
        raise AssertionError("appended over a torn line")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.floats(-1e15, 1e15, allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_canonical_lines_parse_back_to_the_same_bytes(value: dict[str, object]) -> None:
    line = canonical_bytes(value)
    assert b"\n" not in line  # one record is always one line
    assert canonical_bytes(json.loads(line)) == line
    view = CanonicalJson(canonical_bytes({**value, "record_digest": "x", "signature": None}))
    body = {k: v for k, v in value.items() if k not in ledger.UNSIGNED}
    assert view.without(ledger.UNSIGNED) == canonical_bytes(body)


def test_recorded_lines_are_rfc8785_by_the_reference_implementation(recorded_ledger: Path) -> None:
    import rfc8785

    for line in recorded_ledger.read_bytes().splitlines():
        assert rfc8785.dumps(json.loads(line)) == line
