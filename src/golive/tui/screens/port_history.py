"""One port's history: every journaled result that covered it, oldest first.

A port that flapped during the re-patch shows as pass, fail, pass: the board shows only the
last, this shows the story.
"""

from __future__ import annotations

import json
from datetime import tzinfo
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from golive.tui.format import clock, result_text
from golive.tui.run_view import PortSeen


class PortHistoryScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    PortHistoryScreen { align: center middle; }
    PortHistoryScreen > Vertical { width: 96%; height: 80%; border: thick $accent; background: $surface; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "dismiss", "Back")]

    def __init__(self, device: str, port: str, history: list[PortSeen], *, zone: tzinfo) -> None:
        super().__init__()
        self.zone = zone
        self.device = device
        self.port = port
        self.history = history

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"{self.device} {self.port}: {len(self.history)} result(s)", markup=False)
            yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("result", "time", "check", "kind", "observed", "reason")
        for seen in self.history:
            table.add_row(
                result_text(seen.outcome.status),
                clock(seen.event.ts, self.zone),
                seen.result.key,
                seen.result.kind,
                json.dumps(seen.outcome.observed, default=str)[:80],
                seen.outcome.reason,
            )
        if not self.history:
            table.add_row("· not checked yet", "", "", "", "", "")
        table.focus()
