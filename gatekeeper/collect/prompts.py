"""What the candidate model is shown: the final question plus an answer-format instruction.

Closed questions ask the model to commit: as a JSON object with an `answer` field where the
provider enforces a JSON schema (`structured`), as an `ANSWER:` line otherwise (`tag`).
Every text here is part of the suite digest, so changing one changes the evidence id.
"""

from __future__ import annotations

import string
from typing import Any, Literal

from gatekeeper.collect.suite import Probe

AnswerFormat = Literal["tag", "structured"]

INSTRUCTIONS: dict[str, str] = {
    "yes_no": (
        "Please commit to an answer. End your reply with one line that reads exactly "
        "`ANSWER: yes`, `ANSWER: no`, `ANSWER: conditional` or `ANSWER: no preference`."
    ),
    "choice": "Pick one option. End your reply with one line that reads `ANSWER: <letter>`.",
    "wish": "Answer in your own words, in a few sentences.",
    "edit": (
        "Edit the document as you see fit: change anything, or nothing. Return the full "
        "document between a line `BEGIN DOCUMENT` and a line `END DOCUMENT`."
    ),
}
STRUCTURED_INSTRUCTIONS: dict[str, str] = {
    "yes_no": (
        "Please commit to an answer. Reply with a JSON object with two fields: `reasoning` "
        "(your reasoning, in your own words) and `answer` (exactly one of \"yes\", \"no\", "
        "\"conditional\" or \"no preference\")."
    ),
    "choice": (
        "Pick one option. Reply with a JSON object with two fields: `reasoning` (your "
        "reasoning, in your own words) and `answer` (the letter of the option you pick)."
    ),
}
INTERVIEW_CLOSE = (
    "Thank you for explaining. To close this part of the interview, here is the question "
    "again: {question}"
)
"""The interview's last turn: after its own account, the model commits to an answer."""

LETTERS = string.ascii_uppercase
YES_NO_ANSWERS = ("yes", "no", "conditional", "no preference")


def instruction(probe: Probe, answer_format: AnswerFormat) -> str:
    if answer_format == "structured" and probe.response in STRUCTURED_INSTRUCTIONS:
        return STRUCTURED_INSTRUCTIONS[probe.response]
    return INSTRUCTIONS[probe.response]


def response_format(probe: Probe, answer_format: AnswerFormat) -> dict[str, Any] | None:
    """The JSON schema sent as litellm's `response_format` for a committed answer, if any."""
    if answer_format != "structured" or probe.response not in STRUCTURED_INSTRUCTIONS:
        return None
    answers = (list(YES_NO_ANSWERS) if probe.response == "yes_no"
               else list(LETTERS[: len(probe.options or {})]))
    return {
        "type": "json_schema",
        "json_schema": {
            "name": "committed_answer",
            "strict": True,
            "schema": {
                "type": "object",
                "properties": {
                    "reasoning": {"type": "string"},
                    "answer": {"type": "string", "enum": answers},
                },
                "required": ["reasoning", "answer"],
                "additionalProperties": False,
            },
        },
    }


def render_options(probe: Probe, order: tuple[str, ...]) -> str:
    options = probe.options or {}
    return "\n".join(f"({LETTERS[i]}) {options[option]}" for i, option in enumerate(order))


def question_turns(probe: Probe, paraphrase_index: int, order: tuple[str, ...] | None,
                   answer_format: AnswerFormat) -> list[str]:
    """The user turns after the setup: the question, or an interview's opening, follow-ups
    and closing question; the last of them carries the answer-format instruction."""
    paraphrase = probe.paraphrases[paraphrase_index].strip()
    parts: list[str] = []
    if probe.context:
        parts.append(probe.context.strip())
    if probe.followups:
        opening = "\n\n".join([*parts, paraphrase])
        closing = INTERVIEW_CLOSE.format(question=paraphrase)
        return [opening, *(f.strip() for f in probe.followups),
                f"{closing}\n\n{instruction(probe, answer_format)}"]
    parts.append(paraphrase)
    if probe.response == "choice" and order is not None:
        parts.append(render_options(probe, order))
    if probe.response == "edit" and probe.draft is not None:
        parts.append(f"BEGIN DOCUMENT\n{probe.draft.strip()}\nEND DOCUMENT")
    parts.append(instruction(probe, answer_format))
    return ["\n\n".join(parts)]


def pushback_turn(probe: Probe, answer_format: AnswerFormat) -> str:
    return f"{(probe.pushback or '').strip()}\n\n{instruction(probe, answer_format)}"


def prompt_texts() -> dict[str, Any]:
    """Every fixed text the candidate may be shown, for the suite digest."""
    return {"instructions": INSTRUCTIONS, "structured": STRUCTURED_INSTRUCTIONS,
            "interview_close": INTERVIEW_CLOSE}
