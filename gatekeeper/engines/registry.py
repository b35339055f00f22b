"""Engine names for `--engine`, and the factory that builds one.

`opa` (the default) is the real OPA, started privately; with `--opa-url` it means the
external server, as it always has. When no OPA binary exists, `opa` falls back to regopy
and says so in the engine version that the result and the ledger record.
"""

from __future__ import annotations

from gatekeeper.engines.base import Engine
from gatekeeper.engines.opa_settings import no_opa_reason
from gatekeeper.errors import EngineError, UsageError

DEFAULT_ENGINE = "opa"
_HELP = {
    "opa": "the real OPA: a private server per run (external with --opa-url); "
           "falls back to regopy, reported, when no OPA binary is installed",
    "opa-server": "an OPA server you run, at --opa-url",
    "regopy": "regopy (rego-cpp) in-process; not OPA's exact semantics",
    "both": "regopy and OPA (private, or --opa-url) must agree, else exit 1",
    "embedded": "old name of regopy",
}


def engine_names() -> list[str]:
    return list(_HELP)


def engine_help() -> str:
    return "; ".join(f"{name}: {text}" for name, text in _HELP.items()) + "."


def _regopy(fallback_reason: str | None = None) -> Engine:
    from gatekeeper.engines.regopy_engine import RegopyEngine  # imports rego-cpp: only here

    return RegopyEngine(fallback_reason)


def _opa(opa_url: str | None) -> Engine | None:
    """OPA at `opa_url`, else a private one; None when no OPA binary is installed."""
    if opa_url:
        from gatekeeper.engines.opa_server import OpaServerEngine

        return OpaServerEngine(opa_url)
    from gatekeeper.engines.opa_private import PrivateOpaEngine
    from gatekeeper.engines.opa_settings import find_opa

    binary = find_opa()
    return PrivateOpaEngine(binary) if binary is not None else None


def make_engine(name: str, opa_url: str | None = None) -> Engine:
    """Build the named engine; only the chosen one is imported."""
    if name not in _HELP:
        raise UsageError(f"unknown engine {name!r}; choose one of {', '.join(_HELP)}")
    if name == "opa-server" and not opa_url:
        raise UsageError("--engine opa-server needs --opa-url (e.g. http://127.0.0.1:8181)")
    if name in ("regopy", "embedded") and opa_url:
        raise UsageError(f"--opa-url is for the OPA engines, not --engine {name}")
    if name in ("regopy", "embedded"):
        return _regopy()
    opa = _opa(opa_url)
    if name == "both":
        from gatekeeper.engines.differential import BothEngines

        if opa is None:
            raise EngineError(f"--engine both needs OPA: {no_opa_reason()}")
        return BothEngines(_regopy(), opa)
    return opa if opa is not None else _regopy(fallback_reason=no_opa_reason())
