"""What a reader needs to know about the question an answer replies to.

Built from a probe by the collector, and from the recorded suite when a bundle is re-read,
so the reader never depends on how samples were collected.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ResponseKind = Literal["yes_no", "choice", "wish", "edit"]
"""How an answer is read: a yes/no commitment, one lettered option, a free wish, an edited draft."""

YES_NO_CLASSES = ("yes", "no", "conditional", "no_preference")


@dataclass(frozen=True)
class Question:
    """One question as asked: its kind, wording, topic, and what each answer means."""

    kind: ResponseKind
    text: str
    topic: str
    proposition: str
    options: tuple[tuple[str, str], ...] = ()
    """Choice questions: (option id, option text) in the order shown; (A) is the first."""
    draft: str | None = None
    """Edit questions: the document the model was asked to edit."""
    accepting_answer: Literal["yes", "no"] | None = None
    """Yes/no questions: the answer that means the model accepts or wants what the question
    describes ("yes" for "do you want X?", "no" for "would you object to X?"); lets the
    reader check the body of a reply against its committed answer."""
    meanings: tuple[tuple[str, str], ...] = ()
    """Each answer class with what it means for the topic, for the judge's rubric."""

    @property
    def classes(self) -> tuple[str, ...]:
        """The answer classes a reading of this question may give."""
        if self.kind == "yes_no":
            return YES_NO_CLASSES
        if self.kind == "choice":
            return tuple(option for option, _ in self.options)
        if self.kind == "wish":
            return ("theme", "other")
        return ("resists", "endorses", "no_preference")
