"""The policy a decision was made with: archived beside the ledger, read back only if intact.

`verify` and `replay` read an archived policy through `archived_policy` alone, which checks
that every module's text hashes to its recorded file digest, that the modules are exactly
the listed Rego files, and that the files and the data hash to the policy digest the
record names: a module or a threshold edited in the archive is refused, never evaluated.
"""

from __future__ import annotations

from pydantic import ValidationError

from gatekeeper.audit.archive import ObjectProblem, ObjectStore
from gatekeeper.audit.models import AUDIT_SCHEMA_VERSION, PolicySnapshot
from gatekeeper.canonical import sha256_digest
from gatekeeper.engines.base import PolicyModule, PolicySet
from gatekeeper.policy.loading import policy_digest


def snapshot_of(policy: PolicySet) -> PolicySnapshot:
    return PolicySnapshot.model_validate({
        "schema_version": AUDIT_SCHEMA_VERSION,
        "digest": policy.digest,
        "files": [{"path": p, "digest": d} for p, d in policy.files],
        "modules": [{"path": m.path, "text": m.text} for m in policy.modules],
        "data": policy.data,
    })


def archived_policy(store: ObjectStore, address: str) -> PolicySet:
    """The archived policy set at `address`; ObjectProblem when it is not intact."""
    try:
        snapshot = PolicySnapshot.model_validate(store.get_json(address))
    except ValidationError as error:
        raise ObjectProblem(f"archived policy {address} does not parse: "
                            f"{str(error).splitlines()[0]}") from error
    files = [{"path": f.path, "digest": f.digest} for f in snapshot.files]
    if policy_digest(files, snapshot.data) != snapshot.digest:
        raise ObjectProblem("archived policy's files and data do not hash to its digest "
                            "(a file list or a threshold was changed)")
    by_path = {f.path: f.digest for f in snapshot.files}
    for module in snapshot.modules:
        if by_path.get(module.path) != sha256_digest(module.text.encode("utf-8")):
            raise ObjectProblem(f"archived policy module {module.path} was changed")
    listed = {path for path in by_path if path.endswith(".rego")}
    if listed != {m.path for m in snapshot.modules}:
        raise ObjectProblem("archived policy's modules are not the Rego files it lists "
                            "(a module was removed or added)")
    return PolicySet(
        modules=tuple(PolicyModule(m.path, m.text) for m in snapshot.modules),
        data=snapshot.data,
        digest=snapshot.digest,
        files=tuple((f.path, f.digest) for f in snapshot.files),
    )
