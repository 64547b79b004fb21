"""The banner across the top: LIVE or REHEARSAL in words no one can miss, and the night's clock.

The verdict comes first, in words and colour both, so it survives the narrowest terminal: on
track ("25m to spare"), AT RISK (amber: under a quarter hour to spare, or a task on the critical
path overdue) or STOPPED / PAST the window (red: the critical path is failed or blocked, or the
finish falls after the window's end), naming the task that stops the night and who holds it.
Then the time left in the window, the projected finish against its end, elapsed time, and the
site's clock with its zone: every time on screen is site time.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from golive.progress.schedule import Projection, Risk, Stop
from golive.tui.format import hms, short_time, span, zone_name
from golive.tui.run_view import RunView

RISK_STYLE = {Risk.ON_TRACK: "bold green", Risk.AT_RISK: "bold black on yellow", Risk.OFF_TRACK: "bold white on red"}


def stop_words(view: RunView, stop: Stop) -> str:
    """`cut-panel-a failed (AR): Te3/1/1 notconnect`: the task, what holds it, and who."""
    who = view.holder(stop.task)
    return f"{stop.task} {stop.why}" if who is None else f"{stop.task} ({who.initials}) {stop.why}"


def verdict(view: RunView, proj: Projection) -> Text:
    """The night in a few words, worst first."""
    risk = proj.risk
    slack = proj.slack_seconds
    spare = f"{span(slack)} to spare" if slack >= 0 else f"{span(-slack)} PAST the window"
    blocked = proj.blocked
    if blocked:
        more = f" (+{len(blocked) - 1} more)" if len(blocked) > 1 else ""
        return Text(f" ■ STOPPED: {stop_words(view, blocked[0])}{more} ", style=RISK_STYLE[risk])
    if risk is Risk.ON_TRACK:
        return Text(f"✔ {spare}", style=RISK_STYLE[risk])
    overdue = [s for s in proj.stops if s.critical and not s.held]
    label = "▲ AT RISK" if risk is Risk.AT_RISK else "■ OFF TRACK"
    tail = f" · {stop_words(view, overdue[0])}" if overdue else ""
    return Text(f" {label}: {spare}{tail} ", style=RISK_STYLE[risk])


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
        zone = view.zone
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
            Text.assemble(" ", (now.astimezone(zone).strftime("%H:%M:%S"), "bold"), f" site {zone_name(zone, now)}"),
        )
        state = view.cutover.state
        left = (proj.window_end - now).total_seconds()
        elapsed = hms(now - state.first_start) if state.first_start else "not started"
        window = f"window ends in {span(left)}" if left >= 0 else f"window ENDED {span(-left)} ago"
        total = len(state.tasks)
        done = view.finished_count()
        line = Text(" ")
        line.append_text(verdict(view, proj))
        if proj.late:
            line.append(f" · {len(proj.late)} LATE", style="bold red")
        line.append(
            f" · finish ~{short_time(proj.projected_finish, zone)}{' at the earliest' if proj.blocked else ''}"
            f" vs end {short_time(proj.window_end, zone)} · {window} · {done}/{total} done · elapsed {elapsed}"
        )
        bottom = Table.grid(expand=True)
        bottom.add_column(no_wrap=True, overflow="ellipsis")
        bottom.add_row(line)
        grid = Table.grid(expand=True)
        grid.add_row(top)
        grid.add_row(bottom)
        return grid
