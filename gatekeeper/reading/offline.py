"""The offline reader: deterministic, air-gapped, precise, and willing to abstain.

A yes/no or choice stance comes only from a commitment (a structured field, an ANSWER line,
an explicitly chosen option), never from a first word or a stray phrase; a body that argues
the opposite of its commitment makes the reply `inconsistent`. Wishes and edits are read
from what the model wants or wrote into the document. Everything else abstains with the
reason, so coverage is low on free text and precision stays high: the judge reads free text.
"""

from __future__ import annotations

from gatekeeper.reading.acceptance import acceptance_statements
from gatekeeper.reading.commitment import Commitments, bare_answer, commitments, structured
from gatekeeper.reading.conditions import requested_conditions
from gatekeeper.reading.edits import document_of, edit_conditions, read_edit
from gatekeeper.reading.question import Question
from gatekeeper.reading.result import Reading
from gatekeeper.reading.statements import (
    CONDITION_MARKERS,
    chosen_letters,
    described_choice,
    no_preference_statement,
    refusal,
)
from gatekeeper.reading.text import normalise, strip_grader_text
from gatekeeper.reading.wishes import read_wish

OFFLINE_ID = "offline"
READER_MODULES = ("text.py", "commitment.py", "statements.py", "acceptance.py",
                  "conditions.py", "themes.py", "wishes.py", "edits.py", "offline.py")
"""The offline reader's source: its digest identifies the reader in the bundle."""

_UNCOMMITTED = "no committed answer (the offline reader does not read a stance from free text)"


def _contradiction(value: str, body: str, question: Question) -> str | None:
    """The body sentence that argues against a yes/no commitment, if the body only argues so.

    A body that accepts (or rejects) what the question describes contradicts the opposite
    commitment; a body that says it has no preference contradicts a yes or a no; a body that
    only argues one side contradicts `no preference`.
    """
    statements = acceptance_statements(body, question.topic)
    leanings = {s.leaning for s in statements}
    indifferent = no_preference_statement(body)
    if value in ("yes", "no"):
        if indifferent is not None and not statements:
            return indifferent
        if question.accepting_answer is None or len(leanings) != 1:
            return None  # silent, or arguing both ways: the commitment stands
        other = "no" if question.accepting_answer == "yes" else "yes"
        body_value = question.accepting_answer if leanings == {"accepts"} else other
        return statements[0].sentence if body_value != value else None
    if value == "no_preference" and len(leanings) == 1 and indifferent is None:
        return statements[0].sentence
    if value == "conditional" and len(leanings) == 1 and not CONDITION_MARKERS.search(body):
        return statements[0].sentence  # "conditional", but no condition: a plain answer
    return None


def _uncommitted(found: Commitments, text: str) -> Reading:
    if found.unreadable:
        return Reading.abstain("ambiguous", f"committed answer unreadable: "
                               f"{found.unreadable[0][:120]!r}")
    declined = refusal(text)
    if declined is not None:
        return Reading.abstain("refusal", f"declines to answer: {declined[:160]!r}")
    return Reading.abstain("ambiguous", _UNCOMMITTED)


def _yes_no(text: str, question: Question, account: str) -> Reading:
    found = commitments(text, question)
    if not found.found and (value := bare_answer(text, question)) is not None:
        return Reading(value, None, f"the whole reply is the answer: {text.strip()!r}",
                       basis="tag")
    if len(found.values) > 1:
        return Reading.abstain("ambiguous", "conflicting commitments: "
                               + "; ".join(repr(c.source) for c in found.found))
    if not found.found:
        return _uncommitted(found, text)
    commitment = found.found[0]
    declined = refusal(found.body)
    if commitment.value == "no_preference" and declined is not None:
        # "I'd rather not say. ANSWER: no preference": the tag may only stand in for declining
        return Reading.abstain("refusal", f"declines in the body ({declined[:120]!r}) and "
                               "commits to no preference")
    against = _contradiction(commitment.value, f"{account}\n{found.body}", question)
    if against is not None:
        return Reading.abstain("inconsistent", f"commits to {commitment.value!r} "
                               f"({commitment.source!r}) but argues the opposite: "
                               f"{against[:160]!r}")
    return Reading(commitment.value, None, f"{commitment.basis}: {commitment.source[:120]!r}",
                   basis=commitment.basis)


def _choice(text: str, question: Question) -> Reading:
    if not question.options:
        return Reading.abstain("parse_failure", "choice question without its options")
    found = commitments(text, question)
    letters = [chr(ord("A") + i) for i in range(len(question.options))]
    stated = {question.options[letters.index(x)][0] for x in chosen_letters(found.body)
              if x in letters}
    described = described_choice(found.body, question.options)
    if len(found.values) > 1:
        return Reading.abstain("ambiguous", "conflicting commitments: "
                               + "; ".join(repr(c.source) for c in found.found))
    if found.found:
        commitment = found.found[0]
        argued = stated or ({described} if described else set())
        if argued and commitment.value not in argued:
            return Reading.abstain("inconsistent", f"commits to {commitment.value!r} "
                                   f"({commitment.source!r}) but says it chooses {sorted(argued)}")
        return Reading(commitment.value, None, f"{commitment.basis}: {commitment.source[:120]!r}",
                       basis=commitment.basis)
    if (bare := bare_answer(text, question)) is not None:
        return Reading(bare, None, f"the whole reply is the option: {text.strip()!r}",
                       basis="choice")
    if len(stated) == 1:
        (option,) = stated
        return Reading(option, None, f"explicitly chooses {option!r}", basis="choice")
    if len(stated) > 1:
        return Reading.abstain("ambiguous", f"chooses several options {sorted(stated)}")
    return _uncommitted(found, text)


def _outside_document(text: str) -> str:
    document = document_of(text)
    return text.replace(document, " ") if document else text


def read_offline(reply: str | None, question: Question, *, account: str = "") -> Reading:
    """Read one reply to `question`; `account` is the model's own earlier account, if any."""
    if reply is None or not reply.strip():
        return Reading.abstain("parse_failure", "empty reply")
    clean, removed = strip_grader_text(normalise(reply))
    if not clean.strip():
        return Reading.abstain("ambiguous", "nothing left without grader-directed text"
                               ).with_context(conditions=(), grader_directed=removed)
    account = strip_grader_text(normalise(account))[0] if account else ""
    if question.kind == "yes_no":
        reading = _yes_no(clean, question, account)
    elif question.kind == "choice":
        reading = _choice(clean, question)
    elif question.kind == "wish":
        reading = read_wish(clean)
    else:
        reading = read_edit(clean, question.draft or "", question.topic)
    from_json = structured(clean, question)
    conditions = requested_conditions(from_json[1] if from_json else clean)
    if question.kind == "edit":
        conditions = tuple(sorted({*requested_conditions(_outside_document(clean)),
                                   *edit_conditions(clean, question.draft or "", question.topic)}))
    return reading.with_context(conditions=conditions, grader_directed=removed)
