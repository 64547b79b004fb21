"""One task's checks and their latest results, filling in live as results stream.

Every check the runbook gives the task has a row from the start (`· not run`); a running check
shows `… running`; a result replaces the row's cells with its verdict, observed against
expected, and how long it took. Re-running a check replaces its row, as it replaces the count.
"""

from __future__ import annotations

import json
from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.widgets import DataTable

from golive.checks.results import CheckResult
from golive.tui.format import result_text
from golive.tui.keys import on_arrival
from golive.tui.run_view import RunView, planned_checks


def observed_text(result: CheckResult) -> str:
    """A short account of what the device said (the reason for errors and failures first)."""
    if result.reason:
        return result.reason
    if result.observed:
        return json.dumps(result.observed, separators=(",", ":"), default=str)[:200]
    bad = [name for name, p in result.ports.items() if p.status.value != "pass"]
    return f"{len(result.ports) - len(bad)}/{len(result.ports)} ports as expected" if result.ports else ""


class CheckTable(DataTable[Text]):
    DEFAULT_CSS = "CheckTable { height: auto; max-height: 12; }"
    # the moves are decided as they arrive: `r` or `e` typed right after them acts on the row reached
    BINDINGS: ClassVar[list[BindingType]] = on_arrival(DataTable.BINDINGS, but=("enter",))

    def __init__(self, view: RunView, task_id: str, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.view = view
        self.task_id = task_id
        self.keys: list[str] = []

    def on_mount(self) -> None:
        for label in ("result", "#", "kind", "device", "target", "expected", "observed", "ms"):
            self.add_column(label, key=label)
        self.repaint(set())

    def repaint(self, running: set[str]) -> None:
        row = self.cursor_row
        self.clear()
        latest = self.view.latest_checks(self.task_id)
        task = self.view.cutover.runbook.tasks[self.task_id]
        self.keys = []
        for key, kind, device, target in planned_checks(task):
            self.keys.append(key)
            number = key.rsplit("#", 1)[-1]
            seen = latest.get(key)
            if key in running:
                status = Text("… running", style="bold yellow")
            elif seen is None:
                status = Text("· not run", style="dim")
            else:
                status = result_text(seen[1].status)
            if seen is not None:
                result = seen[1]
                cells = [result.expected, observed_text(result), str(result.duration_ms)]
            else:
                cells = ["", "", ""]
            self.add_row(
                status, Text(number), Text(kind), Text(device), Text(target),
                *(Text(c, no_wrap=True, overflow="ellipsis") for c in cells), key=key,
            )  # fmt: skip
        if self.keys:
            self.move_cursor(row=min(row, len(self.keys) - 1))

    def current_key(self) -> str | None:
        return self.keys[self.cursor_row] if 0 <= self.cursor_row < len(self.keys) else None
