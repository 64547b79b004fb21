"""One task's checks and their latest results, filling in live as results stream.

Every check the runbook gives the task has a row from the start (`· not run`); a running check
shows `… running`; a result replaces the row's cells with its verdict, what happened in words
(`Te3/1/1 notconnect; expected connected`: the failing ports, what they said, what was expected),
and how long it took. The words come third, right after the verdict, so they are on screen at 80
columns; the kind, device and target follow. Re-running a check replaces its row, as it replaces
the count.
"""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.widgets import DataTable

from golive.checks.results import CheckResult, Status
from golive.tui.format import result_text
from golive.tui.keys import on_arrival
from golive.tui.run_view import RunView, planned_checks

PORTS_IN_WORDS = 3
_EQUALS = re.compile(r"^(\w+) == (.+)$")
_ONE_OF = re.compile(r"^(\w+) in \[(.*)\]$")
_FIELD = re.compile(r"^(?:not \()?(\w+) ")
SELF_EXPLAINING = frozenset({"status", "state", "mode"})


def _bare(value: Any) -> str:
    """A value as a person says it: `notconnect`, not `'notconnect'`."""
    text = str(value).strip()
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"" else text


def _named(field: str, text: str) -> str:
    """`access 120`, but a status by its value alone (`connected`), as a technician says it."""
    return text if field in SELF_EXPLAINING or not field or text.startswith(field) else f"{field} {text}"


def expected_words(expected: str) -> tuple[list[str], str]:
    """The fields an expected text names, and the text in words: `status in ['connected']` is
    (["status"], "connected"), `access == 120` is (["access"], "access 120")."""
    clauses = [c.strip() for part in expected.split(";") for c in part.split(" and ") if c.strip()]
    fields: list[str] = []
    words: list[str] = []
    for clause in clauses:
        if m := _EQUALS.match(clause):
            field, text = m[1], _bare(m[2])
        elif m := _ONE_OF.match(clause):
            field, text = m[1], " or ".join(_bare(v) for v in m[2].split(","))
        else:
            found = _FIELD.match(clause)
            field, text = (found[1] if found else ""), clause
        words.append(_named(field, text))
        if field and field not in fields:
            fields.append(field)
    return fields, ", ".join(words)


def in_words(result: CheckResult) -> str:
    """What happened, in words: the failing ports and what they said against what was expected; the
    reason of an error; `2/2 ports as expected` for a pass."""
    bad = [(name, p) for name, p in result.ports.items() if p.status in (Status.FAIL, Status.ERROR)]
    if not bad:
        ports = len(result.ports)
        return f"{ports}/{ports} ports as expected" if ports and result.status is Status.PASS else observed_text(result)
    fields, expected = expected_words(result.expected)
    said = []
    for name, port in bad[:PORTS_IN_WORDS]:
        seen = [_named(f, _bare(port.observed[f])) for f in fields if f in port.observed]
        if port.status is Status.ERROR or not seen:
            said.append(port.reason if port.reason.startswith(name) else f"{name}: {port.reason or port.status.value}")
        else:
            said.append(f"{name} {' '.join(seen)}")
    more = f" (+{len(bad) - PORTS_IN_WORDS} more)" if len(bad) > PORTS_IN_WORDS else ""
    text = ", ".join(said) + more
    return f"{text}; expected {expected}" if expected else text


def observed_text(result: CheckResult) -> str:
    """A short account of what the device said (the reason for errors and failures first)."""
    if result.reason:
        return result.reason
    if result.observed:
        return json.dumps(result.observed, separators=(",", ":"), default=str)[:200]
    bad = [name for name, p in result.ports.items() if p.status.value != "pass"]
    return f"{len(result.ports) - len(bad)}/{len(result.ports)} ports as expected" if result.ports else ""


class CheckTable(DataTable[Text]):
    DEFAULT_CSS = "CheckTable { height: auto; max-height: 12; }"
    # the moves are decided as they arrive: `r` or `e` typed right after them acts on the row reached
    BINDINGS: ClassVar[list[BindingType]] = on_arrival(DataTable.BINDINGS, but=("enter",))

    def __init__(self, view: RunView, task_id: str, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.view = view
        self.task_id = task_id
        self.keys: list[str] = []

    def on_mount(self) -> None:
        for label in ("result", "#", "what happened", "kind", "device", "target", "ms"):
            self.add_column(label, key=label)
        self.repaint(set())

    def repaint(self, running: set[str]) -> None:
        row = self.cursor_row
        self.clear()
        latest = self.view.latest_checks(self.task_id)
        task = self.view.cutover.runbook.tasks[self.task_id]
        self.keys = []
        for key, kind, device, target in planned_checks(task):
            self.keys.append(key)
            number = key.rsplit("#", 1)[-1]
            seen = latest.get(key)
            if key in running:
                status = Text("… running", style="bold yellow")
            elif seen is None:
                status = Text("· not run", style="dim")
            else:
                status = result_text(seen[1].status)
            words = Text(in_words(seen[1]) if seen is not None else "", no_wrap=True, overflow="ellipsis")
            if seen is not None and seen[1].failed:
                words.stylize("bold")
            self.add_row(
                status, Text(number), words, Text(kind), Text(device), Text(target),
                Text(str(seen[1].duration_ms) if seen is not None else ""), key=key,
            )  # fmt: skip
        if self.keys:
            self.move_cursor(row=min(row, len(self.keys) - 1))

    def current_key(self) -> str | None:
        return self.keys[self.cursor_row] if 0 <= self.cursor_row < len(self.keys) else None
