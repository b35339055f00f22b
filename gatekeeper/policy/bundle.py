"""Build an OPA bundle (`.tar.gz`) of a policy set, byte-for-byte reproducible.

Layout, as OPA loads it with `opa run --server --bundle FILE`:

* `/.manifest`: `revision` (the policy digest unless given), `roots: ["gatekeeper"]`,
  `rego_version: 1`, and `metadata.gatekeeper` = the policy digest and the (path, digest)
  of every hashed file, so a server can be checked against a local policy set
  (`gatekeeper.engines.opa_server` does) and a decision log's bundle revision traced back;
* every Rego module at its policy-set path (e.g. `/policies/gatekeeper/decision.rego`),
  exactly the bytes that were hashed;
* `/gatekeeper/data.json`: the merged data tree (defaults, `--policy-dir` data and
  `--data` overrides), i.e. what every engine sees as `data.gatekeeper`.

Entries are sorted, with mtime 0, uid/gid 0 and fixed modes; gzip carries no name or time.
"""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from gatekeeper.engines.base import PolicySet
from gatekeeper.errors import GatekeeperError, PolicyError

ROOT = "gatekeeper"
MANIFEST_DIGEST_KEY = "policy_digest"


def manifest(policy: PolicySet, revision: str | None = None) -> dict[str, Any]:
    return {
        "revision": revision or policy.digest,
        "roots": [ROOT],
        "rego_version": 1,
        "metadata": {
            ROOT: {
                MANIFEST_DIGEST_KEY: policy.digest,
                "files": [{"path": path, "digest": digest} for path, digest in policy.files],
            }
        },
    }


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


def bundle_files(policy: PolicySet, revision: str | None = None) -> dict[str, bytes]:
    """Path inside the bundle → content, before packing."""
    extra = sorted(key for key in policy.data if key != ROOT)
    if extra:
        raise PolicyError(
            f"a bundle holds data under `{ROOT}` only (its root); the policy data also "
            f"defines {', '.join(extra)}"
        )
    files: dict[str, bytes] = {".manifest": _json_bytes(manifest(policy, revision))}
    for module in policy.modules:
        name = module.path.lstrip("/")
        if name in files or name.startswith(".") or ".." in Path(name).parts:
            raise PolicyError(f"{module.path}: cannot be placed in a bundle")
        files[name] = module.text.encode("utf-8")
    if ROOT in policy.data:
        data_name = f"{ROOT}/data.json"
        if data_name in files:
            raise PolicyError(f"{data_name}: clashes with a module of the same path")
        files[data_name] = _json_bytes(policy.data[ROOT])
    return files


def build_bundle(policy: PolicySet, revision: str | None = None) -> bytes:
    """The bundle's `.tar.gz` bytes: the same policy set always gives the same bytes."""
    packed = io.BytesIO()
    with tarfile.open(fileobj=packed, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, content in sorted(bundle_files(policy, revision).items()):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mtime = 0
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            archive.addfile(info, io.BytesIO(content))
    compressed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=compressed, mtime=0) as stream:
        stream.write(packed.getvalue())
    return compressed.getvalue()


def git_revision(directory: Path) -> str:
    """The commit of the repository holding `directory`, `-dirty` when it has changes."""
    def git(*args: str) -> str:
        try:
            done = subprocess.run(
                ["git", "-C", str(directory), *args],
                capture_output=True, text=True, check=True, timeout=30,
            )
        except (OSError, subprocess.SubprocessError) as error:
            raise GatekeeperError(f"cannot read the git commit of {directory}: {error}") from error
        return done.stdout.strip()

    commit = git("rev-parse", "HEAD")
    dirty = git("status", "--porcelain", "--", ".")
    return commit + ("-dirty" if dirty else "")
