"""Read a runbook's YAML safely and remember where every value came from.

PyYAML's C parser composes the node graph (fast, safe: no Python objects from tags); this module
builds plain dicts, lists and scalars from it and keeps, beside each mapping and list, the line
and column of every key and value, so any later error can point at the offending node.

Limits, because a runbook is a file someone mailed to a technician: a size cap, duplicate keys
refused (YAML would silently keep the last), recursive aliases refused, alias expansion bounded
so a "billion laughs" file is an error rather than an exhausted laptop, and nesting bounded. The
last three are checked on the parser's event stream (`_limits`: a loop with a counter, no
recursion) before the composer runs: the C composer recurses once per level and a 60 KB file of
`[[[[...` overflowed the C stack (a segfault no Python code can catch).

Text is text (`plain_text`, for a runbook file a person hands golive): a string anywhere in the
runbook (key or value) that holds a control character (ESC, BEL, a carriage return, ...) or a
bidirectional override is refused where it stands, as it could hide or spoof what the
technician's terminal shows. Line breaks and tabs are allowed only in the fields written as prose
(`MULTILINE_FIELDS`); every other field is one line. A text golive stored itself is re-read
without this rule (`golive verify` asks whether it still reads as what was stored, and an older
golive accepted such text): whatever it holds is shown through golive.safetext.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from golive.problems import Problem
from golive.runbook.text_digest import MAX_BYTES
from golive.safetext import UNSAFE, visible

MAX_EXPANDED_NODES = 2_000_000  # nodes that aliases may add beyond the file's own
MAX_DEPTH = 100  # nested mappings and lists, aliases expanded; a runbook needs about ten
MULTILINE_FIELDS = frozenset({"description", "instructions"})

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
_UNSAFE = re.compile(f"[{re.escape(UNSAFE)}]")
_UNSAFE_IN_PROSE = re.compile(f"[{re.escape(UNSAFE.replace(chr(10), '').replace(chr(9), ''))}]")  # lines and tabs kept

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


def _mark(mark: yaml.Mark) -> Pos:
    return (mark.line + 1, mark.column + 1)


def _pos(node: yaml.Node) -> Pos:
    return _mark(node.start_mark)


class _Builder:
    def __init__(self, file: str, plain_text: bool) -> None:
        self.file = file
        self.plain_text = plain_text
        self.marks: dict[int, dict[Any, tuple[Pos, Pos]]] = {}
        self.built: dict[int, Any] = {}
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, under: str = "") -> Any:
        """Plain data for `node`, the value of the key `under` (for the text rule and its messages)."""
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
                out_list.append(self.build(child, under))
                entries[index] = (_pos(child), _pos(child))
            self.marks[id(out_list)] = entries
            return out_list
        if self.plain_text:
            self._check_text(node, under)
        return self._scalar(node)

    def _check_text(self, node: yaml.Node, under: str) -> None:
        """A problem for a control or bidi character in a string, or a line break in a one-line field."""
        text = str(node.value)
        found = (_UNSAFE_IN_PROSE if under in MULTILINE_FIELDS else _UNSAFE).search(text)
        if found is None:
            return
        char = found.group()
        where = f"in {visible(under)}" if under else "in a key"
        prose = " and ".join(sorted(MULTILINE_FIELDS))
        if char in "\n\t":
            what = "a line break" if char == "\n" else "a tab"
            message = f"{what} {where}: it is one line of text (only {prose} span lines)"
        elif ord(char) < 0xA0:
            message = f"control character {visible(char)} {where}: a runbook holds printable text only"
        elif char in "\u2028\u2029":
            message = f"line separator {visible(char)} {where}: write an ordinary line break, in {prose} only"
        else:
            message = f"bidirectional control character {visible(char)} {where}: it makes text display unlike it reads"
        self.problems.append(Problem(self.file, *_pos(node), message))

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
            if self.plain_text:
                self._check_text(key_node, "")
            key = self._scalar(key_node)
            if not isinstance(key, str | int) or isinstance(key, bool):
                key = str(key_node.value)
            if key in out:
                first = entries[key][0][0]
                self.problems.append(
                    Problem(self.file, *_pos(key_node), f"duplicate key {key!r} (first at line {first})")
                )
                continue
            out[key] = self.build(value_node, str(key))
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


def _limits(text: str, file: str) -> Problem | None:
    """The first limit the document breaks (nesting, recursive alias, alias expansion), or None.

    Reads the parser's events once, keeping per open collection its anchor, its node count with
    aliases expanded and its height, and per anchor the count and height of what it names, so an
    alias is weighed without expanding it. Raises the parser's own errors, as compose would.
    """
    scalar, alias, stream_end = yaml.ScalarEvent, yaml.AliasEvent, yaml.StreamEndEvent
    opening = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    closing = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    too_deep = f"the document is nested too deeply (more than {MAX_DEPTH} levels)"
    loader = _Loader(text)
    next_event = loader.get_event
    stack: list[list[Any]] = []  # [anchor, nodes, height] per open mapping or list
    anchors: dict[str, tuple[int, int]] = {}  # closed anchor -> (nodes, height)
    root: yaml.Mark | None = None  # where the first mapping or list starts
    added = 0  # nodes the aliases add
    try:
        while True:
            event = next_event()
            kind = type(event)
            if kind is scalar:  # most events: one node, no height
                if event.anchor is not None:
                    anchors[event.anchor] = (1, 0)
                if stack:
                    stack[-1][1] += 1
                continue
            if kind in opening:
                root = root or event.start_mark
                if len(stack) >= MAX_DEPTH:
                    return Problem(file, *_mark(event.start_mark), too_deep)
                stack.append([event.anchor, 1, 0])
                continue
            if kind in closing:
                anchor, nodes, height = stack.pop()
                height += 1
                if anchor is not None:
                    anchors[anchor] = (nodes, height)
            elif kind is alias:
                root = root or event.start_mark
                if any(entry[0] == event.anchor for entry in stack):
                    return Problem(file, *_mark(root), "recursive alias: an anchor refers to itself")
                nodes, height = anchors.get(str(event.anchor), (1, 0))  # an unknown one: compose names it
                added += nodes
                if added > MAX_EXPANDED_NODES:
                    return Problem(file, *_mark(root), "aliases expand to too many nodes (an alias bomb?)")
                if len(stack) + height > MAX_DEPTH:
                    return Problem(file, *_mark(event.start_mark), too_deep)
            elif kind is stream_end:
                return None
            else:  # stream and document start and end
                continue
            if stack:
                parent = stack[-1]
                parent[1] += nodes
                parent[2] = max(parent[2], height)
    finally:
        loader.dispose()


def read_yaml(text: str, file: str, *, plain_text: bool = False) -> tuple[Located | None, list[Problem]]:
    """Parse `text`; the data with positions, or the problems that stopped it (see the module doc for `plain_text`)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        return None, [Problem(file, 0, 0, f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB")]
    try:
        limit = _limits(text, file)
        if limit is not None:
            return None, [limit]
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
    except ValueError as exc:  # e.g. NUL bytes
        return None, [Problem(file, 0, 0, f"unreadable YAML: {str(exc) or type(exc).__name__}")]
    if root is None:
        return None, [Problem(file, 1, 1, "the file is empty: a runbook needs runbook:, roles: and phases:")]
    builder = _Builder(file, plain_text)
    data = builder.build(root)  # at most MAX_DEPTH levels deep: no recursion limit is near
    return Located(file, data, builder.marks, _pos(root)), builder.problems
