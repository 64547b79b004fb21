"""XLSX: sheets Summary, Tasks, Checks, Sign-offs, Port map (when the runbook has one) and Journal,
written with XlsxWriter.

Each table sheet has a bold header row that stays in view (frozen) and repeats on printed pages,
a filter on every column, and set column widths; it prints landscape, one page wide. Times are
real Excel date-time cells, not text, every one in site time (golive.runbook.clock: the UTC offset
of the runbook's window, named in each header): one clock on every sheet, Journal included.

Rows that need attention are filled (red: a failed or errored check, a failed or blocked task,
a rollback; amber: late, skipped, an override, a revoked sign-off, a changed runbook) and say so
in words in their Flag column too, so the meaning never rests on colour alone (nor on a printer).
Fills are a handful of shared formats, never one per cell.

Why XlsxWriter, in constant-memory mode: the package's layout, its escaping and its styles are a
maintained library's job, not golive's. In constant-memory mode each row leaves memory for the
sheet's file as soon as the next row starts (strings are written inline, not in a shared table),
so a long journal never sits in memory as cells; the mode's one rule, each sheet's rows written
top to bottom, is how every sheet here is written anyway. Its working files go to a private
temporary directory that is removed whatever happens.

Text is written as text (`write_string`): a note that starts with `=`, `+`, `-` or `@` stays that
note in a text cell, never a formula. Characters Excel cannot hold (control characters but tab,
newline and CR; lone surrogates; U+FFFE, U+FFFF) become U+FFFD; a cell longer than Excel's 32,767
(UTF-16) characters is cut with a note saying so (the jsonl export keeps everything). XlsxWriter
takes a text that starts with `<r>` and ends with `</r>` for its own rich-text XML and would write
it unescaped: such a text is written as a rich string of plain pieces, which shows as the same
text. Times are exported reproducibly: the workbook's created time is the export's own time
(`now`, in UTC), never the clock.

What the workbook holds, and what it leaves to the other exports:

- The Port map sheet is the map as executed (golive.export.portmap), one row per jack in the map's
  order: its result in a glyph and a word (red: misplugged, wrong VLAN, no power, unexpected; amber:
  not seen, not checked), where it was seen, the VLANs, the reason, who ran the check and when, who
  confirmed it by hand, when and why, and its old port at the snapshot. The map's extra columns
  come last. The csv export's -portmap file holds the same and reloads as a port map.

- The Checks sheet holds the latest result of every check and every result that failed or could
  not tell (error), re-run or not: the results a PM acts on or must explain. A passing result
  that a later run of the same check replaced is not repeated there: the Journal sheet has it as
  a row (time, who, check, device, target, status), the Summary counts every result, and its
  evidence text stays in the csv and jsonl exports.
- The Journal sheet has every event, in seven cells a row: Seq, Time (site), Kind, Task, Who,
  Flag, Details. Who is one cell, `Ana Ruiz (AR, net_eng)`: a PM filters by person and still reads
  the role. The time is in site time, `Time (site, UTC-05:00)`; the recording laptop's UTC offset
  is a column only when the events' offsets differ (laptops in different zones, a merged run). The
  machine is a column only when the events come from more than one (a merged run); otherwise the
  Summary names it. Neither the UUID nor the hash is in the sheet: Seq identifies an event within
  the run, and a 64-hex hash cannot be checked in Excel (it covers fields a sheet does not hold).
  The Summary gives the chain head and whether the chain verified and says where the rest is: the
  csv export carries each event's UUID and hash, the jsonl export the journal verbatim, which
  `golive verify FILE.jsonl` checks. Empty journal cells are not written at all (a filled row's
  fill stops at an empty cell; its Flag still says why in words).
"""

from __future__ import annotations

import math
import re
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from golive.export.model import CheckRow, ExportData, duration_text
from golive.export.portmap import JackRow
from golive.problems import GoliveError
from golive.progress.jacks import JackState

RED = "#F4C7C3"
AMBER = "#FCE8B2"
HEADER_FILL = "#D9E1EA"
BANNER_FILL = "#C00000"
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
CELL_LIMIT = 32_767  # UTF-16 code units, as Excel counts
MAX_ROWS = 1_048_576

RED_FLAGS = frozenset({"CHECK FAIL", "CHECK ERROR", "TASK FAILED", "ROLLBACK"})

TEXT, FREE, NUMBER, DATE = "text", "free", "number", "date"  # column kinds

# what no XML reader takes (XlsxWriter would write control characters as _xHHHH_, which Excel shows as
# the control character itself; surrogates cannot even be encoded)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def text(value: str) -> str:
    """A string Excel can hold and show as the text it is."""
    if _ILLEGAL.search(value) is not None:
        value = _ILLEGAL.sub("\ufffd", value)
    if len(value) > CELL_LIMIT // 2:  # shorter ones are within the limit even in UTF-16
        units = value.encode("utf-16-le")
        if len(units) > 2 * CELL_LIMIT:
            shown = units[: 2 * (CELL_LIMIT - 100)].decode("utf-16-le", "ignore")  # never half a pair
            value = f"{shown} [... {len(value) - len(shown)} more characters: see the jsonl export]"
    return value


def naive(when: datetime | None) -> datetime | None:
    """Excel has no time zones: the wall-clock time at the value's own offset."""
    return None if when is None else when.replace(tzinfo=None)


class _Formats:
    """The workbook's few shared formats, made once each."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self._made: dict[tuple[str | None, str], Format | None] = {}
        self.header = book.add_format({"bold": True, "bg_color": HEADER_FILL, "text_wrap": True, "valign": "top"})
        banner = {"bold": True, "font_color": "#FFFFFF", "font_size": 12, "bg_color": BANNER_FILL}
        self.banner = book.add_format(banner)
        self.banner_wrap = book.add_format({**banner, "text_wrap": True})
        self.title = book.add_format({"bold": True, "font_size": 14})

    def cell(self, fill: str | None, kind: str) -> Format | None:
        """The format of a cell of `kind` (date, wrap, label or plain) in a row filled with `fill`
        (None: a plain cell in a plain row)."""
        key = (fill, kind)
        if key not in self._made:
            properties: dict[str, Any] = {}
            if fill:
                properties["bg_color"] = fill
            if kind == DATE:
                properties["num_format"] = DATE_FORMAT
            elif kind == "wrap":
                properties |= {"text_wrap": True, "valign": "top"}
            elif kind == "label":
                properties["bold"] = True
            self._made[key] = self.book.add_format(properties) if properties else None
        return self._made[key]


class _Rows:
    """A worksheet written row after row, top to bottom (constant-memory mode's rule)."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.next = 0  # the 0-based index of the next row

    def write(self, values: Sequence[Any], formats: Sequence[Format | None], blanks: bool = False) -> int:
        """Append a row: text as text, numbers, date-times (naive: their wall clock). None, '' and a
        number that is not finite leave the cell out, or, with `blanks`, write it empty in its format
        (a filled row's fill goes on across it). Returns how many rows the sheet has now."""
        ws, r = self.ws, self.next
        if r >= MAX_ROWS:
            raise GoliveError(f"{ws.name}: more than {MAX_ROWS:,} rows; use the csv or jsonl export")
        for c, value in enumerate(values):
            cell_format = formats[c]
            kind = type(value)
            if kind is str:
                if value:
                    _string(ws, r, c, value, cell_format)
                    continue
            elif kind is int or kind is float:
                if math.isfinite(value):
                    ws.write_number(r, c, value, cell_format)
                    continue
            elif kind is datetime:
                ws.write_datetime(r, c, value, cell_format)
                continue
            elif value is not None and _other(ws, r, c, value, cell_format):
                continue
            if blanks and cell_format is not None:
                ws.write_blank(r, c, None, cell_format)
        self.next = r + 1
        return self.next


def _other(ws: Worksheet, row: int, col: int, value: object, cell_format: Format | None) -> bool:
    """The cell of a less usual value (a bool, a str or number subclass such as an event kind); False
    if it leaves the cell empty."""
    if isinstance(value, bool):
        ws.write_boolean(row, col, value, cell_format)
    elif isinstance(value, int | float):
        if not math.isfinite(value):
            return False
        ws.write_number(row, col, value, cell_format)
    elif isinstance(value, datetime):
        ws.write_datetime(row, col, naive(value), cell_format)
    elif isinstance(value, str):
        if not value:
            return False
        _string(ws, row, col, str(value), cell_format)
    else:
        raise TypeError(f"{ws.name}: no cell for a {type(value).__name__}")
    return True


def _string(ws: Worksheet, row: int, col: int, value: str, cell_format: Format | None) -> None:
    value = text(value)
    if value.startswith("<r>") and value.endswith("</r>"):
        # XlsxWriter would write this as rich-text XML, unescaped: as plain pieces it is the same text
        pieces = (value[0], value[1:-1], value[-1])  # "<", "r>...</r", ">": none empty
        ws.write_rich_string(row, col, *pieces, *([cell_format] if cell_format is not None else []))
    else:
        ws.write_string(row, col, value, cell_format)


class _Table:
    """One table sheet: optional banner, a styled header, frozen, filtered, printable."""

    def __init__(
        self, book: Workbook, formats: _Formats, title: str, columns: Sequence[tuple[str, float, str]], rows: int,
        banner: str,
    ) -> None:  # fmt: skip
        ws = book.add_worksheet(title)
        self.rows = _Rows(ws)
        self.kinds = [kind for _name, _width, kind in columns]
        for index, (_name, width, _kind) in enumerate(columns):
            ws.set_column(index, index, width)
        header = 1 if banner else 0  # the header's row index
        if header + 1 + rows > MAX_ROWS:
            raise GoliveError(f"{title}: {rows:,} rows do not fit in a sheet; use the csv or jsonl export")
        ws.freeze_panes(header + 1, 0)
        ws.autofilter(header, 0, header + max(rows, 1), len(columns) - 1)
        ws.repeat_rows(header)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        if banner:
            self.rows.write([banner], [formats.banner])
        self.rows.write([name for name, _width, _kind in columns], [formats.header] * len(columns))
        # per fill, the format of each column (None for plain text and numbers in an unfilled row)
        self.by_fill = {
            fill: [formats.cell(fill, DATE if kind == DATE else TEXT) for kind in self.kinds]
            for fill in (None, RED, AMBER)
        }

    def row(self, values: list[Any], fill: str | None = None) -> None:
        self.rows.write(values, self.by_fill[fill], blanks=fill is not None)


def _summary(book: Workbook, formats: _Formats, data: ExportData) -> None:
    ws = book.add_worksheet("Summary")
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 90)
    rows = _Rows(ws)
    r, trust, stats = data.run, data.trust, data.stats
    if data.banner:
        rows.write([data.banner], [formats.banner_wrap])
    rows.write([f"Cutover log: {r.runbook_title}"], [formats.title])
    ws.freeze_panes(rows.write(["Item", "Value"], [formats.header, formats.header]), 0)
    states = stats.by_state
    by_status = stats.checks_by_status
    rollback = "; ".join(f"{n.text} ({n.person}, {n.time:%Y-%m-%d %H:%M})" for n in data.rollbacks)
    shown_checks = len(data.workbook_checks)
    items: list[tuple[str, Any, str | None]] = [
        ("Run", r.name, None),
        ("Mode", r.mode_label, None),
        ("Run UUID", r.uuid, None),
        ("Runbook", f"{r.runbook_id} v{r.runbook_version}", None),
        ("Runbook SHA-256", r.runbook_sha256, None),
        ("Change", r.change or "none given", None),
        ("Site", r.site, None),
        (f"Window start (site time, UTC{data.site_offset()})", naive(r.window_start), None),
        (f"Window end (site time, UTC{data.site_offset()})", naive(data.site(r.window_end)), None),
        ("Run closed (site time)", naive(data.site(r.closed_at)) if r.closed_at else "no: the run is still open", None),
        ("Events", trust.events, None),
        ("Chain head", f"#{trust.head_seq} {trust.head_hash}", None),
        ("Chain", trust.verdict, None if trust.ok else RED),
        ("Exported at (site time)", naive(data.site(data.generated_at)), None),
        ("Late and running times as of (site time)", naive(data.site(data.as_of)), None),
        ("Names", "redacted: people shown by their initials" if data.redacted else "as journaled", None),
        ("Tasks", stats.tasks, None),
        ("Done", states.get("done", 0), None),
        ("Skipped", states.get("skipped", 0), AMBER if states.get("skipped") else None),
        ("Failed", states.get("failed", 0), RED if states.get("failed") else None),
        ("Blocked", states.get("blocked", 0), RED if states.get("blocked") else None),
        ("In progress", states.get("in_progress", 0), None),
        ("Not started", states.get("pending", 0) + states.get("ready", 0), None),
        ("Late", stats.late, AMBER if stats.late else None),
        ("Checks (latest result each)", stats.checks, None),
        ("Checks passed", by_status.get("pass", 0), None),
        ("Checks failed", by_status.get("fail", 0), RED if by_status.get("fail") else None),
        ("Checks in error (could not tell)", by_status.get("error", 0), RED if by_status.get("error") else None),
        ("Checks simulated (rehearsal)", by_status.get("simulated", 0), None),
        ("Check results (re-runs included)", stats.check_results, None),
        ("Checks NOT RUN (tasks worked on or closed)", stats.checks_not_run, AMBER if stats.checks_not_run else None),
        ("Checks sheet", f"{shown_checks} results: the latest of each check and every failed or errored one; "
                         f"{stats.check_results - shown_checks} earlier passing results, each replaced by a later "
                         "run of its check, are rows of the Journal sheet", None),
        ("Journal sheet", f"every event, {len(data.rows)} rows: Seq identifies an event within this run; each "
                          "event's UUID and hash are in the csv and jsonl exports", None),
        *_where_recorded(data),
        *_portmap_summary(data),
        ("Overrides", stats.overrides, AMBER if stats.overrides else None),
        ("Backout (rollback) used", f"yes: {rollback}" if rollback else "no", RED if rollback else None),
        ("Planned length (critical path)", duration_text(stats.planned_seconds), None),
        ("Worked, first start to last task event", duration_text(stats.elapsed_seconds), None),
        ("Marks", "red fill: failed check, failed or blocked task, rollback; amber: late, skipped, override, "
                  "revoked, checks not run. The Flag column says the same in words.", None),
    ]  # fmt: skip
    for label, value, fill in items:
        kind = DATE if isinstance(value, datetime) else "wrap"
        rows.write([label, value], [formats.cell(fill, "label"), formats.cell(fill, kind)])


def _portmap_summary(data: ExportData) -> list[tuple[str, Any, str | None]]:
    """The Summary's lines for the port map: the jacks per result, and the critical jacks still open."""
    executed = data.portmap
    if executed is None:
        return []
    problems = any(r.problem for r in executed.rows)
    open_ = executed.critical_open
    return [
        ("Port map (as executed)", f"{executed.summary} (the Port map sheet)", RED if problems else None),
        ("Critical jacks not proven", ", ".join(f"{r.label} ({r.result})" for r in open_) if open_ else "none",
         RED if open_ else None),
    ]  # fmt: skip


def _jack_fill(r: JackRow) -> str | None:
    if r.problem:
        return RED
    return AMBER if r.state is None or r.state is JackState.NOT_SEEN else None


def _portmap(book: Workbook, formats: _Formats, data: ExportData) -> None:
    executed = data.portmap
    if executed is None:
        return
    site = f" (site, UTC{data.site_offset()})"
    extra = executed.extra_columns
    table = _Table(book, formats, "Port map", [
        ("Jack", 12, FREE), ("Endpoint", 26, FREE), ("Kind", 10, FREE), ("Critical", 8, TEXT),
        ("Old (device port)", 22, FREE), ("New (device port)", 22, FREE), ("Result", 20, TEXT),
        ("Reason", 44, FREE), ("Where seen", 24, FREE), ("Swapped with", 10, FREE), ("VLAN expected", 12, TEXT),
        ("VLAN seen", 9, TEXT), ("Checked at" + site, 19, DATE), ("Checked by", 20, FREE), ("Check", 12, FREE),
        ("Lab", 5, TEXT), ("Confirmed by", 20, FREE), ("Confirmed at" + site, 19, DATE), ("Confirmed why", 36, FREE),
        ("Before: MACs", 30, FREE), ("Before: VLAN", 8, NUMBER), ("Before: voice VLAN", 8, NUMBER),
        ("Before: neighbor", 26, FREE), ("Before: PoE", 16, FREE), *((name, 16, FREE) for name in extra),
    ], len(executed.rows), data.banner)  # fmt: skip
    for r in executed.rows:
        j, c = r.jack, r.confirmed
        table.row([
            j.jack, j.endpoint, j.kind, "CRITICAL" if j.critical else "no", r.old, r.new, f"{r.glyph} {r.result}",
            r.reason, "; ".join(r.seen), r.swapped_with, r.expected_vlans, r.seen_vlan, naive(r.checked_at),
            r.checked_by, r.check, ("yes" if r.lab else "no") if r.state is not None else None,
            c.by if c else None, naive(c.at) if c else None, c.reason if c else None,
            r.before_macs, r.before_vlan, r.before_voice_vlan, r.before_neighbor, r.before_poe,
            *(j.extra.get(name, "") for name in extra),
        ], _jack_fill(r))  # fmt: skip


def _where_recorded(data: ExportData) -> list[tuple[str, Any, str | None]]:
    """The Summary's lines for what the Journal sheet shows as a column only when it varies."""
    machines = sorted({e.machine for e in data.journal})
    offsets = sorted({e.tz_offset for e in data.journal})
    if not machines:
        return []
    return [
        ("Machine", machines[0], None) if len(machines) == 1 else
        ("Machines", f"{len(machines)}: {', '.join(machines)} (the Journal sheet's Machine column)", None),
        ("Times", f"site time, {data.zone} (the runbook window's offset) on every sheet; the laptop"
                  f"{'' if len(offsets) == 1 else 's'} recorded at UTC{', UTC'.join(offsets)}", None),
    ]  # fmt: skip


def _tasks(book: Workbook, formats: _Formats, data: ExportData) -> None:
    site = f" (site, UTC{data.site_offset()})"
    table = _Table(book, formats, "Tasks", [
        ("Phase", 14, TEXT), ("Task", 22, TEXT), ("Title", 40, FREE), ("Owner", 12, TEXT), ("Gate", 7, TEXT),
        ("State", 12, TEXT), ("Flags", 22, TEXT), ("Planned (min)", 10, NUMBER), ("Planned start" + site, 19, DATE),
        ("Planned end" + site, 19, DATE), ("Actual start" + site, 19, DATE), ("Actual end" + site, 19, DATE),
        ("Actual (min)", 10, NUMBER), ("Variance (min)", 10, NUMBER), ("Late", 7, TEXT), ("Late by", 28, TEXT),
        ("Signed by", 36, FREE), ("Checks passed", 9, NUMBER), ("Checks failed", 9, NUMBER),
        ("Checks simulated", 10, NUMBER), ("Overridden", 10, TEXT), ("Reason", 40, FREE),
        ("Checks", 8, NUMBER), ("Checks not run", 9, NUMBER), ("Checks in the lab", 9, NUMBER),
    ], len(data.tasks), data.banner)  # fmt: skip
    for t in data.tasks:
        red = t.state in ("failed", "blocked") or (t.checks_failed and not t.overridden)
        fill = RED if red else AMBER if (t.late or t.state == "skipped" or t.overridden or t.unchecked) else None
        table.row([
            t.phase, t.task, t.title, t.owner, "yes" if t.gate else "no", t.state, t.flags,
            t.planned_minutes, naive(t.planned_start), naive(t.planned_end), naive(t.actual_start),
            naive(t.actual_end), t.actual_minutes, t.variance_minutes, "LATE" if t.late else "no", t.late_reason,
            t.signed_by, t.checks_passed, t.checks_failed, t.checks_simulated, "yes" if t.overridden else "no",
            t.reason, t.checks, t.checks_not_run, t.checks_lab,
        ], fill)  # fmt: skip


def _checks(book: Workbook, formats: _Formats, data: ExportData) -> None:
    kept: list[CheckRow] = data.workbook_checks
    table = _Table(book, formats, "Checks", [
        ("Seq", 7, NUMBER), (f"Time (site, UTC{data.site_offset()})", 19, DATE), ("Task", 20, TEXT),
        ("Check", 14, FREE), ("Check id", 12, FREE), ("Kind", 9, FREE), ("Device", 14, FREE), ("Transport", 9, FREE),
        ("Target", 18, FREE), ("Status", 9, FREE), ("Flag", 8, TEXT), ("Latest", 7, TEXT), ("Expected", 30, FREE),
        ("Observed", 36, FREE), ("Reason", 36, FREE), ("Failed ports", 18, FREE), ("Duration (ms)", 9, NUMBER),
        ("Lab", 6, TEXT), ("By", 18, FREE), ("Evidence", 60, FREE),
    ], len(kept), data.banner)  # fmt: skip
    for c in kept:
        table.row([
            c.seq, naive(c.time), c.task, c.check, c.check_id, c.kind, c.device, c.transport, c.target,
            c.status, c.status.upper() if c.failed else "", "yes" if c.latest else "no (re-run later)",
            c.expected, c.observed, c.reason, c.failed_ports, c.duration_ms, "yes" if c.lab else "no", c.by,
            c.evidence,
        ], RED if c.failed else None)  # fmt: skip


def _signoffs(book: Workbook, formats: _Formats, data: ExportData) -> None:
    table = _Table(book, formats, "Sign-offs", [
        ("Seq", 7, NUMBER), (f"Time (site, UTC{data.site_offset()})", 19, DATE), ("Task", 20, TEXT),
        ("Title", 36, FREE), ("Action", 11, TEXT), ("Person", 22, FREE), ("Role", 12, FREE),
        ("Comment or reason", 40, FREE), ("Approver", 24, FREE), ("In force", 9, TEXT),
    ], len(data.signoffs), data.banner)  # fmt: skip
    for s in data.signoffs:
        in_force = "" if s.in_force is None else "yes" if s.in_force else "no (revoked)"
        table.row([
            s.seq, naive(s.time), s.task, s.task_title, s.action.upper() if s.action != "signed off" else s.action,
            s.person, s.role, s.comment, s.approver, in_force,
        ], AMBER if s.action != "signed off" else None)  # fmt: skip


def who_text(name: str, initials: str, role: str, redacted: bool) -> str:
    """A journal row's person in one cell: `Ana Ruiz (AR, net_eng)`; `AR (net_eng)` when redacted."""
    extra = [x for x in ("" if redacted or initials == name else initials, role) if x]
    return f"{name} ({', '.join(extra)})" if extra else name


def _journal(book: Workbook, formats: _Formats, data: ExportData) -> None:
    """Every event, one row each: Seq, Time, Kind, Task, Who, Flag, Details (and the laptop's UTC offset and
    Machine only when they vary). Empty cells are not written at all, not even to carry a row's fill."""
    events = data.journal
    offsets = {e.tz_offset for e in events}
    machines = {e.machine for e in events}
    by_offset = len(offsets) > 1
    columns: list[tuple[str, float, str]] = [("Seq", 7, NUMBER), (f"Time (site, {data.zone})", 19, DATE)]
    if by_offset:
        columns.append(("Laptop UTC offset", 8, TEXT))
    columns += [("Kind", 15, TEXT), ("Task", 20, TEXT), ("Who", 30, FREE), ("Flag", 13, TEXT), ("Details", 60, FREE)]
    if len(machines) > 1:
        columns.append(("Machine", 18, FREE))
    table = _Table(book, formats, "Journal", columns, len(events), data.banner)
    write = table.rows.write
    plain, red, amber = table.by_fill[None], table.by_fill[RED], table.by_fill[AMBER]
    by_machine = len(machines) > 1
    redacted = data.redacted
    people: dict[tuple[str, str, str], str] = {}
    for e in events:
        flag = e.flag
        key = (e.actor_name, e.actor_initials, e.actor_role)
        who = people.get(key)
        if who is None:
            who = people[key] = who_text(*key, redacted)
        values: list[Any] = [e.seq, naive(e.site)]
        if by_offset:
            values.append(e.tz_offset)
        values += (e.kind, e.task, who, flag, e.summary)
        if by_machine:
            values.append(e.machine)
        write(values, plain if not flag else red if flag in RED_FLAGS else amber)


def write(data: ExportData, path: Path) -> None:
    """The workbook at `path`; its working files in a temporary directory removed whatever happens."""
    with tempfile.TemporaryDirectory(prefix="golive-xlsx-", ignore_cleanup_errors=True) as scratch:
        book = Workbook(str(path), {"constant_memory": True, "tmpdir": scratch})
        book.set_properties({
            "title": text(f"Cutover log: {data.run.runbook_title} ({data.run.name}, {data.run.mode_label})"),
            "author": "golive",
            "created": data.generated_at.astimezone(UTC),  # XlsxWriter writes its wall clock as UTC
        })  # fmt: skip
        formats = _Formats(book)
        _summary(book, formats, data)
        _tasks(book, formats, data)
        _checks(book, formats, data)
        _signoffs(book, formats, data)
        _portmap(book, formats, data)
        _journal(book, formats, data)
        try:
            book.close()
        except FileCreateError as exc:  # XlsxWriter's wrapper of the OSError: the caller reports that one
            cause = exc.args[0] if exc.args else None
            raise cause if isinstance(cause, OSError) else OSError(str(exc)) from None
