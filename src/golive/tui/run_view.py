"""What the screens show, derived once per change from the Cutover: no widget computes its own.

The Cutover holds the folded task states; this adds what only the UI needs, kept up to date
incrementally as events arrive: the projection as of the injected clock, each task's latest check
results (re-running a check replaces its row), and every port's history for the port board. All
of it is read back from `check_result` events, so a resumed run shows the last results at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from golive.checks.results import CheckResult, PortOutcome
from golive.progress.events import Actor, Event, Kind
from golive.progress.payloads import Checked
from golive.progress.schedule import Projection
from golive.progress.state import FINISHED, TaskProgress, TaskState
from golive.tui.format import site_zone

if TYPE_CHECKING:
    from golive.runbook.schema import Task
    from golive.store.cutover import Cutover

Clock = Callable[[], datetime]
_HOLDING = frozenset({Kind.STARTED, Kind.BLOCKED, Kind.FAILED})


@dataclass(frozen=True)
class PortSeen:
    """One port's outcome within one journaled check result."""

    event: Event
    result: CheckResult
    outcome: PortOutcome


def planned_checks(task: Task) -> list[tuple[str, str, str, str]]:
    """(key, kind, device, target) of each check the runbook gives a task, in runbook order."""
    out: list[tuple[str, str, str, str]] = []
    for number, check in enumerate(task.checks, 1):
        device = str(getattr(check, "device", None) or "")
        target = ""
        port_list = getattr(check, "port_list", None)
        if callable(port_list):
            ports = port_list()
            target = ports[0] if len(ports) == 1 else f"{ports[0]} … {ports[-1]} ({len(ports)})"
        elif getattr(check, "oid", None):
            target = str(check.oid)  # type: ignore[union-attr]
        elif getattr(check, "host", None):
            target = f"{check.host}:{getattr(check, 'port', '')}"  # type: ignore[union-attr]
        elif getattr(check, "mac", None):
            target = str(check.mac)  # type: ignore[union-attr]
        out.append((f"{task.id}#{number}", check.kind, device, target))
    return out


class RunView:
    """The open run (a Cutover) plus the UI's derived views; `update()` after every change."""

    def __init__(self, cutover: Cutover, now: Clock) -> None:
        self.cutover = cutover
        self.now = now
        self._seen = 0
        self._planned_ports: dict[str, list[str]] | None = None
        self.checks: dict[str, dict[str, tuple[Event, CheckResult]]] = {}
        self.ports: dict[str, dict[str, list[PortSeen]]] = {}
        self.holders: dict[str, Event] = {}  # each task's latest start, block or failure: who holds it
        self.overrides: dict[str, Event] = {}  # each task's latest override: its reason and approver, in full
        self.projection: Projection
        self.update()  # folds in the results and projects, once

    @property
    def planned_ports(self) -> dict[str, list[str]]:
        """Every port the runbook's checks name, per device (worked out when the port board first asks)."""
        if self._planned_ports is None:
            self._planned_ports = _planned_ports(self.cutover)
        return self._planned_ports

    @property
    def zone(self) -> tzinfo:
        """The site's zone: every time on screen is in it (golive.tui.format)."""
        return site_zone(self.cutover.runbook)

    @property
    def rehearsal(self) -> bool:
        return self.cutover.run.rehearsal

    @property
    def closed(self) -> bool:
        return self.cutover.state.closed_at is not None

    def update(self, *, reproject: bool = True) -> None:
        """Fold in events journaled since the last call; recompute the projection."""
        events = self.cutover.events
        if self._seen > len(events):  # the runbook was upgraded and the events re-read
            self._seen = 0
            self.checks.clear()
            self.ports.clear()
            self.holders.clear()
            self.overrides.clear()
        holding = _HOLDING
        for event in events[self._seen :]:
            if event.kind is Kind.CHECK_RESULT:
                self._add_result(event)
            elif event.kind in holding and event.task:
                self.holders[event.task] = event
            elif event.kind is Kind.OVERRIDDEN and event.task:
                self.overrides[event.task] = event
        self._seen = len(events)
        if reproject:
            self.projection = self.cutover.projection(self.now())

    def _add_result(self, event: Event) -> None:
        if not isinstance(event.payload, Checked):
            return
        try:
            result = CheckResult.from_payload(event.task, event.payload)
        except ValueError:
            return  # a payload this version cannot read is still in the journal, just not on screen
        self.checks.setdefault(event.task or "", {})[result.key] = (event, result)
        if result.device:
            board = self.ports.setdefault(result.device, {})
            for name, outcome in result.ports.items():
                board.setdefault(name, []).append(PortSeen(event, result, outcome))

    def holder(self, task_id: str) -> Actor | None:
        """Who started, blocked or failed the task last: the person to ask what holds it."""
        event = self.holders.get(task_id)
        return event.actor if event is not None else None

    def progress(self, task_id: str) -> TaskProgress:
        return self.cutover.state.tasks[task_id]

    def latest_checks(self, task_id: str) -> dict[str, tuple[Event, CheckResult]]:
        return self.checks.get(task_id, {})

    def baselines(self) -> dict[str, CheckResult]:
        """The latest journaled result of every named check: what a `delta` check compares against."""
        return {r.check_id: r for results in self.checks.values() for _, r in results.values() if r.check_id}

    def finished_count(self) -> int:
        return sum(1 for p in self.cutover.state.tasks.values() if p.state in FINISHED)

    def open_gates(self) -> list[str]:
        """Gates not yet done, in runbook order: the first is the one the night is heading for."""
        return [tid for tid, p in self.cutover.state.tasks.items() if p.task.gate and p.state is not TaskState.DONE]

    def gates(self) -> list[str]:
        return [tid for tid, p in self.cutover.state.tasks.items() if p.task.gate]


def _planned_ports(cutover: Cutover) -> dict[str, list[str]]:
    """Every port the runbook's checks name, per device, in first-mention order."""
    out: dict[str, dict[str, None]] = {}
    for task in cutover.runbook.tasks.values():
        for check in task.checks:
            port_list = getattr(check, "port_list", None)
            device = getattr(check, "device", None)
            if callable(port_list) and device:
                ports = out.setdefault(str(device), {})
                for name in port_list():
                    ports[name] = None
    return {device: list(ports) for device, ports in out.items()}
