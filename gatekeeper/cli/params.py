"""Option values checked where they are parsed: a typo is a usage error (exit 2), never an
internal error (exit 1) found halfway through a run, nor a bundle bound to a malformed digest."""

from __future__ import annotations

import click
from pydantic import TypeAdapter, ValidationError

from gatekeeper.bundle._base import Digest
from gatekeeper.collect.backends import SCRIPTED_PREFIX

_DIGEST = TypeAdapter(Digest)


def model_id(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A litellm id, or `scripted/<persona>` naming a persona that exists."""
    if value is not None and value.startswith(SCRIPTED_PREFIX):
        from gatekeeper.collect.personas import PERSONAS

        persona = value.removeprefix(SCRIPTED_PREFIX)
        if persona not in PERSONAS:
            raise click.BadParameter(
                f"unknown scripted persona {persona!r}; known: {', '.join(sorted(PERSONAS))}")
    return value


def weights_digest(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """`sha256:` and 64 lowercase hex digits, as `gatekeeper weights digest` prints it."""
    if value is not None:
        try:
            _DIGEST.validate_python(value)
        except ValidationError as error:
            raise click.BadParameter(f"{value!r} is not sha256:<64 lowercase hex>") from error
    return value
