"""Default engine: a private OPA server that Gatekeeper starts, feeds one bundle, and stops.

Why a private server (see docs/engine-choice.md for the measurements): decisions get OPA's
exact semantics, every built-in included, at ~2 ms each once the server is up (~50 ms).

* The policy set is written as the same reproducible OPA bundle `gatekeeper policy bundle`
  builds and activated once, at start-up (`opa run --server --bundle`): nothing is
  uploaded per call, and OPA refuses REST writes under a bundle's root, so the activated
  policy cannot be changed behind the gate's back.
* The server listens on a unix socket in a fresh 0700 directory, never on a TCP port:
  no other local user can query it or reach its unauthenticated API.
* Every answer's provenance must name the bundle revision = the policy digest.
* One process per prepared policy set; `close()` stops it, and on Linux the kernel stops
  it too if Gatekeeper dies first (`PR_SET_PDEATHSIG`). A failed evaluation stops it, and
  the next evaluation starts a fresh one.

Start-up is overlapped with the caller's own work: `prepare` only spawns the process, and
the first `evaluate` waits until it is healthy.
"""

from __future__ import annotations

import ctypes
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from gatekeeper.engines.base import DECISION_QUERY_PATH, EngineAnswer, PolicySet
from gatekeeper.engines.opa_answer import QUERY_PARAMETERS, decision_of, served_revision
from gatekeeper.engines.opa_settings import TIMEOUT_VARIABLE, timeout_from_environment
from gatekeeper.errors import EngineError, PolicyError
from gatekeeper.policy.bundle import build_bundle

START_TIMEOUT = 30.0
_POLL = 0.002
_QUERY = f"/v1/data/{DECISION_QUERY_PATH}?{urlencode(QUERY_PARAMETERS)}"
_SOCKET_PATH_LIMIT = 100  # sun_path holds 108 bytes on Linux, 104 on macOS


class _UnixConnection(http.client.HTTPConnection):
    """HTTP/1.1 with keep-alive over a unix socket (stdlib only)."""

    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(self.timeout)
        connection.connect(self._path)
        self.sock = connection


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the parent dies (Linux prctl)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _private_directory() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="gatekeeper-opa-"))
    if len(str(folder / "opa.sock")) <= _SOCKET_PATH_LIMIT:
        return folder
    folder.rmdir()  # $TMPDIR too deep for a socket path: use /tmp
    return Path(tempfile.mkdtemp(prefix="gatekeeper-opa-", dir="/tmp"))


PRIVATE_TIMEOUT = 30.0
"""Seconds to wait for a private OPA's answer unless $GATEKEEPER_OPA_TIMEOUT says otherwise:
it is a local process (a decision takes ~2 ms), so only a wedged or starved one is slower."""


class PrivateOpaEngine:
    """`--engine opa` (the default): the real OPA, started privately per policy set."""

    name = "opa"

    def __init__(self, binary: Path, *, timeout: float | None = None) -> None:
        self.binary = binary
        if timeout is None:
            timeout = timeout_from_environment() if os.environ.get(TIMEOUT_VARIABLE) else (
                PRIVATE_TIMEOUT)
        self.timeout = timeout

    def prepare(self, policy: PolicySet) -> PrivateOpa:
        return PrivateOpa(self.binary, policy, self.timeout)


class PrivateOpa:
    """One `opa run --server` process serving one policy set on a private unix socket.

    A failed evaluation stops the process (it may be wedged); the next one starts a fresh
    process with the same bundle, so one hiccup fails one decision, not a whole replay.
    """

    def __init__(self, binary: Path, policy: PolicySet, timeout: float) -> None:
        self.binary = binary
        self.policy = policy
        self.timeout = timeout
        self._bundle = build_bundle(policy)
        self._closed = False
        self._process: subprocess.Popen[bytes] | None = None
        self._connection: _UnixConnection | None = None
        self._spawn()

    # -- lifecycle -----------------------------------------------------------------------

    def _spawn(self) -> None:
        self._folder = _private_directory()
        bundle = self._folder / "bundle.tar.gz"
        bundle.write_bytes(self._bundle)
        self._bundle_name = str(bundle)
        self._socket = str(self._folder / "opa.sock")
        self._log = self._folder / "opa.log"
        with self._log.open("wb") as log:
            try:
                self._process = subprocess.Popen(
                    [str(self.binary), "run", "--server", "--bundle", str(bundle),
                     "--addr", f"unix://{self._socket}", "--unix-socket-perm", "600",
                     "--log-level", "error", "--skip-version-check",
                     "--shutdown-grace-period", "0"],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                    preexec_fn=_die_with_parent if sys.platform == "linux" else None,
                )
            except OSError as error:
                shutil.rmtree(self._folder, ignore_errors=True)
                raise EngineError(f"cannot start OPA ({self.binary}): {error}") from error

    def _started(self) -> _UnixConnection:
        """The connection, once the server answers `/health?bundles` (waits the first time)."""
        if self._connection is not None:
            return self._connection
        if self._closed:
            raise EngineError("the private OPA server was already stopped")
        if self._process is None:
            self._spawn()
        assert self._process is not None
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self._process.poll() is not None:
                self._refuse_start()
            try:
                connection = _UnixConnection(self._socket, self.timeout)
                connection.request("GET", "/health?bundles")
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    self._connection = connection
                    return connection
                connection.close()
            except (FileNotFoundError, ConnectionRefusedError):
                pass
            except OSError as error:
                self._stop()
                raise EngineError(f"the private OPA server is unreachable: {error}") from error
            if time.monotonic() > deadline:
                self._stop()
                raise EngineError(f"the private OPA server did not start in {START_TIMEOUT:g}s")
            time.sleep(_POLL)

    def _refuse_start(self) -> None:
        """The process exited before serving: a policy OPA rejects, or a broken binary."""
        log = self._log.read_text(errors="replace")
        code = self._process.returncode if self._process else None
        self.close()
        messages = [line for line in log.splitlines() if "error" in line.lower()]
        detail = "\n".join(messages[-20:]) or log[-2000:]
        if "rego_" in log or "bundle" in log.lower():
            raise PolicyError(f"OPA rejected the policy set:\n{detail}")
        raise EngineError(f"the private OPA server exited with code {code}:\n{detail}")

    def _stop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()  # stateless and private: nothing to flush
            self._process.wait()
            self._process = None
            shutil.rmtree(self._folder, ignore_errors=True)

    def close(self) -> None:
        self._closed = True
        self._stop()

    # -- evaluation ----------------------------------------------------------------------

    def evaluate(self, input_document: dict[str, Any]) -> EngineAnswer:
        try:
            body = json.dumps({"input": input_document}, ensure_ascii=False,
                              allow_nan=False).encode("utf-8")
        except (TypeError, ValueError) as error:
            raise EngineError(f"the input is not JSON: {error}") from error
        connection = self._started()
        try:
            connection.request("POST", _QUERY, body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as error:
            exited = self._process is None or self._process.poll() is not None
            self._stop()
            why = "exited" if exited else f"did not answer within {self.timeout:g}s"
            raise EngineError(f"the private OPA server {why} while evaluating: {error}") from error
        try:
            answer = json.loads(payload)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise EngineError(f"the private OPA server sent a non-JSON answer: {error}") from error
        if response.status != 200:
            message = answer.get("message") if isinstance(answer, dict) else answer
            raise EngineError(
                f"OPA failed to evaluate the decision (HTTP {response.status}): {message}"
            )
        result, version = decision_of(answer, "the private OPA server")
        if served_revision(answer, self._bundle_name) != self.policy.digest:
            raise EngineError("the private OPA server answered from another policy bundle")
        return EngineAnswer(result=result, engine_version=f"opa {version or 'unknown'}")
