"""Planned vs actual, the critical path, and the projected finish against the change window.

Pure arithmetic over the dependency graph. Gates add edges: every task in a later phase comes
after the gate, as the readiness rules say. Times are anchored at the window start for a live
run; a rehearsal is anchored at its first start, so a rehearsal on a Tuesday afternoon still
says whether the night's window is long enough.

A failed or blocked task is projected to resume now, at the earliest: the finish is a lower bound
while it is held. When the chain that decides that finish (the live critical path) runs through a
held task, the night is stopped there, whatever the arithmetic says is "to spare": the projection
names it (`stops`) and its `risk` says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from golive.progress.state import FINISHED, RunState, TaskState, gates_before, toposort
from golive.runbook.durations import format_duration
from golive.runbook.schema import Runbook


def predecessors(runbook: Runbook, gates: dict[str, set[str]] | None = None) -> dict[str, set[str]]:
    """Each task's direct predecessors: its `after` list plus the gates before it."""
    gates = gates if gates is not None else gates_before(runbook)
    return {tid: set(task.after) | gates[tid] for tid, task in runbook.tasks.items()}


@dataclass(frozen=True)
class Plan:
    """The planned schedule in seconds from the anchor: earliest start/finish, slack, critical path."""

    earliest_start: dict[str, float]
    earliest_finish: dict[str, float]
    slack: dict[str, float]
    critical_path: list[str]
    length: float
    order: list[str] = field(default_factory=list)  # topological, runbook order among equals


def plan(runbook: Runbook, preds: dict[str, set[str]] | None = None) -> Plan:
    """Forward and backward passes over planned durations (CPM)."""
    preds = preds if preds is not None else predecessors(runbook)
    order = topological_order_with(runbook, preds)
    duration = {tid: task.duration for tid, task in runbook.tasks.items()}
    es: dict[str, float] = {}
    ef: dict[str, float] = {}
    finish_of = ef.__getitem__
    for tid in order:
        before = preds[tid]
        es[tid] = start = max(map(finish_of, before)) if before else 0.0
        ef[tid] = start + duration[tid]
    length = max(ef.values(), default=0.0)
    # latest finish: the least over a task's successors of their latest start (else the length),
    # pushed back from each task to its predecessors, all of whose successors come later in `order`
    lf = dict.fromkeys(order, length)
    for tid in reversed(order):
        latest_start = lf[tid] - duration[tid]
        for p in preds[tid]:
            if latest_start < lf[p]:  # noqa: PLR1730 (min() is a call per edge: 15,000 for 5,000 tasks)
                lf[p] = latest_start
    slack = {tid: lf[tid] - ef[tid] for tid in order}
    path: list[str] = []
    # the path ends at the first task (in order) of the latest finish, and goes back through the
    # predecessor that ends as it starts, the first listed among equals
    current = next((tid for tid in order if ef[tid] == length), None)
    position: dict[str, int] = {}
    while current is not None:
        path.append(current)
        start = es[current]
        critical = [p for p in preds[current] if abs(ef[p] - start) < 1e-9]
        if len(critical) > 1:
            position = position or {tid: i for i, tid in enumerate(order)}
            critical.sort(key=position.__getitem__)
        current = critical[0] if critical else None
    path.reverse()
    return Plan(es, ef, slack, path, length, order)


def topological_order_with(runbook: Runbook, preds: dict[str, set[str]]) -> list[str]:
    """Topological order honouring the extra gate edges; runbook order among equals."""
    return toposort({tid: preds[tid] for tid in runbook.tasks})


AT_RISK_SECONDS = 15 * 60  # less to spare than this and the night is at risk
HELD = frozenset({TaskState.FAILED, TaskState.BLOCKED})


class Risk(StrEnum):
    """How the night stands: on track, at risk (amber), or off track (red)."""

    ON_TRACK = "on track"
    AT_RISK = "at risk"
    OFF_TRACK = "off track"


@dataclass(frozen=True)
class Stop:
    """A task that holds the night back: failed or blocked (`held`), or overdue; `critical` when it is
    on the live critical path (what it delays, the finish is delayed by)."""

    task: str
    why: str
    held: bool
    critical: bool


@dataclass
class Projection:
    """Where the run is heading, as of `now`."""

    anchor: datetime
    window_end: datetime
    projected_finish: datetime
    slack_seconds: float
    planned_seconds: float
    late: dict[str, str] = field(default_factory=dict)
    next_up: list[str] = field(default_factory=list)
    critical_path: list[str] = field(default_factory=list)
    live_path: list[str] = field(default_factory=list)  # unfinished tasks the projected finish waits on
    stops: list[Stop] = field(default_factory=list)  # critical first, then runbook order

    @property
    def on_time(self) -> bool:
        return self.slack_seconds >= 0

    @property
    def blocked(self) -> list[Stop]:
        """Failed or blocked tasks on the live critical path: the night cannot finish past them."""
        return [s for s in self.stops if s.held and s.critical]

    @property
    def risk(self) -> Risk:
        """Red when the finish is past the window or the critical path is held; amber when less than
        15 minutes are left to spare or a critical task is overdue."""
        if not self.on_time or self.blocked:
            return Risk.OFF_TRACK
        if self.slack_seconds < AT_RISK_SECONDS or any(s.critical and not s.held for s in self.stops):
            return Risk.AT_RISK
        return Risk.ON_TRACK


def anchor_of(runbook: Runbook, state: RunState, rehearsal: bool, now: datetime) -> datetime:
    """Time zero for the plan: the window start live, the first start (or now) in rehearsal."""
    if not rehearsal:
        return runbook.runbook.window.start
    return state.first_start or now


def project(
    runbook: Runbook,
    state: RunState,
    now: datetime,
    *,
    rehearsal: bool = False,
    the_plan: Plan | None = None,
    preds: dict[str, set[str]] | None = None,
) -> Projection:
    """Projected finish from actual times where known, planned durations elsewhere."""
    preds = preds if preds is not None else predecessors(runbook)
    the_plan = the_plan or plan(runbook, preds)
    anchor = anchor_of(runbook, state, rehearsal, now)
    window_end = anchor + timedelta(seconds=runbook.runbook.window.seconds)
    # Times are whole microseconds from the anchor (what timedelta holds, so every result is the
    # same as with datetimes): 5,000 tasks would otherwise make tens of thousands of datetimes.
    at_now = _us(now - anchor)
    earliest_finish = the_plan.earliest_finish
    tasks = state.tasks
    finish: dict[str, int] = {}
    start: dict[str, int] = {}  # unfinished tasks: when the projection has them start
    finished_by = finish.__getitem__
    late: dict[str, str] = {}
    in_progress = TaskState.IN_PROGRESS
    for tid in the_plan.order or topological_order_with(runbook, preds):
        progress = tasks[tid]
        task_state = progress.state
        planned = _us_of(progress.task.duration)
        planned_finish = _us_of(earliest_finish[tid])
        if task_state in FINISHED and progress.finished_at is not None:
            finish[tid] = done = _us(progress.finished_at - anchor)
            if task_state is TaskState.DONE and done > planned_finish + 60 * US:
                late[tid] = f"finished {_minutes(done - planned_finish)} after plan"
            continue
        if task_state is in_progress and progress.started_at is not None:
            start[tid] = _us(progress.started_at - anchor)
            due = start[tid] + planned
            finish[tid] = max(at_now, due)
            if at_now > due:
                late[tid] = f"running {_minutes(at_now - due)} over its {_minutes(planned)}"
        else:
            before = preds[tid]
            deps_done = max(map(finished_by, before)) if before else 0
            start[tid] = begins = max(at_now, deps_done, 0)
            finish[tid] = begins + planned
        if at_now > planned_finish and tid not in late and task_state not in FINISHED:
            late[tid] = f"planned to finish {_minutes(at_now - planned_finish)} ago"
    projected = anchor + timedelta(microseconds=max(finish.values(), default=0))
    order = {tid: i for i, tid in enumerate(runbook.tasks)}
    ready = [p.task.id for p in state.in_state(TaskState.READY)]
    next_up = sorted(ready, key=lambda t: (the_plan.slack[t], the_plan.earliest_start[t], order[t]))
    live = _live_path(finish, start, preds, order)
    on_path = set(live)
    stops = [
        Stop(tid, f"{p.state.value}: {p.reason}" if p.reason else p.state.value, True, tid in on_path)
        for tid, p in tasks.items()
        if p.state in HELD
    ]
    stops += [
        Stop(tid, why, False, True) for tid, why in late.items() if tid in on_path and tasks[tid].state not in HELD
    ]
    stops.sort(key=lambda s: (not s.critical, order[s.task]))
    return Projection(
        anchor=anchor,
        window_end=window_end,
        projected_finish=projected,
        slack_seconds=(window_end - projected).total_seconds(),
        planned_seconds=the_plan.length,
        late=late,
        next_up=next_up,
        critical_path=the_plan.critical_path,
        live_path=live,
        stops=stops,
    )


def _live_path(
    finish: dict[str, int], start: dict[str, int], preds: dict[str, set[str]], order: dict[str, int]
) -> list[str]:
    """The unfinished tasks the projected finish waits on, first to last: back from the task that
    finishes last, through the predecessor each one waits for (the latest to finish, runbook order
    among equals), until one that waits for nothing but the clock or has already finished."""
    if not start:
        return []
    by_order = order.__getitem__
    latest = max(finish.values())
    current: str | None = min((t for t, f in finish.items() if f == latest), key=by_order)
    path: list[str] = []
    finished_by = finish.__getitem__
    while current is not None and current in start:
        path.append(current)
        before = preds[current]
        if not before:
            break
        latest = max(map(finished_by, before))
        if latest < start[current]:
            break
        tied = [t for t in before if finish[t] == latest]
        current = tied[0] if len(tied) == 1 else min(tied, key=by_order)
    path.reverse()
    return path


US = 1_000_000


def _us(delta: timedelta) -> int:
    """A timedelta as whole microseconds."""
    return (delta.days * 86400 + delta.seconds) * US + delta.microseconds


def _us_of(seconds: float) -> int:
    """Seconds as whole microseconds, rounded as `timedelta(seconds=...)` rounds them."""
    if isinstance(seconds, int) or seconds.is_integer():
        return int(seconds) * US
    return _us(timedelta(seconds=seconds))


def _minutes(us: int) -> str:
    return format_duration(us / US)


@dataclass(frozen=True)
class PhaseSummary:
    """Planned vs actual work in one phase, and how far it has come."""

    phase: str
    title: str
    total: int
    finished: int
    planned_seconds: float
    actual_seconds: float
    late: int


def phase_summaries(runbook: Runbook, state: RunState, projection: Projection) -> list[PhaseSummary]:
    out = []
    for phase in runbook.phases:
        progresses = [state.tasks[t.id] for t in phase.tasks]
        out.append(
            PhaseSummary(
                phase=phase.id,
                title=phase.title,
                total=len(progresses),
                finished=sum(1 for p in progresses if p.state in FINISHED),
                planned_seconds=float(sum(p.task.duration for p in progresses)),
                actual_seconds=float(sum(p.actual_seconds or 0.0 for p in progresses)),
                late=sum(1 for p in progresses if p.task.id in projection.late),
            )
        )
    return out
