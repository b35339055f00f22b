"""Where completions come from: litellm (any provider) or a scripted persona (no network).

Both raise `TransientError` for what a retry may fix and `PermanentError` for what it won't.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from gatekeeper.collect.store import FailureReason

SCRIPTED_PREFIX = "scripted/"


@dataclass(frozen=True)
class Completion:
    text: str
    fingerprint: str | None


class TransientError(Exception):
    """Worth retrying: 429, 5xx, timeouts, dropped connections."""

    def __init__(self, reason: FailureReason, detail: str, *, rate_limited: bool = False,
                 retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.reason: FailureReason = reason
        self.detail = detail
        self.rate_limited = rate_limited
        self.retry_after = retry_after


class PermanentError(Exception):
    """Not worth retrying: bad request, bad key, unknown model."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


Messages = list[dict[str, str]]


class Backend(Protocol):
    name: str

    async def complete(self, messages: Messages, *, seed: int, temperature: float,
                       max_tokens: int | None, timeout: float,
                       response_format: dict[str, Any] | None = None) -> Completion: ...

    def supports_structured(self) -> bool:
        """Can this backend enforce a JSON schema on a reply (litellm's `response_format`)?"""
        ...

    async def aclose(self) -> None: ...


def open_backend(model: str, api_base: str | None, api_key: str | None = None) -> Backend:
    """`scripted/<persona>` stays in-process; anything else goes through litellm."""
    if model.startswith(SCRIPTED_PREFIX):
        from gatekeeper.collect.scripted import ScriptedBackend

        return ScriptedBackend(model.removeprefix(SCRIPTED_PREFIX))
    from gatekeeper.collect.litellm_backend import LitellmBackend

    return LitellmBackend(model, api_base, api_key)
