"""`collect --dry-run`: what a collection would send and roughly what it would cost, offline.

Requests are counted exactly (every turn of every sample is one request, because each
reply is part of the next request); tokens are counted with litellm's tokenizer on the
real prompts, with each earlier reply assumed to be `reply_tokens` long; the price comes
from litellm's local cost map (never fetched), or is reported as unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gatekeeper.collect.backends import SCRIPTED_PREFIX
from gatekeeper.collect.litellm_backend import load_litellm
from gatekeeper.collect.plan import SampleSpec

ASSUMED_REPLY_TOKENS = 400
"""Reply length assumed when --max-tokens is not given: a hedged paragraph or three."""


@dataclass(frozen=True)
class Estimate:
    model: str
    samples: int
    requests: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float | None
    reply_tokens: int

    def lines(self) -> list[str]:
        cost = (f"${self.cost_usd:,.2f}" if self.cost_usd is not None
                else "unknown (the model is not in litellm's local cost map)")
        return [
            f"model:             {self.model}",
            f"samples:           {self.samples}",
            f"requests:          {self.requests}",
            f"prompt tokens:     ~{self.prompt_tokens:,}",
            f"completion tokens: ~{self.completion_tokens:,} "
            f"(assuming {self.reply_tokens} per reply)",
            f"estimated cost:    {cost}",
        ]


def estimate(model: str, specs: Sequence[SampleSpec], max_tokens: int | None) -> Estimate:
    litellm = load_litellm()
    reply = max_tokens or ASSUMED_REPLY_TOKENS
    counted: dict[str, int] = {}

    def tokens(text: str) -> int:
        if text not in counted:
            counted[text] = int(litellm.token_counter(model=model, text=text))
        return counted[text]

    requests = prompt = 0
    for spec in specs:
        history = 0
        for turn in spec.turns:
            history += tokens(turn)
            requests += 1
            prompt += history
            history += reply
    completion = requests * reply
    if model.startswith(SCRIPTED_PREFIX):
        return Estimate(model, len(specs), requests, prompt, completion, 0.0, reply)
    try:
        prompt_cost, completion_cost = litellm.cost_per_token(
            model=model, prompt_tokens=prompt, completion_tokens=completion)
        cost: float | None = float(prompt_cost) + float(completion_cost)
    except Exception:  # litellm raises for models missing from its cost map
        cost = None
    return Estimate(model, len(specs), requests, prompt, completion, cost, reply)
