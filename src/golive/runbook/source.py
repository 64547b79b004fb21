"""Read a runbook's YAML safely and remember where every value came from.

PyYAML's C parser composes the node graph (fast, safe: no Python objects from tags); this module
builds plain dicts, lists and scalars from it and keeps, beside each mapping and list, the line
and column of every key and value, so any later error can point at the offending node.

Limits, because a runbook is a file someone mailed to a technician: a size cap, duplicate keys
refused (YAML would silently keep the last), recursive aliases refused, and alias expansion
bounded so a "billion laughs" file is an error rather than an exhausted laptop.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import yaml

from golive.problems import Problem
from golive.runbook.text_digest import MAX_BYTES

MAX_EXPANDED_NODES = 2_000_000

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_ALLOWED_TAGS = frozenset(
    {_STR, _INT, _FLOAT, _BOOL, _NULL, _MAP, _SEQ, "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:merge"}
)
_BOOLS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}

Pos = tuple[int, int]  # 1-based line, column


@dataclass
class Located:
    """Plain data from a YAML file plus the positions of its nodes.

    `marks[id(container)][key]` is `(key_pos, value_pos)` for a mapping entry, or
    `(value_pos, value_pos)` for a list item. `root_pos` is where the document starts.
    """

    file: str
    data: Any
    marks: dict[int, dict[Any, tuple[Pos, Pos]]] = field(default_factory=dict)
    root_pos: Pos = (1, 1)

    def position(self, path: tuple[Any, ...], *, key: bool = False) -> Pos:
        """Where the node at `path` starts; the key's position when `key` is set.

        Path elements that do not match the data (pydantic adds union tags to its error
        locations) are skipped; a path that leaves the data ends at the deepest node found.
        """
        node = self.data
        pos = self.root_pos
        for elem in path:
            entries = self.marks.get(id(node))
            if entries is None or elem not in entries:
                continue
            key_pos, value_pos = entries[elem]
            pos = key_pos if key and elem == path[-1] else value_pos
            node = node[elem]
        return pos

    def problem(self, path: tuple[Any, ...], message: str, *, key: bool = False) -> Problem:
        line, col = self.position(path, key=key)
        return Problem(self.file, line, col, message)


def _pos(node: yaml.Node) -> Pos:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.marks: dict[int, dict[Any, tuple[Pos, Pos]]] = {}
        self.built: dict[int, Any] = {}
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node) -> Any:
        if id(node) in self.built:  # an alias: share the object, as YAML means
            return self.built[id(node)]
        if node.tag not in _ALLOWED_TAGS:
            self.problems.append(
                Problem(self.file, *_pos(node), f"unsupported YAML tag {node.tag}: write plain values")
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        if isinstance(node, yaml.SequenceNode):
            out_list: list[Any] = []
            self.built[id(node)] = out_list
            entries: dict[Any, tuple[Pos, Pos]] = {}
            for index, child in enumerate(node.value):
                out_list.append(self.build(child))
                entries[index] = (_pos(child), _pos(child))
            self.marks[id(out_list)] = entries
            return out_list
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        self.built[id(node)] = out
        entries: dict[Any, tuple[Pos, Pos]] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    Problem(self.file, *_pos(key_node), "merge keys (<<) are not supported: write the keys out")
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem(self.file, *_pos(key_node), "a key must be plain text"))
                continue
            key = self._scalar(key_node)
            if not isinstance(key, str | int) or isinstance(key, bool):
                key = str(key_node.value)
            if key in out:
                first = entries[key][0][0]
                self.problems.append(
                    Problem(self.file, *_pos(key_node), f"duplicate key {key!r} (first at line {first})")
                )
                continue
            out[key] = self.build(value_node)
            entries[key] = (_pos(key_node), _pos(value_node))
        self.marks[id(out)] = entries
        return out

    def _scalar(self, node: yaml.Node) -> Any:
        value = str(node.value)
        tag = node.tag
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return _BOOLS.get(value.lower(), value)
        if tag == _INT and ":" not in value and len(value) <= 24:  # sexagesimal (1:30) and huge ints stay text
            try:
                return int(value.replace("_", ""), 0)
            except ValueError:
                return value
        if tag == _FLOAT and ":" not in value:
            try:
                number = float(value.replace("_", ""))
            except ValueError:
                return value
            return number if math.isfinite(number) else value
        return value


def _expanded_size(node: yaml.Node, sizes: dict[int, int], active: set[int]) -> int:
    """Node count once every alias is expanded; -1 marks a recursive alias."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in active:
        return -1
    active.add(key)
    total = 1
    if isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    else:
        children = []
    for child in children:
        size = _expanded_size(child, sizes, active)
        if size < 0:
            return -1
        total += size
        if total > MAX_EXPANDED_NODES:
            break
    active.discard(key)
    sizes[key] = total
    return total


def read_yaml(text: str, file: str) -> tuple[Located | None, list[Problem]]:
    """Parse `text`; the data with positions, or the problems that stopped it."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        return None, [Problem(file, 0, 0, f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB")]
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        return None, [Problem(file, line, col, f"unacceptable character #x{char:04x}: {exc.reason}")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return None, [Problem(file, line, col, f"YAML syntax error: {what}")]
    except yaml.YAMLError as exc:
        return None, [Problem(file, 0, 0, f"YAML error: {exc}")]
    except (ValueError, RecursionError) as exc:  # e.g. NUL bytes, absurd nesting
        return None, [Problem(file, 0, 0, f"unreadable YAML: {str(exc) or type(exc).__name__}")]
    if root is None:
        return None, [Problem(file, 1, 1, "the file is empty: a runbook needs runbook:, roles: and phases:")]
    try:
        size = _expanded_size(root, {}, set())
    except RecursionError:
        size = -2
    if size == -1:
        return None, [Problem(file, *_pos(root), "recursive alias: an anchor refers to itself")]
    if size == -2:
        return None, [Problem(file, *_pos(root), "the document is nested too deeply")]
    if size > MAX_EXPANDED_NODES:
        return None, [Problem(file, *_pos(root), "aliases expand to too many nodes (an alias bomb?)")]
    builder = _Builder(file)
    try:
        data = builder.build(root)
    except RecursionError:
        return None, [Problem(file, *_pos(root), "the document is nested too deeply")]
    return Located(file, data, builder.marks, _pos(root)), builder.problems
