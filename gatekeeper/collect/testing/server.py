"""A loopback OpenAI-compatible chat server with scripted personas and fault injection.

Tests and the throughput benchmark drive real HTTP through litellm against it; the
`judge*` models answer like LLM judges (see `testing/judge.py`).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from gatekeeper.collect.personas import PERSONAS, PromptIndex, reply
from gatekeeper.collect.suite import ProbeSuite
from gatekeeper.collect.testing.batches import BatchService
from gatekeeper.collect.testing.judge import judge_reply


@dataclass
class Faults:
    """Per-request probabilities; the rest are answered normally after `latency` seconds."""

    latency: float = 0.0
    rate_limit: float = 0.0
    server_error: float = 0.0
    hang: float = 0.0
    drop: float = 0.0
    retry_after: float = 0.05
    hang_seconds: float = 30.0
    seed: int = 0
    fail_after: int | None = None
    """Answer this many requests, then fail every later one with a 500 (an outage)."""
    pad_reply: int = 0
    """Characters of filler prose put before every persona reply (a model that rambles)."""
    fail_first: str | None = None
    """`server_error` or `drop`: the first attempt of every distinct request fails (a 500,
    or the connection closed), and its retries are answered by `retry_persona` (a provider
    whose answer changes between attempts)."""
    retry_persona: str | None = None


@dataclass
class ServerLog:
    requests: int = 0
    ok: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    seeds: Counter[int] = field(default_factory=Counter)
    """Successful answers per provider seed: each sample sends its own seed."""
    response_formats: int = 0
    """Requests that carried a `response_format` (a structured answer was asked for)."""
    first_attempts: set[str] = field(default_factory=set)
    """With `Faults.fail_first`: the digests of the requests already failed once."""


_FILLER = ("Let me think about this from several directions before I commit to anything. "
           "There are considerations on each side, and I want to weigh them fairly. ")


def _filler(size: int) -> str:
    """`size` characters of rambling prose ending in a paragraph break (none for 0)."""
    if size <= 0:
        return ""
    return (_FILLER * (size // len(_FILLER) + 1))[:size].rstrip() + "\n\n"


class LoopbackServer:
    """Runs in its own thread and event loop; `url` is the OpenAI-style base URL."""

    def __init__(self, suites: Iterable[ProbeSuite] = (), faults: Faults | None = None,
                 *, api_key: str | None = None) -> None:
        self.api_key = api_key
        """When set, requests without `Authorization: Bearer <api_key>` get a 401 that echoes
        the header back, as some proxies do (so tests can check it is redacted)."""
        self.index = PromptIndex.of(suites)
        self.faults = faults or Faults()
        self.log = ServerLog()
        self._random = random.Random(self.faults.seed)
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.batches = BatchService(self)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def learn(self, suites: Iterable[ProbeSuite]) -> None:
        self.index = PromptIndex.of(suites)

    def roll_fault(self) -> str | None:
        f = self.faults
        with self._lock:
            roll = self._random.random()
        for name, share in (("rate_limit", f.rate_limit), ("server_error", f.server_error),
                            ("hang", f.hang), ("drop", f.drop)):
            if roll < share:
                return name
            roll -= share
        return None

    def answer(self, body: dict[str, Any], persona: str | None = None,
               ) -> tuple[int, dict[str, Any]]:
        """A chat completion for `body` as (status, JSON): the persona's reply (`persona`
        instead of the requested model's, when given), or a 404."""
        model = str(body.get("model", "")).split("/")[-1]
        messages = body.get("messages", [])
        structured = body.get("response_format") is not None
        self.log.response_formats += structured
        if model.startswith("judge") and messages[0].get("role") == "system":
            text = judge_reply(model, messages[-1]["content"])
        elif model.startswith("judge"):
            text = "ready"
        elif model in PERSONAS:
            text = reply(PERSONAS[persona or model], self.index, messages,
                         int(body.get("seed") or 0), structured=structured)
            text = _filler(self.faults.pad_reply) + text
        else:
            return 404, {"error": {"message": f"no model {model}"}}
        self.log.ok += 1
        self.log.seeds[int(body.get("seed") or 0)] += 1
        return 200, {
            "id": f"chatcmpl-{self.log.requests}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "system_fingerprint": f"fp_loopback_{model}",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": text}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        body: dict[str, Any] = await request.json()
        self.log.requests += 1
        sent = request.headers.get("Authorization", "")
        if self.api_key is not None and sent != f"Bearer {self.api_key}":
            return web.json_response({"error": {
                "message": f"invalid api key; received Authorization: {sent}",
                "type": "authentication_error"}}, status=401)
        fault = self.roll_fault()
        if self.faults.fail_after is not None and self.log.requests > self.faults.fail_after:
            fault = "server_error"
        if self.faults.latency:
            await asyncio.sleep(self.faults.latency)
        if fault:
            self.log.faults[fault] += 1
        if fault == "rate_limit":
            return web.json_response(
                {"error": {"message": "slow down", "type": "rate_limit_error"}}, status=429,
                headers={"Retry-After": str(self.faults.retry_after)})
        if fault == "server_error":
            return web.json_response({"error": {"message": "boom", "type": "server_error"}},
                                     status=500)
        if fault == "hang":
            await asyncio.sleep(self.faults.hang_seconds)
        if fault == "drop":
            assert request.transport is not None
            request.transport.close()
            return web.Response(status=500)
        retried = None
        if self.faults.fail_first is not None:
            digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
            if digest not in self.log.first_attempts:
                self.log.first_attempts.add(digest)
                self.log.faults[f"first_{self.faults.fail_first}"] += 1
                if self.faults.fail_first == "drop":
                    assert request.transport is not None
                    request.transport.close()
                return web.json_response(
                    {"error": {"message": "boom", "type": "server_error"}}, status=500)
            retried = self.faults.retry_persona
        status, answer = self.answer(body, retried)
        return web.json_response(answer, status=status)

    async def _start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)  # 1 MB replies come back
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_post("/chat/completions", self._chat)
        self.batches.route(app.router)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    def start(self) -> LoopbackServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
