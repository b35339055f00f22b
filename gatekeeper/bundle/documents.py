"""Reading JSON and YAML documents strictly, with errors that name the file and location."""

from __future__ import annotations

import bisect
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


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def loads_strict(text: str) -> Any:
    """JSON without duplicate keys and without NaN/Infinity (which JSON does not have)."""
    return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(str(path), "$", f"cannot read file: {error}") from error


def load_json(path: Path) -> Any:
    text = read_text(path)
    try:
        return loads_strict(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise InvalidInput(str(path), where, f"not valid JSON: {error.msg}") from error
    except ValueError as error:
        raise InvalidInput(str(path), "$", f"not valid JSON: {error}") from error


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that keeps timestamps as text and refuses duplicate keys."""


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if not isinstance(key, str | int | float | bool | None):
            # `? [a, b]: x` would crash the mapping constructor (an unhashable key).
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain scalar", key_node.start_mark
            )
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _error_index(error: yaml.YAMLError) -> int | None:
    """Character index of a YAML error in its text, when PyYAML gives one."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        return int(mark.index)
    position = getattr(error, "position", None)  # ReaderError: a character YAML refuses
    return int(position) if isinstance(position, int) else None


def _error_text(error: yaml.YAMLError) -> str:
    """PyYAML's explanation without its own marks (they count lines from the YAML's start)."""
    if isinstance(error, yaml.MarkedYAMLError):
        return ", ".join(part for part in (error.context, error.problem) if part) or "syntax error"
    return str(error)


class YamlDocument:
    """A parsed YAML document that remembers the line of every value, for error messages.

    `text` is YAML embedded in the file (a model card's front matter) starting at line
    `first_line`; by default the whole file. Lines are git's: only LF ends a line, so a
    line number is the one a diff and a GitHub annotation show, CRLF files included.
    """

    def __init__(self, path: Path, text: str | None = None, first_line: int = 1) -> None:
        self.path = path
        text = read_text(path) if text is None else text
        self._first_line = first_line
        self._breaks = [index for index, char in enumerate(text) if char == "\n"]
        try:
            node = yaml.compose(text, Loader=StrictLoader)
            self.data: Any = yaml.load(text, Loader=StrictLoader)  # noqa: S506 - strict SafeLoader
        except yaml.YAMLError as error:
            index = _error_index(error)
            where = "$" if index is None else self.position(index)
            raise InvalidInput(str(path), where, f"not valid YAML: {_error_text(error)}") from error
        self.lines: dict[JsonPath, int] = {}
        self.key_lines: dict[JsonPath, int] = {}
        if node is not None:
            self._index(node, ())

    def line(self, index: int) -> int:
        """The file line of character `index` of the YAML text."""
        return self._first_line + bisect.bisect_left(self._breaks, index)

    def position(self, index: int) -> str:
        """`line 7 column 3` of character `index` of the YAML text."""
        line = self.line(index)
        start = self._breaks[line - self._first_line - 1] + 1 if line > self._first_line else 0
        return f"line {line} column {index - start + 1}"

    def _index(self, node: yaml.Node, parts: JsonPath) -> None:
        self.lines[parts] = self.line(node.start_mark.index)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = (*parts, str(key_node.value))
                self.key_lines[key] = self.line(key_node.start_mark.index)
                self._index(value_node, key)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._index(item, (*parts, index))

    def key_line(self, parts: JsonPath) -> int | None:
        """The line of the key naming `parts`, or of its nearest enclosing key."""
        for cut in range(len(parts), 0, -1):
            if parts[:cut] in self.key_lines:
                return self.key_lines[parts[:cut]]
        return None

    def locate(self, parts: JsonPath) -> str:
        """`line 12 ($.release.mode)`; falls back to the nearest enclosing value's line."""
        for cut in range(len(parts), -1, -1):
            if parts[:cut] in self.lines:
                return f"line {self.lines[parts[:cut]]} ({json_path(parts)})"
        return json_path(parts)
