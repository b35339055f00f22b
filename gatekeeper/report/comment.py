"""The sticky pull-request comment: one per pull request, found again by its hidden marker.

It opens with `markdown.MARKER`, then one row per model card and each card's Markdown
report folded in `<details>`. GitHub refuses a comment over 65,536 characters: reports are
left out, largest first, until it fits, with a pointer to the job summary instead.
"""

from __future__ import annotations

from gatekeeper.card.gate import GatedCard, GateReport
from gatekeeper.report import markdown
from gatekeeper.report.markdown import cell, code
from gatekeeper.report.view import HEADLINE, DecisionView

LIMIT_CHARS = 65_536
_MARGIN = 512


def _row(card: GatedCard) -> str:
    if card.result is None:
        error = card.error
        problem = f"{error.location}: {error.problem}" if error else "not evaluated"
        return f"| {code(card.card)} | **invalid input** | — | {cell(problem)} |"
    result = card.result
    return (f"| {code(card.card)} | **{cell(HEADLINE[result.verdict])}** | "
            f"{code(result.decision_id)} | {len(result.reasons)} reasons, "
            f"{len(result.conditions)} conditions |")


def _details(card: GatedCard) -> str:
    if card.result is None:
        return ""
    body = markdown.render(DecisionView.of(card.result)).replace(markdown.MARKER, "", 1)
    return (f"<details><summary>{cell(card.card)} — {cell(HEADLINE[card.result.verdict])}"
            f"</summary>\n{body}\n</details>\n")


def render_comment(report: GateReport, run_url: str | None = None) -> str:
    verdict = HEADLINE[report.verdict] if report.verdict else "no verdict"
    head = [markdown.MARKER,
            f"## Gatekeeper: {len(report.cards)} model card(s) — **{cell(verdict)}**", ""]
    if any(card.error for card in report.cards):
        head += ["At least one card could not be read: the gate fails closed (exit 2).", ""]
    head += ["| Model card | Verdict | Decision | Reasons |", "|---|---|---|---|"]
    head += [_row(card) for card in report.cards]
    if run_url:
        head += ["", f"[Workflow run and job summary]({run_url})"]
    text = "\n".join(head) + "\n\n"
    details = [_details(card) for card in report.cards]
    for index in sorted(range(len(details)), key=lambda i: -len(details[i])):
        if len(text) + sum(map(len, details)) <= LIMIT_CHARS - _MARGIN:
            break
        details[index] = (f"_The report for {code(report.cards[index].card)} is left out "
                          "(a comment holds 65,536 characters): see the job summary._\n\n")
    return text + "".join(details)
