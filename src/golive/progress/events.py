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
    JACK_CONFIRMED = "jack_confirmed"


def _letters(text: str) -> str:
    """Letters and digits of `text`, case-folded, accents stripped: what initials are compared on."""
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    return "".join(ch for ch in decomposed if ch.isalnum())


def initials_of(name: str) -> str:
    """`Ana Ruiz` -> `AR`: the initials a name gives when none are typed."""
    return "".join(part[0] for part in name.split() if part).upper()[:4]


def initials_fit(name: str, initials: str) -> bool:
    """Whether `initials` can be this name's: they start with the name's first letter and the rest
    appear in the name in order ("Sam Ode" is never "DK"; "Ana María Ruiz" may be "AMR" or "AR")."""
    words = [_letters(w) for w in name.split()]
    letters, marks = "".join(words), _letters(initials)
    if not marks or not words or not words[0] or marks[0] != words[0][0]:
        return False
    rest = iter(letters[1:])
    return all(ch in rest for ch in marks[1:])


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
