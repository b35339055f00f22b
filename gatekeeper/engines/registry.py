"""Engine names for `--engine`, and the factory that builds one."""

from __future__ import annotations

from gatekeeper.engines.base import Engine
from gatekeeper.errors import EngineError, GatekeeperError


def engine_names() -> list[str]:
    return ["embedded", "opa", "both"]


def _require_url(name: str, opa_url: str | None) -> str:
    if not opa_url:
        raise EngineError(f"--engine {name} needs --opa-url (e.g. http://127.0.0.1:8181)")
    return opa_url


def make_engine(name: str, opa_url: str | None = None) -> Engine:
    """Build the named engine; only the chosen one is imported."""
    if name == "embedded":
        from gatekeeper.engines.embedded import EmbeddedEngine

        return EmbeddedEngine()
    if name == "opa":
        from gatekeeper.engines.opa_server import OpaServerEngine

        return OpaServerEngine(_require_url(name, opa_url))
    if name == "both":
        from gatekeeper.engines.differential import BothEngines
        from gatekeeper.engines.embedded import EmbeddedEngine
        from gatekeeper.engines.opa_server import OpaServerEngine

        return BothEngines(EmbeddedEngine(), OpaServerEngine(_require_url(name, opa_url)))
    raise GatekeeperError(f"unknown engine {name!r}")
