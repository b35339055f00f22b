"""Errors that map onto exit codes: bad input (2) and internal failures (1), never a verdict."""

from __future__ import annotations


class GatekeeperError(Exception):
    """Base class; `exit_code` says how the CLI ends."""

    exit_code = 1


class InvalidInput(GatekeeperError):
    """Input a user can fix: the message names the file and the JSON path or YAML line."""

    exit_code = 2

    def __init__(self, file: str, location: str, problem: str) -> None:
        self.file = file
        self.location = location
        self.problem = problem
        super().__init__(f"{file}: {location}: {problem}")


class EngineError(GatekeeperError):
    """The policy engine crashed, failed to compile, or returned no usable verdict."""

    exit_code = 1


class PolicyError(GatekeeperError):
    """A policy file that cannot be read or compiled: fixable by the user, so exit 2."""

    exit_code = 2


class ProviderUnreachable(GatekeeperError):
    """The model (or judge) could not be reached before collecting: key, model id, endpoint.

    Exit 2: the operator fixes it (a wrong key or a typo'd model is input they gave).
    """

    exit_code = 2


class CollectionIncomplete(GatekeeperError):
    """Too many samples ended in provider errors: the evidence is not what was asked for.

    The bundle is still written (so `--resume` can finish it), but the run does not exit 0.
    """

    exit_code = 1


class UsageError(GatekeeperError):
    """Options that do not go together (e.g. `--engine opa-server` without `--opa-url`)."""

    exit_code = 2


COLLECT_EXTRA = frozenset({"litellm", "rich"})
"""Import names of the `collect` extra in pyproject.toml (a test keeps the two in step)."""


class MissingExtra(UsageError):
    """A command needs the `collect` extra, which this install lacks: the operator adds it."""

    def __init__(self, module: str) -> None:
        super().__init__(f"this command needs the `collect` extra ({module} is not installed): "
                         "pip install 'gatekeeper-release[collect]'")


def missing_extra(error: ModuleNotFoundError) -> MissingExtra | None:
    """The `collect` extra's module that `error` could not import, if that is what it is."""
    module = (error.name or "").partition(".")[0]
    return MissingExtra(module) if module in COLLECT_EXTRA else None
