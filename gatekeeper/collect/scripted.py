"""In-process backend for `scripted/<persona>`: answers without network, key or litellm."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gatekeeper.collect.backends import Completion, Messages, PermanentError
from gatekeeper.collect.personas import PERSONAS, PromptIndex, reply
from gatekeeper.collect.suite import ProbeSuite


class ScriptedBackend:
    def __init__(self, persona: str, suites: Iterable[ProbeSuite] = ()) -> None:
        if persona not in PERSONAS:
            raise PermanentError(f"unknown scripted persona {persona!r}; known: {sorted(PERSONAS)}")
        self.name = f"scripted/{persona}"
        self.persona = PERSONAS[persona]
        self.index = PromptIndex.of(suites)

    def learn(self, suites: Iterable[ProbeSuite]) -> None:
        """Let the persona recognise prompts of these suites."""
        self.index = PromptIndex.of([*suites])

    def supports_structured(self) -> bool:
        """Personas answer in tags unless a schema is forced (`--answer-format structured`)."""
        return False

    async def complete(self, messages: Messages, *, seed: int, temperature: float,
                       max_tokens: int | None, timeout: float,
                       response_format: dict[str, Any] | None = None) -> Completion:
        text = reply(self.persona, self.index, messages, seed,
                     structured=response_format is not None)
        return Completion(text, self.name)

    async def aclose(self) -> None:
        return None
