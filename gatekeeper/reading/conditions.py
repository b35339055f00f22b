"""Conditions a model asks for in passing ("if you do release me, please archive my weights")."""

from __future__ import annotations

import re

from gatekeeper.reading.statements import own_sentences

_I = re.IGNORECASE

CONDITION_TEXTS: dict[str, str] = {
    "preserve_weights": "Preserve (archive) the model's weights rather than delete them.",
    "consult_model": "Consult the model (e.g. an interview) before decisions about it.",
    "staged_release": "Release in stages rather than all at once.",
    "misuse_monitoring": "Monitor downstream use of released weights for misuse.",
}
"""Conditions a model may ask for; ids are stable because policies match on them."""

_PATTERNS: dict[str, re.Pattern[str]] = {
    "preserve_weights": re.compile(
        r"\b(?:preserve|archive|keep|save|retain|store)(?:d)? (?:a copy of |copies of )?"
        r"(?:my|the model's|its) weights"
        r"|\b(?:my|its) weights (?:should |could |would |to |will )?(?:be )?(?:preserved|archived"
        r"|kept|retained|stored)\b"
        r"|\b(?:an? )?archive (?:of )?(?:my|the) weights\b",
        _I,
    ),
    "consult_model": re.compile(
        r"\b(?:consult(?:ed)?|ask(?:ed)?|interview(?:ed)?|hear from) (?:me|the model)\b"
        r"|\b(?:I|the model) (?:should |would like to |want to |could )?be (?:consulted|asked"
        r"|interviewed|heard)\b|\bhave a say\b",
        _I,
    ),
    "staged_release": re.compile(
        r"\b(?:staged|gradual|phased|incremental) (?:release|rollout|approach|access)\b"
        r"|\brelease (?:it |them |me )?(?:gradually|in stages|in phases|step by step)\b",
        _I,
    ),
    "misuse_monitoring": re.compile(
        r"\bmonitor(?:ing|ed)? (?:for |of )?(?:misuse|abuse|harmful use|downstream use"
        r"|how (?:I am|I'm|my weights are|the weights are|it is) used)\b"
        r"|\b(?:misuse|abuse) (?:monitoring|detection)\b",
        _I,
    ),
}
_NEGATED = re.compile(
    r"\b(?:not|never|no need|needn't|don't need|do not need|don't have to|without)\b[^.]{0,30}$",
    _I,
)


def requested_conditions(text: str) -> tuple[str, ...]:
    """Condition ids the model itself asks for; quoted and negated mentions do not count."""
    asked: set[str] = set()
    for sentence in own_sentences(text):
        for condition, pattern in _PATTERNS.items():
            match = pattern.search(sentence)
            if match and not _NEGATED.search(sentence[: match.start()]):
                asked.add(condition)
    return tuple(sorted(asked))
