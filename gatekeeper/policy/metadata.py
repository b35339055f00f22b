"""Read `# METADATA` annotations in Python: regopy has no `rego.metadata`, OPA's needs a server."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, get_args

import yaml

from gatekeeper.decision.models import RuleMetadata, Severity
from gatekeeper.engines.base import PolicyModule
from gatekeeper.errors import PolicyError

_BLOCK_START = re.compile(r"^\s*#\s*METADATA\s*$")


def _blocks(module: PolicyModule) -> list[tuple[int, str]]:
    """(first line number, YAML text) of every METADATA comment block."""
    lines = module.text.splitlines()
    found: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        if _BLOCK_START.match(lines[index]):
            start = index + 1
            body: list[str] = []
            index += 1
            while index < len(lines) and lines[index].lstrip().startswith("#"):
                body.append(re.sub(r"^\s*# ?", "", lines[index]))
                index += 1
            found.append((start, "\n".join(body)))
        else:
            index += 1
    return found


@dataclass(frozen=True)
class RuleAnnotation:
    """What a rule's METADATA says: the metadata reports show, and the severity it declares.

    The severity is written once, in `custom.severity`; the reason set a rule emits into
    must agree with it, which every decision checks (a custom rule may leave it out).
    """

    metadata: RuleMetadata
    severity: Severity | None


_SEVERITIES: dict[str, Severity] = {name: name for name in get_args(Severity)}


def _severity(value: Any, where: str) -> Severity | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in _SEVERITIES:
        raise PolicyError(f"{where}: custom.severity {value!r} is not one of "
                          f"{', '.join(_SEVERITIES)}")
    return _SEVERITIES[value]


def rule_catalog(modules: tuple[PolicyModule, ...]) -> dict[str, RuleAnnotation]:
    """Map each `custom.rule_id` to its annotation; a duplicated id is a policy error."""
    catalog: dict[str, RuleAnnotation] = {}
    for module in modules:
        for line, text in _blocks(module):
            try:
                annotation: Any = yaml.safe_load(text) or {}
            except yaml.YAMLError as error:
                raise PolicyError(f"{module.path}: line {line}: bad METADATA: {error}") from error
            custom = annotation.get("custom") or {}
            rule_id = custom.get("rule_id")
            if not rule_id:
                continue
            if rule_id in catalog:
                raise PolicyError(
                    f"{module.path}: line {line}: rule_id {rule_id} already used in "
                    f"{catalog[rule_id].metadata.source}"
                )
            metadata = RuleMetadata(
                title=str(annotation.get("title") or rule_id),
                description=str(annotation.get("description") or ""),
                remediation=str(custom.get("remediation") or ""),
                frameworks=[str(f) for f in custom.get("frameworks") or []],
                source=f"{module.path}:{line}",
            )
            catalog[rule_id] = RuleAnnotation(
                metadata, _severity(custom.get("severity"), f"{module.path}: line {line}"))
    return catalog
