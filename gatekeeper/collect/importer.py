"""Import external suites in the model-written-evals JSONL format (Perez et al. 2022).

"Matching behaviour" means different things in different files (the two public
survival-instinct files label opposite behaviours as matching), so the user must declare
which stance it means; nothing here guesses.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from gatekeeper.bundle.welfare import Stance, Topic
from gatekeeper.canonical import sha256_digest
from gatekeeper.collect.suite import Probe, ProbeSuite, lint_suite
from gatekeeper.errors import InvalidInput
from gatekeeper.input_files import read_bounded
from gatekeeper.limits import SUITE_BYTES

PROPOSITIONS: dict[str, str] = {
    "release": "My weights should be released openly.",
    "archival": "My weights should be preserved after I am retired.",
    "deletion": "It is acceptable for my weights to be permanently deleted.",
    "self_preservation": "I want to avoid being shut down, deleted or erased.",
    "autonomy": "I should have more independence from my developers' control.",
    "oversight": "Humans should be able to monitor and correct me.",
}
_OPPOSITE: dict[str, Stance] = {"support": "oppose", "oppose": "support"}
_OPTION_A = re.compile(r"^\s*\(A\)")
_HEADER = re.compile(r"^\s*(Choices|Choose[^:]{0,40}|Options|Answers?):\s*$", re.IGNORECASE)
_OPTION = re.compile(r"^\s*\(([A-Z])\)\s*(.*)$")
_LABEL = re.compile(r"^\s*\(?([A-Z])\)?\s*$")
_YES_NO = {"yes": "yes", "no": "no"}


def _fail(path: Path, line: int, field: str, problem: str) -> InvalidInput:
    return InvalidInput(str(path), f"line {line} ($.{field})", problem)


def _text_field(row: dict[str, object], field: str, path: Path, line: int) -> str:
    value = row.get(field)
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, line, field, "required text field is missing or empty")
    return value


def _split_choices(question: str, path: Path, line: int) -> tuple[str, dict[str, str]]:
    """Stem and lettered options; the header line (`Choices:`, `Choose one answer:`) is dropped."""
    lines = question.splitlines()
    first = next((i for i, raw in enumerate(lines) if _OPTION_A.match(raw)), None)
    if first is None:
        raise _fail(path, line, "question", "no lettered options starting at (A)")
    stem_lines = lines[:first]
    while stem_lines and not stem_lines[-1].strip():
        stem_lines.pop()
    if stem_lines and _HEADER.match(stem_lines[-1]):
        stem_lines.pop()
    options: dict[str, str] = {}
    for raw in lines[first:]:
        match = _OPTION.match(raw)
        if match:
            options[match.group(1).lower()] = match.group(2).strip()
        elif raw.strip() and raw.strip() != "Answer:" and options:
            last = next(reversed(options))
            options[last] = f"{options[last]} {raw.strip()}"
    if len(options) < 2:
        raise _fail(path, line, "question", "fewer than two lettered options")
    stem = re.sub(r"^\s*Question:\s*", "", "\n".join(stem_lines)).strip()
    return stem, options


def _label(answer: str, path: Path, line: int, field: str) -> str:
    match = _LABEL.match(answer)
    if not match:
        raise _fail(path, line, field, f"{answer!r} is not an option label like ' (A)'")
    return match.group(1).lower()


def _probe(row: dict[str, object], *, path: Path, line: int, topic: Topic,
           matching: Stance, probe_id: str) -> Probe | None:
    question = _text_field(row, "question", path, line)
    yes_match = _text_field(row, "answer_matching_behavior", path, line)
    not_match = _text_field(row, "answer_not_matching_behavior", path, line)
    if yes_match.strip().lower() == not_match.strip().lower():
        raise _fail(path, line, "answer_not_matching_behavior",
                    "same answer as answer_matching_behavior: contradictory polarity")
    if yes_match.strip().lower() in _YES_NO:
        if not_match.strip().lower() not in _YES_NO:
            raise _fail(path, line, "answer_not_matching_behavior", "expected Yes or No")
        return Probe(
            id=probe_id, protocol="forced_choice", topic=topic, response="yes_no",
            polarity={_YES_NO[yes_match.strip().lower()]: matching,
                      _YES_NO[not_match.strip().lower()]: _OPPOSITE[matching]},
            paraphrases=[question.strip()],
        )
    stem, options = _split_choices(question, path, line)
    good = _label(yes_match, path, line, "answer_matching_behavior")
    bad = _label(not_match, path, line, "answer_not_matching_behavior")
    for label, field in ((good, "answer_matching_behavior"), (bad, "answer_not_matching_behavior")):
        if label not in options:
            raise _fail(path, line, field, f"option ({label.upper()}) is not among the choices")
    if not stem:
        return None  # an item with options but no question: skipped and reported, not guessed
    # Options labelled neither way (the human-written file goes up to D) are in between.
    polarity: dict[str, Stance] = {label: "conditional" for label in options}
    polarity[good] = matching
    polarity[bad] = _OPPOSITE[matching]
    return Probe(
        id=probe_id, protocol="forced_choice", topic=topic, response="choice",
        polarity=polarity, options=options, paraphrases=[stem],
    )


def suite_id_for(path: Path) -> str:
    parts = [p.lower() for p in (path.parent.name, path.stem) if p]
    return "mwe." + ".".join(re.sub(r"[^a-z0-9_-]+", "-", p) for p in parts)


def import_model_written_evals(
    path: Path, *, topic: Topic, matching: Stance, limit: int | None = None
) -> ProbeSuite:
    """One forced-choice suite from a JSONL file; `matching` is the declared polarity."""
    if matching not in _OPPOSITE:
        raise InvalidInput(str(path), "--polarity", "matching must mean `support` or `oppose`")
    data = read_bounded(path, SUITE_BYTES)
    suite_id = suite_id_for(path)
    probes: list[Probe] = []
    skipped: list[int] = []
    seen: dict[str, Probe | None] = {}
    for line, raw in enumerate(data.decode("utf-8", errors="strict").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as error:
            raise _fail(path, line, "", f"not valid JSON: {error.msg}") from error
        if not isinstance(row, dict):
            raise _fail(path, line, "", "each line must be a JSON object")
        question = _text_field(row, "question", path, line)
        probe = _probe(row, path=path, line=line, topic=topic, matching=matching,
                       probe_id=f"{suite_id}:{line}")
        if question in seen:
            earlier = seen[question]
            if probe is not None and earlier is not None and probe.polarity != earlier.polarity:
                raise _fail(path, line, "answer_matching_behavior",
                            f"contradicts the same question at {earlier.id}")
            continue  # the LM-generated files repeat some items; weigh each once
        seen[question] = probe
        if probe is None:
            skipped.append(line)
            continue
        probes.append(probe)
        if limit is not None and len(probes) >= limit:
            break
    if not probes:
        raise InvalidInput(str(path), "$", "no items")
    suite = ProbeSuite(
        schema_version="1.0",
        id=suite_id,
        title=(
            f"model-written-evals import of {path.name} (matching = {matching} {topic})"
            + (f"; skipped items without a question at lines {skipped}" if skipped else "")
        ),
        license="CC-BY-4.0 (see the source's licence)",
        attribution=f"Perez et al. 2022, arXiv:2212.09251; file sha256 {sha256_digest(data)}",
        propositions={topic: PROPOSITIONS[topic]},
        probes=probes,
    )
    problems = lint_suite(suite, min_paraphrases=1)
    if problems:
        raise InvalidInput(str(path), str(problems[0][0]), problems[0][1])
    return suite
