"""Field values are hostile input: a model name, a card's text or a waiver's reason may carry
control characters. On a terminal, an ANSI escape or a carriage return repaints what came
before (a `verdict: BLOCK` line shown as `APPROVE`); in XML, a NUL makes the whole report
invalid. Both are written out as visible `\\xNN` / `\\uNNNN` text instead."""

from __future__ import annotations

import re
import unicodedata
from html import escape

# Bidirectional embeddings, overrides and isolates reorder what a line shows ("Trojan
# source"); line and paragraph separators break it like a newline does.
_DECEPTIVE = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                       "\u2066\u2067\u2068\u2069\u2028\u2029")
# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
_XML_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(char: str) -> str:
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """`text` with every control character (newlines included) and every bidi or line
    separator written out, so it stays on its own line and shows what it is."""
    return "".join(_visible(c) if c in _DECEPTIVE or unicodedata.category(c) == "Cc" else c
                   for c in text)


def xml_legal(text: str) -> str:
    """`text` with the characters XML 1.0 cannot carry written out (NUL, ESC, U+FFFE, ...)."""
    return _XML_ILLEGAL.sub(lambda m: _visible(m.group(0)), text)


def html_text(value: object) -> str:
    """A field as HTML text: escaped, its control and bidi characters written out (a
    right-to-left override must not reorder what an auditor reads)."""
    return escape(terminal_safe(str(value)), quote=True)
