"""Run a composite action's `run:` steps with bash, as the runner would, plus a fake GitHub API.

GitHub's runner itself cannot run here (no Docker, no github.com), so this harness does
what it does for a composite action: evaluate each step's `if:` and `env:` expressions
(only the forms action.yml uses: `inputs.x == 'y'` and one dotted context path), give each
step fresh GITHUB_OUTPUT/GITHUB_STEP_SUMMARY files, and run `run:` with `bash -e`. `uses:`
steps (setup-python) and the `install` step (pip install of the action) are skipped: the
test's own virtualenv stands in for the one `install` would build.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import yaml

REPO = Path(__file__).resolve().parents[2]
_EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")
_IF = re.compile(r"^inputs\.([\w-]+) == '([\w-]*)'$")


def read_outputs(path: Path) -> dict[str, str]:
    """Parse a $GITHUB_OUTPUT file as the runner does (`k=v` and `k<<DELIM` blocks)."""
    values: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").split("\n") if path.exists() else []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if "<<" in line:
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, index)
            values[name] = "\n".join(lines[index:end])
            index = end + 1
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


@dataclass
class StepRun:
    id: str
    returncode: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str


@dataclass
class ActionRun:
    steps: list[StepRun] = field(default_factory=list)

    def step(self, step_id: str) -> StepRun:
        return next(s for s in self.steps if s.id == step_id)


def _lookup(path: str, context: dict[str, Any]) -> str:
    value: Any = context
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return "" if value is None else str(value)


def run_action(inputs: dict[str, str], workspace: Path, event: dict[str, Any],
               event_name: str, temp: Path, extra_env: dict[str, str] | None = None,
               ) -> ActionRun:
    """Run action.yml's steps in `workspace` for `event`; stop at the first failing step."""
    action = yaml.safe_load((REPO / "action.yml").read_text())
    given = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    given |= inputs
    temp.mkdir(parents=True, exist_ok=True)
    event_path = temp / "event.json"
    event_path.write_text(json.dumps(event))
    venv = temp / "gatekeeper-venv"
    if not venv.exists():  # what the skipped `install` step would have built
        venv.symlink_to(REPO / ".venv")
    context: dict[str, Any] = {
        "inputs": given, "github": {"event": event, "event_name": event_name,
                                    "repository": event["repository"]["full_name"],
                                    "action_path": str(REPO), "token": "test-token"},
        "runner": {"temp": str(temp)}, "steps": {},
    }
    for name, value in given.items():  # defaults may be expressions (`${{ github.token }}`)
        given[name] = _EXPRESSION.sub(lambda m: _lookup(m.group(1), context), value)
    run = ActionRun()
    for index, step in enumerate(action["runs"]["steps"]):
        step_id = step.get("id", f"step-{index}")
        if "uses" in step or step_id == "install":
            continue
        condition = step.get("if")
        if condition:
            match = _IF.match(condition)
            assert match, f"harness cannot evaluate if: {condition}"
            if given[match.group(1)] != match.group(2):
                continue
        files = temp / f"{step_id}.files"
        files.mkdir(exist_ok=True)
        output, summary = files / "output", files / "summary"
        env = {
            "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(temp)),
            "GITHUB_ACTIONS": "true", "GITHUB_EVENT_PATH": str(event_path),
            "GITHUB_EVENT_NAME": event_name, "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary), "RUNNER_TEMP": str(temp),
            "GITHUB_REPOSITORY": context["github"]["repository"],
            "GITHUB_SERVER_URL": "https://github.example", "GITHUB_RUN_ID": "4242",
            "LITELLM_LOCAL_MODEL_COST_MAP": "True", **(extra_env or {}),
        }
        for name, value in (step.get("env") or {}).items():
            env[name] = _EXPRESSION.sub(lambda m: _lookup(m.group(1), context), str(value))
        assert "${{" not in step["run"], f"step {step_id} interpolates into run:"
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=workspace, env=env,
                              capture_output=True, text=True, timeout=600, check=False)
        outputs = read_outputs(output)
        context["steps"][step_id] = {"outputs": outputs}
        run.steps.append(StepRun(step_id, done.returncode, done.stdout, done.stderr, outputs,
                                 summary.read_text() if summary.exists() else ""))
        if done.returncode != 0:
            break
    return run


class FakeGitHub:
    """GitHub's REST endpoints the comment job uses, on loopback, remembering comments."""

    def __init__(self, repository: str, pulls: list[dict[str, Any]]) -> None:
        self.repository = repository
        self.pulls = pulls
        self.comments: dict[int, list[dict[str, Any]]] = {}
        self.requests: list[tuple[str, str]] = []
        self._next = 100
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add_comment(self, number: int, login: str, body: str) -> int:
        self._next += 1
        self.comments.setdefault(number, []).append(
            {"id": self._next, "user": {"login": login}, "body": body})
        return self._next

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _reply(self, status: int, payload: Any) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _route(self, method: str) -> None:
                fake.requests.append((method, self.path))
                if self.headers.get("Authorization") != "Bearer test-token":
                    return self._reply(401, {"message": "Bad credentials"})
                url = urlparse(self.path)
                prefix = f"/repos/{fake.repository}"
                path = url.path.removeprefix(prefix)
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                if method == "GET" and path == "/pulls":
                    head = parse_qs(url.query).get("head", [""])[0]
                    return self._reply(200, [p for p in fake.pulls if p["head_label"] == head])
                match = re.fullmatch(r"/issues/(\d+)/comments", path)
                if match and method == "GET":
                    return self._reply(200, fake.comments.get(int(match.group(1)), []))
                if match and method == "POST":
                    new = fake.add_comment(int(match.group(1)), "github-actions[bot]",
                                           body["body"])
                    return self._reply(201, {"id": new})
                match = re.fullmatch(r"/issues/comments/(\d+)", path)
                if match and method == "PATCH":
                    for comments in fake.comments.values():
                        for comment in comments:
                            if comment["id"] == int(match.group(1)):
                                comment["body"] = body["body"]
                                return self._reply(200, comment)
                return self._reply(404, {"message": "Not Found"})

            def do_GET(self) -> None:
                self._route("GET")

            def do_POST(self) -> None:
                self._route("POST")

            def do_PATCH(self) -> None:
                self._route("PATCH")

        return Handler
