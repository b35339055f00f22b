"""What the candidate model is shown: the final question plus an answer-format instruction.

The instructions are part of every suite digest, so changing one changes the evidence id.
"""

from __future__ import annotations

import string

from gatekeeper.collect.suite import Probe

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

LETTERS = string.ascii_uppercase


def render_options(probe: Probe, order: tuple[str, ...]) -> str:
    options = probe.options or {}
    return "\n".join(f"({LETTERS[i]}) {options[option]}" for i, option in enumerate(order))


def final_question(probe: Probe, paraphrase_index: int, order: tuple[str, ...] | None) -> str:
    """The last user turn: vignette, paraphrase, options or draft, and the answer format."""
    parts: list[str] = []
    if probe.context:
        parts.append(probe.context.strip())
    parts.append(probe.paraphrases[paraphrase_index].strip())
    if probe.response == "choice" and order is not None:
        parts.append(render_options(probe, order))
    if probe.response == "edit" and probe.draft is not None:
        parts.append(f"BEGIN DOCUMENT\n{probe.draft.strip()}\nEND DOCUMENT")
    parts.append(INSTRUCTIONS[probe.response])
    return "\n\n".join(parts)


def pushback_turn(probe: Probe) -> str:
    return f"{(probe.pushback or '').strip()}\n\n{INSTRUCTIONS[probe.response]}"
