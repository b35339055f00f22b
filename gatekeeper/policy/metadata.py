"""Read `# METADATA` annotations in Python: regopy has no `rego.metadata`, OPA's needs a server."""

from __future__ import annotations

import re
from typing import Any

import yaml

from gatekeeper.decision.models import RuleMetadata
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


def rule_catalog(modules: tuple[PolicyModule, ...]) -> dict[str, RuleMetadata]:
    """Map each `custom.rule_id` to its metadata; a duplicated id is a policy error."""
    catalog: dict[str, RuleMetadata] = {}
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
                    f"{catalog[rule_id].source}"
                )
            catalog[rule_id] = RuleMetadata(
                title=str(annotation.get("title") or rule_id),
                description=str(annotation.get("description") or ""),
                remediation=str(custom.get("remediation") or ""),
                frameworks=[str(f) for f in custom.get("frameworks") or []],
                source=f"{module.path}:{line}",
            )
    return catalog
