"""OPA server engine: the same policy files evaluated by a real OPA over its REST API.

Two ways to use a server, chosen automatically on the first evaluation:

* **Upload mode** (a dedicated or sidecar OPA): every module is uploaded exactly as it was
  hashed (`PUT /v1/policies/<prefix>/<path>`, never rewritten: `rego_compat=False`), stale
  modules under our prefix are deleted, and the data tree is written at `data.gatekeeper`
  only. Modules of other clients that declare a `gatekeeper…` package would change the
  decision, so they are refused rather than evaluated alongside ours. The server must serve
  one Gatekeeper policy set at a time: two clients uploading different sets concurrently
  would interfere (use a bundle for fleets).
* **Bundle mode** (a fleet that runs `opa run --server --bundle gatekeeper-policy.tar.gz`,
  built by `gatekeeper policy bundle`): when an activated bundle owns the `gatekeeper`
  root, nothing is uploaded; its manifest must carry our local policy digest
  (`metadata.gatekeeper.policy_digest`), and every answer's provenance must name the same
  bundle revision, so the policies that decided are the ones in the audit trail.

Every failure (refused connection, timeout, HTTP error, non-JSON, undefined decision)
raises EngineError: exit 1, never an approval. `decision_id` is returned when the server
has decision logging enabled (e.g. `--set decision_logs.console=true`).
"""

from __future__ import annotations

from typing import Any, NoReturn
from urllib.parse import quote, urlsplit

import requests
from opa_client.opa import OpaClient
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from gatekeeper.engines.base import DECISION_QUERY_PATH, EngineAnswer, PolicySet
from gatekeeper.engines.opa_answer import QUERY_PARAMETERS, decision_of, served_revision
from gatekeeper.engines.opa_settings import TIMEOUT_VARIABLE, timeout_from_environment
from gatekeeper.errors import EngineError, PolicyError

ROOT = "gatekeeper"
"""The only data/package root Gatekeeper reads or writes on a server."""

DEFAULT_PREFIX = "gatekeeper-engine"
"""Policy ids we own on the server: `<prefix>/<module path>`."""

BUNDLE_DIGEST_KEY = "policy_digest"
"""`.manifest` → `metadata.gatekeeper.policy_digest` (see gatekeeper.policy.bundle)."""


def parse_url(url: str) -> tuple[str, int, bool]:
    """(host, port, https) of an OPA base URL such as `http://127.0.0.1:8181`."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EngineError(f"--opa-url {url!r} is not an http(s) URL like http://127.0.0.1:8181")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise EngineError(f"--opa-url {url!r}: give the server's base URL without a path")
    try:
        port = parts.port
    except ValueError as error:
        raise EngineError(f"--opa-url {url!r}: bad port") from error
    https = parts.scheme == "https"
    return parts.hostname, port or (443 if https else 8181), https


def _under_root(path: str) -> bool:
    """Does an OPA path or bundle root (`a/b`, `data.a.b`, `/v1/data/a/b`) touch ours?"""
    cleaned = path.strip()
    for prefix in ("/v1/data/", "data."):
        if cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix):]
    cleaned = cleaned.replace(".", "/").strip("/")
    return cleaned == "" or cleaned == ROOT or cleaned.startswith(ROOT + "/")


def _owns_our_root(root: str) -> bool:
    cleaned = root.strip("/")
    return cleaned == "" or cleaned == ROOT or cleaned.startswith(ROOT + "/") or (
        ROOT.startswith(cleaned + "/")
    )


class OpaServerEngine:
    """`--engine opa-server --opa-url URL`: evaluate on a running OPA server."""

    name = "opa-server"

    def __init__(
        self,
        url: str,
        *,
        timeout: float | None = None,
        retries: int = 2,
        prefix: str = DEFAULT_PREFIX,
    ) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout if timeout is not None else timeout_from_environment()
        host, port, https = parse_url(url)
        self.prefix = prefix.strip("/")
        self._client = OpaClient(
            host=host, port=port, ssl=https, retries=retries, timeout=self.timeout
        )
        # The client has no public call that returns the bundle status or the full policy
        # listing: those reads go through a session of ours, retried like the client's.
        self._reads = requests.Session()
        retry = Retry(total=retries, backoff_factor=0.3, status_forcelist=(500, 502, 504),
                      raise_on_status=False)
        for scheme in ("http://", "https://"):
            self._reads.mount(scheme, HTTPAdapter(max_retries=retry))
        self._prepared_digest: str | None = None
        self._bundle: tuple[str, str] | None = None  # (bundle name, revision) in bundle mode
        self.mode: str | None = None

    # -- error mapping -------------------------------------------------------------------

    def _fail(self, action: str, error: BaseException) -> NoReturn:
        where = f"OPA server at {self.url}"
        timed_out = isinstance(error, requests.exceptions.Timeout) or (
            # after urllib3's retries a timeout arrives wrapped in a ConnectionError
            isinstance(error, requests.exceptions.ConnectionError)
            and ("Read timed out" in str(error) or "ConnectTimeoutError" in str(error))
        )
        if timed_out:
            raise EngineError(
                f"{where} did not answer within {self.timeout:g}s while {action} "
                f"(set {TIMEOUT_VARIABLE} to wait longer)"
            ) from error
        if isinstance(error, requests.exceptions.ConnectionError):
            raise EngineError(
                f"cannot reach {where} while {action}: is it running? ({_short(error)})"
            ) from error
        if isinstance(error, requests.exceptions.HTTPError):
            response = error.response
            status = response.status_code if response is not None else "?"
            body = response.text[:300] if response is not None else ""
            raise EngineError(f"{where} answered HTTP {status} while {action}: {body}") from error
        if isinstance(error, ValueError):  # includes requests' JSONDecodeError
            raise EngineError(f"{where} sent a non-JSON answer while {action}: {error}") from error
        message = getattr(error, "message", None)
        detail = f"{message} ({getattr(error, 'expression', '')})" if message else repr(error)
        raise EngineError(f"{where} failed while {action}: {detail}") from error

    def _call(self, action: str, function: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except EngineError:
            raise
        except Exception as error:  # the client raises requests and its own plain errors
            self._fail(action, error)

    def _get_json(self, path: str, action: str) -> dict[str, Any]:
        """GET `/v1/<path>` (with the client's retries and timeout)."""

        def get() -> Any:
            response = self._reads.get(f"{self._client.root_url}/{path}", timeout=self.timeout)
            response.raise_for_status()
            return response.json()

        body = self._call(action, get)
        if not isinstance(body, dict):
            raise EngineError(f"OPA server at {self.url} sent {type(body).__name__} while {action}")
        return body

    # -- preparing the server ------------------------------------------------------------

    def _server_bundles(self) -> dict[str, Any]:
        body = self._get_json("data/system/bundles", "reading its bundles")
        bundles = body.get("result", {})
        return bundles if isinstance(bundles, dict) else {}

    def _use_bundle(self, policy: PolicySet, bundles: dict[str, Any]) -> bool:
        """Bundle mode when an activated bundle owns `gatekeeper`; check its digest."""
        for name, info in sorted(bundles.items()):
            manifest = info.get("manifest", {}) if isinstance(info, dict) else {}
            roots = manifest.get("roots", [""])
            if not any(_owns_our_root(str(root)) for root in roots):
                continue
            metadata = manifest.get("metadata") or {}
            ours = metadata.get(ROOT) if isinstance(metadata, dict) else None
            served = ours.get(BUNDLE_DIGEST_KEY) if isinstance(ours, dict) else None
            if served != policy.digest:
                raise EngineError(
                    f"OPA server at {self.url} serves bundle {name!r} (revision "
                    f"{manifest.get('revision')!r}) with policy digest {served!r}, but the local "
                    f"policy set is {policy.digest}: rebuild it with `gatekeeper policy bundle` "
                    "or evaluate with the same --policy-dir/--data"
                )
            self._bundle = (name, str(manifest.get("revision", "")))
            self.mode = "bundle"
            return True
        return False

    def _policies(self) -> list[dict[str, Any]]:
        body = self._get_json("policies", "listing its policies")
        result = body.get("result", [])
        return [p for p in result if isinstance(p, dict)] if isinstance(result, list) else []

    def _our_id(self, module_path: str) -> str:
        return f"{self.prefix}/{module_path}"

    def _upload(self, policy: PolicySet) -> None:
        extra_roots = sorted(k for k in policy.data if k != ROOT)
        if extra_roots:
            raise PolicyError(
                f"the OPA engine only manages data under `{ROOT}`; policy data also defines "
                f"{', '.join(extra_roots)}"
            )
        wanted = {self._our_id(m.path): m.text for m in policy.modules}
        for existing in self._policies():
            policy_id = str(existing.get("id", ""))
            if policy_id.startswith(self.prefix + "/"):
                if policy_id not in wanted:
                    self._call(
                        f"deleting stale module {policy_id}",
                        self._client.delete_policy,
                        quote(policy_id, safe="/"),
                    )
                continue
            package = _package_of(existing)
            if _under_root(package):
                raise EngineError(
                    f"OPA server at {self.url} already has module {policy_id!r} in package "
                    f"{package}; it would change Gatekeeper's decision. Use a dedicated server "
                    f"(or delete that module), or load a `gatekeeper policy bundle`"
                )
        pending = list(wanted.items())
        while pending:
            failed: list[tuple[str, str, BaseException]] = []
            for policy_id, text in pending:
                try:
                    self._client.update_policy_from_string(
                        text, quote(policy_id, safe="/"), rego_compat=False
                    )
                except Exception as error:  # order matters for functions across modules
                    failed.append((policy_id, text, error))
            if len(failed) == len(pending):
                policy_id, _, first = failed[0]
                if isinstance(first, requests.exceptions.RequestException | ValueError):
                    self._fail(f"uploading {policy_id}", first)
                raise PolicyError(f"OPA rejected {policy_id}: {first}") from first
            pending = [(policy_id, text) for policy_id, text, _ in failed]
        self._call(
            "writing the policy data",
            self._client.update_or_create_data,
            policy.data.get(ROOT, {}),
            ROOT,
        )
        # Read back: the server must hold exactly the texts that were hashed, and no
        # foreign module may have appeared under our root meanwhile.
        served = {str(p.get("id")): p.get("raw") for p in self._policies()}
        for policy_id, text in wanted.items():
            if served.get(policy_id) != text:
                raise EngineError(
                    f"OPA server at {self.url} does not hold {policy_id} as uploaded "
                    "(another client may be using the same server)"
                )
        self.mode = "upload"

    def _activate(self, policy: PolicySet) -> None:
        """Make the server evaluate `policy` (once per policy digest per engine)."""
        if self._prepared_digest == policy.digest:
            return
        self._bundle = None
        if not self._use_bundle(policy, self._server_bundles()):
            self._upload(policy)
        self._prepared_digest = policy.digest

    # -- evaluation ----------------------------------------------------------------------

    def prepare(self, policy: PolicySet) -> ServerPrepared:
        """Activate `policy` on the server now, so that a refusal surfaces before any input."""
        self._activate(policy)
        return ServerPrepared(self, policy)

    def answer(self, policy: PolicySet, input_document: dict[str, Any]) -> EngineAnswer:
        """Evaluate on the server, activating `policy` again if another set replaced it."""
        self._activate(policy)
        package, rule = DECISION_QUERY_PATH.rsplit("/", 1)
        body = self._call(
            "evaluating the decision",
            self._client.query_rule,
            input_document,
            package,
            rule,
            QUERY_PARAMETERS,
        )
        result, version = decision_of(body, f"OPA server at {self.url}")
        if self._bundle is not None:
            name, revision = self._bundle
            served = served_revision(body, name)
            if served != revision:
                self._prepared_digest = None
                raise EngineError(
                    f"OPA server at {self.url} answered from bundle {name!r} revision "
                    f"{served!r}, expected {revision!r}: the bundle changed during evaluation"
                )
        engine_version = f"opa {version}" if version else f"opa-server {self.url}"
        if self._bundle is not None:
            engine_version += f" (bundle {self._bundle[0]} revision {self._bundle[1]})"
        decision_id = body.get("decision_id")
        return EngineAnswer(
            result=result,
            engine_version=engine_version,
            decision_id=decision_id if isinstance(decision_id, str) else None,
        )

    def close(self) -> None:
        self._client.close_connection()
        self._reads.close()


class ServerPrepared:
    """A policy set activated on an external server (which holds one set at a time)."""

    def __init__(self, engine: OpaServerEngine, policy: PolicySet) -> None:
        self._engine = engine
        self._policy = policy

    def evaluate(self, input_document: dict[str, Any]) -> EngineAnswer:
        return self._engine.answer(self._policy, input_document)

    def close(self) -> None:
        self._engine.close()


def _package_of(policy: dict[str, Any]) -> str:
    """`data.a.b` for a policy listed by `GET /v1/policies` (from its AST)."""
    ast = policy.get("ast")
    path = ast.get("package", {}).get("path", []) if isinstance(ast, dict) else []
    names = [str(part.get("value")) for part in path if isinstance(part, dict)]
    return ".".join(names)


def _short(error: BaseException) -> str:
    text = str(error)
    if "Connection refused" in text:
        return "connection refused"
    return text[:200]
