"""One journal event in full: when (site time), who (name, initials, role), on what, and every field.

The journal list shows one line per event; an override's reason and its approver, a long note or
a block's reason are cut there. Enter on a journal row opens this: every field the event holds,
known or not, as safe text (a control or direction character shows as an escape, never obeyed).
`t` goes on to the event's task.
"""

from __future__ import annotations

import json
from datetime import tzinfo
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from golive.progress.events import Event
from golive.safetext import visible
from golive.tui.format import zone_name

LABEL = 11
PERSON = frozenset({"name", "initials", "role"})


def _value(value: Any) -> str:
    """A field's value in words: a person as `Lee Chan (LC) as pm`, text as it is, the rest as JSON."""
    if isinstance(value, dict) and value and set(value) <= PERSON:
        text = f"{value.get('name') or '?'} ({value.get('initials') or '?'})"
        return text + (f" as {value['role']}" if value.get("role") else "")
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def event_text(event: Event, zone: tzinfo, task_title: str = "") -> Table:
    """Every field of `event`, one per row (a long value wraps beside its label; a multi-line one
    keeps its lines)."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, style="bold", min_width=LABEL)
    table.add_column(ratio=1, overflow="fold")

    def line(label: str, value: str, style: str = "") -> None:
        table.add_row(label, Text(visible(value, multiline=True), style=style))

    at = event.ts.astimezone(zone)
    line("event", f"#{event.seq} {event.kind.value}", "bold")
    line("when", f"{at:%a %Y-%m-%d %H:%M:%S} site time ({zone_name(zone, event.ts)})")
    if event.task:
        line("task", f"{event.task}: {task_title}" if task_title else event.task)
    actor = event.actor
    line("by", f"{actor.name} ({actor.initials})" + (f" as {actor.role}" if actor.role else ""))
    if event.machine:
        line("machine", event.machine)
    if event.uuid:
        line("uuid", event.uuid, "dim")
    for key, value in event.payload.to_dict().items():
        line(key.replace("_", " "), _value(value), "bold magenta" if key in ("reason", "approver") else "")
    return table


class EventScreen(ModalScreen[str | None]):
    """Dismissed with the event's task when `t` asks for it (the opener opens it), else None."""

    DEFAULT_CSS = """
    EventScreen { align: center middle; }
    EventScreen > VerticalScroll { width: 96%; height: 90%; border: thick $accent; background: $surface;
                                   padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss(None)", "Back"),
        Binding("t", "open_task", "Open its task"),
    ]

    def __init__(self, event: Event, zone: tzinfo, task_title: str = "") -> None:
        super().__init__()
        self.event = event
        self.zone = zone
        self.task_title = task_title

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(event_text(self.event, self.zone, self.task_title), id="event-text")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "open_task" or self.event.task is not None

    def action_open_task(self) -> None:
        self.dismiss(self.event.task)
