"""Untrusted text made safe to show on a terminal: control and direction characters made visible.

A runbook mailed by someone else, a merged laptop's journal or a device's reply can hold an ESC
(`\\x1b]0;title\\x07` sets the terminal's title, `\\x1b[2J` clears the screen), a carriage return
that overwrites the start of a line, or a right-to-left override that shows `exe.txt` for
`txt.exe`. Printed raw, such text can hide or spoof what a technician sees. `visible()` writes
each such character as an escape a person can read, instead of letting the terminal obey it:

- C0 controls (U+0000-U+001F), DEL (U+007F) and C1 controls (U+0080-U+009F): `\\n`, `\\r`, `\\t`
  for the three everyone knows, `\\u001b` style for the rest;
- bidirectional overrides, embeddings, isolates and marks (U+202A-U+202E, U+2066-U+2069,
  U+200E, U+200F, U+061C) and the Unicode line and paragraph separators (U+2028, U+2029):
  `\\u202e` style.

The escapes are the ones JSON and Python both read back as the same character, so a JSON text
made visible is still JSON for the same value. Everything else (accents, CJK, emoji, a literal
backslash) is left as it is. With `multiline`, newline and tab are kept as they are (text meant
to span lines: instructions, a note shown in full); a carriage return is never kept.

This module imports nothing of golive: every layer (CLI, TUI, exports) may use it.
"""

from __future__ import annotations

import re

__all__ = ["UNSAFE", "visible"]

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
UNSAFE = "".join(chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))) + _BIDI
"""Every character `visible()` escapes (newline and tab included; `multiline` keeps those two)."""

_ONE_LINE = re.compile(f"[{re.escape(UNSAFE)}]")
_MULTI_LINE = re.compile(f"[{re.escape(UNSAFE.replace(chr(10), '').replace(chr(9), ''))}]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or f"\\u{ord(char):04x}"


def visible(text: object, *, multiline: bool = False) -> str:
    """`text` (str() of it) with every control, bidi and line-separator character written as an escape.

    One line unless `multiline`: then newlines and tabs stay as they are.
    """
    value = text if isinstance(text, str) else str(text)
    return (_MULTI_LINE if multiline else _ONE_LINE).sub(_escape, value)
