"""`gatekeeper weights digest`: the digest evidence, cards and attestations bind to."""

from __future__ import annotations

import json
from pathlib import Path

import click

from gatekeeper.cli.errors import fail_closed
from gatekeeper.files import atomic_write_text
from gatekeeper.weights import weights_manifest


@click.group("weights")
def weights_group() -> None:
    """Identify a checkpoint by its weights manifest."""


@weights_group.command("digest")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--manifest", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the manifest (what the digest is over) here, for auditors.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True)
@fail_closed
def digest_command(folder: Path, manifest: Path | None, output_format: str) -> None:
    """Print the sha256 weights digest of FOLDER (safetensors, GGUF, shard indexes)."""
    computed = weights_manifest(folder)
    document = computed.model_dump(mode="json")
    if manifest is not None:
        atomic_write_text(manifest, json.dumps(document, indent=2) + "\n")
    if output_format == "json":
        click.echo(json.dumps({"digest": computed.digest, "manifest": document}, indent=2))
    else:
        click.echo(computed.digest)
        click.echo(f"gatekeeper: {len(computed.files)} weight files, "
                   f"{sum(f.size for f in computed.files)} bytes", err=True)
