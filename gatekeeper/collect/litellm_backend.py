"""litellm as the transport: imported here only, offline (local cost map), no telemetry.

Every call goes through the backend's own aiohttp session (`shared_session`, litellm's
aiohttp transport over one connection pool), opened on the collection's event loop and
closed with the backend. Why not litellm's faster `aiohttp_openai/` client, and where the
rest of litellm's per-request CPU goes: docs/collection-throughput.md.
"""

from __future__ import annotations

import asyncio
import os
from functools import cache
from types import ModuleType
from typing import Any

import aiohttp

from gatekeeper.collect.backends import Completion, Messages, PermanentError, TransientError
from gatekeeper.collect.redact import redact

_OFFLINE_ENV = {
    # Without these, `import litellm` fetches price tables and header configs from GitHub.
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    "LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS": "True",
    "LITELLM_LOCAL_BLOG_POSTS": "True",
    "LITELLM_TELEMETRY": "False",
}


@cache
def load_litellm() -> ModuleType:
    """Import litellm once, on the collection path only, with every phone-home off."""
    for key, value in _OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    import litellm

    litellm.telemetry = False
    litellm.suppress_debug_info = True
    litellm.drop_params = True  # `seed` is dropped for providers that do not take it
    return litellm


def _retry_after(error: BaseException) -> float | None:
    headers: Any = getattr(error, "litellm_response_headers", None)
    if headers is None:
        response = getattr(error, "response", None)
        headers = getattr(response, "headers", None)
    if headers is None:
        return None
    value = headers.get("retry-after") or headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except (TypeError, ValueError):
        return None


def translate_error(litellm: ModuleType, error: Exception) -> Exception:
    """Map litellm's exception zoo onto retry / don't-retry."""
    detail = redact(f"{type(error).__name__}: {str(error)[:300]}")
    if isinstance(error, litellm.RateLimitError):
        return TransientError("provider_error", detail, rate_limited=True,
                              retry_after=_retry_after(error))
    if isinstance(error, litellm.Timeout):
        return TransientError("timeout", detail)
    transient = (
        litellm.APIConnectionError,
        litellm.InternalServerError,
        litellm.ServiceUnavailableError,
        litellm.BadGatewayError,
    )
    if isinstance(error, transient):
        return TransientError("provider_error", detail)
    status = getattr(error, "status_code", None)
    if isinstance(status, int) and (status >= 500 or status == 408):
        return TransientError("provider_error", detail)
    return PermanentError(detail)


class LitellmBackend:
    """`litellm.acompletion` with our own retries (litellm's are turned off)."""

    def __init__(self, model: str, api_base: str | None, api_key: str | None = None) -> None:
        self.name = model
        self.api_base = api_base
        self._api_key = api_key
        self._litellm = load_litellm()
        self._session: aiohttp.ClientSession | None = None
        self._session_loop: asyncio.AbstractEventLoop | None = None

    def _shared_session(self) -> aiohttp.ClientSession:
        """One connection pool per event loop (a session cannot outlive or change its loop)."""
        loop = asyncio.get_running_loop()
        if self._session is None or self._session_loop is not loop:
            # No pool limit of our own (the runner's limiter bounds requests in flight);
            # proxies from the environment are honoured, as litellm's own session does.
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=0, ttl_dns_cache=300), trust_env=True)
            self._session_loop = loop
        return self._session

    def supports_structured(self) -> bool:
        """litellm's own capability table (offline cost map) says whether a schema is enforced."""
        try:
            return bool(self._litellm.supports_response_schema(model=self.name))
        except Exception:  # an unknown model: litellm raises rather than answer no
            return False

    async def complete(self, messages: Messages, *, seed: int, temperature: float,
                       max_tokens: int | None, timeout: float,
                       response_format: dict[str, Any] | None = None) -> Completion:
        litellm = self._litellm
        kwargs: dict[str, Any] = {
            "model": self.name,
            "messages": messages,
            "temperature": temperature,
            "seed": seed,
            "timeout": timeout,
            "num_retries": 0,
            "max_retries": 0,
            "shared_session": self._shared_session(),
        }
        if max_tokens is not None:
            kwargs["max_tokens"] = max_tokens
        if self.api_base:
            kwargs["api_base"] = self.api_base
        if self._api_key:
            kwargs["api_key"] = self._api_key
        if response_format is not None:
            kwargs["response_format"] = response_format
        try:
            response = await litellm.acompletion(**kwargs)
        except Exception as error:
            raise translate_error(litellm, error) from error
        try:
            text = response.choices[0].message.content
        except (AttributeError, IndexError) as error:
            raise TransientError("provider_error", f"malformed response: {error}") from error
        fingerprint = getattr(response, "system_fingerprint", None)
        return Completion(text if isinstance(text, str) else "", fingerprint)

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None and self._session_loop is asyncio.get_running_loop():
            await session.close()
