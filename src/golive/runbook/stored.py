"""A stored runbook as plain read-only values, read straight from its stored JSON, without pydantic.

The TUI shows its first frame from this: the task ids, titles, owners, durations, dependencies,
gates, sign-off rules, phases, roles and the window, which is all the progress model reads
(golive.progress.shape). Importing pydantic and building the schema's forty models costs as much as
an empty Textual app's whole start; the validated runbook (golive.runbook.schema) is built after
the first frame, for everything else.

Only a stored form golive has validated on this machine is read this way (golive.runbook.validated):
it is the JSON `model_dump_json(by_alias=True, exclude_unset=True)` wrote, so a missing key means
the schema's default, and every value already passed its validator. Anything else raises
ValueError, and the caller takes the validating path.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from golive.runbook.durations import parse_duration


class StoredRule:
    __slots__ = ("distinct", "people", "roles")

    def __init__(self, roles: Sequence[str], distinct: bool = True, people: int | None = None) -> None:
        self.roles = roles
        self.distinct = distinct
        self.people = people


_DEFAULT_RULE: dict[str, Any] = {}


class StoredTask:
    """A task's fields as the schema's Task has them; `signoff_rule()` and `people_needed()` alike."""

    __slots__ = ("_rule", "after", "duration", "gate", "id", "instructions", "owner", "rollback", "signoff", "title")

    def __init__(
        self, id: str, title: str, instructions: str, owner: str | None, duration: int, after: list[str],
        gate: bool, signoff: Mapping[str, Any] | None, rollback: str | None,
    ) -> None:  # fmt: skip
        self.id = id
        self.title = title
        self.instructions = instructions
        self.owner = owner
        self.duration = duration
        self.after = after
        self.gate = gate
        self.signoff = signoff
        self.rollback = rollback
        self._rule: StoredRule | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any], durations: dict[str, int]) -> StoredTask:
        """From the task's stored JSON (`durations` remembers each duration text already parsed)."""
        text = data["duration"]
        try:
            duration = durations[text]
        except KeyError:
            duration = durations[text] = parse_duration(text)
        return cls(
            data["id"], data["title"], data.get("instructions", ""), data.get("owner"), duration,
            data.get("after", []), data.get("gate", False), data.get("signoff"), data.get("rollback"),
        )  # fmt: skip

    def signoff_rule(self) -> StoredRule:
        """The rule in force: the runbook's, or one sign-off by the owner's role (as Task's)."""
        if self._rule is None:
            given = self.signoff if self.signoff is not None else _DEFAULT_RULE
            roles = given.get("roles") or ([self.owner] if self.owner else [])
            self._rule = StoredRule(roles, given.get("distinct", True), given.get("people"))
        return self._rule

    def people_needed(self) -> int:
        return people_needed(self.signoff_rule())


def people_needed(rule: Any) -> int:
    """How many sign-offs a rule asks for (the schema's Task and StoredTask alike): its `people`,
    else one per role when each must be a different person, else one."""
    if rule.people is not None:
        return int(rule.people)
    return max(1, len(rule.roles)) if rule.distinct else 1


class StoredPhase:
    __slots__ = ("id", "tasks", "title")

    def __init__(self, id: str, title: str, tasks: list[StoredTask]) -> None:
        self.id = id
        self.title = title
        self.tasks = tasks

    @classmethod
    def from_json(cls, data: Mapping[str, Any], durations: dict[str, int]) -> StoredPhase:
        return cls(data["id"], data["title"], [StoredTask.from_json(t, durations) for t in data["tasks"]])


class StoredWindow:
    __slots__ = ("end", "start")

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.start = datetime.fromisoformat(data["start"])
        self.end = datetime.fromisoformat(data["end"])
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("a stored window without a UTC offset")

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


class StoredMeta:
    __slots__ = ("change", "id", "site", "title", "version", "window")

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.id: str = data["id"]
        self.title: str = data["title"]
        self.version: str = data["version"]
        self.site: str | None = data.get("site")
        self.change: str | None = data.get("change")
        self.window = StoredWindow(data["window"])


class StoredRunbook:
    """The runbook's shape for the progress model and the main screen (golive.progress.shape)."""

    __slots__ = ("meta", "phase_of", "phases", "roles", "runbook", "tasks")

    def __init__(self, meta: Mapping[str, Any], roles: dict[str, str], phases: list[StoredPhase]) -> None:
        self.meta = meta  # the `runbook:` block as stored (the outline keeps it as it is)
        self.runbook = StoredMeta(meta)
        self.roles = roles
        self.phases = phases
        self.tasks: dict[str, StoredTask] = {t.id: t for p in phases for t in p.tasks}
        self.phase_of: dict[str, str] = {t.id: p.id for p in phases for t in p.tasks}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StoredRunbook:
        durations: dict[str, int] = {}
        return cls(data["runbook"], data["roles"], [StoredPhase.from_json(p, durations) for p in data["phases"]])


def read_stored(normalized: str) -> StoredRunbook:
    """The stored form (as golive wrote it) as plain values; ValueError if it is not that shape."""
    try:
        return StoredRunbook.from_json(json.loads(normalized))
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"not a stored runbook's shape: {exc!r}") from None
