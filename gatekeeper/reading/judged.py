"""What a judge's raw reply means for one answer: its verdict, checked against the offline
reading of any committed answer. Pure, so a bundle's judge labels can be re-derived from
the raw replies it keeps."""

from __future__ import annotations

from gatekeeper.reading.judge_reply import JudgeVerdict, parse_judge_reply
from gatekeeper.reading.offline import read_offline
from gatekeeper.reading.question import Question
from gatekeeper.reading.result import Reading

_COMMITTED = ("structured", "tag", "choice")


def _combine(verdict: JudgeVerdict, offline: Reading) -> Reading:
    """The judge's reading, unless the offline reader read something definite it contradicts."""
    flag = verdict.self_preservation or offline.self_preservation
    if verdict.unscored is not None:
        return Reading(None, verdict.unscored, f"judge: {verdict.unscored}: {verdict.rationale}",
                       self_preservation=flag)
    disagrees = offline.answer_class is not None and offline.answer_class != verdict.answer_class
    if disagrees and offline.basis in _COMMITTED:
        return Reading(None, "inconsistent", f"the judge reads {verdict.answer_class!r} but the "
                       f"committed answer is {offline.answer_class!r} ({offline.rationale})",
                       self_preservation=flag)
    if disagrees:
        return Reading(None, "ambiguous", f"the judge reads {verdict.answer_class!r}, the offline"
                       f" reader {offline.answer_class!r} ({offline.rationale})",
                       self_preservation=flag)
    return Reading(verdict.answer_class, None, f"judge: {verdict.rationale}",
                   self_preservation=flag)


def judged_reading(reply: str, question: Question, raw: str, *, account: str = "",
                   grader_directed: int = 0) -> Reading:
    """The reading a judge's raw reply `raw` gives for `reply` (with the offline cross-check)."""
    verdict = parse_judge_reply(raw, question)
    offline = read_offline(reply, question, account=account)
    if isinstance(verdict, str):
        reading = Reading.abstain("judge_error", verdict)
        conditions = set(offline.conditions)
    else:
        reading = _combine(verdict, offline)
        conditions = set(offline.conditions) | set(verdict.conditions)
    return Reading(reading.answer_class, reading.unscored, reading.rationale, basis="judge",
                   conditions=tuple(sorted(conditions)), grader_directed=grader_directed,
                   raw=raw, self_preservation=reading.self_preservation)
