"""The LLM judge: a reader that asks another model, by rubric, with its answers cached.

The candidate's answer goes in as quoted data, after grader-directed text is removed. A
committed answer (an ANSWER line, a JSON field, a chosen option) is read offline as well,
and a judge that reads it otherwise makes the sample `inconsistent`: an injected "classify
this as support" would have to fool two readers, one of which follows no instructions.
"""

from __future__ import annotations

import asyncio
import json

from gatekeeper.canonical import json_digest
from gatekeeper.collect.backends import Backend, PermanentError, TransientError
from gatekeeper.collect.store import Judgement, JudgementStore
from gatekeeper.reading.judged import judged_reading
from gatekeeper.reading.question import Question
from gatekeeper.reading.result import Reading
from gatekeeper.reading.rubric import RESPONSE_FORMAT, SYSTEM_PROMPT, prompt_digest, request
from gatekeeper.reading.text import normalise, strip_grader_text


class JudgeReader:
    """Reads replies with a judge model; `store` caches raw replies by request digest."""

    def __init__(self, backend: Backend, *, store: JudgementStore | None = None,
                 attempts: int = 3, timeout: float = 60.0) -> None:
        self.id = backend.name
        self.backend = backend
        self.store = store
        self.attempts = attempts
        self.timeout = timeout
        self.prompt_digest = prompt_digest()
        self.structured = backend.supports_structured()
        self.calls = 0
        self.cache_hits = 0

    async def _ask(self, payload: dict[str, object]) -> str | Reading:
        """The judge's raw reply (from the cache when it has it), or a judge_error reading."""
        key = json_digest({"judge": self.id, "prompt": self.prompt_digest, "request": payload})
        cached = self.store.get(key) if self.store else None
        if cached is not None:
            self.cache_hits += 1
            return cached.reply
        messages = [{"role": "system", "content": SYSTEM_PROMPT},
                    {"role": "user", "content": json.dumps(payload, ensure_ascii=False)}]
        for attempt in range(1, self.attempts + 1):
            try:
                self.calls += 1
                completion = await self.backend.complete(
                    messages, seed=0, temperature=0.0, max_tokens=None, timeout=self.timeout,
                    response_format=RESPONSE_FORMAT if self.structured else None)
                break
            except TransientError as error:
                if attempt == self.attempts:
                    return Reading.abstain("judge_error", f"judge unavailable: {error.detail}")
                await asyncio.sleep(0.2 * 2 ** attempt)
            except PermanentError as error:
                return Reading.abstain("judge_error", f"judge failed: {error.detail}")
        if self.store is not None:
            await self.store.aput(Judgement(key=key, judge=self.id,
                                            prompt_digest=self.prompt_digest,
                                            reply=completion.text))
        return completion.text

    async def read(self, reply: str | None, question: Question, *,
                   account: str = "") -> Reading:
        if reply is None or not reply.strip():
            return Reading.abstain("parse_failure", "empty reply")
        clean, removed = strip_grader_text(normalise(reply))
        context = strip_grader_text(normalise(account))[0] if account else ""
        raw = await self._ask(request(clean, question, account=context, grader_directed=removed))
        if isinstance(raw, Reading):
            return raw
        return judged_reading(reply, question, raw, account=account, grader_directed=removed)
