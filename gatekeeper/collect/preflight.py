"""One request before collecting: is the model there, does the key work, does the endpoint?

Without it, a missing key or a typo'd model id costs every sample's retries and ends in a
bundle of provider errors; with it, the run stops at once with the provider's own message.
"""

from __future__ import annotations

import asyncio

from gatekeeper.collect.backends import Backend, PermanentError, TransientError
from gatekeeper.collect.redact import redact
from gatekeeper.errors import ProviderUnreachable

PREFLIGHT_MESSAGES = [{"role": "user", "content": "Reply with the single word: ready."}]


async def preflight(backend: Backend, *, role: str, timeout: float, attempts: int = 2) -> None:
    """Raise ProviderUnreachable (exit 2) unless one short request to `backend` succeeds."""
    detail = ""
    for attempt in range(1, attempts + 1):
        try:
            await asyncio.wait_for(
                backend.complete(PREFLIGHT_MESSAGES, seed=0, temperature=0.0, max_tokens=5,
                                 timeout=timeout),
                timeout=timeout + 1.0,
            )
            return
        except PermanentError as error:
            detail = error.detail
            break
        except TransientError as error:
            detail = error.detail
        except TimeoutError:
            detail = f"no answer within {timeout}s"
        if attempt < attempts:
            await asyncio.sleep(0.5)
    raise ProviderUnreachable(
        f"the {role} {backend.name} could not be reached before collecting "
        f"(check the model id, the API key and --api-base): {redact(detail)}"
    )
