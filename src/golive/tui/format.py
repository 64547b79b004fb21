"""Small text helpers shared by the widgets: bars, times, state words, result marks.

Meaning never rides on colour alone: every state has a symbol and a word, every check result a
mark (✔ ✘ ! ~) and a word, so a monochrome terminal or a colour-blind technician reads the same.

One clock: every time on screen is site time, the zone of the runbook's change window (with its
offset), whatever zone the laptop is set to; the banner says which zone that is.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from rich.text import Text

from golive.checks.results import Status
from golive.progress.state import STYLE, SYMBOL, TaskState
from golive.runbook import clock as site_clock
from golive.runbook.durations import format_duration

if TYPE_CHECKING:
    from golive.runbook.schema import Runbook

RESULT_MARK = {Status.PASS: "✔", Status.FAIL: "✘", Status.ERROR: "!", Status.SIMULATED: "~"}
RESULT_STYLE = {
    Status.PASS: "bold green",
    Status.FAIL: "bold red",
    Status.ERROR: "bold magenta",
    Status.SIMULATED: "cyan",
}
UNCHECKED_MARK = "·"

__all__ = ["RESULT_MARK", "RESULT_STYLE", "STYLE", "SYMBOL", "UNCHECKED_MARK"]


def bar(done: int, total: int, width: int = 12) -> str:
    filled = round(width * done / total) if total else width
    return "█" * filled + "░" * (width - filled)


def site_zone(runbook: Runbook) -> tzinfo:
    """The site's zone (golive.runbook.clock: the change window's offset)."""
    return site_clock.site_zone(runbook.runbook.window.start)


def zone_name(zone: tzinfo, at: datetime) -> str:
    """`UTC-05:00`: the zone as an offset, the one form every zone has."""
    return f"UTC{site_clock.offset_text(at.astimezone(zone))}"


def clock(ts: datetime, zone: tzinfo) -> str:
    """The site's wall-clock time of an event."""
    return ts.astimezone(zone).strftime("%H:%M:%S")


def short_time(ts: datetime, zone: tzinfo) -> str:
    return ts.astimezone(zone).strftime("%a %H:%M")


def span(seconds: float) -> str:
    """A duration for a countdown: `1h05m`, `4m`, `0m`; negative as `-12m`."""
    if seconds < 0:
        return "-" + span(-seconds)
    return format_duration(max(0.0, round(seconds / 60) * 60)) if seconds >= 60 else f"{int(seconds)}s"


def hms(delta: timedelta) -> str:
    total = int(abs(delta.total_seconds()))
    sign = "-" if delta.total_seconds() < 0 else ""
    return f"{sign}{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


def state_text(state: TaskState, *, word: bool = True) -> Text:
    label = f"{SYMBOL[state]} {state.value.replace('_', ' ')}" if word else SYMBOL[state]
    return Text(label, style=STYLE[state])


def result_text(status: Status) -> Text:
    return Text(f"{RESULT_MARK[status]} {status.value}", style=RESULT_STYLE[status])


def duration(seconds: float | None) -> str:
    return "—" if seconds is None else format_duration(seconds)
