"""Reading JSON and YAML documents strictly, with errors that name the file and location.

Only what JSON can carry and every engine reads alike gets through: string keys, finite
numbers, integers within ±(2^53 - 1), text without lone surrogates, at most `MAX_DEPTH`
levels of nesting; YAML without aliases; files within the limit their caller states.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gatekeeper.errors import InvalidInput
from gatekeeper.input_files import decode_utf8, read_bounded
from gatekeeper.limits import MAX_DEPTH, MAX_INTEGER, MAX_VALUES

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # PyYAML built without libyaml: the same checks, in Python
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

JsonPath = tuple[str | int, ...]
_SURROGATE = re.compile("[\ud800-\udfff]")


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


@dataclass(frozen=True)
class ValueProblem:
    parts: JsonPath
    text: str
    in_key: bool = False
    """The problem is the key at `parts`, not its value."""


def _leaf_problem(value: Any) -> str | None:
    kind = type(value)
    if kind is str:
        return "text holds a lone surrogate (not Unicode)" if _SURROGATE.search(value) else None
    if value is None or kind is bool:
        return None
    if kind is int:
        return None if -MAX_INTEGER <= value <= MAX_INTEGER else (
            f"an integer of {len(str(abs(value)))} digits is beyond ±(2^53 - 1): engines "
            "would read it differently")
    if kind is float:
        return None if math.isfinite(value) else f"{value} is not a finite number"
    return f"a {kind.__name__} value is not JSON (YAML tag not accepted)"


def _key_problem(key: Any) -> str | None:
    if type(key) is bool:  # YAML 1.1 reads a bare `yes:`/`no:` key as a boolean
        return (f"key {key!r} is not a string (YAML reads bare yes/no/on/off as booleans): "
                'quote it, e.g. "yes"')
    if type(key) is not str:
        return f"key {key!r} is not a string"
    return "key holds a lone surrogate (not Unicode)" if _SURROGATE.search(key) else None


_PLAIN = frozenset({str, int, float, bool, type(None), dict, list})


def _of(values: list[Any], kind: type) -> list[Any]:
    return [v for v in values if type(v) is kind]


def _clean(keys: list[Any], values: list[Any]) -> bool:
    """Whether every key and scalar here is portable, checked in bulk (C loops)."""
    kinds = set(map(type, values))
    if not kinds <= _PLAIN or (keys and set(map(type, keys)) != {str}):
        return False
    texts = keys + (_of(values, str) if str in kinds else [])
    if texts and _SURROGATE.search("\0".join(texts)):
        return False
    ints = values if kinds == {int} else _of(values, int) if int in kinds else []
    if ints and not -MAX_INTEGER <= min(ints) <= max(ints) <= MAX_INTEGER:
        return False
    return float not in kinds or all(map(math.isfinite, _of(values, float)))


def _locate(parts: JsonPath, keys: list[Any], values: list[Any]) -> ValueProblem:
    """The first bad key or scalar of a container `_clean` refused."""
    for index, value in enumerate(values):
        key = keys[index] if keys else index
        if keys and (problem := _key_problem(key)) is not None:
            return ValueProblem((*parts, str(key)), problem, in_key=True)
        if type(value) not in (dict, list) and (problem := _leaf_problem(value)) is not None:
            return ValueProblem((*parts, key), problem)
    raise AssertionError("a container refused in bulk has no bad member")


def value_problem(value: Any) -> ValueProblem | None:
    """Something in a parsed document that is not plain, portable JSON, or nesting deeper
    than MAX_DEPTH, or more than MAX_VALUES values. Each container is checked in bulk and
    nothing recurses, so a deep or huge document is refused quickly rather than a crash."""
    if type(value) not in (dict, list):
        problem = _leaf_problem(value)
        return None if problem is None else ValueProblem((), problem)
    pending: list[tuple[JsonPath, dict[Any, Any] | list[Any]]] = [((), value)]
    count = 0
    while pending:
        parts, container = pending.pop()
        if isinstance(container, dict):
            keys, values = list(container), list(container.values())
        else:
            keys, values = [], container
        count += len(values)
        if count > MAX_VALUES:
            return ValueProblem((), f"more than {MAX_VALUES} values in one document")
        if not _clean(keys, values):
            return _locate(parts, keys, values)
        children = [(index, v) for index, v in enumerate(values) if type(v) in (dict, list)]
        if children and len(parts) >= MAX_DEPTH - 1:
            index, _ = children[0]
            return ValueProblem((*parts, keys[index] if keys else index),
                                f"nested deeper than {MAX_DEPTH} levels")
        pending.extend(((*parts, keys[index] if keys else index), child)
                       for index, child in reversed(children))
    return None


def read_text(path: Path, limit: int) -> str:
    """A regular file of at most `limit` bytes, as UTF-8 text (see gatekeeper.input_files)."""
    return decode_utf8(path, read_bounded(path, limit))


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(text: str, file: str) -> Any:
    """Strict JSON: no duplicate keys, no NaN or Infinity, and `value_problem` finds nothing."""
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicate_keys,
                           parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise InvalidInput(file, where, f"not valid JSON: {error.msg}") from error
    except RecursionError as error:
        raise InvalidInput(file, "$", f"not valid JSON: nested deeper than {MAX_DEPTH} "
                                      "levels") from error
    except ValueError as error:  # a duplicate key, NaN, an integer of over 4,300 digits
        raise InvalidInput(file, "$", f"not valid JSON: {error}") from error
    problem = value_problem(value)
    if problem is not None:
        raise InvalidInput(file, json_path(problem.parts), problem.text)
    return value


def load_json(path: Path, limit: int) -> Any:
    return parse_json(read_text(path, limit), str(path))


class StrictLoader(_Loader):
    """SafeLoader (libyaml's when present) that keeps timestamps as text, refuses duplicate
    keys, and reads an integer too long to convert as an error at its line."""


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


def _construct_int(loader: StrictLoader, node: yaml.ScalarNode) -> int:
    try:
        return int(loader.construct_yaml_int(node))
    except ValueError as error:  # over 4,300 digits: Python refuses to convert it
        raise yaml.constructor.ConstructorError(
            None, None, f"integer too long to read ({len(str(node.value))} characters)",
            node.start_mark) from error


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def _expansion(text: str) -> tuple[int, str] | None:
    """An alias (a few lines of them expand to gigabytes) or nesting deeper than MAX_DEPTH
    (libyaml's composer recurses in C), found in the event stream before anything is
    composed: (character index, problem)."""
    depth = 0
    for event in yaml.parse(text, Loader=StrictLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return _index_of(event), f"nested deeper than {MAX_DEPTH} levels"
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            return _index_of(event), "YAML aliases (*name) are not accepted"
    return None


def _index_of(event: yaml.Event) -> int:
    return int(event.start_mark.index) if event.start_mark is not None else 0


def _error_index(error: yaml.YAMLError) -> int | None:
    """Character index of a YAML error in its text, when PyYAML gives one."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        return int(mark.index)
    position = getattr(error, "position", None)  # ReaderError: a character YAML refuses
    return int(position) if isinstance(position, int) else None


def _error_text(error: yaml.YAMLError) -> str:
    """PyYAML's explanation without its own marks (they count lines from the YAML's start)."""
    if "maximum nesting depth" in str(error):
        # libyaml (0.2.5+) scans ahead and stops at 1,000 levels before `_expansion` sees
        # the 65th: the same refusal, in the same words.
        return f"nested deeper than {MAX_DEPTH} levels"
    if isinstance(error, yaml.MarkedYAMLError):
        return ", ".join(part for part in (error.context, error.problem) if part) or "syntax error"
    return str(error)


def read_yaml(path: Path, limit: int) -> YamlDocument:
    """The YAML file `path`, read within `limit` bytes."""
    return YamlDocument(path, read_text(path, limit))


class YamlDocument:
    """A parsed YAML document that remembers the line of every value, for error messages.

    `text` is the YAML of `path`, or YAML embedded in it (a model card's front matter)
    starting at line `first_line`. Lines are git's: only LF ends a line, so a
    line number is the one a diff and a GitHub annotation show, CRLF files included.
    """

    def __init__(self, path: Path, text: str, first_line: int = 1) -> None:
        self.path = path
        self._first_line = first_line
        self._breaks = [index for index, char in enumerate(text) if char == "\n"]
        try:
            expansion = _expansion(text)
            if expansion is not None:
                raise InvalidInput(str(path), self.position(expansion[0]), expansion[1])
            loader = StrictLoader(text)
            try:
                node = loader.get_single_node()
                self.data: Any = None if node is None else loader.construct_document(node)
            finally:
                loader.dispose()
        except yaml.YAMLError as error:
            index = _error_index(error)
            where = "$" if index is None else self.position(index)
            raise InvalidInput(str(path), where, f"not valid YAML: {_error_text(error)}") from error
        self.lines: dict[JsonPath, int] = {}
        self.key_lines: dict[JsonPath, int] = {}
        if node is not None:
            self._index(node, ())
        problem = value_problem(self.data)
        if problem is not None:
            line = self.key_lines.get(problem.parts) if problem.in_key else None
            where = f"line {line}" if line is not None else self.locate(problem.parts)
            raise InvalidInput(str(path), where, problem.text)

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
