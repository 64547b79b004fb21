"""A string that a runbook's regex expectation fully matches, for the lab to put in its world.

Why our own small reader: a runbook writes `description: {regex: "RM2(0[1-9]|1[0-8])-.*"}` or
`device: {regex: "AP-NGC-[0-9]{2}"}`, and the lab's devices must answer with a value that passes.
The standard library exposes no parse tree of a pattern (only private modules do), so this reads
the part of Python's syntax runbooks use: literals and escapes, `.`, classes with ranges and
\\d \\w \\s, groups (capturing, named, non-capturing, scoped flags), alternation, the quantifiers
? * + {n} {n,} {,m} {n,m} (lazy or possessive), anchors; lookarounds, backreferences and
conditionals add nothing. A pattern beyond that (verbose mode, say) reads as no sample (""):
every sample is checked against the pattern by its caller before use, and the lab falls back to
a default, logged.

Choice points (a class, an alternation) are counted along the first choices; the seed then picks
among them as a mixed-radix number, the last choice varying fastest, so seeds 0..5 give AP-01..AP-06
for `AP-0[1-6]`. A repeat takes its minimum count; `.*` gives `fill`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CLASS_SPAN = 26  # at most this many characters of a range are offered (a-z, A-Z, 0-9 whole)
_CATEGORIES = {"d": "0", "s": " "}  # \d, \s; any other category (\w, \D, ...) offers "a"
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "0": "\0"}
_NOT_IN_NEGATED = "ABab01 -_.:/"  # a negated class offers the first of these it accepts

# ("lit", ch) | ("any",) | ("set", chars) | ("alt", [seq, ...]) | ("group", seq) | ("repeat", low, seq) | ("none",)
Node = tuple[Any, ...]


class _Unsupported(Exception):
    """The pattern uses syntax this reader does not know."""


@dataclass
class _Reader:
    text: str
    at: int = 0

    def peek(self, ahead: int = 0) -> str:
        position = self.at + ahead
        return self.text[position] if position < len(self.text) else ""

    def take(self) -> str:
        char = self.peek()
        if not char:
            raise _Unsupported("unexpected end")
        self.at += 1
        return char


def sample(pattern: str, seed: int, fill: str = "") -> str:
    """A string `pattern` fully matches (for a simple pattern), varied by `seed`; "" when not known."""
    try:
        if re.compile(pattern).flags & re.VERBOSE:
            raise _Unsupported("verbose mode")
        reader = _Reader(pattern)
        tree = _alternation(reader)
        if reader.peek():
            raise _Unsupported(f"unexpected {reader.peek()!r}")
    except (re.error, _Unsupported):
        return ""
    sizes: list[int] = []

    def record(n: int) -> int:
        sizes.append(n)
        return 0

    _emit(tree, record, fill)
    digits: list[int] = []
    rest = seed
    for size in reversed(sizes):
        digits.append(rest % max(size, 1))
        rest //= max(size, 1)
    digits.reverse()
    picks = iter(digits)
    return _emit(tree, lambda n: next(picks, 0), fill)


# ---- reading


def _alternation(reader: _Reader) -> list[Node]:
    branches = [_sequence(reader)]
    while reader.peek() == "|":
        reader.take()
        branches.append(_sequence(reader))
    return branches[0] if len(branches) == 1 else [("alt", branches)]


def _sequence(reader: _Reader) -> list[Node]:
    nodes: list[Node] = []
    while True:
        if reader.peek() in ("", "|", ")"):
            return nodes
        atom = _atom(reader)
        low = _quantifier(reader)
        nodes.append(atom if low is None else ("repeat", low, [atom]))


def _quantifier(reader: _Reader) -> int | None:
    """The minimum count of a quantifier at the reader (its modifier ? or + read too), or None."""
    char = reader.peek()
    if char in ("*", "?", "+"):
        reader.take()
        low = 1 if char == "+" else 0
    elif (
        char == "{"
        and (bounds := re.match(r"\{(\d*)(,\d*)?\}", reader.text[reader.at :]))
        and (bounds.group(1) or bounds.group(2))
    ):
        reader.at += bounds.end()
        low = int(bounds.group(1) or 0)
    else:
        return None
    if reader.peek() in ("?", "+"):
        reader.take()
    return low


def _atom(reader: _Reader) -> Node:
    char = reader.take()
    if char == "(":
        return _group(reader)
    if char == "[":
        return _class(reader)
    if char == ".":
        return ("any",)
    if char in ("^", "$"):
        return ("none",)
    if char == "\\":
        return _escape(reader, in_class=False)
    if char in ("*", "+", "?", ")"):
        raise _Unsupported(f"unexpected {char!r}")
    return ("lit", char)


def _group(reader: _Reader) -> Node:
    emits = True
    if reader.peek() == "?":
        reader.take()
        kind = reader.take()
        if kind == "#":  # a comment
            while reader.take() != ")":
                pass
            return ("none",)
        if kind == "P" and reader.peek() == "<":  # (?P<name>...)
            while reader.take() != ">":
                pass
        elif kind == "P" and reader.peek() == "=":  # (?P=name): a backreference
            while reader.take() != ")":
                pass
            return ("none",)
        elif kind in ("=", "!"):  # lookahead
            emits = False
        elif kind == "<" and reader.peek() in ("=", "!"):  # lookbehind
            reader.take()
            emits = False
        elif kind == "(":  # (?(group)yes|no)
            while reader.take() != ")":
                pass
            emits = False
        elif kind in (":", ">"):  # non-capturing, atomic
            pass
        else:  # flags: (?aiLmsux) for the whole pattern, or (?flags:...) / (?flags-flags:...) scoped
            while kind not in (")", ":"):
                kind = reader.take()
            if kind == ")":
                return ("none",)
    body = _alternation(reader)
    if reader.take() != ")":
        raise _Unsupported("a group does not close")
    return ("group", body) if emits else ("none",)


def _escape(reader: _Reader, in_class: bool) -> Node:
    char = reader.take()
    if char in "dswDSW":
        return ("set", [_CATEGORIES.get(char, "a")])
    if char in _SIMPLE_ESCAPES and not (char == "0" and reader.peek().isdigit()):
        return ("lit", _SIMPLE_ESCAPES[char])
    if char == "x":
        return ("lit", chr(int(reader.take() + reader.take(), 16)))
    if char == "b" and in_class:
        return ("lit", "\b")
    if char in "bBAZ":
        return ("none",)
    if char.isdigit():  # a backreference (\1): nothing of its own
        while reader.peek().isdigit():
            reader.take()
        return ("none",)
    if char.isalnum():
        raise _Unsupported(f"escape \\{char}")
    return ("lit", char)


def _class(reader: _Reader) -> Node:
    start = reader.at - 1
    negated = reader.peek() == "^"
    if negated:
        reader.take()
    chars: list[str] = []
    first = True
    while first or reader.peek() != "]":
        first = False
        char = reader.take()
        if char == "\\":
            node = _escape(reader, in_class=True)
            if node[0] == "none":
                raise _Unsupported("an anchor in a class")
            chars.extend(node[1])
            low = node[1] if node[0] == "lit" else None
        else:
            chars.append(char)
            low = char
        if low is not None and reader.peek() == "-" and reader.peek(1) not in ("]", ""):
            reader.take()
            high = reader.take()
            if high == "\\":
                node = _escape(reader, in_class=True)
                if node[0] != "lit":
                    raise _Unsupported("a range to a class")
                high = node[1]
            chars.pop()
            chars.extend(chr(c) for c in range(ord(low), min(ord(high), ord(low) + CLASS_SPAN - 1) + 1))
    reader.take()
    if negated:
        source = reader.text[start : reader.at]
        return ("lit", next((c for c in _NOT_IN_NEGATED if re.fullmatch(source, c)), "A"))
    return ("set", list(dict.fromkeys(chars)))


# ---- writing


def _emit(nodes: list[Node], choose: Callable[[int], int], fill: str) -> str:
    out: list[str] = []
    for node in nodes:
        kind = node[0]
        if kind == "lit":
            out.append(node[1])
        elif kind == "any":
            out.append("A")
        elif kind == "set":
            chars = node[1]
            out.append(chars[choose(len(chars)) % len(chars)] if chars else "A")
        elif kind == "alt":
            branches = node[1]
            out.append(_emit(branches[choose(len(branches)) % len(branches)], choose, fill))
        elif kind == "group":
            out.append(_emit(node[1], choose, fill))
        elif kind == "repeat":
            low, body = node[1], node[2]
            if low == 0:
                out.append(fill if fill and body[0][0] == "any" else "")
            else:
                out.append("".join(_emit(body, choose, fill) for _ in range(low)))
    return "".join(out)
