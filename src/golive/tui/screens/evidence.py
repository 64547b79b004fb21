"""The raw evidence of one check result: the device's own output, as the check engine saw it.

When a check says "fail" at 2 a.m., the technician wants the switch's words, not ours.
"""

from __future__ import annotations

import json
from datetime import tzinfo
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from golive.checks.results import CheckResult
from golive.progress.events import Event
from golive.tui.format import RESULT_MARK, clock


class EvidenceScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    EvidenceScreen { align: center middle; }
    EvidenceScreen > VerticalScroll { width: 96%; height: 90%; border: thick $accent; background: $surface; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "dismiss", "Back")]

    def __init__(self, event: Event, result: CheckResult, *, zone: tzinfo) -> None:
        super().__init__()
        self.zone = zone
        self.event = event
        self.result = result

    def compose(self) -> ComposeResult:
        r = self.result
        lines = [
            f"{RESULT_MARK[r.status]} {r.status.value.upper()}  {r.key}  {r.kind} on {r.device or '-'} "
            f"via {r.transport}  {r.target}",
            f"journaled #{self.event.seq} at {clock(self.event.ts, self.zone)} by {self.event.actor}"
            + ("  (lab device)" if r.lab else ""),
            f"took {r.duration_ms} ms",
            f"expected: {r.expected}",
            f"observed: {json.dumps(r.observed, default=str)}",
        ]
        if r.reason:
            lines.append(f"reason:   {r.reason}")
        for name, port in r.ports.items():
            lines.append(f"  {RESULT_MARK[port.status]} {name}: {json.dumps(port.observed, default=str)} {port.reason}")
        lines.append("")
        lines.append("── raw evidence ──")
        lines.append(r.evidence or "(none)")
        with VerticalScroll():
            yield Static("\n".join(lines), markup=False)
        yield Footer()
