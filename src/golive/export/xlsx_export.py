"""XLSX: sheets Summary, Tasks, Checks, Sign-offs and Journal (written by golive.export.xlsx).

Each table sheet has a bold header row that stays in view (frozen) and repeats on printed pages,
a filter on every column, and set column widths. Times are real Excel date-time cells, not text:
task, check and sign-off times in site time (the UTC offset of the runbook's window, named in the
header), journal times in the recording laptop's local time (its offset in the header, or beside
them when the laptops' offsets differ).

Rows that need attention are filled (red: a failed or errored check, a failed or blocked task,
a rollback; amber: late, skipped, an override, a revoked sign-off, a changed runbook) and say so
in words in their Flag column too, so the meaning never rests on colour alone (nor on a printer).
Fills are a handful of shared styles, never a style per cell.

Text is written as text: a note that starts with `=` stays a note, never a formula; characters
Excel cannot hold (control characters) become U+FFFD; a cell longer than Excel's 32,767
characters is cut with a note saying so (the jsonl export keeps everything). Times are exported
reproducibly: the workbook's created time is the export's own time (`now`), never the clock.

Which writer, and which cells. A 20,000-event run must export in under 2 s. A general library's
per-cell Python was above that on its own (XlsxWriter ~6 µs a cell, openpyxl ~15 µs; XlsxWriter's
bare floor for the journal alone was 3.4 s), so golive writes the SpreadsheetML itself
(golive.export.xlsx: a row becomes its XML at once, strings shared, deflated at level 1). And the
workbook writes what a PM reads, and nothing a PM would lose is left out:

- The Checks sheet holds the latest result of every check and every result that failed or could
  not tell (error), re-run or not: the results a PM acts on or must explain. A passing result
  that a later run of the same check replaced is not repeated there: the Journal sheet has it as
  a row (time, who, check, device, target, status), the Summary counts every result, and its
  evidence text stays in the csv and jsonl exports. (A night of re-runs is 12,500 results for
  400 checks; this keeps ~1,400 rows, none of them a failure or a final state.)
- The Journal sheet has every event, in seven cells a row: Seq, Time (local), Kind, Task, Who,
  Flag, Details. Who is one cell, `Ana Ruiz (AR, net_eng)`: a PM filters by person and still reads
  the role. The UTC offset is a column only when the events' offsets differ (laptops in different
  zones, a merged run); otherwise it is named in the Time header, `Time (local, UTC-05:00)`. The
  machine is a column only when the events come from more than one (a merged run); otherwise the
  Summary names it. Neither the UUID nor the hash is in the sheet: Seq identifies an event within
  the run, a 64-hex hash cannot be checked in Excel (it covers fields a sheet does not hold), and
  both only cost time (~7 µs a cell, 20,000 rows). The Summary gives the chain head and whether
  the chain verified and says where the rest is: the csv export carries each event's UUID and
  hash, the jsonl export the journal verbatim, which `golive verify FILE.jsonl` checks. Empty
  cells are not written at all (a filled row's fill stops at an empty cell; its Flag still says
  why in words).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from golive.export.model import CheckRow, ExportData, duration_text
from golive.export.xlsx import Sheet, Style, Workbook

RED = "F4C7C3"
AMBER = "FCE8B2"
HEADER_FILL = "D9E1EA"
BANNER_FILL = "C00000"
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
CELL_LIMIT = 32_767

RED_FLAGS = frozenset({"CHECK FAIL", "CHECK ERROR", "TASK FAILED", "ROLLBACK"})

TEXT, FREE, NUMBER, DATE = "text", "free", "number", "date"  # column kinds; FREE text is sanitised


def text(value: str) -> str:
    """A string Excel can hold, shown as the text it is (the writer replaces what XML cannot carry)."""
    if len(value) > CELL_LIMIT:
        note = f" [... {len(value) - CELL_LIMIT + 100} more characters: see the jsonl export]"
        value = value[: CELL_LIMIT - len(note)] + note
    return value


def naive(when: datetime | None) -> datetime | None:
    """Excel has no time zones: the wall-clock time at the value's own offset."""
    return None if when is None else when.replace(tzinfo=None)


class _Formats:
    """The workbook's few shared styles, made once each."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self._made: dict[tuple[str | None, str], int] = {}
        self.header = book.style(Style(bold=True, fill=HEADER_FILL, wrap=True, top=True))
        self.banner = book.style(Style(bold=True, color="FFFFFF", size=12, fill=BANNER_FILL))
        self.banner_wrap = book.style(Style(bold=True, color="FFFFFF", size=12, fill=BANNER_FILL, wrap=True))
        self.title = book.style(Style(bold=True, size=14))

    def cell(self, fill: str | None, kind: str) -> int:
        """The style of a cell of `kind` (date, wrap, label or plain) in a row filled with `fill`."""
        key = (fill, kind)
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = self.book.style(
                Style(
                    fill=fill or "",
                    number_format=DATE_FORMAT if kind == DATE else "",
                    wrap=kind == "wrap",
                    top=kind == "wrap",
                    bold=kind == "label",
                )
            )
        return found


class _Table:
    """One table sheet: optional banner, a styled header, frozen, filtered, printable."""

    def __init__(
        self, book: Workbook, formats: _Formats, title: str, columns: Sequence[tuple[str, float, str]], rows: int,
        banner: str,
    ) -> None:  # fmt: skip
        ws = book.add_sheet(title)
        self.ws: Sheet = ws
        self.kinds = [kind for _name, _width, kind in columns]
        self.free = [i for i, kind in enumerate(self.kinds) if kind == FREE]
        for index, (_name, width, _kind) in enumerate(columns):
            ws.set_width(index, width)
        header = 2 if banner else 1  # the header's row number
        ws.freeze(header)
        ws.autofilter(header, header + max(rows, 1), len(columns))
        ws.repeat_rows(header)
        ws.print_landscape_fit_width()
        if banner:
            ws.row([text(banner)], [formats.banner])
        ws.row([name for name, _width, _kind in columns], [formats.header] * len(columns))
        # per fill, the style of each column (0 for plain text and numbers in an unfilled row)
        self.by_fill = {
            fill: [formats.cell(fill, DATE if kind == DATE else TEXT) for kind in self.kinds]
            for fill in (None, RED, AMBER)
        }

    def row(self, values: list[Any], fill: str | None = None) -> None:
        for i in self.free:
            value = values[i]
            if value:
                values[i] = text(value)
        self.ws.row(values, self.by_fill[fill], blanks=fill is not None)


def _summary(book: Workbook, formats: _Formats, data: ExportData) -> None:
    ws = book.add_sheet("Summary")
    ws.set_width(0, 26)
    ws.set_width(1, 90)
    r, trust, stats = data.run, data.trust, data.stats
    if data.banner:
        ws.row([text(data.banner)], [formats.banner_wrap])
    ws.row([text(f"Cutover log: {r.runbook_title}")], [formats.title])
    ws.freeze(ws.row(["Item", "Value"], [formats.header, formats.header]))
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
        ("Checks sheet", f"{shown_checks} results: the latest of each check and every failed or errored one; "
                         f"{stats.check_results - shown_checks} earlier passing results, each replaced by a later "
                         "run of its check, are rows of the Journal sheet", None),
        ("Journal sheet", f"every event, {len(data.rows)} rows: Seq identifies an event within this run; each "
                          "event's UUID and hash are in the csv and jsonl exports", None),
        *_where_recorded(data),
        ("Overrides", stats.overrides, AMBER if stats.overrides else None),
        ("Backout (rollback) used", f"yes: {rollback}" if rollback else "no", RED if rollback else None),
        ("Planned length (critical path)", duration_text(stats.planned_seconds), None),
        ("Worked, first start to last task event", duration_text(stats.elapsed_seconds), None),
        ("Marks", "red fill: failed check, failed or blocked task, rollback; amber: late, skipped, override, "
                  "revoked. The Flag column says the same in words.", None),
    ]  # fmt: skip
    for label, value, fill in items:
        shown = text(value) if isinstance(value, str) else value
        ws.row([label, shown], [formats.cell(fill, "label"), formats.cell(fill, DATE if isinstance(value, datetime)
                                                                           else "wrap")])  # fmt: skip


def _where_recorded(data: ExportData) -> list[tuple[str, Any, str | None]]:
    """The Summary's lines for what the Journal sheet shows as a column only when it varies."""
    machines = sorted({e.machine for e in data.journal})
    offsets = sorted({e.tz_offset for e in data.journal})
    if not machines:
        return []
    return [
        ("Machine", machines[0], None) if len(machines) == 1 else
        ("Machines", f"{len(machines)}: {', '.join(machines)} (the Journal sheet's Machine column)", None),
        ("Journal times", f"the recording laptop's local time, UTC{offsets[0]} for every event" if len(offsets) == 1
                          else f"each laptop's local time, offsets {', '.join(offsets)} (the UTC offset column)",
         None),
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
    ], len(data.tasks), data.banner)  # fmt: skip
    for t in data.tasks:
        red = t.state in ("failed", "blocked") or (t.checks_failed and not t.overridden)
        fill = RED if red else AMBER if (t.late or t.state == "skipped" or t.overridden) else None
        table.row([
            t.phase, t.task, t.title, t.owner, "yes" if t.gate else "no", t.state, t.flags,
            t.planned_minutes, naive(t.planned_start), naive(t.planned_end), naive(t.actual_start),
            naive(t.actual_end), t.actual_minutes, t.variance_minutes, "LATE" if t.late else "no", t.late_reason,
            t.signed_by, t.checks_passed, t.checks_failed, t.checks_simulated, "yes" if t.overridden else "no",
            t.reason,
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
    """Every event, one row each: Seq, Time, Kind, Task, Who, Flag, Details (and UTC offset and Machine
    only when they vary). Empty cells are not written at all, not even to carry a row's fill."""
    events = data.journal
    offsets = {e.tz_offset for e in events}
    machines = {e.machine for e in events}
    one_offset = next(iter(offsets)) if len(offsets) == 1 else None
    columns: list[tuple[str, float, str]] = [
        ("Seq", 7, NUMBER), (f"Time (local, UTC{one_offset})" if one_offset else "Time (local)", 19, DATE),
    ]  # fmt: skip
    if one_offset is None:
        columns.append(("UTC offset", 8, TEXT))
    columns += [("Kind", 15, TEXT), ("Task", 20, TEXT), ("Who", 30, FREE), ("Flag", 13, TEXT), ("Details", 60, FREE)]
    if len(machines) > 1:
        columns.append(("Machine", 18, FREE))
    table = _Table(book, formats, "Journal", columns, len(events), data.banner)
    row = table.ws.row
    plain, red, amber = table.by_fill[None], table.by_fill[RED], table.by_fill[AMBER]
    by_offset = one_offset is None
    by_machine = len(machines) > 1
    redacted = data.redacted
    people: dict[tuple[str, str, str], str] = {}
    machine_cells: dict[str, str] = {}
    for e in events:
        flag = e.flag
        key = (e.actor_name, e.actor_initials, e.actor_role)
        who = people.get(key)
        if who is None:
            who = people[key] = text(who_text(*key, redacted))
        summary = e.summary
        values: list[Any] = [e.seq, e.local]  # the writer shows a time's wall clock at its own offset
        if by_offset:
            values.append(e.tz_offset)
        values += (e.kind, e.task, who, flag, text(summary) if summary else summary)
        if by_machine:
            machine = machine_cells.get(e.machine)
            if machine is None:
                machine = machine_cells[e.machine] = text(e.machine)
            values.append(machine)
        row(values, plain if not flag else red if flag in RED_FLAGS else amber)


def write(data: ExportData, path: Path) -> None:
    title = text(f"Cutover log: {data.run.runbook_title} ({data.run.name}, {data.run.mode_label})")
    book = Workbook(title=title, creator="golive", created=data.generated_at)
    formats = _Formats(book)
    _summary(book, formats, data)
    _tasks(book, formats, data)
    _checks(book, formats, data)
    _signoffs(book, formats, data)
    _journal(book, formats, data)
    book.save(path)
