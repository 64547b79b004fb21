"""Read a port-map CSV as a PM saves it from Excel, into rows the loader validates as jacks.

Why its own reader: the file comes out of a spreadsheet, not from a programmer. It may start with
a byte-order mark, use semicolons (Excel in a European locale) or commas, end lines with CRLF,
carry empty rows and trailing empty columns, quote a cell with a comma in it, name a column
"Wall plate" or "New Switch" instead of `jack` or `new_device`, and leave a device blank on every
row but the first where cells were merged. Every cell problem is one `file:line:col` line (the
line of the CSV, the 1-based number of the column), all of them in one pass. Columns golive does
not know are kept (Jack.extra, PortMap.columns) and shown, never dropped. A cell is never
evaluated: `=HYPERLINK(...)` in a jack label is that text (exports guard it again), but a control
character in any cell is refused, as it could spoof what a terminal shows. Limits on bytes, rows
and columns keep a wrong file (a disk image renamed .csv) from hanging the load. Pure: no I/O.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from golive.formula import formula_unmarked
from golive.problems import Problem
from golive.runbook.portmap import FIELDS, normalize_mac
from golive.runbook.ports import PortSpecError, check_port_name
from golive.runbook.types import bad_id
from golive.safetext import UNSAFE

MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 100
REQUIRED = ("jack", "new_device", "new_port")
MERGED = "merged cells in Excel export as blanks: write the device on every row"

# a header as golive compares it (lower case, letters and digits only) -> the jack field it names
ALIASES: dict[str, str] = {
    "jack": "jack", "jackid": "jack", "jacklabel": "jack", "jackno": "jack", "jacknumber": "jack",
    "wallplate": "jack", "plate": "jack", "outlet": "jack", "drop": "jack", "dropid": "jack",
    "olddevice": "old_device", "oldswitch": "old_device", "fromswitch": "old_device",
    "oldport": "old_port", "oldinterface": "old_port", "fromport": "old_port",
    "newdevice": "new_device", "newswitch": "new_device", "toswitch": "new_device",
    "newport": "new_port", "newinterface": "new_port", "toport": "new_port",
    "endpoint": "endpoint", "endpointname": "endpoint", "connecteddevice": "endpoint",
    "kind": "kind", "type": "kind", "endpointtype": "kind", "devicetype": "kind",
    "critical": "critical", "iscritical": "critical",
    "vlan": "vlan", "datavlan": "vlan", "accessvlan": "vlan", "vlanid": "vlan",
    "voicevlan": "voice_vlan", "vvlan": "voice_vlan",
    "mac": "mac", "macaddress": "mac", "expectedmac": "mac", "oui": "mac",
}  # fmt: skip
TRUE_WORDS = frozenset({"yes", "y", "true", "x", "1"})
FALSE_WORDS = frozenset({"no", "n", "false", "0", ""})
_IDENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}", re.ASCII)
_UNSAFE = re.compile(f"[{re.escape(UNSAFE)}]")
_LENGTHS = {"jack": 64, "endpoint": 200, "kind": 40}
_MAX_CELL = 1000  # any other column: a kept note, not an essay


def header_key(name: str) -> str:
    """A header as compared: `Old Port`, `old_port`, `OLD-PORT:` all read `oldport`."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


@dataclass
class CsvRow:
    """One non-empty CSV row: its line, the jack fields read from it (a field with a problem is
    left out) and the column number of each field, for problems found later (semantic)."""

    line: int
    values: dict[str, Any]
    cols: dict[str, int]
    refused: frozenset[str] = frozenset()


@dataclass
class CsvMap:
    rows: list[CsvRow] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # the extra columns, in file order
    problems: list[Problem] = field(default_factory=list)
    complete: bool = True  # False: reading stopped early (no header, a limit, a broken quote)


def decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """The CSV's text (a UTF-8 BOM dropped), or a problem naming where it stops being UTF-8."""
    if len(raw) > MAX_CSV_BYTES:
        return None, [Problem(file, 0, 0, f"port map is larger than {MAX_CSV_BYTES // (1024 * 1024)} MiB")]
    try:
        return raw.decode("utf-8").removeprefix("\ufeff"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = 'not UTF-8 text: in Excel, save it as "CSV UTF-8 (Comma delimited)"'
        return None, [Problem(file, line, col, hint)]


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.out = CsvMap()
        self.refused: dict[str, bool] = {}  # this row's fields that had a problem
        self.repeated: set[int] = set()  # columns refused in the header: their cells are not read

    def add(self, line: int, col: int, message: str) -> None:
        self.out.problems.append(Problem(self.file, line, col, message))

    def refuse(self, line: int, col: int, name: str, message: str) -> None:
        self.refused[name] = True
        self.add(line, col, message)

    def header(self, line: int, cells: list[str]) -> dict[int, str] | None:
        """Column index -> jack field or extra column name; None when a required column is missing."""
        named: dict[int, str] = {}
        first: dict[str, int] = {}
        for index, raw in enumerate(cells):
            name = formula_unmarked(raw.strip())
            if not name:
                continue  # a trailing empty column from Excel; a value under it is reported per row
            if _UNSAFE.search(name):
                self.add(line, index + 1, f"a control character in the header {name!r}")
                continue
            key = ALIASES.get(header_key(name), name)
            if key in first:
                self.add(line, index + 1, f"column {name!r} repeats column {first[key] + 1} ({key})")
                self.repeated.add(index)
                continue
            first[key] = index
            named[index] = key
        missing = [f for f in REQUIRED if f not in first]
        said = ", ".join(repr(c.strip()) for c in cells if c.strip())
        for name in missing:
            self.add(line, 1, f"missing required column {name!r} (the header names {said})")
        self.out.columns = [name for name in named.values() if name not in FIELDS]
        return None if missing else named

    def row(self, line: int, cells: list[str], named: dict[int, str]) -> None:
        self.refused = {}
        values: dict[str, Any] = {}
        extra: dict[str, str] = {}
        cols = {name: index + 1 for index, name in named.items()}
        for index, raw in enumerate(cells):
            col = index + 1
            name = named.get(index)
            text = formula_unmarked(raw.strip())  # golive's own CSVs (export, draft) mark formulas with '
            if _UNSAFE.search(raw):
                self.add(line, col, f"a control character in {name or 'a cell'}: {raw!r}")
                self.refused[name or ""] = True
                continue
            if name is None:
                if text and index not in self.repeated:
                    self.add(line, col, f"a value {text!r} under a column with no header")
                continue
            if name not in FIELDS:
                if len(text) > _MAX_CELL:
                    self.add(line, col, f"{name}: longer than {_MAX_CELL} characters")
                elif text:
                    extra[name] = text
                continue
            value = self.cell(line, col, name, text)
            if value is not None:
                values[name] = value
        for name in REQUIRED:
            if name not in values and not self.refused.get(name):
                hint = f" ({MERGED})" if name == "new_device" else ""
                self.add(line, cols[name], f"{'empty jack label' if name == 'jack' else name + ' is empty'}{hint}")
        if extra:
            values["extra"] = extra
        values["line"] = line
        self.out.rows.append(CsvRow(line, values, cols, frozenset(self.refused)))

    def cell(self, line: int, col: int, name: str, text: str) -> Any:
        """The typed value of one cell, None when blank (or wrong: then a problem is added)."""
        if name == "critical":
            word = text.lower()
            if word in TRUE_WORDS or word in FALSE_WORDS:
                return word in TRUE_WORDS
            self.refuse(
                line, col, name, f"critical: {text!r} is not yes or no (yes/no, true/false, y/n, x, 1/0 or blank)"
            )
            return None
        if not text:
            return None
        if name in _LENGTHS and len(text) > _LENGTHS[name]:
            self.refuse(line, col, name, f"{name}: longer than {_LENGTHS[name]} characters")
        elif name in ("old_device", "new_device") and not _IDENT.fullmatch(text):
            self.refuse(line, col, name, f"{name}: {bad_id(text)}")
        elif name in ("old_port", "new_port"):
            try:
                return check_port_name(text)
            except PortSpecError as exc:
                self.refuse(line, col, name, f"{name}: {exc}")
        elif name in ("vlan", "voice_vlan"):
            number = text.removesuffix(".0")  # Excel may write a number cell as 20.0
            if number.isascii() and number.isdigit() and 1 <= int(number) <= 4094:
                return int(number)
            self.refuse(line, col, name, f"{name}: {text!r} is not a VLAN number (1-4094)")
        elif name == "mac":
            try:
                return normalize_mac(text)
            except ValueError as exc:
                self.refuse(line, col, name, str(exc))
        else:
            return text
        return None


def read_csv(text: str, file: str) -> CsvMap:
    """Every non-empty row of a port-map CSV, with the problems of its header and cells."""
    reader = _Reader(file)
    out = reader.out
    first = next((line for line in text.splitlines() if line.strip()), None)
    if first is None:
        reader.add(1, 1, "the port map is empty: write a header (jack, new_device, new_port, ...) and a row per jack")
        out.complete = False
        return out
    parser = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first), strict=True)
    named: dict[int, str] | None = None
    end = 0
    try:
        for cells in parser:
            start, end = end + 1, parser.line_num
            if not any(cell.strip() for cell in cells):
                continue  # an empty row, or ";;;;" from Excel
            if len(cells) > MAX_COLUMNS:
                reader.add(start, MAX_COLUMNS + 1, f"more than {MAX_COLUMNS} columns: is this a port map?")
                out.complete = False
                break
            if named is None:
                named = reader.header(start, cells)
                if named is None:
                    out.complete = False
                    break
            elif len(out.rows) >= MAX_ROWS:
                reader.add(start, 1, f"more than {MAX_ROWS} jacks: is this a port map?")
                out.complete = False
                break
            else:
                reader.row(start, cells, named)
    except csv.Error as exc:
        why = "a quote opened in this row is never closed" if "unexpected end of data" in str(exc) else str(exc)
        reader.add(end + 1, 1, f"not a readable CSV line: {why}")  # the line the record starts on
        out.complete = False
    if out.complete and not out.rows:
        reader.add(end, 1, "the port map has a header but no jacks")
    return out
