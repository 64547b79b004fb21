"""The primitives of a cell's XML: column letters, text made safe for XML and Excel, date serials.

Why apart: both the per-row hot path (workbook.py) and the package's fixed parts (parts.py) need
them, and they are what the unit tests pin one by one.

Text is made safe here, whatever its source (device output can hold anything): the characters XML
1.0 cannot carry (control characters but tab, newline and CR; lone surrogates; U+FFFE, U+FFFF)
become U+FFFD, `&`, `<`, `>` are escaped (and `"` in an attribute), a literal `_xHHHH_` is escaped
as `_x005F_xHHHH_` so that Excel does not decode it as a character, and a text with leading or
trailing white space is marked `xml:space="preserve"` so that no reader trims it.
"""

from __future__ import annotations

import re
from datetime import date, datetime

MAX_COLUMNS = 16_384  # XFD
MAX_ROWS = 1_048_576
EPOCH_ORDINAL = date(1899, 12, 30).toordinal()  # Excel's day 0, right for every date after 1900-02-28


def column_letter(column: int) -> str:
    """`A` for column 1, `Z` 26, `AA` 27, `ZZ` 702, `AAA` 703, `XFD` 16,384."""
    if not 1 <= column <= MAX_COLUMNS:
        raise ValueError(f"column {column} is outside 1..{MAX_COLUMNS}")
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


LETTERS = tuple(column_letter(c) for c in range(1, MAX_COLUMNS + 1))  # 0-based column -> letters

# what a text cannot hold as is: XML's specials, XML 1.0's illegal characters, and OOXML's own `_xHHHH_`
_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_x")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_OOXML_ESCAPE = re.compile("_(x[0-9A-Fa-f]{4}_)")
_EDGE_SPACE = " \t\n\r"


def escape_text(value: str) -> str:
    """`value` as the content of an XML element: illegal characters replaced, specials escaped."""
    if _SPECIAL.search(value) is None:
        return value
    value = _OOXML_ESCAPE.sub(r"_x005F_\1", _ILLEGAL.sub("\ufffd", value))
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(value: str) -> str:
    """`value` inside a double-quoted XML attribute."""
    value = _ILLEGAL.sub("\ufffd", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def text_element(value: str, tag: str = "t") -> str:
    """`<t>value</t>`, keeping leading and trailing white space."""
    body = escape_text(value)
    if value and (value[0] in _EDGE_SPACE or value[-1] in _EDGE_SPACE):
        return f'<{tag} xml:space="preserve">{body}</{tag}>'
    return f"<{tag}>{body}</{tag}>"


def excel_serial(when: datetime) -> float:
    """A date-time as Excel's serial day number (its wall-clock time as given: Excel has no time zones)."""
    seconds = when.hour * 3600 + when.minute * 60 + when.second + when.microsecond / 1e6
    return when.toordinal() - EPOCH_ORDINAL + seconds / 86400
