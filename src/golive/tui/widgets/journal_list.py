"""The journal as a timeline: every event, newest last, one line each, filtered by the screen.

It reads the same events the hash chain covers; nothing here edits them. A revoked sign-off is
a later `signoff_revoked` line, never a changed earlier one.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text

from golive.progress.events import Event, Kind
from golive.tui.format import RESULT_MARK, RESULT_STYLE, clock
from golive.tui.widgets.virtual_table import Column, VirtualTable

KIND_STYLE = {
    Kind.SIGNED_OFF: "green", Kind.SIGNOFF_REVOKED: "bold magenta", Kind.OVERRIDDEN: "bold magenta",
    Kind.FAILED: "bold red", Kind.BLOCKED: "bold red", Kind.ROLLBACK_STARTED: "bold red",
    Kind.SESSION: "dim", Kind.STARTED: "yellow", Kind.RUN_CLOSED: "bold",
}  # fmt: skip


def describe(event: Event) -> Text:
    """The event's own words: a reason, a comment, a check's verdict, a note."""
    payload = event.payload
    if event.kind is Kind.CHECK_RESULT:
        from golive.checks.results import Status

        try:
            status = Status(payload.get("status", "error"))
        except ValueError:
            return Text(str(payload.get("status")))
        text = Text(f"{RESULT_MARK[status]} {status.value} ", style=RESULT_STYLE[status])
        text.append(f"{payload.get('check', '')} {payload.get('kind', '')} {payload.get('device') or ''} ")
        text.append(str(payload.get("reason") or payload.get("target") or ""))
        return text
    if event.kind is Kind.OVERRIDDEN:
        approver = payload.get("approver") or {}
        return Text(f"approved by {approver.get('name', '?')} ({approver.get('initials', '?')}): "
                    f"{payload.get('reason', '')}")  # fmt: skip
    if event.kind is Kind.SESSION:
        return Text(f"session {payload.get('what', '')}")
    if event.kind is Kind.ROLLBACK_STARTED:
        return Text(f"plan {payload.get('plan')}: {payload.get('reason', '')}")
    if event.kind is Kind.LOADED:
        return Text(f"{payload.get('runbook')} v{payload.get('version')} ({payload.get('mode')})")
    for key in ("text", "reason", "comment"):
        if payload.get(key):
            return Text(str(payload[key]))
    return Text("")


class JournalList(VirtualTable):
    columns: ClassVar[list[Column]] = [
        Column("#", 5, justify="right"),
        Column("time", 8),
        Column("kind", 16),
        Column("task", 18),
        Column("who", 5),
        Column("what"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.events: list[Event] = []

    def show(self, events: list[Event], *, follow: bool = True) -> None:
        at_end = self.cursor >= len(self.events) - 1
        self.events = events
        self.reset_rows()
        if follow and at_end and events:
            self.cursor = len(events) - 1

    def row_count(self) -> int:
        return len(self.events)

    def row_cells(self, index: int) -> tuple[list[Text], str]:
        event = self.events[index]
        return [
            Text(str(event.seq)),
            Text(clock(event.ts)),
            Text(event.kind.value, style=KIND_STYLE.get(event.kind, "")),
            Text(event.task or ""),
            Text(event.actor.initials),
            describe(event),
        ], ""
