"""Task states folded from the journal: pure functions of a runbook and its events.

The journal is the truth; nothing here is stored. A task is pending until everything it comes
`after` is done or skipped and no unsigned gate stands before it, then ready; the technician's
events move it to in progress, done (its sign-off rule met), skipped, blocked or failed.

A gate stands before a task when the task depends on it (directly or not), or when the task is
in a later phase: a go/no-go gate holds back the rest of the night, not just its successors.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from golive.progress import payloads
from golive.progress.events import Actor, Event, Kind
from golive.runbook.schema import Runbook, Task


class TaskState(StrEnum):
    PENDING = "pending"
    READY = "ready"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"
    BLOCKED = "blocked"
    FAILED = "failed"


FINISHED = frozenset({TaskState.DONE, TaskState.SKIPPED})
SYMBOL = {
    TaskState.PENDING: "·", TaskState.READY: "▶", TaskState.IN_PROGRESS: "◐", TaskState.DONE: "✔",
    TaskState.SKIPPED: "↷", TaskState.BLOCKED: "⛔", TaskState.FAILED: "✘",
}  # fmt: skip
# each state's Rich style, for `golive status` and the TUI (the word and the symbol carry the meaning)
STYLE = {
    TaskState.PENDING: "dim", TaskState.READY: "bold cyan", TaskState.IN_PROGRESS: "bold yellow",
    TaskState.DONE: "green", TaskState.SKIPPED: "magenta", TaskState.BLOCKED: "bold red", TaskState.FAILED: "bold red",
}  # fmt: skip


@dataclass(frozen=True)
class SignOff:
    """A sign-off in force (not revoked)."""

    uuid: str
    actor: Actor
    ts: datetime
    comment: str = ""


@dataclass(frozen=True)
class Confirmation:
    """A jack confirmed by hand: who, when and why (a jack_confirmed event)."""

    actor: Actor
    at: datetime
    reason: str
    uuid: str


@dataclass
class TaskProgress:
    """Where one task stands, derived from its events."""

    task: Task
    phase: str
    state: TaskState = TaskState.PENDING
    started_at: datetime | None = None
    finished_at: datetime | None = None
    signoffs: list[SignOff] = field(default_factory=list)
    reason: str = ""
    waiting_for: list[str] = field(default_factory=list)
    last_checks: dict[str, str] = field(default_factory=dict)  # check key -> status of its latest result
    overridden: bool = False
    jack_results: dict[str, payloads.Checked] = field(default_factory=dict)  # check key -> latest jacks result
    confirmations: dict[str, dict[str, Confirmation]] = field(default_factory=dict)  # check key -> jack -> who

    @property
    def checks_failed(self) -> int:
        """Checks whose latest result is fail or error: a re-run that passes clears the failure."""
        return sum(status in ("fail", "error") for status in self.last_checks.values())

    @property
    def checks_passed(self) -> int:
        return sum(status == "pass" for status in self.last_checks.values())

    def note(self) -> str:
        """What holds the task, or why it stopped, or who signed it: one short line for a list."""
        if self.waiting_for:
            more = len(self.waiting_for) - 2
            return "after " + ", ".join(self.waiting_for[:2]) + (f" +{more}" if more > 0 else "")
        if self.reason:
            return self.reason
        if self.signoffs:
            return "signed: " + ", ".join(s.actor.initials for s in self.signoffs)
        return ""

    @property
    def actual_seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


@dataclass
class RunState:
    """Every task's progress, in runbook order, plus run-wide facts."""

    tasks: dict[str, TaskProgress]
    first_start: datetime | None = None
    closed_at: datetime | None = None
    rollbacks: list[Event] = field(default_factory=list)
    last_seq: int = 0
    gates: dict[str, set[str]] = field(default_factory=dict)

    def unmet(self, task_id: str) -> list[str]:
        """What must still finish before `task_id` may be worked or signed: dependencies, gates."""
        tasks = self.tasks
        progress = tasks[task_id]
        waiting = [d for d in progress.task.after if tasks[d].state not in FINISHED]
        gates = self.gates.get(task_id)
        if gates:
            held = [g for g in gates if tasks[g].state is not TaskState.DONE and g not in waiting]
            held.sort()
            waiting += held
        return waiting

    def in_state(self, *states: TaskState) -> list[TaskProgress]:
        return [p for p in self.tasks.values() if p.state in states]


def gates_before(runbook: Runbook) -> dict[str, set[str]]:
    """For each task, the gates that must be signed before it can be ready."""
    dependents: dict[str, list[str]] = {tid: [] for tid in runbook.tasks}
    for tid, task in runbook.tasks.items():
        for dep in task.after:
            dependents[dep].append(tid)
    # every task comes after each gate of an earlier phase
    result: dict[str, set[str]] = {}
    earlier: list[str] = []
    for phase in runbook.phases:
        for task in phase.tasks:
            result[task.id] = set(earlier)
        earlier.extend(task.id for task in phase.tasks if task.gate)
    for gate in (t for t in runbook.tasks.values() if t.gate):
        stack = list(dependents[gate.id])
        seen: set[str] = set()
        while stack:
            tid = stack.pop()
            if tid in seen or tid == gate.id:
                continue
            seen.add(tid)
            result[tid].add(gate.id)
            stack.extend(dependents[tid])
    return result


def _listed_in_order(preds: dict[str, set[str]], position: dict[str, int]) -> bool:
    for tid, deps in preds.items():
        here = position[tid]
        for dep in deps:
            if position.get(dep, here) >= here:
                return False
    return True


def toposort(preds: dict[str, set[str]]) -> list[str]:
    """Kahn's algorithm; among tasks free at once, the one listed first in `preds` goes first."""
    position = {tid: i for i, tid in enumerate(preds)}
    # Most runbooks list every task after what it depends on. Then that listing is the answer
    # (at each step the first task not yet taken is free, and it is the one listed first).
    if _listed_in_order(preds, position):
        return list(preds)
    remaining = {tid: len(p) for tid, p in preds.items()}
    dependents: dict[str, list[str]] = {tid: [] for tid in preds}
    for tid, deps in preds.items():
        for dep in deps:
            dependents[dep].append(tid)
    heap = [(position[t], t) for t, n in remaining.items() if n == 0]
    heapq.heapify(heap)
    order: list[str] = []
    while heap:
        _, tid = heapq.heappop(heap)
        order.append(tid)
        for nxt in dependents[tid]:
            remaining[nxt] -= 1
            if remaining[nxt] == 0:
                heapq.heappush(heap, (position[nxt], nxt))
    return order


def signoff_satisfied(task: Task, signoffs: list[SignOff]) -> bool:
    """Whether these sign-offs meet the task's rule: every role, enough distinct people."""
    rule = task.signoff_rule()
    roles_signed = {s.actor.role for s in signoffs}
    if any(role not in roles_signed for role in rule.roles):
        return False
    people = {s.actor.person for s in signoffs}
    count = len(people) if rule.distinct else len(signoffs)
    return count >= task.people_needed() and bool(signoffs)


def affected_by(runbook: Runbook, gates: dict[str, set[str]]) -> dict[str, list[str]]:
    """For each task, the tasks whose readiness an event on it can change: itself, its
    direct dependents, and (for a gate) everything the gate holds back."""
    out: dict[str, list[str]] = {tid: [tid] for tid in runbook.tasks}
    for tid, task in runbook.tasks.items():
        for dep in task.after:
            out[dep].append(tid)
        for gate in gates[tid]:
            if gate not in task.after:
                out[gate].append(tid)
    return out


def fold(runbook: Runbook, events: list[Event], gates: dict[str, set[str]] | None = None) -> RunState:
    """The run's state after `events` (in sequence order)."""
    gates = gates if gates is not None else gates_before(runbook)
    state = RunState({tid: TaskProgress(t, runbook.phase_of[tid]) for tid, t in runbook.tasks.items()}, gates=gates)
    for event in events:
        apply(state, event)
    settle(runbook, state, gates)
    return state


def apply(state: RunState, event: Event) -> None:
    """Move one task (or the run) by one event; unknown tasks are ignored, as after an upgrade."""
    state.last_seq = max(state.last_seq, event.seq)
    if event.kind is Kind.RUN_CLOSED:
        state.closed_at = event.ts
        return
    if event.kind is Kind.ROLLBACK_STARTED:
        state.rollbacks.append(event)
    progress = state.tasks.get(event.task or "")
    if progress is None:
        return
    payload = event.payload
    if isinstance(payload, payloads.Started):
        progress.state = TaskState.IN_PROGRESS
        progress.reason = ""
        progress.finished_at = None
        if progress.started_at is None:
            progress.started_at = event.ts
        if state.first_start is None:
            state.first_start = event.ts
    elif isinstance(payload, payloads.SignedOff):
        progress.signoffs.append(SignOff(event.uuid, event.actor, event.ts, payload.comment))
        if signoff_satisfied(progress.task, progress.signoffs):
            progress.state = TaskState.DONE
            progress.finished_at = event.ts
        elif progress.state not in (TaskState.BLOCKED, TaskState.FAILED):
            progress.state = TaskState.IN_PROGRESS
            if progress.started_at is None:
                progress.started_at = event.ts
    elif isinstance(payload, payloads.SignoffRevoked):
        progress.signoffs = [s for s in progress.signoffs if s.uuid != payload.signoff]
        if progress.state is TaskState.DONE and not signoff_satisfied(progress.task, progress.signoffs):
            progress.state = TaskState.IN_PROGRESS
            progress.finished_at = None
    elif isinstance(payload, payloads.Skipped):
        progress.state, progress.reason, progress.finished_at = TaskState.SKIPPED, payload.reason, event.ts
    elif isinstance(payload, payloads.Blocked):
        progress.state, progress.reason = TaskState.BLOCKED, payload.reason
    elif isinstance(payload, payloads.Unblocked):
        progress.state = TaskState.IN_PROGRESS if progress.started_at else TaskState.PENDING
        progress.reason = ""
    elif isinstance(payload, payloads.Failed):
        progress.state, progress.reason = TaskState.FAILED, payload.reason
    elif isinstance(payload, payloads.Checked):
        progress.last_checks[payload.check or f"#{event.seq}"] = payload.status
        if payload.kind == "jacks" and payload.check:
            progress.jack_results[payload.check] = payload
        if payload.status in ("fail", "error"):
            progress.overridden = False
    elif isinstance(payload, payloads.JackConfirmed):
        confirmed = Confirmation(event.actor, event.ts, payload.reason, event.uuid)
        progress.confirmations.setdefault(payload.check, {})[payload.jack] = confirmed
    elif isinstance(payload, payloads.Overridden):
        progress.overridden = True


def settle(runbook: Runbook, state: RunState, gates: dict[str, set[str]], only: Iterable[str] | None = None) -> None:
    """Decide pending vs ready for every task the technician has not moved (or just `only` those)."""
    state.gates = gates
    tasks = state.tasks
    if only is None:
        _settle_all(state)
        return
    for tid in only:
        progress = tasks[tid]
        if progress.state not in (TaskState.PENDING, TaskState.READY):
            progress.waiting_for = []
            continue
        waiting = state.unmet(tid)
        progress.waiting_for = waiting
        progress.state = TaskState.PENDING if waiting else TaskState.READY


def _settle_all(state: RunState) -> None:
    """`settle` for every task at once: what `unmet` asks per task, asked of two sets made once
    (the tasks not finished, the gates not done), with the filtering done in C (`filter` over a
    set's `__contains__`). A run of 5,000 tasks opens with this on its first frame's path."""
    tasks, gates = state.tasks, state.gates
    unfinished = {tid for tid, p in tasks.items() if p.state not in FINISHED}
    open_gates = frozenset(tid for tid, p in tasks.items() if p.task.gate and p.state is not TaskState.DONE)
    is_unfinished = unfinished.__contains__
    no_gates: frozenset[str] = frozenset()
    pending, ready = TaskState.PENDING, TaskState.READY
    for tid, progress in tasks.items():
        if progress.state is not pending and progress.state is not ready:
            progress.waiting_for = []
            continue
        waiting = list(filter(is_unfinished, progress.task.after))
        held = open_gates.intersection(gates.get(tid, no_gates))
        if held:
            waiting += sorted(held.difference(waiting))
        progress.waiting_for = waiting
        progress.state = pending if waiting else ready
