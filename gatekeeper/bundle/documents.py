"""Reading JSON and YAML documents strictly, with errors that name the file and location."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from gatekeeper.errors import InvalidInput

JsonPath = tuple[str | int, ...]


def json_path(parts: JsonPath) -> str:
    """`("welfare", "records", 0, "n")` -> `$.welfare.records[0].n`."""
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            # Two parsers may pick different copies of a duplicated key: refuse the ambiguity.
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(str(path), "$", f"cannot read file: {error}") from error


def load_json(path: Path) -> Any:
    text = read_text(path)
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise InvalidInput(str(path), where, f"not valid JSON: {error.msg}") from error
    except ValueError as error:
        raise InvalidInput(str(path), "$", f"not valid JSON: {error}") from error


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that keeps timestamps as text and refuses duplicate keys."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class YamlDocument:
    """A parsed YAML document that remembers the line of every value, for error messages."""

    def __init__(self, path: Path) -> None:
        self.path = path
        text = read_text(path)
        try:
            node = yaml.compose(text, Loader=_StrictLoader)
            self.data: Any = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - strict SafeLoader
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark is not None else "$"
            raise InvalidInput(str(path), where, f"not valid YAML: {error}") from error
        self.lines: dict[JsonPath, int] = {}
        if node is not None:
            self._index(node, ())

    def _index(self, node: yaml.Node, parts: JsonPath) -> None:
        self.lines[parts] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                self.lines[(*parts, str(key_node.value))] = key_node.start_mark.line + 1
                self._index(value_node, (*parts, str(key_node.value)))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._index(item, (*parts, index))

    def locate(self, parts: JsonPath) -> str:
        """`line 12 ($.release.mode)`; falls back to the nearest enclosing value's line."""
        for cut in range(len(parts), -1, -1):
            if parts[:cut] in self.lines:
                return f"line {self.lines[parts[:cut]]} ({json_path(parts)})"
        return json_path(parts)
