"""Small text helpers shared by the widgets: bars, times, state words, result marks.

Meaning never rides on colour alone: every state has a symbol and a word, every check result a
mark (✔ ✘ ! ~) and a word, so a monochrome terminal or a colour-blind technician reads the same.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.text import Text

from golive.checks.results import Status
from golive.progress.state import STYLE, SYMBOL, TaskState
from golive.runbook.durations import format_duration

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


def clock(ts: datetime) -> str:
    """Local wall-clock time of an event: what the technician's watch says."""
    return ts.astimezone().strftime("%H:%M:%S")


def short_time(ts: datetime) -> str:
    return ts.astimezone().strftime("%a %H:%M")


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
