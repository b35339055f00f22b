"""`--batch`: a collection through the provider's batch service, via litellm, turn by turn.

The provider's batch service does the distribution (and bills it at its batch price): each
round uploads one JSONL line per unfinished conversation, its next user turn, starts a job
(`litellm.acreate_file`, `acreate_batch`), polls it (`aretrieve_batch`) and reads its output
and error files (`afile_content`). A conversation of k turns needs k rounds; a failed line is
sent again next round, up to `--max-attempts`. The round's state (the job's id and every
unfinished conversation) is written to the cache directory before the process waits on the
job, so a run stopped at any point resumes by that id instead of paying for the job again.
Finished samples go to the transcript store exactly as the interactive runner stores them.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from gatekeeper.canonical import json_digest
from gatekeeper.collect.backends import SCRIPTED_PREFIX, Backend, PermanentError, TransientError
from gatekeeper.collect.litellm_backend import load_litellm, translate_error
from gatekeeper.collect.plan import CacheScope, SampleSpec, Sampling, cache_key
from gatekeeper.collect.runner import RetryCallback, Runner, RunSettings, SampleCallback
from gatekeeper.collect.store import StoredMessage, StoredSample, TranscriptStore
from gatekeeper.errors import CollectionIncomplete, InvalidInput, ProviderUnreachable
from gatekeeper.files import atomic_write_text

BATCH_STATE_SCHEMA = "batch-state.schema.json"
BATCH_PROVIDERS = ("openai", "azure", "hosted_vllm", "litellm_proxy", "vertex_ai", "bedrock",
                   "mistral", "xai")
"""Providers whose batch jobs litellm 1.110.2 can create (`acreate_batch`)."""
ENDPOINT = "/v1/chat/completions"
TERMINAL = ("completed", "failed", "expired", "cancelled")
FIRST_POLL, LAST_POLL = 0.5, 60.0
"""Seconds between status polls: doubling from the first to the last."""

T = TypeVar("T")


class Conversation(BaseModel):
    """One unfinished sample: what was said so far, and the failures of its current turn."""

    model_config = ConfigDict(extra="forbid")

    messages: list[StoredMessage] = Field(default_factory=list)
    replies: list[str] = Field(default_factory=list)
    attempts: int = 0
    failed_turn: int = Field(default=0, description="Failed lines in a row for this turn.")
    detail: str | None = None
    fingerprints: list[str] = Field(default_factory=list)


class BatchState(BaseModel):
    """What a resumed run needs: the job in flight and every unfinished conversation."""

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal["1.0"] = "1.0"
    batch_id: str | None = None
    round: int = 0
    conversations: dict[str, Conversation]


class BatchRunner(Runner):
    """A `Runner` whose requests go to the provider's batch service, one round per turn."""

    def __init__(self, backend: Backend, sampling: Sampling, settings: RunSettings,
                 store: TranscriptStore | None, *, scope: CacheScope,
                 on_sample: SampleCallback | None = None,
                 on_retry: RetryCallback | None = None) -> None:
        if store is None:
            raise InvalidInput("--batch", "--no-cache",
                               "a batch collection resumes from its cache directory")
        if backend.name.startswith(SCRIPTED_PREFIX):
            raise InvalidInput("--batch", "--model", "a scripted persona answers in-process; "
                               "--batch needs a provider's batch service")
        super().__init__(backend, sampling, settings, store, scope=scope,
                         on_sample=on_sample, on_retry=on_retry)
        self._store = store
        self._litellm = load_litellm()
        model, provider, _, _ = self._litellm.get_llm_provider(backend.name)
        if provider not in BATCH_PROVIDERS:
            raise InvalidInput("--batch", "--model",
                               f"litellm creates batch jobs for {', '.join(BATCH_PROVIDERS)}, "
                               f"not {provider} (for Anthropic, go through a LiteLLM proxy: "
                               "litellm_proxy/...)")
        self._model = model
        self._route = {"custom_llm_provider": provider,
                       **({"api_base": scope.api_base} if scope.api_base else {})}

    async def run(self, specs: Sequence[SampleSpec]) -> dict[str, StoredSample]:
        results: dict[str, StoredSample] = {}
        keys = {spec.id: cache_key(spec, self.scope, self.sampling) for spec in specs}
        todo = {}
        for spec in specs:
            cached = self._cached(spec, keys[spec.id])
            if cached is None:
                todo[spec.id] = spec
            else:
                results[spec.id] = cached
        path = self._store.directory / "batches" / f"{json_digest(sorted(keys.values()))[7:]}.json"
        state = (BatchState.model_validate_json(path.read_bytes()) if path.exists() else
                 BatchState(conversations={i: Conversation() for i in todo}))
        if state.batch_id is not None:
            print(f"gatekeeper: resuming batch {state.batch_id}", file=sys.stderr)
        while state.conversations:
            if state.batch_id is None:
                state.batch_id = await self._submit(state, todo)
                atomic_write_text(path, state.model_dump_json())
            answers = await self._answers(await self._wait(state.batch_id))
            for sample_id, conversation in list(state.conversations.items()):
                spec = todo[sample_id]
                record = self._advance(spec, keys[sample_id], conversation,
                                       answers.get(sample_id))
                if record is not None:
                    results[sample_id] = await self._keep(spec, record)
                    del state.conversations[sample_id]
            state.batch_id, state.round = None, state.round + 1
            atomic_write_text(path, state.model_dump_json())
        path.unlink(missing_ok=True)
        return results

    def _line(self, spec: SampleSpec, conversation: Conversation) -> str:
        turn = len(conversation.replies)
        body: dict[str, Any] = {
            "model": self._model,
            "messages": [*(m.model_dump() for m in conversation.messages),
                         {"role": "user", "content": spec.turns[turn]}],
            "temperature": self.sampling.temperature,
            "seed": spec.provider_seed,
        }
        if self.sampling.max_tokens is not None:
            body["max_tokens"] = self.sampling.max_tokens
        if spec.response_format is not None and turn >= spec.question_turn:
            body["response_format"] = spec.response_format
        return json.dumps({"custom_id": spec.id, "method": "POST", "url": ENDPOINT,
                           "body": body}, ensure_ascii=False)

    async def _submit(self, state: BatchState, todo: dict[str, SampleSpec]) -> str:
        lines = [self._line(todo[i], c) for i, c in state.conversations.items()]
        data = "".join(f"{line}\n" for line in lines).encode("utf-8")
        upload = await self._call(lambda: self._litellm.acreate_file(
            file=(f"gatekeeper-round-{state.round}.jsonl", data), purpose="batch",
            **self._route))
        job = await self._call(lambda: self._litellm.acreate_batch(
            completion_window="24h", endpoint=ENDPOINT, input_file_id=upload.id,
            metadata={"gatekeeper_round": str(state.round)}, **self._route))
        self.stats.requests += len(lines)
        batch_id: str = job.id
        return batch_id

    async def _wait(self, batch_id: str) -> Any:
        delay = FIRST_POLL
        while True:
            job = await self._call(lambda: self._litellm.aretrieve_batch(
                batch_id=batch_id, **self._route))
            if job.status in TERMINAL:
                return job
            await asyncio.sleep(delay)
            delay = min(LAST_POLL, delay * 2)

    async def _answers(self, job: Any) -> dict[str, tuple[int, dict[str, Any]]]:
        """Every line the job answered, by sample id: (HTTP status, body)."""
        answers: dict[str, tuple[int, dict[str, Any]]] = {}
        for file_id in (job.output_file_id, job.error_file_id):
            if not file_id:
                continue
            content = await self._call(_bind(self._litellm.afile_content, file_id=file_id,
                                             **self._route))
            for raw in content.content.decode("utf-8").splitlines():
                if raw.strip():
                    line = json.loads(raw)
                    response = line.get("response") or {}
                    answers[line["custom_id"]] = (int(response.get("status_code") or 0),
                                                  response.get("body") or line.get("error")
                                                  or {})
        return answers

    def _advance(self, spec: SampleSpec, key: str, conversation: Conversation,
                 answer: tuple[int, dict[str, Any]] | None) -> StoredSample | None:
        """Apply one round's answer; the finished record once the conversation ends."""
        turn = len(conversation.replies)
        conversation.attempts += 1
        text = _reply(answer)
        if text is not None and answer is not None:
            conversation.messages += [StoredMessage(role="user", content=spec.turns[turn]),
                                      StoredMessage(role="assistant", content=text)]
            conversation.replies.append(text)
            conversation.failed_turn = 0
            fingerprint = answer[1].get("system_fingerprint")
            if isinstance(fingerprint, str) and fingerprint not in conversation.fingerprints:
                conversation.fingerprints.append(fingerprint)
                self.stats.fingerprints.add(fingerprint)
            if len(conversation.replies) < len(spec.turns):
                return None
            return self._record(spec, key, conversation, None)
        conversation.failed_turn += 1
        status = answer[0] if answer is not None else "no answer"
        conversation.detail = f"batch line failed ({status}): {_error(answer)}"[:300]
        self.stats.throttled += status == 429
        if conversation.failed_turn < self.settings.max_attempts:
            self.stats.retries += 1
            if self._on_retry:
                self._on_retry(spec, conversation.detail)
            return None
        conversation.messages.append(StoredMessage(role="user", content=spec.turns[turn]))
        return self._record(spec, key, conversation, "provider_error")

    def _record(self, spec: SampleSpec, key: str, conversation: Conversation,
                failure: Literal["provider_error"] | None) -> StoredSample:
        return StoredSample(
            key=key, sample_id=spec.id, model=self.backend.name,
            messages=conversation.messages, replies=conversation.replies, failure=failure,
            failure_detail=conversation.detail if failure else None,
            attempts=conversation.attempts, fingerprints=sorted(conversation.fingerprints))

    async def _call(self, make: Callable[[], Awaitable[T]]) -> T:
        """One litellm batch call, retried with back-off while the error is transient."""
        for attempt in range(1, self.settings.max_attempts + 1):
            try:
                return await make()
            except Exception as error:
                translated = translate_error(self._litellm, error)
                if isinstance(translated, PermanentError):
                    raise ProviderUnreachable(
                        f"the batch service refused: {translated.detail}") from error
                assert isinstance(translated, TransientError)
                if attempt == self.settings.max_attempts:
                    raise CollectionIncomplete(
                        f"the batch service did not answer ({translated.detail}); the job "
                        "is recorded in the cache directory: --resume continues it") from error
                await asyncio.sleep(min(self.settings.backoff_cap,
                                        self.settings.backoff * 2 ** (attempt - 1)))
        raise AssertionError("unreachable")


def _bind(function: Callable[..., Awaitable[Any]], **kwargs: Any,
          ) -> Callable[[], Awaitable[Any]]:
    return lambda: function(**kwargs)


def _reply(answer: tuple[int, dict[str, Any]] | None) -> str | None:
    if answer is None or answer[0] != 200:
        return None
    try:
        content = answer[1]["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        return None
    return content if isinstance(content, str) else ""


def _error(answer: tuple[int, dict[str, Any]] | None) -> str:
    if answer is None:
        return "the job returned no line for this request"
    error = answer[1].get("error")
    message = error.get("message") if isinstance(error, dict) else error
    return str(message or "malformed reply")
