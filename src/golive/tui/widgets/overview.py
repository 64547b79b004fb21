"""The run overview: what stops the night, what is next (critical path first), what is late, phases.

The technician's answer to "what do I do now?" in one glance; the task list and the gate tab
hold the detail. A failed or blocked task comes first, with its reason and who holds it, marked
when it is on the critical path: "nothing is ready" alone hid the task that stopped the night.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from golive.progress.schedule import Projection, Risk, phase_summaries
from golive.progress.state import SYMBOL, TaskState
from golive.runbook.durations import format_duration
from golive.tui.format import STYLE, bar
from golive.tui.run_view import RunView

NEXT_UP_ROWS = 8
LATE_ROWS = 8
STOP_ROWS = 8


class Overview(Static):
    DEFAULT_CSS = "Overview { height: auto; padding: 0 1; }"

    def __init__(self, view: RunView, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view

    def repaint(self) -> None:
        self.update(self.build())

    def _stops(self, proj: Projection) -> Table:
        """Failed, blocked and overdue critical tasks: the task, on the critical path or not, why, who."""
        held = sum(s.held for s in proj.stops)
        title = "What stops the night" if proj.risk is Risk.OFF_TRACK else "What holds the night back"
        table = Table(
            title=f"{title} ({held} held, {len(proj.stops) - held} overdue)",
            title_justify="left", title_style="bold red", expand=True, box=None,
        )  # fmt: skip
        table.add_column("task", no_wrap=True, max_width=24, overflow="ellipsis")
        table.add_column("path", no_wrap=True)
        table.add_column("why", ratio=1, overflow="fold")
        table.add_column("who", no_wrap=True, max_width=18, overflow="ellipsis")
        tasks = self.view.cutover.state.tasks
        for stop in proj.stops[:STOP_ROWS]:
            p = tasks[stop.task]
            who = self.view.holder(stop.task)
            mark = f"{SYMBOL[p.state]} {stop.task}" if stop.held else f"! {stop.task}"
            table.add_row(
                Text(mark, style="bold red" if stop.critical else "yellow"),
                Text("CRITICAL", style="bold red") if stop.critical else Text("off path", style="dim"),
                Text(stop.why),
                Text(f"{who.name} ({who.initials})" if who else p.task.owner or "—"),
            )
        if len(proj.stops) > STOP_ROWS:
            table.add_row(Text(f"… and {len(proj.stops) - STOP_ROWS} more (2: tasks, filter by state)", style="dim"))
        return table

    def build(self) -> RenderableType:
        view = self.view
        rb = view.cutover.runbook
        state = view.cutover.state
        proj = view.projection
        meta = rb.runbook
        parts: list[RenderableType] = [
            Text.assemble(
                (meta.title, "bold"),
                f"  {meta.id} v{meta.version}"
                + (f" · {meta.site}" if meta.site else "")
                + (f" · {meta.change}" if meta.change else ""),
            )
        ]
        if proj.stops:
            parts.append(self._stops(proj))
        nxt = Table(title="Next up (critical path first)", title_justify="left", expand=True, box=None)
        nxt.add_column("task", no_wrap=True, max_width=24, overflow="ellipsis")
        nxt.add_column("title", no_wrap=True, overflow="ellipsis", ratio=1)
        nxt.add_column("owner", no_wrap=True, max_width=12, overflow="ellipsis")
        nxt.add_column("plan", no_wrap=True, justify="right")
        in_progress = state.in_state(TaskState.IN_PROGRESS)
        for p in in_progress[:NEXT_UP_ROWS]:
            nxt.add_row(
                Text(f"{SYMBOL[p.state]} {p.task.id}", style=STYLE[p.state]),
                Text(p.task.title),
                Text(p.task.owner or "—"),
                format_duration(p.task.duration),
            )
        for tid in proj.next_up[: max(0, NEXT_UP_ROWS - len(in_progress))]:
            task = rb.tasks[tid]
            nxt.add_row(
                Text(f"{SYMBOL[TaskState.READY]} {tid}", style=STYLE[TaskState.READY]),
                Text(task.title),
                Text(task.owner or "—"),
                format_duration(task.duration),
            )
        if not in_progress and not proj.next_up:
            if view.finished_count() == len(state.tasks):
                nxt.add_row(Text("all done"))
            elif proj.blocked:
                nxt.add_row(Text(f"nothing is ready: {proj.blocked[0].task} holds the night (above)", style="bold red"))
            else:
                nxt.add_row(Text("nothing is ready"))
        parts.append(nxt)
        if proj.late:
            late = Table(title=f"Late ({len(proj.late)})", title_justify="left", title_style="bold red", box=None)
            late.add_column("task", no_wrap=True)
            late.add_column("why", no_wrap=True, overflow="ellipsis")
            for tid, why in list(proj.late.items())[:LATE_ROWS]:
                late.add_row(Text(f"! LATE {tid}", style="bold red"), Text(why))
            parts.append(late)
        phases = Table(title="Phases", title_justify="left", expand=True, box=None)
        phases.add_column("phase", no_wrap=True, overflow="ellipsis", ratio=1)
        phases.add_column("progress", no_wrap=True)
        phases.add_column("plan", justify="right", no_wrap=True)
        phases.add_column("actual", justify="right", no_wrap=True)
        phases.add_column("late", justify="right", no_wrap=True)
        for s in phase_summaries(rb, state, proj):
            phases.add_row(
                Text(s.title),
                f"{bar(s.finished, s.total, 10)} {s.finished}/{s.total}",
                format_duration(s.planned_seconds),
                format_duration(s.actual_seconds) if s.actual_seconds else "—",
                Text(f"{s.late} late", style="bold red") if s.late else "0",
            )
        parts.append(phases)
        path = " → ".join(proj.critical_path[:6]) + (" …" if len(proj.critical_path) > 6 else "")
        parts.append(Text(f"critical path ({format_duration(proj.planned_seconds)} planned): {path}", style="dim"))
        parts.append(Text(f"journal: {len(view.cutover.events)} events (5: the journal tab)", style="dim"))
        return Group(*parts)
