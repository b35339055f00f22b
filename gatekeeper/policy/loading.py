"""Collect Rego modules and data from policy folders, exactly as OPA would load a bundle root.

The built-in folder comes first; every `--policy-dir` after it is an organisation's, whose
modules may only be `package gatekeeper.rules.<name>` (gatekeeper.policy.packages). The
data document is checked against the policy-data schema (gatekeeper.policy.thresholds)
after each organisation data file and each `--data` file is merged in, so an error names
the file that brought it and the line. Every file is read once, within its limit, and the
bytes that were parsed are the bytes that were hashed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from gatekeeper.bundle.documents import JsonPath, YamlDocument, json_path, parse_json
from gatekeeper.canonical import json_digest, sha256_digest
from gatekeeper.engines.base import PolicyModule, PolicySet
from gatekeeper.errors import InvalidInput, PolicyError
from gatekeeper.input_files import decode_utf8, read_bounded
from gatekeeper.limits import POLICY_DATA_BYTES, POLICY_FILES, POLICY_MODULE_BYTES
from gatekeeper.policy.packages import check_organisation_package
from gatekeeper.policy.thresholds import data_problem
from gatekeeper.resources import default_policy_dir

DATA_FILE_NAMES = ("data.json", "data.yaml", "data.yml")
Locate = Callable[[JsonPath], str]


def policy_digest(files: list[dict[str, str]], data: dict[str, Any]) -> str:
    """What a decision names as its policy: every file by digest, and the data the engines
    saw (so an archived policy cannot carry other data under the same digest)."""
    return json_digest({"files": files, "data": json_digest(data)})


def _read_data(path: Path) -> tuple[Any, Locate, bytes]:
    raw = read_bounded(path, POLICY_DATA_BYTES)
    text = decode_utf8(path, raw)
    if path.suffix == ".json":
        return parse_json(text, str(path)), json_path, raw
    document = YamlDocument(path, text)
    return document.data, document.locate, raw


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


def _check_data(data: dict[str, Any], origin: Path, prefix: tuple[str, ...],
                locate: Locate) -> None:
    """Refuse `data` if it breaks the schema, naming `origin` (placed at `prefix`) and line."""
    problem = data_problem(data)
    if problem is None:
        return
    parts, text = problem
    local = parts[len(prefix):] if parts[:len(prefix)] == prefix else ()
    raise InvalidInput(str(origin), locate(local), text)


def _label(root: Path, index: int) -> str:
    return "policies" if index == 0 and root == default_policy_dir() else f"{root.name or 'policy'}"


def _policy_files(root: Path) -> list[Path]:
    """The modules and data files of one folder (FIFOs and devices among them are refused
    when read), at most POLICY_FILES."""
    if not root.is_dir():
        raise PolicyError(f"{root}: policy directory not found")
    found = sorted(p for p in root.rglob("*")
                   if (p.suffix == ".rego" or p.name in DATA_FILE_NAMES) and not p.is_dir())
    if len(found) > POLICY_FILES:
        raise PolicyError(f"{root}: more than {POLICY_FILES} policy files")
    return found


def load_policy_set(
    extra_dirs: tuple[Path, ...] = (),
    data_files: tuple[Path, ...] = (),
    *,
    include_tests: bool = False,
    include_defaults: bool = True,
) -> PolicySet:
    """Modules and data from the built-in policies plus `--policy-dir`s, then `--data` files.

    With `include_defaults=False` the folders are a policy set of their own (`policy test
    --no-defaults`): neither the package rule nor the data schema applies to them.
    """
    defaults = [default_policy_dir()] if include_defaults else []
    # Naming the built-in folder again (`policy test policies/`) must not load it twice.
    extras = [d for d in extra_dirs if d.resolve() not in {r.resolve() for r in defaults}]
    roots = defaults + extras
    modules: list[PolicyModule] = []
    data: dict[str, Any] = {}
    hashed: list[dict[str, str]] = []
    for index, root in enumerate(roots):
        organisation = include_defaults and index > 0
        label = _label(root, index)
        for path in _policy_files(root):
            relative = path.relative_to(root)
            name = f"{label}/{relative.as_posix()}"
            if path.suffix == ".rego":
                test = path.name.endswith("_test.rego")
                if test and not include_tests:
                    continue
                raw = read_bounded(path, POLICY_MODULE_BYTES)
                module = PolicyModule(name, decode_utf8(path, raw))
                if organisation:
                    check_organisation_package(module, test=test)
                modules.append(module)
            else:
                value, locate, raw = _read_data(path)
                _place(data, relative.parent.parts, value, path)
                if organisation:
                    _check_data(data, path, relative.parent.parts, locate)
            hashed.append({"path": name, "digest": sha256_digest(raw)})
        if include_defaults and index == 0:
            _check_data(data, root, (), json_path)
    for path in data_files:
        value, locate, raw = _read_data(path)
        if not isinstance(value, dict):
            raise InvalidInput(str(path), locate(()), "a --data file must hold a mapping at "
                                                      "the top")
        data = override(data, value)
        if include_defaults:
            _check_data(data, path, (), locate)
        hashed.append({"path": f"data/{path.name}", "digest": sha256_digest(raw)})
    if not any(not m.path.endswith("_test.rego") for m in modules):
        raise PolicyError("no Rego policy modules found")
    return PolicySet(tuple(modules), data, policy_digest(hashed, data), tuple(
        (h["path"], h["digest"]) for h in hashed
    ))
