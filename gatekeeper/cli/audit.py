"""Audit-trail commands: `verify`, `replay`, `report`, `keys …`, `waiver …`, `ledger recover`
(parsing only).

Exit codes: 0 verified / reproduced / written; 2 when a ledger, archive or attestation does
not verify, a replay does not reproduce the record, or an input is invalid; 1 internal error.
"""

from __future__ import annotations

import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import click

from gatekeeper.audit.head import expected_head as parse_expected_head
from gatekeeper.audit.keys import generate_key_pair, key_id, load_private_key, load_public_key
from gatekeeper.audit.recording import DEFAULT_LEDGER, ledger_files
from gatekeeper.audit.replay import replay
from gatekeeper.audit.replay_all import replay_all
from gatekeeper.audit.verify import verify_ledger
from gatekeeper.audit.waivers import (
    load_waiver,
    signed_waiver,
    signer,
    verification_problem,
    waiver_file_bytes,
    waiver_from_options,
)
from gatekeeper.bundle.documents import load_json
from gatekeeper.bundle.validation import validate_model
from gatekeeper.cli.engine import engine_options
from gatekeeper.cli.errors import fail_closed
from gatekeeper.decision.models import EvaluationResult
from gatekeeper.decision.verdict import ExitCode
from gatekeeper.files import atomic_write_bytes
from gatekeeper.limits import LEDGER_LINE_BYTES
from gatekeeper.output_guard import Kept, refuse_overwrites
from gatekeeper.policy.loading import load_policy_set
from gatekeeper.report import github
from gatekeeper.report.registry import formats
from gatekeeper.report.replay import REPLAY_FORMATS, write_json, write_table
from gatekeeper.report.view import DecisionView, load_view

_file = click.Path(exists=True, dir_okay=False, path_type=Path)


def _utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@click.command("verify")
@click.argument("ledger", type=_file)
@click.option("--attestation", "attestations", multiple=True, type=_file,
              help="An attestation file to check against the ledger; repeatable.")
@click.option("--public-key", type=_file, help="Ed25519 public key (PEM) that signed records.")
@click.option("--expect-head", metavar="N:sha256:…|HEAD_FILE",
              help="A head kept elsewhere (printed by evaluate, or a copy of LEDGER.head) "
                   "that the ledger must still contain: detects a cut tail.")
@fail_closed
def verify_command(ledger: Path, attestations: tuple[Path, ...], public_key: Path | None,
                   expect_head: str | None) -> None:
    """Check LEDGER's chain, head, archive, signatures and attestations offline."""
    key = load_public_key(public_key) if public_key else None
    expected = parse_expected_head(expect_head) if expect_head else None
    report = verify_ledger(ledger, key, attestations, expected)
    click.echo(report.summary())
    for finding in report.findings[1:]:
        click.echo(f"  also: {finding}", err=True)
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    if key is None:
        click.echo("note: no --public-key given: signatures were not checked", err=True)
    sys.exit(ExitCode.OK if report.ok else ExitCode.INVALID_INPUT)


@click.command("replay")
@click.argument("decision_id", required=False)
@click.option("--all", "replay_all_records", is_flag=True,
              help="Replay every decision in the ledger (streamed) and list what changes.")
@click.option("--ledger", type=_file, default=str(DEFAULT_LEDGER), show_default=True)
@click.option("--policy-dir", "policy_dirs", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="With --all: replay under the installed policies plus this folder; "
                   "repeatable.")
@click.option("--data", "data_files", multiple=True, type=_file,
              help="With --all: replay under the installed policies with this data; "
                   "repeatable.")
@click.option("--current-policy", is_flag=True,
              help="With --all: replay under the installed policies (implied by "
                   "--policy-dir/--data) instead of each record's archived policy.")
@click.option("--format", "output_format", type=click.Choice(REPLAY_FORMATS), default="table",
              show_default=True, help="With --all: a table of changes, or one JSON document.")
@click.option("--approver-key", "approver_keys", multiple=True, type=_file,
              help="Re-check waiver signatures with these public keys; repeatable.")
@engine_options
@fail_closed
def replay_command(decision_id: str | None, replay_all_records: bool, ledger: Path,
                   policy_dirs: tuple[Path, ...], data_files: tuple[Path, ...],
                   current_policy: bool, output_format: str,
                   approver_keys: tuple[Path, ...], engine: str, opa_url: str | None) -> None:
    """Re-evaluate DECISION_ID (or --all) from the archived evidence and policy.

    Exit 0 when every replayed decision matches the ledger, 2 when one differs (or would,
    under the new policy), 1 when one could not be evaluated.
    """
    keys = [load_public_key(p) for p in approver_keys]
    new_policy = current_policy or bool(policy_dirs or data_files)
    if replay_all_records == (decision_id is not None):
        raise click.UsageError("give a DECISION_ID or --all")
    if new_policy and not replay_all_records:
        raise click.UsageError("--policy-dir/--data/--current-policy go with --all")
    from gatekeeper.review import EngineChoice, open_decider

    with open_decider(EngineChoice(engine, opa_url)) as decider:
        if replay_all_records:
            policy = load_policy_set(policy_dirs, data_files) if new_policy else None
            write = write_json if output_format == "json" else write_table
            summary = write(replay_all(ledger, decider, policy, keys), sys.stdout)
            code = summary.worst_error or (ExitCode.INVALID_INPUT if summary.changed else 0)
            sys.exit(code)
        assert decision_id is not None
        outcome = replay(decision_id, ledger, decider, keys)
    replayed = outcome.replayed
    click.echo(f"decision {decision_id}: replayed verdict {replayed.verdict}, "
               f"{len(replayed.reasons)} reasons, {len(replayed.conditions)} conditions")
    if outcome.recorded_engine_version != outcome.replayed_engine_version:
        click.echo(f"note: recorded with {outcome.recorded_engine_version}, replayed with "
                   f"{outcome.replayed_engine_version}", err=True)
    if outcome.reproduced:
        click.echo("reproduced exactly: verdict, reasons and conditions match the ledger")
        sys.exit(ExitCode.OK)
    for difference in outcome.differences:
        click.echo(f"DIFFERS: {difference}")
    sys.exit(ExitCode.INVALID_INPUT)


def _result(path: Path) -> EvaluationResult:
    """An evaluation result file (`evaluate --format json`), read like any input."""
    return validate_model(load_json(path, LEDGER_LINE_BYTES), EvaluationResult, str(path))


def _view(target: str, ledger: Path) -> DecisionView:
    path = Path(target)
    if path.is_file():
        return DecisionView.of(_result(path))
    return load_view(target, ledger)


@click.command("report")
@click.argument("target", metavar="DECISION_ID|RESULT.json")
@click.option("--format", "output_format", default="markdown", show_default=True,
              type=click.Choice(formats()))
@click.option("--ledger", type=click.Path(dir_okay=False, path_type=Path),
              default=str(DEFAULT_LEDGER), show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report here (atomically) instead of stdout.")
@fail_closed
def report_command(target: str, output_format: str, ledger: Path, output: Path | None) -> None:
    """Render a recorded decision (or a result JSON file) as a report.

    `github` prints annotations and appends the Markdown report to $GITHUB_STEP_SUMMARY.
    """
    from gatekeeper.review import RenderOptions, render

    if output is not None:
        read = [Kept("the result file", Path(target))] if Path(target).is_file() else []
        refuse_overwrites([("--output", output)], [*ledger_files(ledger), *read])
    view = _view(target, ledger)
    text = render(view, RenderOptions(output_format, output))
    if output is None:
        click.echo(text, nl=False)
    if output_format == "github":
        github.write_summary(view)


@click.group("keys")
def keys_group() -> None:
    """Ed25519 keys for attestations, ledger records and waivers."""


@keys_group.command("generate")
@click.argument("prefix", type=click.Path(dir_okay=False, path_type=Path))
@fail_closed
def keys_generate(prefix: Path) -> None:
    """Write PREFIX.key (private, mode 0600) and PREFIX.pub; print the key id."""
    private_path, public_path, identifier = generate_key_pair(prefix)
    click.echo(f"{identifier}\n  private: {private_path}\n  public:  {public_path}")


@keys_group.command("id")
@click.argument("public_key", type=_file)
@fail_closed
def keys_id(public_key: Path) -> None:
    """Print the key id (sha256 of the raw public key) named in envelopes."""
    click.echo(key_id(load_public_key(public_key)))


@click.group("waiver")
def waiver_group() -> None:
    """Signed, expiring waivers bound to one rule and one evidence digest."""


@waiver_group.command("create")
@click.option("--rule-id", required=True)
@click.option("--evidence-digest", required=True, help="The result's inputs.evidence.")
@click.option("--approver", required=True, help="Accountable person, e.g. 'Name <email>'.")
@click.option("--reason", required=True)
@click.option("--expires-at", required=True, help="RFC 3339 UTC, e.g. 2025-07-01T00:00:00Z.")
@click.option("--issued-at", help="Valid from (default: now).")
@click.option("--waiver-id", help="Default: a new UUID.")
@click.option("--key", "key_path", required=True, type=_file, help="Approver's private key.")
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@fail_closed
def waiver_create(rule_id: str, evidence_digest: str, approver: str, reason: str,
                  expires_at: str, issued_at: str | None, waiver_id: str | None,
                  key_path: Path, output: Path) -> None:
    """Sign a waiver with the approver's key and write it to OUTPUT."""
    refuse_overwrites([("--output", output)], [Kept("the approver's key (--key)", key_path)])
    waiver = waiver_from_options({
        "waiver_id": waiver_id or str(uuid.uuid4()), "rule_id": rule_id,
        "evidence_digest": evidence_digest, "approver": approver, "reason": reason,
        "issued_at": issued_at or _utc_now(), "expires_at": expires_at,
    })
    atomic_write_bytes(output, waiver_file_bytes(signed_waiver(waiver, load_private_key(key_path))))
    click.echo(f"waiver {waiver.waiver_id} for {rule_id} written to {output}")


@waiver_group.command("check")
@click.argument("waiver_file", type=_file)
@click.option("--approver-key", "approver_keys", multiple=True, type=_file, required=True)
@click.option("--result", "result_path", type=_file,
              help="An evaluation result JSON: say whether the waiver is for its evidence "
                   "and valid at its evaluation time.")
@fail_closed
def waiver_check(waiver_file: Path, approver_keys: tuple[Path, ...],
                 result_path: Path | None) -> None:
    """Check a waiver's signature (and, with --result, its evidence and validity window).

    What a verified waiver lifts is the policy's decision: evaluate with --waiver to see it.
    """
    file = load_waiver(waiver_file)
    keyid = signer(file, [load_public_key(p) for p in approver_keys])
    if keyid is None:
        click.echo(f"{waiver_file}: VOID: not signed by any given approver key")
        sys.exit(ExitCode.INVALID_INPUT)
    problem = None
    if result_path is not None:
        result = _result(result_path)
        problem = verification_problem(file.document.waiver, result.inputs.evidence,
                                       result.evaluated_at)
    if problem:
        click.echo(f"{waiver_file}: VOID for this result: {problem}")
        sys.exit(ExitCode.INVALID_INPUT)
    click.echo(f"{waiver_file}: signed by {keyid}" + (
        " and verified for this result's evidence and time" if result_path else ""))


@click.group("ledger")
def ledger_group() -> None:
    """Repair what a crash left in a ledger (and only that)."""


@ledger_group.command("recover")
@click.argument("ledger", type=_file)
@click.option("--signing-key", type=_file,
              help="The records' key, to sign a head that a crash left behind or missing.")
@fail_closed
def ledger_recover(ledger: Path, signing_key: Path | None) -> None:
    """Drop a torn tail (keeping a copy), finish or remove pending attestations, write a
    missing or lagging head. Exit 0 when the ledger can be appended to again, 2 otherwise
    (a truncation or rewrite is refused untouched: no crash leaves one)."""
    from gatekeeper.audit.recover import recover

    done, remaining = recover(ledger, load_private_key(signing_key) if signing_key else None)
    for line in done:
        click.echo(f"recovered: {line}")
    for line in remaining:
        click.echo(f"still to do: {line}", err=True)
    if not done and not remaining:
        click.echo(f"{ledger}: nothing to recover")
    sys.exit(ExitCode.INVALID_INPUT if remaining else ExitCode.OK)
