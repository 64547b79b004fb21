"""The task list: every task of the run with its symbol, owner, planned vs actual and what holds it.

It shows the task ids its screen hands it (already filtered), drawing only the rows on screen,
so moving through 5,000 tasks repaints one screenful per key press. Late tasks are marked
`LATE` in words and in colour.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text

from golive.progress.state import TaskState
from golive.tui.format import STYLE, duration, state_text
from golive.tui.run_view import RunView
from golive.tui.widgets.virtual_table import Column, VirtualTable


class TaskList(VirtualTable):
    columns: ClassVar[list[Column]] = [
        Column("", 3, max_table=100),
        Column("state", 14, min_table=100),
        Column("task", 20),
        Column("title"),
        Column("owner", 12, min_table=100),
        Column("plan", 6, justify="right"),
        Column("actual", 6, min_table=90, justify="right"),
        Column("holds it / notes"),
    ]

    def __init__(self, view: RunView, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view
        self.task_ids: list[str] = []

    def show(self, task_ids: list[str]) -> None:
        """Show these tasks (in this order); keep the cursor on the same task if it is still shown."""
        current = self.current_task()
        self.task_ids = task_ids
        if current in task_ids and len(task_ids) < 20000:
            self.set_reactive(VirtualTable.cursor, task_ids.index(current))
        self.reset_rows()

    def current_task(self) -> str | None:
        if 0 <= self.cursor < len(self.task_ids):
            return self.task_ids[self.cursor]
        return None

    def row_count(self) -> int:
        return len(self.task_ids)

    def row_cells(self, index: int) -> tuple[list[Text], str]:
        tid = self.task_ids[index]
        progress = self.view.progress(tid)
        task = progress.task
        late = self.view.projection.late.get(tid)
        note = progress.note()
        if progress.checks_failed and not progress.overridden:
            note = f"{progress.checks_failed} check(s) failed " + note
        elif progress.overridden:
            note = "OVERRIDDEN " + note
        if task.gate:
            note = "GATE " + note
        if late:
            note = f"LATE ({late}) " + note
        marker = "▸" if index == self.cursor else " "
        cells = [
            Text(marker).append_text(state_text(progress.state, word=False)),
            Text(marker).append_text(state_text(progress.state)),
            Text(tid, style=STYLE[progress.state] if progress.state is TaskState.READY else ""),
            Text(task.title),
            Text(task.owner or "—"),
            Text(duration(task.duration)),
            Text(duration(progress.actual_seconds)),
            Text(note.strip()),
        ]
        return cells, "bold red" if late else ""
