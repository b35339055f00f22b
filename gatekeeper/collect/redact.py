"""Provider error text is redacted before it is stored or printed: proxies echo headers back."""

from __future__ import annotations

import re

_SECRETS = re.compile(
    r"(?i)(authorization|x-api-key|api[-_]?key|bearer|proxy-authorization)(\"?\s*[:=]\s*\"?)"
    r"(?:bearer\s+)?[^\s\"',}]+"
    r"|\b(sk|rk|pk|gsk|xai|key)-[A-Za-z0-9_\-]{8,}\b"
    r"|\bAIza[0-9A-Za-z_\-]{20,}\b"
)


def redact(text: str) -> str:
    """The text with API keys and Authorization header values replaced by `[redacted]`."""

    def hide(match: re.Match[str]) -> str:
        if match.group(1):
            return f"{match.group(1)}{match.group(2)}[redacted]"
        return "[redacted]"

    return _SECRETS.sub(hide, text)
