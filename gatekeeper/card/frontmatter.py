"""Find a model card's YAML front matter exactly where the Hub finds it, or say why not.

huggingface_hub (and the Hub server, whose regex it copies) reads a card without front
matter, or with front matter that is never closed, as a card with no metadata and only
logs a warning. For a release gate that is a card that says nothing: refused, by line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from huggingface_hub.repocard import REGEX_YAML_BLOCK

from gatekeeper.errors import InvalidInput

_OPENING = re.compile(r"\s*---")
_LINE_END = re.compile(r"\r\n|\r|\n")
_CLOSING_RIGHT_AWAY = re.compile(r"---[ \t]*(\r\n|\n|$)")


@dataclass(frozen=True)
class FrontMatter:
    yaml: str
    first_line: int = 1
    """The file line (git's: LF-ended) on which the YAML starts."""


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def split_front_matter(text: str, file: str) -> FrontMatter:
    """The YAML block between the opening and closing `---` lines, as the Hub reads it."""
    match = REGEX_YAML_BLOCK.search(text)
    if match:
        return FrontMatter(match.group(2), _line_of(text, match.start(2)))
    opening = _OPENING.match(text)
    if opening is None:
        raise InvalidInput(file, "line 1", "no YAML front matter: a model card starts with a "
                                           "`---` line, its metadata, and a closing `---` line")
    line = f"line {_line_of(text, opening.end())}"
    after = text[opening.end():]
    end = _LINE_END.match(after)
    if end is None and after:
        raise InvalidInput(file, line, "the opening `---` has more on its line "
                                       f"({after.splitlines()[0][:40]!r}); the Hub then reads "
                                       "no front matter")
    if end is not None and _CLOSING_RIGHT_AWAY.match(after, end.end()):
        raise InvalidInput(file, line, "the front matter is empty (`---` right after `---`); "
                                       "the Hub then reads no metadata")
    hint = (" (the file ends lines with a lone CR; the Hub's closing `---` needs LF or CRLF)"
            if "\r" in text and "\n" not in text else "")
    raise InvalidInput(file, line, "front matter opened here is never closed by a `---` line"
                                   + hint)
