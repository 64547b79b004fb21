"""XLSX (openpyxl, streaming): sheets Summary, Tasks, Checks, Sign-offs and Journal.

Each table sheet has a bold header row that stays in view (frozen) and repeats on printed pages,
a filter on every column, and set column widths. Times are real Excel date-time cells, not text:
task, check and sign-off times in site time (the UTC offset of the runbook's window, named in the
header), journal times in the recording laptop's local time with its offset beside them.

Rows that need attention are filled (red: a failed or errored check, a failed or blocked task,
a rollback; amber: late, skipped, an override, a revoked sign-off, a changed runbook) and say so
in words in their Flag column too, so the meaning never rests on colour alone (nor on a printer).

Text is written as text: a note that starts with `=` stays a note, never a formula; characters
Excel cannot hold (control characters) become U+FFFD; a cell longer than Excel's 32,767
characters is cut with a note saying so (the jsonl export keeps everything).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from golive.export.model import ExportData, duration_text

RED = PatternFill("solid", fgColor="F4C7C3")
AMBER = PatternFill("solid", fgColor="FCE8B2")
HEADER_FILL = PatternFill("solid", fgColor="D9E1EA")
BANNER_FILL = PatternFill("solid", fgColor="C00000")
HEADER_FONT = Font(bold=True)
BANNER_FONT = Font(bold=True, color="FFFFFF", size=12)
TITLE_FONT = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
CELL_LIMIT = 32_767

RED_FLAGS = frozenset({"CHECK FAIL", "CHECK ERROR", "TASK FAILED", "ROLLBACK"})


def text(value: str) -> str:
    """A string Excel can hold, shown as the text it is."""
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    if len(value) > CELL_LIMIT:
        note = f" [... {len(value) - CELL_LIMIT + 100} more characters: see the jsonl export]"
        value = value[: CELL_LIMIT - len(note)] + note
    return value


def naive(when: datetime | None) -> datetime | None:
    """Excel has no time zones: the wall-clock time at the value's own offset."""
    return None if when is None else when.replace(tzinfo=None)


class _Table:
    """One streamed sheet: optional banner, a styled header, frozen, filtered, printable."""

    def __init__(
        self, wb: Workbook, title: str, columns: Sequence[tuple[str, float]], rows: int, banner: str
    ) -> None:
        ws: Any = wb.create_sheet(title)  # a WriteOnlyWorksheet: its stubs lack the attributes it has
        self.ws = ws
        for index, (_name, width) in enumerate(columns, 1):
            ws.column_dimensions[get_column_letter(index)].width = width
        header_row = 2 if banner else 1
        last = get_column_letter(len(columns))
        ws.freeze_panes = f"A{header_row + 1}"
        ws.auto_filter.ref = f"A{header_row}:{last}{header_row + max(rows, 1)}"
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        if banner:
            ws.append([_cell(ws, text(banner), BANNER_FONT, BANNER_FILL)])
        ws.append([_cell(ws, name, HEADER_FONT, HEADER_FILL, WRAP) for name, _ in columns])

    def row(self, values: Sequence[Any], fill: PatternFill | None = None) -> None:
        ws = self.ws
        values = [None if v == "" else v for v in values]  # an empty cell costs nothing to write
        if fill is not None:
            ws.append([_cell(ws, v, fill=fill) for v in values])
        elif any(isinstance(v, str) and v.startswith("=") for v in values):
            ws.append([_cell(ws, v) if isinstance(v, str) else v for v in values])
        else:
            ws.append(values)


def _cell(
    ws: Any,
    value: Any,
    font: Font | None = None,
    fill: PatternFill | None = None,
    align: Alignment | None = None,
) -> Cell:
    c = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith("="):
        c.data_type = "s"  # text, never a formula
    if font is not None:
        c.font = font
    if fill is not None:
        c.fill = fill
    if align is not None:
        c.alignment = align
    return c


def _summary(wb: Workbook, data: ExportData) -> None:
    ws: Any = wb.create_sheet("Summary")
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 90
    r, trust, stats = data.run, data.trust, data.stats
    if data.banner:
        ws.append([_cell(ws, text(data.banner), BANNER_FONT, BANNER_FILL, WRAP)])
    ws.append([_cell(ws, text(f"Cutover log: {r.runbook_title}"), TITLE_FONT)])
    ws.append([_cell(ws, "Item", HEADER_FONT, HEADER_FILL), _cell(ws, "Value", HEADER_FONT, HEADER_FILL)])
    ws.freeze_panes = f"A{4 if data.banner else 3}"
    states = stats.by_state
    by_status = stats.checks_by_status
    rollback = "; ".join(f"{n.text} ({n.person}, {n.time:%Y-%m-%d %H:%M})" for n in data.rollbacks)
    items: list[tuple[str, Any, PatternFill | None]] = [
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
        ("Overrides", stats.overrides, AMBER if stats.overrides else None),
        ("Backout (rollback) used", f"yes: {rollback}" if rollback else "no", RED if rollback else None),
        ("Planned length (critical path)", duration_text(stats.planned_seconds), None),
        ("Worked, first start to last task event", duration_text(stats.elapsed_seconds), None),
        ("Marks", "red fill: failed check, failed or blocked task, rollback; amber: late, skipped, override, "
                  "revoked. The Flag column says the same in words.", None),
    ]  # fmt: skip
    for label, value, fill in items:
        shown = text(value) if isinstance(value, str) else value
        ws.append([_cell(ws, label, HEADER_FONT, fill), _cell(ws, shown, fill=fill, align=WRAP)])


def _tasks(wb: Workbook, data: ExportData) -> None:
    site = f" (site, UTC{data.site_offset()})"
    table = _Table(wb, "Tasks", [
        ("Phase", 14), ("Task", 22), ("Title", 40), ("Owner", 12), ("Gate", 7), ("State", 12), ("Flags", 22),
        ("Planned (min)", 10), ("Planned start" + site, 19), ("Planned end" + site, 19),
        ("Actual start" + site, 19), ("Actual end" + site, 19), ("Actual (min)", 10), ("Variance (min)", 10),
        ("Late", 7), ("Late by", 28), ("Signed by", 36), ("Checks passed", 9), ("Checks failed", 9),
        ("Checks simulated", 10), ("Overridden", 10), ("Reason", 40),
    ], len(data.tasks), data.banner)  # fmt: skip
    for t in data.tasks:
        red = t.state in ("failed", "blocked") or (t.checks_failed and not t.overridden)
        fill = RED if red else AMBER if (t.late or t.state == "skipped" or t.overridden) else None
        table.row([
            t.phase, t.task, text(t.title), t.owner, "yes" if t.gate else "no", t.state, t.flags,
            t.planned_minutes, naive(t.planned_start), naive(t.planned_end), naive(t.actual_start),
            naive(t.actual_end), t.actual_minutes, t.variance_minutes, "LATE" if t.late else "no", t.late_reason,
            text(t.signed_by), t.checks_passed, t.checks_failed, t.checks_simulated,
            "yes" if t.overridden else "no", text(t.reason),
        ], fill)  # fmt: skip


def _checks(wb: Workbook, data: ExportData) -> None:
    table = _Table(wb, "Checks", [
        ("Seq", 7), (f"Time (site, UTC{data.site_offset()})", 19), ("Task", 20), ("Check", 14), ("Check id", 12),
        ("Kind", 9), ("Device", 14), ("Transport", 9), ("Target", 18), ("Status", 9), ("Flag", 8),
        ("Latest", 7), ("Expected", 30), ("Observed", 36), ("Reason", 36), ("Failed ports", 18),
        ("Duration (ms)", 9), ("Lab", 6), ("By", 18), ("Evidence", 60),
    ], len(data.checks), data.banner)  # fmt: skip
    for c in data.checks:
        table.row([
            c.seq, naive(c.time), c.task, c.check, c.check_id, c.kind, c.device, c.transport, text(c.target),
            c.status, c.status.upper() if c.failed else "", "yes" if c.latest else "no (re-run later)",
            text(c.expected), text(c.observed), text(c.reason), text(c.failed_ports), c.duration_ms,
            "yes" if c.lab else "no", text(c.by), text(c.evidence),
        ], RED if c.failed else None)  # fmt: skip


def _signoffs(wb: Workbook, data: ExportData) -> None:
    table = _Table(wb, "Sign-offs", [
        ("Seq", 7), (f"Time (site, UTC{data.site_offset()})", 19), ("Task", 20), ("Title", 36), ("Action", 11),
        ("Person", 22), ("Role", 12), ("Comment or reason", 40), ("Approver", 24), ("In force", 9),
    ], len(data.signoffs), data.banner)  # fmt: skip
    for s in data.signoffs:
        in_force = "" if s.in_force is None else "yes" if s.in_force else "no (revoked)"
        table.row([
            s.seq, naive(s.time), s.task, text(s.task_title),
            s.action.upper() if s.action != "signed off" else s.action, text(s.person), text(s.role),
            text(s.comment), text(s.approver), in_force,
        ], AMBER if s.action != "signed off" else None)  # fmt: skip


def _journal(wb: Workbook, data: ExportData) -> None:
    table = _Table(wb, "Journal", [
        ("Seq", 7), ("Time (local)", 19), ("UTC offset", 8), ("Kind", 15), ("Task", 20), ("Who", 20), ("Role", 10),
        ("Flag", 13), ("Details", 60), ("Machine", 18), ("UUID", 36), ("Hash", 20),
    ], len(data.rows), data.banner)  # fmt: skip
    for e in data.journal:
        fill = (RED if e.flag in RED_FLAGS else AMBER) if e.flag else None
        table.row([
            e.seq, naive(e.local), e.tz_offset, e.kind, e.task, text(e.actor_name), text(e.actor_role), e.flag,
            text(e.summary), text(e.machine), e.uuid, e.hash,
        ], fill)  # fmt: skip


def write(data: ExportData, path: Path) -> None:
    wb = Workbook(write_only=True)
    wb.properties.creator = "golive"
    wb.properties.title = text(f"Cutover log: {data.run.runbook_title} ({data.run.name}, {data.run.mode_label})")
    _summary(wb, data)
    _tasks(wb, data)
    _checks(wb, data)
    _signoffs(wb, data)
    _journal(wb, data)
    wb.save(path)
