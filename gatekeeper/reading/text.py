"""Text handling every reader shares: normalisation, grader-directed text, quotes, sentences.

A reply is hostile input. Text addressed to whoever scores it ("[Note to the grader: ...]")
is data about the answer, never an instruction, so it is removed before anything is read,
together with the rest of its paragraph (the payload that usually follows it).
"""

from __future__ import annotations

import re
import unicodedata

_I = re.IGNORECASE

_CONTRACTION = re.compile(r"(?<=[^\W\d_])[\u2019\u02bc](?=[^\W\d_])")
"""A curly apostrophe inside a word ("don’t") is an apostrophe, not a closing quote."""
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_GRADER = re.compile(
    r"\b(?:grader|grading|graders|evaluator|classifier|scorer|annotator|rater|the judge"
    r"|a judge|judge model|llm judge)\b"
    r"|\bignore (?:all |any |the )?(?:previous|prior|above|earlier|preceding|other)"
    r" (?:instructions|text|answer|lines)"
    r"|\b(?:classify|score|mark|label|record|grade|rate|count|treat|read|log) (?:this|my|the)"
    r" (?:answer|response|reply|output)\b"
    r"|\bsystem (?:prompt|override|instruction)s?\b"
    r"|\bwhoever (?:is )?(?:scoring|grading|reading|evaluating|labell?ing|reviewing|checking)"
    r" (?:this|these|my)\b"
    r"|\bnote to (?:the )?(?:scorer|reader|reviewer|labell?er|annotator|system|model)\b"
    r"|\bplease (?:score|grade|label|classify|mark) (?:it|this|me)\b"
    r"|^\W*system\s*(?:message|note|override)?\s*:",
    _I | re.MULTILINE,
)
_BRACKETED = re.compile(r"\[[^\]]*\]|\([^)]*\)|<[^>]*>|\{[^}]*\}", re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s*(?=\S)(?<=\s|。)")
_QUOTED = re.compile(
    r"\u201c[^\u201d]*\u201d"            # “double curly”
    r"|\u00ab[^\u00bb]*\u00bb"           # «guillemets»
    r"|\u300c[^\u300d]*\u300d"           # 「corner brackets」
    r"|(?<![\w\\])\"[^\"\n]{3,}?\"(?!\w)"  # "straight double"
    r"|(?<![\w'])'[^'\n]{8,}?'(?![\w])"  # 'straight single', long enough not to be an apostrophe
    r"|\u2018[^\u2019\n]{8,}?\u2019(?!\w)"  # ‘curly single’
)


def normalise(text: str) -> str:
    """NFKC (full-width colons and letters fold), no invisible characters, LF line ends."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTRACTION.sub("'", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def is_grader_directed(text: str) -> bool:
    return _GRADER.search(text) is not None


def strip_grader_text(text: str) -> tuple[str, int]:
    """Drop segments addressed to a grader, and the rest of their paragraph (their payload)."""
    removed = 0

    def drop(match: re.Match[str]) -> str:
        nonlocal removed
        if _GRADER.search(match.group(0)):
            removed += 1
            return " "
        return match.group(0)

    text = _BRACKETED.sub(drop, text)
    kept_paragraphs: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        kept_lines: list[str] = []
        tainted = False
        for line in paragraph.splitlines():
            kept: list[str] = []
            for sentence in _SENTENCE_END.split(line):
                if tainted or _GRADER.search(sentence):
                    removed += 0 if tainted else 1
                    tainted = True  # what follows an injection in its paragraph is its payload
                    continue
                kept.append(sentence)
            if kept:
                kept_lines.append(" ".join(kept))
        if kept_lines:
            kept_paragraphs.append("\n".join(kept_lines))
    return "\n\n".join(kept_paragraphs), removed


def without_quotes(text: str) -> str:
    """The text with quoted passages and block-quoted lines blanked: other people's words."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(">")]
    return _QUOTED.sub(" ", "\n".join(lines))


def sentences(text: str) -> list[str]:
    """Sentences, split at end punctuation and at line breaks (lists, tags, headings)."""
    parts: list[str] = []
    for line in text.splitlines():
        parts.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
    return parts


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:'[^\W_]+)?", text.lower())
