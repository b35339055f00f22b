"""The GitHub event payloads the gate reads: a pull request's origin, a workflow run's PR.

Only the fields used are modelled; GitHub's payloads carry many more, which are ignored
(they are GitHub's format, not ours). A head repository that is gone (a deleted fork)
reads as a fork: fail closed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from gatekeeper.bundle.documents import load_json
from gatekeeper.bundle.validation import validate
from gatekeeper.limits import EVENT_BYTES

PULL_REQUEST_SCHEMA = "github-pull-request-event.schema.json"
WORKFLOW_RUN_SCHEMA = "github-workflow-run-event.schema.json"


class _Payload(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class Repository(_Payload):
    full_name: str = Field(min_length=3, pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


class Head(_Payload):
    sha: str = Field(pattern=r"^[0-9a-f]{40}([0-9a-f]{24})?$")
    ref: str = Field(min_length=1)
    repo: Repository | None = Field(description="null when the head repository was deleted")


class PullRequest(_Payload):
    number: int = Field(ge=1)
    head: Head
    base: Head


class PullRequestEvent(_Payload):
    """`$GITHUB_EVENT_PATH` of a `pull_request` or `pull_request_target` run."""

    pull_request: PullRequest
    repository: Repository

    def context(self) -> dict[str, Any]:
        """What the policies see as `input.context.pull_request`."""
        head = self.pull_request.head.repo
        return {
            "number": self.pull_request.number,
            "base_repository": self.repository.full_name,
            "head_repository": head.full_name if head else None,
            "from_fork": head is None or head.full_name != self.repository.full_name,
        }


class RunPullRequest(_Payload):
    number: int = Field(ge=1)


class WorkflowRun(_Payload):
    id: int = Field(ge=1)
    event: str
    head_sha: str = Field(pattern=r"^[0-9a-f]{40}([0-9a-f]{24})?$")
    head_branch: str | None
    head_repository: Repository | None
    pull_requests: list[RunPullRequest] = Field(description="empty for fork pull requests")


class WorkflowRunEvent(_Payload):
    """`$GITHUB_EVENT_PATH` of a `workflow_run` run (the trusted comment job)."""

    workflow_run: WorkflowRun
    repository: Repository

    @property
    def from_fork(self) -> bool:
        head = self.workflow_run.head_repository
        return head is None or head.full_name != self.repository.full_name


def load_pull_request_event(path: Path) -> PullRequestEvent:
    return validate(load_json(path, EVENT_BYTES), PULL_REQUEST_SCHEMA, PullRequestEvent, str(path))


def load_workflow_run_event(path: Path) -> WorkflowRunEvent:
    return validate(load_json(path, EVENT_BYTES), WORKFLOW_RUN_SCHEMA, WorkflowRunEvent, str(path))
