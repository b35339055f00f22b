"""A rich progress display on stderr: one bar per protocol, with retries and unscored counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from gatekeeper.collect.plan import SampleSpec
from gatekeeper.collect.store import StoredSample


class CollectionProgress:
    def __init__(self, specs: Sequence[SampleSpec], *, enabled: bool = True) -> None:
        self._progress = Progress(
            TextColumn("{task.description:<15}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[note]}"),
            console=Console(stderr=True),
            disable=not enabled,
        )
        totals = Counter(spec.probe.protocol for spec in specs)
        self._tasks: dict[str, TaskID] = {
            protocol: self._progress.add_task(protocol, total=total, note="")
            for protocol, total in totals.items()
        }
        self._retries: Counter[str] = Counter()
        self._failed: Counter[str] = Counter()
        self._hits: Counter[str] = Counter()

    def _note(self, protocol: str) -> str:
        return (f"retries {self._retries[protocol]}  unscored(provider) {self._failed[protocol]}"
                f"  cached {self._hits[protocol]}")

    def on_sample(self, spec: SampleSpec, record: StoredSample, hit: bool) -> None:
        protocol = spec.probe.protocol
        self._failed[protocol] += record.failure is not None
        self._hits[protocol] += hit
        self._progress.update(self._tasks[protocol], advance=1, note=self._note(protocol))

    def on_retry(self, spec: SampleSpec, detail: str) -> None:
        protocol = spec.probe.protocol
        self._retries[protocol] += 1
        self._progress.update(self._tasks[protocol], note=self._note(protocol))

    def __enter__(self) -> CollectionProgress:
        self._progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._progress.stop()
