"""`golive status` as rich renderables: a header, phases, next up, late tasks, open tasks.

Presentation only: everything shown comes from the Cutover's folded state and projection.
Meaning never rides on colour alone: states carry a symbol and a word. Runbook and journal text
(titles, names, notes, reasons) is shown as text, never read as Rich markup, with every control
and bidi character made visible (golive.safetext): it may come from a runbook someone mailed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from golive.cli.common import counted
from golive.progress.jacks import WORDS, JackState, effective, problems_first, summary_line
from golive.progress.schedule import phase_summaries
from golive.progress.state import FINISHED, STYLE, SYMBOL, TaskProgress, TaskState
from golive.runbook.clock import site_clock, site_time, zone_name
from golive.runbook.durations import format_duration
from golive.safetext import visible
from golive.store.cutover import Cutover

MAX_OPEN_ROWS = 40
SETTLED = (JackState.BACK, JackState.CONFIRMED)


def _row(table: Table, *cells: RenderableType) -> None:
    """Add a row; plain strings are runbook and journal text: never Rich markup, never raw controls."""
    table.add_row(*(Text(visible(c)) if isinstance(c, str) else c for c in cells))


def _bar(done: int, total: int, width: int = 12) -> str:
    filled = round(width * done / total) if total else width
    return "█" * filled + "░" * (width - filled)


def _site(cutover: Cutover) -> Callable[[datetime], str]:
    """Times on the site's clock (the runbook window's offset), the one clock of every screen and export."""
    start = cutover.runbook.runbook.window.start

    def show(ts: datetime) -> str:
        return site_clock(ts, start, "%a %d %b %H:%M")

    return show


def not_run(p: TaskProgress) -> int:
    """How many of a task's checks have no result at all (never run, not even simulated)."""
    return max(0, len(p.task.checks) - len(p.last_checks))


def render_status(
    cutover: Cutover, *, show_all: bool = False, now: datetime | None = None, width: int = 120
) -> RenderableType:
    now = now or datetime.now(UTC)
    rb = cutover.runbook
    state = cutover.state
    proj = cutover.projection(now)
    meta = rb.runbook
    _local = _site(cutover)
    rehearsal = cutover.run.rehearsal
    banner = (
        Text(" REHEARSAL ", style="bold black on yellow") if rehearsal else Text(" LIVE ", style="bold white on red")
    )
    finished = sum(1 for p in state.tasks.values() if p.state in FINISHED)
    slack = proj.slack_seconds
    verdict = (
        Text(f"{format_duration(slack)} to spare", style="green")
        if slack >= 0
        else Text(f"{format_duration(-slack)} past the window", style="bold red")
    )
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    _row(head, "run", Text.assemble(banner, f"  {visible(cutover.run.name)}"))
    _row(head, "clock", f"site time {zone_name(meta.window.start)}, now {_local(now)}")
    _row(head, "runbook", f"{meta.title} — {meta.id} v{meta.version}" + (f", {meta.site}" if meta.site else ""))
    window = (
        "rehearsal: the window's length, from the first start"
        if rehearsal
        else f"{_local(meta.window.start)} → {_local(meta.window.end)}"
    )
    _row(head, "window", f"{window} ({format_duration(meta.window.seconds)})")
    _row(head, "progress", f"{_bar(finished, len(state.tasks))} {finished}/{len(state.tasks)} tasks finished")
    _row(
        head,
        "projected",
        Text.assemble(f"finish {_local(proj.projected_finish)}, window ends {_local(proj.window_end)}: ", verdict),
    )
    path = " → ".join(proj.critical_path[:8]) + (" …" if len(proj.critical_path) > 8 else "")
    _row(head, "critical path", f"{format_duration(proj.planned_seconds)} planned: {path}")
    if state.closed_at:
        _row(head, "closed", _local(state.closed_at))
    _row(head, "journal", f"{counted(len(cutover.events), 'event')}, chain head {cutover.head_hash[:16]}…")

    phases = Table(title="Phases", title_justify="left", expand=False)
    for col in ("phase", "progress", "planned", "actual", "late"):
        phases.add_column(col, justify="right" if col in ("planned", "actual", "late") else "left")
    for s in phase_summaries(rb, state, proj):
        _row(phases,
            f"{s.phase} {s.title}", f"{_bar(s.finished, s.total, 10)} {s.finished}/{s.total}",
            format_duration(s.planned_seconds), format_duration(s.actual_seconds) if s.actual_seconds else "—",
            Text(str(s.late), style="bold red") if s.late else "0",
        )  # fmt: skip

    parts: list[RenderableType] = [
        Panel(head, title="golive status", border_style="red" if not rehearsal else "yellow"),
        phases,
    ]
    if proj.next_up:
        nxt = Table(title="Next up (critical path first)", title_justify="left", expand=True)
        nxt.add_column("task", no_wrap=True)
        nxt.add_column("title", no_wrap=True, overflow="ellipsis", ratio=1)
        nxt.add_column("owner", no_wrap=True)
        nxt.add_column("planned", no_wrap=True, justify="right")
        for tid in proj.next_up[:10]:
            task = rb.tasks[tid]
            _row(
                nxt,
                Text(f"{SYMBOL[TaskState.READY]} {visible(tid)}", style=STYLE[TaskState.READY]),
                task.title,
                task.owner or "—",
                format_duration(task.duration),
            )
        parts.append(nxt)
    if proj.late:
        late = Table(title="Late", title_justify="left", title_style="bold red")
        late.add_column("task")
        late.add_column("why")
        for tid, why in proj.late.items():
            _row(late, Text(f"! {visible(tid)}", style="bold red"), why)
        parts.append(late)
    parts.append(_tasks_table(cutover, show_all, narrow=width < 110))
    if jacks := _jacks_table(cutover):
        parts.append(jacks)
    return Group(*parts)


def _jack_states(p: TaskProgress) -> dict[str, dict[str, tuple[JackState, bool]]]:
    """Each jacks check of a task: every jack's state now (its latest result, confirmations applied)."""
    return {key: effective(result, p.confirmations.get(key, {}).keys()) for key, result in p.jack_results.items()}


def _map_order(cutover: Cutover) -> list[str]:
    portmap = cutover.runbook.portmap
    return [jack.jack for jack in portmap.jacks] if portmap is not None else []


def _jacks_table(cutover: Cutover, limit: int = 8) -> RenderableType | None:
    """The port map's verdict per jacks check: a summary, then the jacks that need a person, problems first."""
    table = Table(title="Jacks", title_justify="left", expand=False)
    table.add_column("check", no_wrap=True)
    table.add_column("jacks")
    for p in cutover.state.tasks.values():
        for key, states in _jack_states(p).items():
            _row(table, key, summary_line(states))
            result = p.jack_results[key]
            for label in [lb for lb in problems_first(states, _map_order(cutover)) if states[lb][0] not in SETTLED][
                :limit
            ]:
                state, critical = states[label]
                mark = "!" if critical else " "
                _row(table, "", f"{mark} {label}: {WORDS[state]}: {result.ports[label].reason}")
    return table if table.row_count else None


def _tasks_table(cutover: Cutover, show_all: bool, *, narrow: bool) -> RenderableType:
    state = cutover.state
    rows = [p for p in state.tasks.values() if show_all or p.state not in FINISHED]
    table = Table(title="Tasks" if show_all else "Open tasks", title_justify="left", expand=True)
    # at 80 columns the title matters more than the owner and the actual time
    table.add_column("", no_wrap=True)
    table.add_column("task", no_wrap=True, overflow="ellipsis", max_width=22)
    table.add_column("title", no_wrap=True, overflow="ellipsis", ratio=3, min_width=16)
    if not narrow:
        table.add_column("owner", no_wrap=True, overflow="ellipsis", max_width=14)
    table.add_column("plan", no_wrap=True, justify="right")
    if not narrow:
        table.add_column("actual", no_wrap=True, justify="right")
    table.add_column("notes", no_wrap=True, overflow="ellipsis", ratio=2, min_width=12)
    for p in rows[: None if show_all else MAX_OPEN_ROWS]:
        note = p.note()
        if p.task.gate:
            note = ("GATE " + note).strip()
        if not_run(p) and p.state not in (TaskState.PENDING, TaskState.READY):
            note = f"{note} · {not_run(p)} of {len(p.task.checks)} checks NOT RUN".lstrip(" ·")
        actual = p.actual_seconds
        word = p.state.value.replace("_", " ")
        cells: list[RenderableType] = [
            Text(SYMBOL[p.state] if narrow else f"{SYMBOL[p.state]} {word}", style=STYLE[p.state]),
            p.task.id,
            p.task.title,
        ]
        if not narrow:
            cells.append(p.task.owner or "—")
        cells.append(format_duration(p.task.duration))
        if not narrow:
            cells.append(format_duration(actual) if actual is not None else "—")
        cells.append(note if not narrow or p.state is not TaskState.PENDING else note or word)
        _row(table, *cells)
    hidden = len(rows) - MAX_OPEN_ROWS
    if not show_all and hidden > 0:
        table.caption = f"… and {hidden} more open tasks (golive status --all)"
    return table


def status_document(cutover: Cutover, *, now: datetime | None = None) -> dict[str, Any]:
    """`golive status --json`: the run, its projection and every task, times in site time (ISO 8601
    with the offset). The keys are documented in the README; add keys, never rename them."""
    now = now or datetime.now(UTC)
    rb, state, run = cutover.runbook, cutover.state, cutover.run
    proj = cutover.projection(now)
    start = rb.runbook.window.start

    def iso(ts: datetime | None) -> str | None:
        return None if ts is None else site_time(ts, start).isoformat(timespec="seconds")

    order = _map_order(cutover)
    tasks = []
    for p in state.tasks.values():
        tasks.append({
            "id": p.task.id, "title": p.task.title, "phase": p.phase, "state": p.state.value,
            "owner": p.task.owner, "gate": p.task.gate, "planned_seconds": p.task.duration,
            "started": iso(p.started_at), "finished": iso(p.finished_at), "actual_seconds": p.actual_seconds,
            "late": proj.late.get(p.task.id), "checks": len(p.task.checks), "checks_passed": p.checks_passed,
            "checks_failed": p.checks_failed, "checks_not_run": not_run(p),
            "checks_lab": sum(v == "simulated" for v in p.last_checks.values()), "overridden": p.overridden,
            "reason": p.reason, "signed_by": [{"name": s.actor.name, "initials": s.actor.initials,
                                               "role": s.actor.role, "at": iso(s.ts)} for s in p.signoffs],
        })  # fmt: skip
    counts: dict[str, int] = {}
    for p in state.tasks.values():
        counts[p.state.value] = counts.get(p.state.value, 0) + 1
    return {
        "run": {"name": run.name, "uuid": run.uuid, "mode": run.mode, "runbook": rb.runbook.id,
                "version": rb.runbook.version, "sha256": run.sha256, "closed": iso(state.closed_at)},
        "zone": zone_name(start),
        "now": iso(now),
        "window": {"start": iso(start), "end": iso(rb.runbook.window.end), "seconds": rb.runbook.window.seconds},
        "projection": {"finish": iso(proj.projected_finish), "window_end": iso(proj.window_end),
                       "slack_seconds": proj.slack_seconds, "planned_seconds": proj.planned_seconds,
                       "critical_path": proj.critical_path, "next_up": proj.next_up, "late": proj.late},
        "counts": counts,
        "tasks": tasks,
        "journal": {"events": len(cutover.events), "chain_head": cutover.head_hash},
        "jacks": {
            key: {"summary": summary_line(states), "jacks": [
                {"jack": label, "state": states[label][0].value, "critical": states[label][1],
                 "reason": p.jack_results[key].ports[label].reason} for label in problems_first(states, order)]}
            for p in state.tasks.values() for key, states in _jack_states(p).items()
        },
    }  # fmt: skip
