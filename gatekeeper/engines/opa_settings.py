"""OPA settings from the environment: which OPA binary to run, how long to wait for it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from gatekeeper.errors import EngineError

OPA_VARIABLE = "GATEKEEPER_OPA"
_BUILT = Path(__file__).resolve().parents[2] / ".tools" / "bin" / "opa"
"""Where `scripts/setup.sh` builds OPA from source in a checkout."""


def find_opa() -> Path | None:
    """The OPA binary to run, or None when none is installed.

    An explicit `$GATEKEEPER_OPA` that does not exist is an error, not a reason to look
    elsewhere: the operator asked for that binary.
    """
    chosen = os.environ.get(OPA_VARIABLE)
    if chosen:
        path = Path(chosen)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise EngineError(f"{OPA_VARIABLE}={chosen!r} is not an executable file")
        return path
    if _BUILT.is_file() and os.access(_BUILT, os.X_OK):
        return _BUILT
    found = shutil.which("opa")
    return Path(found) if found else None


def no_opa_reason() -> str:
    return (f"no OPA binary found (set {OPA_VARIABLE}, put `opa` on PATH, or run "
            "`bash scripts/setup.sh` in a checkout)")


DEFAULT_TIMEOUT = 5.0
TIMEOUT_VARIABLE = "GATEKEEPER_OPA_TIMEOUT"


def timeout_from_environment() -> float:
    """Seconds to wait for one OPA answer (`$GATEKEEPER_OPA_TIMEOUT`, default 5)."""
    raw = os.environ.get(TIMEOUT_VARIABLE)
    if raw is None:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError as error:
        raise EngineError(f"{TIMEOUT_VARIABLE}={raw!r} is not a number of seconds") from error
    if not value > 0:
        raise EngineError(f"{TIMEOUT_VARIABLE} must be positive, got {raw!r}")
    return value
