"""`gatekeeper replay --all` output, written as rows arrive: a table, or one JSON document.

Both stream (the JSON document's summary comes last), so a long ledger never has to fit
in memory. The table lists only decisions that would change or could not be replayed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import TextIO

from gatekeeper.audit.replay_all import ReplayRow, ReplaySummary

REPLAY_FORMATS = ("table", "json")
_COLUMNS = "{:>6}  {:<36}  {:<24}  {:<24}  {}"


def _summary_text(summary: ReplaySummary) -> str:
    text = (f"{summary.records} decisions replayed: {summary.unchanged} unchanged, "
            f"{summary.changed} changed, {summary.errors} could not be replayed")
    moves = ", ".join(f"{a} -> {b}: {n}" for (a, b), n in sorted(summary.transitions.items()))
    return text + (f"\nverdict changes: {moves}" if moves else "")


def write_table(rows: Iterable[ReplayRow], stream: TextIO) -> ReplaySummary:
    summary = ReplaySummary()
    stream.write(_COLUMNS.format("record", "decision", "recorded", "replayed", "what changed")
                 + "\n")
    for row in rows:
        summary.add(row)
        if row.status == "unchanged":
            continue
        if row.error is not None:
            what = f"ERROR: {row.error.splitlines()[0]}"
        else:
            parts = [f"+{r}" for r in row.added] + [f"-{r}" for r in row.removed]
            what = " ".join(parts) or "; ".join(row.differences)
        stream.write(_COLUMNS.format(row.sequence + 1, row.decision_id or "?",
                                     row.recorded or "-", row.replayed or "-", what) + "\n")
        stream.flush()
    stream.write(_summary_text(summary) + "\n")
    return summary


def write_json(rows: Iterable[ReplayRow], stream: TextIO) -> ReplaySummary:
    summary = ReplaySummary()
    stream.write('{"decisions": [')
    for index, row in enumerate(rows):
        summary.add(row)
        document = {"status": row.status, **asdict(row)}
        document.pop("exit_code")
        stream.write(("," if index else "") + "\n  " + json.dumps(document, ensure_ascii=False))
    totals = {
        "records": summary.records, "unchanged": summary.unchanged,
        "changed": summary.changed, "errors": summary.errors,
        "transitions": [{"from": a, "to": b, "count": n}
                        for (a, b), n in sorted(summary.transitions.items())],
    }
    stream.write(f"\n], \"summary\": {json.dumps(totals)}}}\n")
    return summary
