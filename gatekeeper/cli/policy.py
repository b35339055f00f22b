"""`gatekeeper policy …`: work with the Rego policy set itself."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gatekeeper.cli.errors import fail_closed
from gatekeeper.policy.testing import run_tests


@click.group("policy")
def policy_group() -> None:
    """Test and package the Rego policy set."""


@policy_group.command("test")
@click.argument("dirs", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--no-defaults", is_flag=True, help="Test only DIRS, not the built-in policies.")
@click.option("-v", "--verbose", is_flag=True, help="List passing tests too.")
@click.option("--runner", type=click.Choice(["opa", "regopy"]), default="opa", show_default=True,
              help="`opa test` (falls back to regopy, reported, without an OPA binary), "
                   "or regopy.")
@fail_closed
def test_command(dirs: tuple[Path, ...], no_defaults: bool, verbose: bool, runner: str) -> None:
    """Run the `test_*` rules of the built-in policies and DIRS (with `opa test`)."""
    run = run_tests(dirs, include_defaults=not no_defaults, runner=runner)
    if "fallback" in run.runner:
        click.echo(f"gatekeeper: WARNING: tests ran on {run.runner}", err=True)
    outcomes = run.outcomes
    counts = {status: 0 for status in ("pass", "fail", "error", "skip")}
    for outcome in outcomes:
        counts[outcome.status] += 1
        if verbose or outcome.status in ("fail", "error"):
            click.echo(f"{outcome.status.upper():5} {outcome.name} ({outcome.location}) "
                       f"{outcome.detail}".rstrip())
    click.echo(
        f"{counts['pass']} passed, {counts['fail'] + counts['error']} failed"
        + (f", {counts['skip']} skipped" if counts["skip"] else "") + f" ({run.runner})"
    )
    if not outcomes:
        click.echo("gatekeeper: no Rego tests found", err=True)
        sys.exit(2)
    sys.exit(1 if counts["fail"] or counts["error"] else 0)


@policy_group.command("bundle")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("gatekeeper-policy.tar.gz"), show_default=True,
              help="Where to write the OPA bundle (.tar.gz).")
@click.option(
    "--policy-dir", "policy_dirs", multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Extra Rego modules, as for `gatekeeper evaluate`; repeatable.",
)
@click.option(
    "--data", "data_files", multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON/YAML data merged over the default thresholds; repeatable.",
)
@click.option("--revision", help="Manifest revision (default: the policy digest).")
@click.option("--revision-from-git", is_flag=True,
              help="Use the git commit of the working directory as the revision.")
@fail_closed
def bundle_command(
    output: Path,
    policy_dirs: tuple[Path, ...],
    data_files: tuple[Path, ...],
    revision: str | None,
    revision_from_git: bool,
) -> None:
    """Build a reproducible OPA bundle that a fleet loads with `opa run --server --bundle`.

    `gatekeeper evaluate --engine opa --opa-url URL` recognises a server running it and
    checks that its policy digest equals the local policy set's.
    """
    from gatekeeper.files import atomic_write_bytes
    from gatekeeper.policy.bundle import build_bundle, git_revision
    from gatekeeper.policy.loading import load_policy_set

    if revision and revision_from_git:
        raise click.UsageError("give --revision or --revision-from-git, not both")
    policy = load_policy_set(policy_dirs, data_files)
    if revision_from_git:
        revision = git_revision(Path.cwd())
    atomic_write_bytes(output, build_bundle(policy, revision))
    click.echo(f"wrote {output}")
    click.echo(f"revision {revision or policy.digest}")
    click.echo(f"policy digest {policy.digest} ({len(policy.modules)} modules)")
