"""Upsert the sticky pull-request comment through GitHub's REST API (issues comments).

The comment is ours when its author is the workflow's bot and its body starts with the
marker: a pull request author who pastes the marker into a comment of their own cannot
make the gate overwrite (or hide behind) it.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from gatekeeper.errors import GatekeeperError
from gatekeeper.report.markdown import MARKER

BOT = "github-actions[bot]"


@dataclass(frozen=True)
class GitHubApi:
    base_url: str
    token: str
    repository: str

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        url = f"{self.base_url.rstrip('/')}/repos/{self.repository}{path}"
        if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise GatekeeperError(f"refusing a GitHub API URL that is not https: {url}")
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            url, method=method, data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Bearer {self.token}",
                     "Accept": "application/vnd.github+json",
                     "X-GitHub-Api-Version": "2022-11-28",
                     "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                return json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            raise GatekeeperError(f"GitHub API {method} {path}: HTTP {error.code} "
                                  f"{error.reason} (does the token have pull-requests: "
                                  "write?)") from error

    def pull_request_for(self, head_owner: str, head_branch: str, head_sha: str) -> int | None:
        """The open pull request whose head is this commit (a fork's workflow_run lists none)."""
        query = urllib.parse.urlencode({"state": "open", "head": f"{head_owner}:{head_branch}"})
        for pull in self.call("GET", f"/pulls?{query}"):
            if pull.get("head", {}).get("sha") == head_sha:
                return int(pull["number"])
        return None

    def upsert_comment(self, number: int, body: str, bot: str = BOT) -> tuple[str, int]:
        """('updated'|'created', comment id): edit our marked comment, or add the first one."""
        page = 1
        while True:
            comments = self.call("GET", f"/issues/{number}/comments?per_page=100&page={page}")
            for comment in comments:
                if (comment.get("user", {}).get("login") == bot
                        and str(comment.get("body", "")).startswith(MARKER)):
                    self.call("PATCH", f"/issues/comments/{comment['id']}", {"body": body})
                    return "updated", int(comment["id"])
            if len(comments) < 100:
                break
            page += 1
        created = self.call("POST", f"/issues/{number}/comments", {"body": body})
        return "created", int(created["id"])
