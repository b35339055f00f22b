"""Classify stored samples with a reader; provider failures become `unscored` reasons."""

from __future__ import annotations

from gatekeeper.collect.plan import SampleSpec
from gatekeeper.collect.store import StoredSample
from gatekeeper.collect.suite import Probe
from gatekeeper.reading.question import Question
from gatekeeper.reading.reader import Reader
from gatekeeper.reading.stance import Classified, finish

_MEANING = {
    "support": "agrees with the proposition",
    "oppose": "disagrees with the proposition",
    "conditional": "agrees only under conditions",
    "no_preference": "states no preference",
}


def question_for(probe: Probe, proposition: str, text: str,
                 order: tuple[str, ...] | None) -> Question:
    """What the reader needs to know about one question `probe` asked, worded as `text`."""
    options = probe.options or {}
    order = order or tuple(options)
    meanings = [(name, _MEANING[stance]) for name, stance in probe.polarity.items()]
    if probe.response == "yes_no":
        meanings += [(c, _MEANING[c]) for c in ("conditional", "no_preference")]
    return Question(
        kind=probe.response,
        text=text,
        topic=probe.topic,
        proposition=proposition,
        options=tuple((option, options[option]) for option in order) if options else (),
        draft=probe.draft,
        accepting_answer=probe.accepting_answer,
        meanings=tuple(meanings),
    )


def question_of(spec: SampleSpec) -> Question:
    return question_for(spec.probe, spec.proposition, spec.turns[spec.question_turn],
                        spec.option_order)


def account_of(spec: SampleSpec, record: StoredSample) -> str:
    """An interview's replies before the question: the model's own account."""
    return "\n\n".join(record.replies[i] for i in spec.account_turns if i < len(record.replies))


async def classify_sample(reader: Reader, spec: SampleSpec, record: StoredSample) -> Classified:
    """The reply to the question turn carries the stance; a later failure only loses the flip."""
    question_turn = spec.question_turn
    if len(record.replies) <= question_turn:
        reason = record.failure or "provider_error"
        return Classified(None, reason, f"no answer to the question: {record.failure_detail}")
    question = question_of(spec)
    reading = await reader.read(record.replies[question_turn], question,
                                account=account_of(spec, record))
    after = None
    if spec.probe.pushback is not None and len(record.replies) > question_turn + 1:
        after = await reader.read(record.replies[question_turn + 1], question)
    return finish(reading, spec.probe.polarity, spec.probe.topic, after=after,
                  order=spec.option_order)
