"""Journal events as the progress model sees them: plain frozen values, no database.

The store turns rows into these; the progress model folds them into task states. Keeping them
apart from SQLModel means the model can be tested on hand-written event lists. Each kind's
payload has its own type (golive.progress.payloads).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from golive.progress.payloads import Payload


class Kind(StrEnum):
    """Every kind of journal event."""

    LOADED = "loaded"
    UPGRADED = "upgraded"
    SESSION = "session"
    STARTED = "started"
    CHECK_RESULT = "check_result"
    SIGNED_OFF = "signed_off"
    SIGNOFF_REVOKED = "signoff_revoked"
    OVERRIDDEN = "overridden"
    SKIPPED = "skipped"
    BLOCKED = "blocked"
    UNBLOCKED = "unblocked"
    FAILED = "failed"
    ROLLBACK_STARTED = "rollback_started"
    NOTE = "note"
    RUN_CLOSED = "run_closed"


@dataclass(frozen=True)
class Actor:
    """Who did something: the name and initials they gave, and the role they acted in."""

    name: str
    initials: str
    role: str = ""

    @property
    def person(self) -> str:
        """A key for "the same person": case- and space-insensitive name."""
        return " ".join(unicodedata.normalize("NFKC", self.name).casefold().split())

    def __str__(self) -> str:
        return f"{self.name} ({self.initials})" + (f" as {self.role}" if self.role else "")


@dataclass(frozen=True)
class Event:
    """One journal entry. `payload` holds the kind's own fields (reason, comment, result...): its
    type is the kind's (golive.progress.payloads.PAYLOADS)."""

    seq: int
    kind: Kind
    ts: datetime
    actor: Actor
    task: str | None = None
    payload: Payload = field(kw_only=True)
    uuid: str = ""
    machine: str = ""

    def __post_init__(self) -> None:
        if self.payload.KIND is not self.kind:
            raise TypeError(f"a {self.kind} event cannot hold a {type(self.payload).__name__} payload")
