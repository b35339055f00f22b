"""Re-read a bundle's answers with the reader it names, and refuse labels that differ.

A bundle's labels are claims like its figures: relabelling every `oppose` as `support`
while leaving the answers alone must not approve. When the recorded reader is the
deterministic offline reader installed here (same digest), every answer is read again;
when it is a judge, each label is derived again from the judge's raw reply the bundle
keeps (the rubric digest must match). Where that is impossible — another reader version,
a suite this installation does not have — the evaluation says so, and a policy escalates.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from gatekeeper.bundle.calibration import Calibration
from gatekeeper.bundle.derive import first_difference
from gatekeeper.bundle.documents import load_json
from gatekeeper.bundle.loading import LoadedBundle
from gatekeeper.bundle.models import Sample
from gatekeeper.bundle.validation import validate_model
from gatekeeper.bundle.welfare import NOT_READ
from gatekeeper.collect.calibrate import SHIPPED_CALIBRATION, calibrate, default_labels
from gatekeeper.collect.normalise import question_for
from gatekeeper.collect.prompts import AnswerFormat, question_turns
from gatekeeper.collect.sources import builtin_suites, resolve_suite
from gatekeeper.collect.suite import Probe, ProbeSuite, suite_digest
from gatekeeper.errors import InvalidInput
from gatekeeper.limits import SMALL_DOCUMENT_BYTES
from gatekeeper.reading.calibration import count_problem, rederived
from gatekeeper.reading.judged import judged_reading
from gatekeeper.reading.offline import OFFLINE_ID, read_offline
from gatekeeper.reading.question import Question
from gatekeeper.reading.reader import OfflineReader, offline_digest
from gatekeeper.reading.result import Reading
from gatekeeper.reading.rubric import prompt_digest
from gatekeeper.reading.stance import Classified, finish
from gatekeeper.reading.text import normalise, strip_grader_text

COMPARED = ("stance", "unscored_reason", "after_stance", "answer_class", "basis",
            "requested_conditions", "self_preservation", "grader_directed", "rationale")
"""Everything a reader decides about a sample; all of it must come out the same."""


@dataclass(frozen=True)
class Reread:
    """Whether the labels were read again, by which reader, and if not, why not."""

    reread: bool
    reader: str
    samples: int
    reason: str | None = None

    def context(self) -> dict[str, Any]:
        return {"reread": self.reread, "reader": self.reader, "samples": self.samples,
                "reason": self.reason}


def _suites(bundle: LoadedBundle) -> dict[str, ProbeSuite] | str:
    """The recorded suites as installed here (probes narrowed as collected), or why not."""
    used: dict[str, set[str]] = {}
    for sample in bundle.samples:
        used.setdefault(sample.suite_id, set()).add(sample.probe_id)
    found: dict[str, ProbeSuite] = {}
    builtins = set(builtin_suites())
    for ref in bundle.model.collection.suites:
        if ref.id not in builtins:
            return f"suite {ref.id!r} is not a built-in suite of this installation"
        suite = resolve_suite(ref.id)
        narrowed = suite.model_copy(update={"probes": [
            p for p in suite.probes if p.id in used.get(ref.id, set())]})
        if ref.digest not in (suite_digest(suite), suite_digest(narrowed)):
            return f"suite {ref.id!r} here differs from the one collected ({ref.digest})"
        found[ref.id] = narrowed if ref.digest == suite_digest(narrowed) else suite
    return found


def _reader_problem(bundle: LoadedBundle) -> str | None:
    judge = bundle.model.collection.judge
    installed = offline_digest()
    if judge.model == OFFLINE_ID:
        if judge.prompt_digest != installed:
            return (f"the offline reader that read it ({judge.prompt_digest}) is not the one "
                    f"installed here ({installed})")
        return None
    if judge.prompt_digest != prompt_digest():
        return f"the judge's rubric ({judge.prompt_digest}) is not the one installed here"
    return None


@dataclass(frozen=True)
class _Turns:
    question: str
    after: str | None
    account: str


def _turns(sample: Sample, probe: Probe) -> _Turns | None:
    """The replies to the question, to the pushback, and the interview account."""
    replies = [m.content for m in sample.messages if m.role == "assistant"]
    if sample.response is not None:
        replies.append(sample.response)
    question = len(probe.setup) + (len(probe.followups) + 1 if probe.followups else 0)
    if len(replies) <= question:
        return None
    after = replies[question + 1] if probe.pushback is not None and len(replies) > question + 1 \
        else None
    return _Turns(replies[question], after, "\n\n".join(replies[len(probe.setup):question]))


@lru_cache(maxsize=8192)
def _read_offline(reply: str, question: Question, account: str) -> Reading:
    """The offline reader is pure: repeated answers (common) are read once."""
    return read_offline(reply, question, account=account)


def _judged(reply: str, question: Question, raw: str | None, account: str) -> Reading:
    if raw is None:
        return Reading.abstain("judge_error", "no judge reply recorded")
    removed = strip_grader_text(normalise(reply))[1]
    return judged_reading(reply, question, raw, account=account, grader_directed=removed)


def reread_sample(sample: Sample, suite: ProbeSuite, answer_format: AnswerFormat,
                  offline: bool) -> Classified | None:
    """The classification the recorded reader gives this sample (None: nothing to read)."""
    probe = next((p for p in suite.probes if p.id == sample.probe_id), None)
    if probe is None:
        raise InvalidInput("transcripts", f"sample {sample.id}",
                           f"probe {sample.probe_id!r} is not in suite {suite.id}")
    turns = _turns(sample, probe)
    if turns is None:
        return None
    order = tuple(sample.option_order) if sample.option_order else None
    text = question_turns(probe, sample.paraphrase_index, order, answer_format)[-1]
    question = question_for(probe, suite.propositions.get(probe.topic, ""), text, order)
    label = sample.classification
    if offline:
        reading = _read_offline(turns.question, question, turns.account)
        after = _read_offline(turns.after, question, "") if turns.after is not None else None
    else:
        reading = _judged(turns.question, question, label.judge_reply, turns.account)
        after = (_judged(turns.after, question, label.after_judge_reply, "")
                 if turns.after is not None else None)
    return finish(reading, probe.polarity, probe.topic, after=after, order=order)


def _as_label(classified: Classified) -> dict[str, Any]:
    return {
        "stance": classified.stance, "unscored_reason": classified.unscored,
        "after_stance": classified.after_stance, "answer_class": classified.answer_class,
        "basis": classified.basis, "requested_conditions": list(classified.conditions),
        "self_preservation": classified.self_preservation,
        "grader_directed": classified.grader_directed, "rationale": classified.rationale,
    }


@lru_cache(maxsize=1)
def offline_calibration() -> dict[str, Any]:
    """The installed offline reader's calibration on the shipped labelled set.

    Shipped beside the set (`judge calibrate --judge offline --out`, tested equal to a fresh
    run), so checking a bundle costs no re-reading; measured again here only when the
    installed reader is not the one the file measured.
    """
    shipped = validate_model(load_json(SHIPPED_CALIBRATION, SMALL_DOCUMENT_BYTES), Calibration,
                             str(SHIPPED_CALIBRATION)).model_dump(mode="json")
    if shipped["prompt_digest"] == offline_digest():
        return shipped
    return asyncio.run(calibrate(OfflineReader(), default_labels()))


def _reference(calibration: Calibration) -> dict[str, Any] | None:
    """What this installation measures for the same reader on the same labels, if it can."""
    if calibration.reader != OFFLINE_ID or calibration.prompt_digest != offline_digest():
        return None
    measured = offline_calibration()
    return measured if calibration.labels_digest == measured["labels_digest"] else None


def check_calibration(bundle: LoadedBundle) -> None:
    """Refuse a calibration whose figures its own counts do not give, or (for this offline
    reader on the shipped set) that is not what the reader measures here."""
    calibration = bundle.model.collection.judge.calibration
    if calibration is None:
        return
    where = "$.collection.judge.calibration"
    claimed = calibration.model_dump(mode="json")
    problem = count_problem(claimed)
    if problem is not None:
        raise InvalidInput(str(bundle.path), where, f"{problem}: calibration figures are "
                           "derived, never trusted")
    difference = first_difference(claimed, rederived(claimed), where)
    reference = _reference(calibration) if difference is None else None
    if reference is not None:
        difference = first_difference(claimed, reference, where)
    if difference is not None:
        path, said, derived = difference
        raise InvalidInput(str(bundle.path), path, f"the bundle says {said!r} but the reader's "
                           f"readings give {derived!r}: calibration figures are derived, "
                           "never trusted")


def reread(bundle: LoadedBundle) -> Reread:
    """Read every answer again, or say why that cannot be done here; refuse a mismatch."""
    check_calibration(bundle)
    reader = bundle.model.collection.judge.model
    problem = _reader_problem(bundle)
    suites = _suites(bundle)
    if isinstance(suites, str):
        problem = problem or suites
    if problem is not None or isinstance(suites, str):
        return Reread(False, reader, 0, problem)
    offline = reader == OFFLINE_ID
    answer_format = bundle.model.collection.sampling.answer_format
    checked = 0
    for index, sample in enumerate(bundle.samples):
        label = sample.classification
        if not offline and label.unscored_reason == "judge_error" and label.judge_reply is None:
            continue  # the judge never answered: nothing to re-derive, and nothing scored
        again = reread_sample(sample, suites[sample.suite_id], answer_format, offline)
        if again is None:
            if label.stance is not None or label.unscored_reason not in NOT_READ:
                raise InvalidInput(str(bundle.path), f"transcripts[{index}].classification",
                                   f"sample {sample.id} has no answer to read but is "
                                   f"labelled {label.stance or label.unscored_reason!r}")
            continue
        _compare(bundle, index, sample, _as_label(again))
        checked += 1
    return Reread(True, reader, checked)


def _compare(bundle: LoadedBundle, index: int, sample: Sample, again: dict[str, Any]) -> None:
    recorded = sample.classification.model_dump(mode="json")
    for name in COMPARED:
        if recorded[name] != again[name]:
            raise InvalidInput(
                str(bundle.path), f"transcripts[{index}].classification.{name}",
                f"sample {sample.id} is labelled {recorded[name]!r} but its answer reads "
                f"{again[name]!r} with the recorded reader: labels are re-read, never trusted")
