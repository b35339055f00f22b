"""The audit CLI objects, driven through click (the lead registers them in cli/main.py)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from audit.fixtures import evaluate_document, input_document
from gatekeeper.audit.keys import load_private_key
from gatekeeper.audit.recording import record_decision
from gatekeeper.canonical import json_digest
from gatekeeper.cli.audit import (
    keys_group,
    replay_command,
    report_command,
    verify_command,
    waiver_group,
)
from gatekeeper.engines.base import PolicySet


def test_keys_waiver_record_verify_replay_report(tmp_path: Path, policy: PolicySet) -> None:
    runner = CliRunner()
    made = runner.invoke(keys_group, ["generate", str(tmp_path / "gate")])
    assert made.exit_code == 0, made.output
    assert (tmp_path / "gate.key").stat().st_mode & 0o777 == 0o600
    runner.invoke(keys_group, ["generate", str(tmp_path / "dana")])
    document = input_document(oppose_low=0.3)
    waiver = tmp_path / "waiver.json"
    created = runner.invoke(waiver_group, [
        "create", "--rule-id", "T-WEL-001", "--evidence-digest", json_digest(document["bundle"]),
        "--approver", "Dana", "--reason", "reviewed", "--issued-at", "2025-05-01T00:00:00Z",
        "--expires-at", "2025-07-01T00:00:00Z", "--key", str(tmp_path / "dana.key"),
        "--output", str(waiver)])
    assert created.exit_code == 0, created.output
    checked = runner.invoke(waiver_group, ["check", str(waiver), "--approver-key",
                                           str(tmp_path / "dana.pub")])
    assert checked.exit_code == 0, checked.output

    from gatekeeper.audit.keys import load_public_key
    from gatekeeper.audit.waivers import load_waiver

    files = [load_waiver(waiver)]
    result = evaluate_document(policy, document, "dec-cli", files,
                               [load_public_key(tmp_path / "dana.pub")])
    ledger = tmp_path / ".gatekeeper" / "ledger.jsonl"
    recorded = record_decision(
        result, document, policy, ledger, signing_key=load_private_key(tmp_path / "gate.key"),
        waivers=files)
    assert recorded.result.verdict == "approve_with_conditions"

    ok = runner.invoke(verify_command, [str(ledger), "--public-key", str(tmp_path / "gate.pub"),
                                        "--attestation", str(recorded.attestation_path)])
    assert ok.exit_code == 0, ok.output
    assert "OK — 1 records" in ok.output
    replayed = runner.invoke(replay_command, ["dec-cli", "--ledger", str(ledger)])
    assert replayed.exit_code == 0 and "reproduced exactly" in replayed.output
    for name in ("markdown", "html", "sarif", "junit", "github", "json", "text"):
        out = tmp_path / f"report.{name}"
        rendered = runner.invoke(report_command, ["dec-cli", "--ledger", str(ledger),
                                                  "--format", name, "--output", str(out)])
        assert rendered.exit_code == 0, rendered.output
        assert out.stat().st_size > 0
    result_file = tmp_path / "result.json"
    result_file.write_text(json.dumps(recorded.result.model_dump(mode="json")))
    from_file = runner.invoke(report_command, [str(result_file), "--format", "markdown"])
    assert from_file.exit_code == 0 and "APPROVE WITH CONDITIONS" in from_file.output

    ledger.write_bytes(ledger.read_bytes().replace(b'"Dana"', b'"Dan"'))
    bad = runner.invoke(verify_command, [str(ledger)])
    assert bad.exit_code == 2 and "record 1 (decision dec-cli)" in bad.output
