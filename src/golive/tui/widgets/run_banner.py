"""The banner across the top: LIVE or REHEARSAL in words no one can miss, and the night's clock.

Wall clock, time left in the change window, elapsed since the first start, and the projected
finish against the window's end, with the verdict in words ("25m to spare", "40m past the
window"). The mode is spelled out and framed, not just coloured: a rehearsal sign-off must never
be mistaken for the night's.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from golive.tui.format import hms, short_time, span
from golive.tui.run_view import RunView


class RunBanner(Widget):
    DEFAULT_CSS = """
    RunBanner { height: 2; width: 1fr; }
    RunBanner.-live { background: $error 30%; }
    RunBanner.-rehearsal { background: $warning 25%; }
    """

    def __init__(self, view: RunView) -> None:
        super().__init__()
        self.view = view
        self.set_class(not view.rehearsal, "-live")
        self.set_class(view.rehearsal, "-rehearsal")

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh)

    def render(self) -> RenderableType:
        view = self.view
        now = view.now()
        proj = view.projection
        run = view.cutover.run
        if view.rehearsal:
            mode = Text(" ■ REHEARSAL ■ ", style="bold black on yellow")
            tail = " practice run: nothing here is the live night"
        else:
            mode = Text(" ● LIVE ● ", style="bold white on red")
            tail = " the real cutover: every sign-off counts"
        if view.closed:
            tail = " CLOSED: the run takes no more events"
        top = Table.grid(expand=True)
        top.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        top.add_column(justify="right", no_wrap=True)
        top.add_row(
            Text.assemble(mode, (f" {run.name}", "bold"), tail),
            Text(now.astimezone().strftime("%H:%M:%S"), style="bold"),
        )
        state = view.cutover.state
        left = (proj.window_end - now).total_seconds()
        slack = proj.slack_seconds
        verdict = (
            Text(f"{span(slack)} to spare", style="green")
            if slack >= 0
            else Text(f"{span(-slack)} PAST the window", style="bold red")
        )
        elapsed = hms(now - state.first_start) if state.first_start else "not started"
        window = f"window ends in {span(left)}" if left >= 0 else f"window ENDED {span(-left)} ago"
        total = len(state.tasks)
        done = view.finished_count()
        line = Text.assemble(
            f" {window} · elapsed {elapsed} · {done}/{total} done · finish ~{short_time(proj.projected_finish)}"
            f" vs end {short_time(proj.window_end)}: ",
            verdict,
        )
        if proj.late:
            line.append(f" · {len(proj.late)} LATE", style="bold red")
        bottom = Table.grid(expand=True)
        bottom.add_column(no_wrap=True, overflow="ellipsis")
        bottom.add_row(line)
        grid = Table.grid(expand=True)
        grid.add_row(top)
        grid.add_row(bottom)
        return grid
