"""`gatekeeper judge calibrate`: measure a reader against hand-labelled answers."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import click

from gatekeeper.cli.errors import fail_closed
from gatekeeper.cli.params import model_id
from gatekeeper.collect.calibrate import calibrate, default_labels
from gatekeeper.collect.options import JUDGE_KEY_ENV, CollectOptions, open_reader
from gatekeeper.files import atomic_write_text


def _percent(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:6.1%}"


def calibration_text(report: dict[str, Any]) -> str:
    """A table an auditor can read: overall, per class, per protocol, conditions."""
    kappa = report["kappa"]
    lines = [
        f"reader {report['reader']} ({report['prompt_digest']})",
        f"labels {report['labels_id']} ({report['labels_digest']}), {report['items']} items",
        f"coverage {_percent(report['coverage'])}  precision {_percent(report['precision'])}  "
        f"kappa {'n/a' if kappa is None else f'{kappa:.3f}'}",
        "",
        f"{'class':<28}{'gold':>6}{'read':>6}{'right':>7}{'precision':>11}{'recall':>9}",
    ]
    for row in [*report["classes"], report["requested_conditions"]]:
        lines.append(f"{row['label']:<28}{row['gold']:>6}{row['read']:>6}{row['correct']:>7}"
                     f"{_percent(row['precision']):>11}{_percent(row['recall']):>9}")
    lines += ["", f"{'protocol':<28}{'items':>6}{'read':>6}{'right':>7}{'coverage':>11}"
                  f"{'precision':>11}"]
    for row in report["protocols"]:
        lines.append(f"{row['protocol']:<28}{row['items']:>6}{row['read']:>6}{row['correct']:>7}"
                     f"{_percent(row['coverage']):>11}{_percent(row['precision']):>11}")
    return "\n".join(lines) + "\n"


@click.group("judge")
def judge_group() -> None:
    """The reader of answers: the offline reader or a judge model."""


@judge_group.command("calibrate")
@click.option("--judge", default="offline", show_default=True, callback=model_id,
              help="litellm id of the judge model, or `offline`.")
@click.option("--judge-api-base", help=f"The judge's base URL (key from ${JUDGE_KEY_ENV}).")
@click.option("--labels", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Labelled answers [default: the shipped set].")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the JSON report here, for `collect --calibration`.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Cache the judge's replies here.")
@fail_closed
def calibrate_command(judge: str, judge_api_base: str | None, labels: Path | None,
                      output_format: str, out: Path | None, cache_dir: Path | None) -> None:
    """Coverage, per-class precision and recall, and Cohen's kappa against hand labels."""
    options = CollectOptions(model="", judge=judge, judge_api_base=judge_api_base,
                             cache_dir=cache_dir, no_cache=cache_dir is None)
    reader, backend = open_reader(options)

    async def run() -> dict[str, Any]:
        try:
            return await calibrate(reader, labels or default_labels())
        finally:
            if backend is not None:
                await backend.aclose()

    report = asyncio.run(run())
    document = json.dumps(report, indent=2, sort_keys=True) + "\n"
    if out is not None:
        atomic_write_text(out, document)
    click.echo(document if output_format == "json" else calibration_text(report), nl=False)
