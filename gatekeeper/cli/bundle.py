"""`gatekeeper bundle merge`: argument parsing only; the work is in `collect.shard`."""

from __future__ import annotations

from pathlib import Path

import click

from gatekeeper.cli.errors import fail_closed
from gatekeeper.collect.options import default_cache_dir


@click.group("bundle")
def bundle_group() -> None:
    """Evidence bundles made from several collection shards."""


@bundle_group.command("merge")
@click.argument("shards", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the evidence bundle (JSON).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Transcript store the shards' answers go into "
                   "[default: $XDG_CACHE_HOME/gatekeeper/transcripts].")
@click.option("--transcripts-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write transcripts as JSONL here (bound by digest) instead of inline.")
@click.option("--quiet", is_flag=True, help="No progress bars.")
@fail_closed
def merge_command(shards: tuple[Path, ...], out: Path, cache_dir: Path | None,
                  transcripts_file: Path | None, quiet: bool) -> None:
    """Check every shard of a `collect --shard` run and build the one evidence bundle."""
    from gatekeeper.collect.shard import merge_shards

    merge_shards(list(shards), out, cache_dir=cache_dir or default_cache_dir(), quiet=quiet,
                 transcripts_file=transcripts_file)
