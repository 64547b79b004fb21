"""The journal as a timeline: every event, newest last, one line each, filtered by the screen.

It reads the same events the hash chain covers; nothing here edits them. A revoked sign-off is
a later `signoff_revoked` line, never a changed earlier one.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import ClassVar

from rich.text import Text

from golive.progress import payloads
from golive.progress.events import Event, Kind
from golive.tui.format import RESULT_MARK, RESULT_STYLE, clock
from golive.tui.widgets.virtual_table import Column, VirtualTable

KIND_STYLE = {
    Kind.SIGNED_OFF: "green", Kind.SIGNOFF_REVOKED: "bold magenta", Kind.OVERRIDDEN: "bold magenta",
    Kind.FAILED: "bold red", Kind.BLOCKED: "bold red", Kind.ROLLBACK_STARTED: "bold red",
    Kind.SESSION: "dim", Kind.STARTED: "yellow", Kind.RUN_CLOSED: "bold",
}  # fmt: skip


_SAYS_WHY = (
    payloads.SignoffRevoked, payloads.Skipped, payloads.Blocked, payloads.Unblocked, payloads.Failed, payloads.RunClosed
)  # fmt: skip


def describe(event: Event) -> Text:
    """The event's own words: a reason, a comment, a check's verdict, a note."""
    payload = event.payload
    if isinstance(payload, payloads.Checked):
        from golive.checks.results import Status

        try:
            status = Status(payload.status)
        except ValueError:
            return Text(payload.status)
        text = Text(f"{RESULT_MARK[status]} {status.value} ", style=RESULT_STYLE[status])
        text.append(f"{payload.check} {payload.kind} {payload.device or ''} ")
        text.append(payload.reason or payload.target)
        return text
    if isinstance(payload, payloads.Overridden):
        approver = payload.approver
        role = f" as {approver.role}" if approver.role else ""
        return Text(f"approved by {approver.name or '?'} ({approver.initials or '?'}){role}: {payload.reason}")
    if isinstance(payload, payloads.Session):
        return Text(f"session {payload.what}")
    if isinstance(payload, payloads.RollbackStarted):
        return Text(f"plan {payload.plan}: {payload.reason}")
    if isinstance(payload, payloads.Loaded):
        return Text(f"{payload.runbook} v{payload.version} ({payload.mode})")
    if isinstance(payload, payloads.Note):
        return Text(payload.text)
    if isinstance(payload, payloads.SignedOff):
        return Text(payload.comment)
    if isinstance(payload, _SAYS_WHY):
        return Text(payload.reason)
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

    def __init__(self, zone: tzinfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.zone = zone
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
            Text(clock(event.ts, self.zone)),
            Text(event.kind.value, style=KIND_STYLE.get(event.kind, "")),
            Text(event.task or ""),
            Text(event.actor.initials),
            describe(event),
        ], ""
