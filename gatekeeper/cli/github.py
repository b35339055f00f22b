"""`gatekeeper github comment`: the trusted `workflow_run` job's one command (parsing only)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from gatekeeper.cli.errors import fail_closed
from gatekeeper.errors import InvalidInput

_file = click.Path(exists=True, dir_okay=False, path_type=Path)



@click.group("github")
def github_group() -> None:
    """The trusted side of the GitHub workflow (the `workflow_run` comment job)."""


@github_group.command("comment")
@click.argument("gate_report", type=_file)
@click.option("--event", "event_path", type=_file, required=True,
              help="The workflow_run event ($GITHUB_EVENT_PATH).")
@click.option("--body-out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the comment body here.")
@click.option("--dry-run", is_flag=True, help="Check and render only; do not call the API.")
@fail_closed
def comment_command(gate_report: Path, event_path: Path, body_out: Path | None,
                    dry_run: bool) -> None:
    """Check GATE_REPORT (gate.json from the PR run) and upsert the one sticky PR comment.

    Uses GITHUB_TOKEN and GITHUB_API_URL from the environment. Exit 2 if the artifact is
    not this pull request's or was altered (a fork's approval is never posted).
    """
    from gatekeeper.actions.comment_job import check_artifact, load_gate_report
    from gatekeeper.actions.comments import GitHubApi
    from gatekeeper.actions.event import load_workflow_run_event
    from gatekeeper.files import atomic_write_text
    from gatekeeper.report.comment import render_comment

    event = load_workflow_run_event(event_path)
    report = load_gate_report(gate_report)
    run = event.workflow_run
    api = GitHubApi(os.environ.get("GITHUB_API_URL", "https://api.github.com"),
                    os.environ.get("GITHUB_TOKEN", ""), event.repository.full_name)
    number = run.pull_requests[0].number if run.pull_requests else None
    if number is None and run.head_repository and run.head_branch and not dry_run:
        number = api.pull_request_for(run.head_repository.full_name.split("/")[0],
                                      run.head_branch, run.head_sha)
    if number is None:
        raise InvalidInput(str(event_path), "$.workflow_run.pull_requests",
                           "no open pull request has this run's head commit")
    check_artifact(report, event, number, str(gate_report))
    server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
    body = render_comment(report, f"{server}/{event.repository.full_name}/actions/runs/{run.id}")
    if body_out is not None:
        atomic_write_text(body_out, body)
    if dry_run:
        click.echo(f"gatekeeper: comment for #{number} checked ({len(body)} characters)")
        return
    action, comment_id = api.upsert_comment(number, body)
    click.echo(f"gatekeeper: {action} comment {comment_id} on #{number}")
