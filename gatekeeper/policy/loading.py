"""Collect Rego modules and data from policy folders, exactly as OPA would load a bundle root."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gatekeeper.bundle.documents import load_json, read_yaml
from gatekeeper.canonical import json_digest, sha256_digest
from gatekeeper.engines.base import PolicyModule, PolicySet
from gatekeeper.errors import PolicyError
from gatekeeper.input_files import decode_utf8, read_bounded
from gatekeeper.limits import POLICY_DATA_BYTES, POLICY_MODULE_BYTES
from gatekeeper.resources import default_policy_dir

DATA_FILE_NAMES = ("data.json", "data.yaml", "data.yml")


def _read_data(path: Path) -> Any:
    if path.suffix == ".json":
        return load_json(path, POLICY_DATA_BYTES)
    return read_yaml(path, POLICY_DATA_BYTES).data


def _place(tree: dict[str, Any], parts: tuple[str, ...], value: Any, origin: Path) -> None:
    """Put `value` at `parts` inside `tree`, merging objects; a clash is an error, as in OPA."""
    node = tree
    for part in parts:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise PolicyError(f"{origin}: data path {'.'.join(parts)} clashes with other data")
    if not isinstance(value, dict):
        raise PolicyError(f"{origin}: a data file must hold a mapping at the top")
    for key, item in value.items():
        if key in node and not (isinstance(node[key], dict) and isinstance(item, dict)):
            raise PolicyError(f"{origin}: data key {key!r} is defined twice")
        if isinstance(item, dict) and isinstance(node.get(key), dict):
            _place(node, (key,), item, origin)
        else:
            node[key] = item


def override(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge an organisation's `--data` file over the defaults (its numbers win)."""
    merged = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = override(merged[key], value)
        else:
            merged[key] = value
    return merged


def _label(root: Path, index: int) -> str:
    return "policies" if index == 0 and root == default_policy_dir() else f"{root.name or 'policy'}"


def load_policy_set(
    extra_dirs: tuple[Path, ...] = (),
    data_files: tuple[Path, ...] = (),
    *,
    include_tests: bool = False,
    include_defaults: bool = True,
) -> PolicySet:
    """Modules and data from the built-in policies plus `--policy-dir`s, then `--data` files."""
    defaults = [default_policy_dir()] if include_defaults else []
    # Naming the built-in folder again (`policy test policies/`) must not load it twice.
    extras = [d for d in extra_dirs if d.resolve() not in {r.resolve() for r in defaults}]
    roots = defaults + extras
    modules: list[PolicyModule] = []
    data: dict[str, Any] = {}
    hashed: list[dict[str, str]] = []
    for index, root in enumerate(roots):
        if not root.is_dir():
            raise PolicyError(f"{root}: policy directory not found")
        label = _label(root, index)
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            relative = path.relative_to(root)
            name = f"{label}/{relative.as_posix()}"
            if path.suffix == ".rego":
                if path.name.endswith("_test.rego") and not include_tests:
                    continue
                raw = read_bounded(path, POLICY_MODULE_BYTES)
                modules.append(PolicyModule(name, decode_utf8(path, raw)))
                hashed.append({"path": name, "digest": sha256_digest(raw)})
            elif path.name in DATA_FILE_NAMES:
                _place(data, relative.parent.parts, _read_data(path), path)
                hashed.append({"path": name, "digest": sha256_digest(
                    read_bounded(path, POLICY_DATA_BYTES))})
    for path in data_files:
        value = _read_data(path)
        if not isinstance(value, dict):
            raise PolicyError(f"{path}: a --data file must hold a mapping at the top")
        data = override(data, value)
        hashed.append({"path": f"data/{path.name}",
                       "digest": sha256_digest(read_bounded(path, POLICY_DATA_BYTES))})
    if not any(not m.path.endswith("_test.rego") for m in modules):
        raise PolicyError("no Rego policy modules found")
    return PolicySet(tuple(modules), data, json_digest({"files": hashed}), tuple(
        (h["path"], h["digest"]) for h in hashed
    ))
