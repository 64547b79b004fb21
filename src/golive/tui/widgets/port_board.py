"""The port board: each switch's ports as a grid, marked and coloured by their latest result.

A port the runbook checks but no result has reached yet shows `·`; after that ✔ pass, ✘ fail,
! error, ~ simulated (mark and colour both, so it reads in a dark room and in monochrome). The
board repaints as results stream in; arrow keys or the mouse pick a port, Enter shows its history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from golive.tui.format import RESULT_MARK, RESULT_STYLE, UNCHECKED_MARK
from golive.tui.run_view import RunView

if TYPE_CHECKING:
    from golive.runbook.schema import Device

CELL = 14


class PortBoard(Widget, can_focus=True):
    DEFAULT_CSS = """
    PortBoard { height: auto; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1, 0)", "Left", show=False),
        Binding("right", "move(1, 0)", "Right", show=False),
        Binding("up", "move(0, -1)", "Up", show=False),
        Binding("down", "move(0, 1)", "Down", show=False),
        Binding("enter", "choose", "Port history"),
    ]
    cursor: reactive[int] = reactive(0)

    class Chosen(Message):
        def __init__(self, device: str, port: str) -> None:
            super().__init__()
            self.device = device
            self.port = port

    def __init__(self, view: RunView, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view
        self.cells: list[tuple[str, str]] = []

    def _inventory(self) -> dict[str, Device]:
        """The runbook's devices."""
        return self.view.cutover.runbook.inventory

    def boards(self) -> list[tuple[str, list[str]]]:
        """Each device with ports, in inventory order: planned ports, then any others seen."""
        planned = self.view.planned_ports
        seen = self.view.ports
        devices = [d for d in self._inventory() if d in planned or d in seen]
        devices += [d for d in seen if d not in devices]
        out = []
        for device in devices:
            ports = list(planned.get(device, []))
            ports += [p for p in seen.get(device, {}) if p not in ports]
            out.append((device, ports))
        return out

    def per_row(self) -> int:
        return max(1, (self.size.width - 2) // CELL)

    def render(self) -> Text:
        text = Text(no_wrap=True)
        self.cells = []
        boards = self.boards()
        if not boards:
            return Text("No check in this runbook names a switch port.")
        per_row = self.per_row()
        for device, ports in boards:
            history = self.view.ports.get(device, {})
            counts = {"pass": 0, "fail": 0, "error": 0, "simulated": 0, "unchecked": 0}
            for port in ports:
                seen = history.get(port)
                counts[seen[-1].outcome.status.value if seen else "unchecked"] += 1
            summary = ", ".join(f"{n} {word}" for word, n in counts.items() if n)
            text.append(f"{device}", style="bold")
            host = self._inventory().get(device)
            if host is not None and host.description:
                text.append(f"  {host.description}", style="dim")
            text.append(f"\n  {summary}\n", style="dim")
            for column, port in enumerate(ports):
                index = len(self.cells)
                self.cells.append((device, port))
                seen = history.get(port)
                if seen:
                    status = seen[-1].outcome.status
                    mark, style = RESULT_MARK[status], RESULT_STYLE[status]
                else:
                    mark, style = UNCHECKED_MARK, "dim"
                label = f"{mark} {port}"[: CELL - 1].ljust(CELL - 1)
                cell_style = Style.parse(style) + Style.from_meta({"@click": f"pick({index})"})
                if index == self.cursor and self.has_focus:
                    cell_style += Style(reverse=True)
                elif index == self.cursor:
                    cell_style += Style(underline=True)
                text.append(" " if column % per_row else "  ")
                text.append(label, style=cell_style)
                if column % per_row == per_row - 1 or column == len(ports) - 1:
                    text.append("\n")
        text.append("✔ pass  ✘ fail  ! error  ~ simulated  · not checked yet", style="dim")
        return text

    def on_focus(self, _: events.Focus) -> None:
        self.refresh()

    def on_blur(self, _: events.Blur) -> None:
        self.refresh()

    def action_pick(self, index: int) -> None:
        self.cursor = index
        self.action_choose()

    def action_move(self, dx: int, dy: int) -> None:
        if not self.cells:
            return
        step = dx + dy * self.per_row()
        self.cursor = max(0, min(len(self.cells) - 1, self.cursor + step))

    def action_choose(self) -> None:
        if 0 <= self.cursor < len(self.cells):
            device, port = self.cells[self.cursor]
            self.post_message(self.Chosen(device, port))

    def selected(self) -> tuple[str, str] | None:
        return self.cells[self.cursor] if 0 <= self.cursor < len(self.cells) else None
