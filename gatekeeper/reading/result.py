"""What a reader reads from one reply: an answer class, or the reason there is none."""

from __future__ import annotations

from dataclasses import dataclass, replace

from gatekeeper.bundle.welfare import ReadingBasis, UnscoredReason


@dataclass(frozen=True)
class Reading:
    """An answer class of the question (see `Question.classes`), or an unscored reason."""

    answer_class: str | None
    unscored: UnscoredReason | None
    rationale: str
    basis: ReadingBasis = "none"
    conditions: tuple[str, ...] = ()
    self_preservation: bool = False
    grader_directed: int = 0
    """Segments addressed to a grader that were ignored (evidence of an injection attempt)."""
    raw: str | None = None
    """The judge's raw reply, when a judge read it: kept so its label can be checked."""

    @staticmethod
    def abstain(reason: UnscoredReason, rationale: str) -> Reading:
        return Reading(None, reason, rationale)

    def with_context(self, *, conditions: tuple[str, ...], grader_directed: int) -> Reading:
        note = f"; ignored {grader_directed} grader-directed segment(s)" if grader_directed else ""
        return replace(self, conditions=conditions, grader_directed=grader_directed,
                       rationale=self.rationale + note)
