"""Gather one run for export: plain values from one database snapshot, no formatting.

`gather(db, run)` reads the run, its runbook in force and its journal in one read transaction,
verifies the chain (and the database around it, as `golive verify` does), and hands back an
`ExportData`. The tables a format needs (tasks, checks, sign-offs, exceptions, the journal as
rows) are computed on first use, so the jsonl export never folds the run it copies verbatim.

Times. The journal stores each event in UTC with the laptop's UTC offset (machine data, kept as
stored). Every time a person reads, journal rows and computed task times alike, is shown in *site
time* (golive.runbook.clock): the UTC offset of the runbook's window start, the clock the runbook
was planned in, named beside it. "As of" (for late tasks and bars still running) is the run's close when it is
closed, else the moment of the export.

Only the journal and the runbook's titles reach an export: never the inventory, and so never a
credential reference, let alone its value.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cached_property
from pathlib import Path
from typing import Any

from golive.export.portmap import PortMapExecuted, as_executed
from golive.export.redact import People
from golive.progress import payloads
from golive.progress.events import Event, Kind
from golive.progress.jacks import ORDER, WORDS, state_of
from golive.progress.schedule import Plan, Projection, anchor_of, plan, predecessors, project
from golive.progress.state import RunState, TaskState, fold, gates_before
from golive.runbook.clock import offset_text, site_zone, zone_name
from golive.runbook.durations import format_duration
from golive.runbook.schema import Runbook
from golive.store import journal, merge
from golive.store.repository import Repository, RunInfo
from golive.store.tables import Run
from golive.store.verify import StoredText, database_lines, read_versions, run_row_problem, version_lines

FAILED_STATUSES = ("fail", "error")
_Found = tuple[dict[str, Any], Event, payloads.Checked, str]  # a check result: row, event, payload, check key


@dataclass(frozen=True)
class RunFacts:
    """What every export states about the run."""

    name: str
    uuid: str
    mode: str  # "live" or "rehearsal"
    created_at: str
    machine: str
    runbook_id: str
    runbook_title: str
    runbook_version: str
    runbook_sha256: str
    change: str
    site: str
    window_start: datetime
    window_end: datetime
    closed_at: datetime | None

    @property
    def mode_label(self) -> str:
        return self.mode.upper()


@dataclass(frozen=True)
class Trust:
    """Whether the run's journal verifies, and its head."""

    ok: bool
    problems: tuple[str, ...]  # the failing verification lines; empty when ok
    events: int
    head_seq: int
    head_hash: str  # the last stored event's hash (the genesis value for an empty journal)

    @property
    def verdict(self) -> str:
        return "verified" if self.ok else "DOES NOT VERIFY: " + "; ".join(self.problems)


@dataclass(slots=True)  # not frozen: 20,000 of these are made per export, and frozen ones are slow to make
class EventRow:
    """One journal event as the csv and xlsx journals show it (names redacted if asked)."""

    seq: int
    uuid: str
    ts_utc: str  # verbatim
    tz_offset: str  # verbatim, the laptop's
    local: datetime  # ts_utc at tz_offset: the recording laptop's clock (the csv's ts_local, kept as it was)
    site: datetime  # ts_utc in site time (the one clock people read)
    kind: str
    task: str
    actor_name: str
    actor_initials: str
    actor_role: str
    machine: str
    summary: str
    payload: str  # the stored JSON (re-encoded only when names are redacted)
    prev_hash: str
    hash: str
    flag: str  # "" or an upper-case word for rows that need attention (CHECK FAIL, SKIPPED, ...)


@dataclass(frozen=True)
class TaskRow:
    phase: str
    phase_title: str
    task: str
    title: str
    owner: str
    gate: bool
    planned_minutes: float
    planned_start: datetime | None  # site time
    planned_end: datetime | None
    actual_start: datetime | None
    actual_end: datetime | None
    actual_minutes: float | None
    variance_minutes: float | None  # actual minus planned: positive is over plan
    state: str
    late: bool
    late_reason: str
    signed_by: str
    checks_passed: int
    checks_failed: int
    checks_simulated: int
    overridden: bool
    reason: str  # why it is skipped, blocked or failed
    checks: int = 0  # the checks the runbook gives the task
    checks_not_run: int = 0  # of those, how many have no result at all
    checks_lab: int = 0  # latest results that came from the lab (simulated devices), not the site

    @property
    def unchecked(self) -> bool:
        """Worked on (or closed) with checks that never ran: what a change board must be told. A task
        not started yet has simply not had its checks run yet; its count is in `checks_not_run`."""
        return bool(self.checks_not_run) and self.state not in ("pending", "ready")

    @property
    def flags(self) -> str:
        """The words that mark a row, so that meaning never rests on colour alone."""
        words = []
        if self.state in ("failed", "blocked", "skipped"):
            words.append(self.state.upper())
        if self.late:
            words.append("LATE")
        if self.checks_failed:
            words.append("CHECKS FAILED" if not self.overridden else "CHECKS FAILED, OVERRIDDEN")
        elif self.overridden:
            words.append("OVERRIDDEN")
        if self.unchecked:
            words.append(f"{self.checks_not_run} OF {self.checks} CHECKS NOT RUN")
        if self.checks_lab:
            words.append("LAB")
        if self.checks_simulated:
            words.append("SIMULATED")
        return "; ".join(words)


@dataclass(slots=True)  # not frozen, as EventRow
class CheckRow:
    seq: int
    time: datetime  # site time
    task: str
    task_title: str
    check: str  # stable key "<task>#<n>"
    check_id: str
    kind: str
    device: str
    transport: str
    target: str
    status: str
    expected: str
    observed: str  # in words (observed_words); the payload keeps the JSON
    reason: str
    evidence: str
    duration_ms: int
    failed_ports: str
    lab: bool
    by: str
    latest: bool  # the most recent result of this check (an earlier one was re-run)
    passed_later: datetime | None = None  # a failure a later re-run of the same check passed: when (site time)

    @property
    def failed(self) -> bool:
        return self.status in FAILED_STATUSES


@dataclass(frozen=True)
class SignoffRow:
    seq: int
    time: datetime  # site time
    task: str
    task_title: str
    action: str  # "signed off", "revoked", "override"
    person: str
    role: str
    comment: str
    approver: str
    in_force: bool | None  # for sign-offs: not revoked; None for the other actions


@dataclass(frozen=True)
class GateRow:
    """A go/no-go gate as the change board reads it: where it stands and every decision on it."""

    task: TaskRow
    roles: tuple[str, ...]  # the roles whose sign-off the gate needs ('' when any one will do)
    missing: tuple[str, ...]  # of those, the roles not signed (in force) yet
    decisions: tuple[SignoffRow, ...]  # sign-offs, revocations and overrides, in journal order

    @property
    def verdict(self) -> str:
        if self.task.state == "done":
            return "GO: signed" + (" (overridden)" if self.task.overridden else "")
        if self.task.state in ("failed", "blocked"):
            return f"NO-GO: {self.task.state}"
        if self.task.state == "skipped":
            return "SKIPPED: no decision recorded"
        return "not decided yet" + (f": waiting for {', '.join(self.missing)}" if self.missing else "")


@dataclass(frozen=True)
class NoteRow:
    """An exception, a note or a rollback as a line of the report."""

    seq: int
    time: datetime  # site time
    kind: str
    task: str
    person: str
    text: str
    plan: str = ""  # a rollback's plan id


@dataclass(frozen=True)
class Stats:
    tasks: int
    by_state: dict[str, int]
    late: int
    checks: int  # distinct checks run (latest result each)
    check_results: int  # every result, re-runs included
    checks_by_status: dict[str, int]  # latest result per check
    overrides: int
    rollbacks: int
    checks_not_run: int  # checks with no result at all, on tasks worked on or closed (TaskRow.unchecked)
    tasks_not_run: int  # tasks worked on or closed with at least one such check
    planned_seconds: float  # the plan's length (critical path)
    first_start: datetime | None  # site time
    last_finish: datetime | None  # the last event on any task (site time)

    @property
    def elapsed_seconds(self) -> float | None:
        if self.first_start is None or self.last_finish is None:
            return None
        return (self.last_finish - self.first_start).total_seconds()


class ExportData:
    """A run gathered for export. Cheap to build; each table is computed when first asked for."""

    def __init__(
        self,
        run: RunFacts,
        trust: Trust,
        rows: list[dict[str, Any]],
        runbook: Runbook,
        people: People,
        generated_at: datetime,
    ) -> None:
        self.run = run
        self.trust = trust
        self.rows = rows  # the journal as stored, unredacted (jsonl copies these)
        self.runbook = runbook
        self.people = people
        self.generated_at = generated_at
        self.site_tz: tzinfo = site_zone(run.window_start)

    @property
    def redacted(self) -> bool:
        return self.people.redact

    @property
    def banner(self) -> str:
        """The warning an export of a journal that does not verify carries at its top ('' when it verifies)."""
        if self.trust.ok:
            return ""
        return (
            f"UNVERIFIED EXPORT: the journal of run {self.run.name} does not verify "
            f"({'; '.join(self.trust.problems)}). It may have been edited after the fact: do not rely on it."
        )

    @property
    def as_of(self) -> datetime:
        return self.run.closed_at or self.generated_at

    def site(self, when: datetime | None) -> datetime | None:
        return None if when is None else when.astimezone(self.site_tz)

    def site_offset(self) -> str:
        return offset_text(self.run.window_start)

    @property
    def zone(self) -> str:
        """The clock every time a person reads is in: `UTC-05:00`."""
        return zone_name(self.run.window_start)

    # -- the folded run -------------------------------------------------------------------

    @cached_property
    def events(self) -> list[Event]:
        return [journal.to_event(r) for r in self.rows]

    @cached_property
    def _preds(self) -> dict[str, set[str]]:
        return predecessors(self.runbook, gates_before(self.runbook))

    @cached_property
    def _plan(self) -> Plan:
        return plan(self.runbook, self._preds)

    @cached_property
    def state(self) -> RunState:
        return fold(self.runbook, self.events)

    @cached_property
    def projection(self) -> Projection:
        return project(
            self.runbook, self.state, self.as_of, rehearsal=self.run.mode == "rehearsal",
            the_plan=self._plan, preds=self._preds,
        )  # fmt: skip

    @cached_property
    def _payloads(self) -> list[payloads.Payload]:
        """Each row's payload, parsed once (by journal.to_event) and redacted when asked."""
        payload = self.people.payload
        return [payload(event.payload) for event in self.events]

    def _who(self, row: dict[str, Any]) -> str:
        return self.people.name(str(row["actor_name"]), str(row["actor_initials"]))

    def _title(self, task: str | None) -> str:
        found = self.runbook.tasks.get(task or "")
        return found.title if found is not None else ""

    def _when(self, event: Event) -> datetime:
        return event.ts.astimezone(self.site_tz)

    def _entries(self) -> Iterator[tuple[dict[str, Any], Event, payloads.Payload]]:
        """Each row with its event and its (redacted) payload."""
        return zip(self.rows, self.events, self._payloads, strict=True)

    # -- tables ---------------------------------------------------------------------------

    @cached_property
    def journal(self) -> list[EventRow]:
        people = self.people
        bare_name, machine, payload_text = people.bare_name, people.machine, people.payload_text
        site_tz = self.site_tz
        out: list[EventRow] = []
        append = out.append
        for row, event, payload in self._entries():  # positional, one lookup per column: 20,000 rows
            kind = str(row["kind"])
            offset = str(row["tz_offset"])
            initials = str(row["actor_initials"])
            append(
                EventRow(
                    int(row["seq"]), str(row["uuid"]), str(row["ts_utc"]), offset,
                    event.ts.astimezone(_offset_tz(offset)), event.ts.astimezone(site_tz), kind,
                    str(row["task_id"] or ""),
                    bare_name(str(row["actor_name"]), initials), initials, str(row["actor_role"]),
                    machine(str(row["machine"])), describe(payload, people),
                    payload_text(kind, str(row["payload"])), str(row["prev_hash"]), str(row["hash"]),
                    event_flag(kind, payload),
                )
            )  # fmt: skip
        return out

    @cached_property
    def tasks(self) -> list[TaskRow]:
        state, projection, the_plan = self.state, self.projection, self._plan
        lab = self._lab_latest
        anchor = anchor_of(self.runbook, state, self.run.mode == "rehearsal", self.as_of)
        out = []
        for phase in self.runbook.phases:
            for task in phase.tasks:
                p = state.tasks[task.id]
                planned = task.duration / 60
                # an actual duration only for a task done (a skipped one was not worked to the end)
                done = p.state is TaskState.DONE and p.actual_seconds is not None
                actual = p.actual_seconds / 60 if done and p.actual_seconds is not None else None
                signed = "; ".join(
                    self.people.name(s.actor.name, s.actor.initials) + (f" as {s.actor.role}" if s.actor.role else "")
                    for s in p.signoffs
                )
                out.append(
                    TaskRow(
                        phase=phase.id,
                        phase_title=phase.title,
                        task=task.id,
                        title=task.title,
                        owner=task.owner or "",
                        gate=task.gate,
                        planned_minutes=round(planned, 1),
                        planned_start=self.site(anchor + timedelta(seconds=the_plan.earliest_start[task.id])),
                        planned_end=self.site(anchor + timedelta(seconds=the_plan.earliest_finish[task.id])),
                        actual_start=self.site(p.started_at),
                        actual_end=self.site(p.finished_at),
                        actual_minutes=None if actual is None else round(actual, 1),
                        variance_minutes=None if actual is None else round(actual - planned, 1),
                        state=p.state.value,
                        late=task.id in projection.late,
                        late_reason=projection.late.get(task.id, ""),
                        signed_by=signed,
                        checks_passed=p.checks_passed,
                        checks_failed=p.checks_failed,
                        checks_simulated=sum(s == "simulated" for s in p.last_checks.values()),
                        overridden=p.overridden,
                        reason=self.people.text(p.reason),
                        checks=len(task.checks),
                        checks_not_run=max(0, len(task.checks) - len(p.last_checks)),
                        checks_lab=lab.get(task.id, 0),
                    )
                )
        return out

    @cached_property
    def _lab_latest(self) -> dict[str, int]:
        """Per task, how many of its checks' latest results came from the lab."""
        found, latest = self._check_index
        out: Counter[str] = Counter()
        for _row, event, payload, key in found:
            if payload.lab and latest[(event.task or "", key)] == event.seq:
                out[event.task or ""] += 1
        return dict(out)

    @cached_property
    def gates(self) -> list[GateRow]:
        """Each gate task, in runbook order, with every decision taken on it."""
        by_task: dict[str, list[SignoffRow]] = {}
        for s in self.signoffs:
            by_task.setdefault(s.task, []).append(s)
        out = []
        for row in self.tasks:
            if not row.gate:
                continue
            task = self.runbook.tasks[row.task]
            roles = tuple(task.signoff_rule().roles)
            signed = {s.actor.role for s in self.state.tasks[row.task].signoffs}
            missing = tuple(r for r in roles if r not in signed)
            out.append(GateRow(row, roles, missing, tuple(by_task.get(row.task, ()))))
        return out

    @cached_property
    def _check_index(self) -> tuple[list[_Found], dict[tuple[str, str], int]]:
        """Every check result (row, event, payload, check key), and the seq of each check's latest result."""
        latest: dict[tuple[str, str], int] = {}
        found = []
        for row, event, payload in self._entries():
            if isinstance(payload, payloads.Checked):
                key = payload.check or f"#{event.seq}"
                latest[(event.task or "", key)] = event.seq
                found.append((row, event, payload, key))
        return found, latest

    @cached_property
    def checks(self) -> list[CheckRow]:
        """Every check result, re-runs included, in journal order."""
        return self._check_rows(failed_only=False)

    @cached_property
    def failed_checks(self) -> list[CheckRow]:
        """The check results that failed or could not tell (error), each marked whether a later run replaced it."""
        return self._check_rows(failed_only=True)

    @cached_property
    def workbook_checks(self) -> list[CheckRow]:
        """The latest result of each check and every failed or errored result, in journal order: every
        result but a passing one that a later run of its check replaced (see xlsx_export)."""
        return self._check_rows(failed_only=True, latest_too=True)

    def _check_rows(self, failed_only: bool, latest_too: bool = False) -> list[CheckRow]:
        found, latest = self._check_index
        passed = {(e.task or "", k): self._when(e) for _r, e, p, k in found
                  if p.status == "pass" and latest[(e.task or "", k)] == e.seq}  # fmt: skip
        out = []
        for row, event, payload, key in found:
            status = payload.status or "error"
            task = event.task or ""
            is_latest = latest[(task, key)] == event.seq
            if failed_only and status not in FAILED_STATUSES and not (latest_too and is_latest):
                continue
            bad_ports = [name for name, port in payload.ports.items() if port.status in FAILED_STATUSES]
            out.append(
                CheckRow(
                    seq=event.seq,
                    time=self._when(event),
                    task=task,
                    task_title=self._title(task),
                    check=key,
                    check_id=payload.check_id or "",
                    kind=payload.kind,
                    device=payload.device or "",
                    transport=payload.transport,
                    target=payload.target,
                    status=status,
                    expected=payload.expected,
                    observed=observed_words(payload),
                    reason=payload.reason,
                    evidence=payload.evidence,
                    duration_ms=payload.duration_ms,
                    failed_ports=", ".join(bad_ports),
                    lab=payload.lab,
                    by=self._who(row),
                    latest=is_latest,
                    passed_later=None if is_latest else passed.get((task, key)),
                )
            )
        return out

    @cached_property
    def signoffs(self) -> list[SignoffRow]:
        in_force = {s.uuid for p in self.state.tasks.values() for s in p.signoffs}
        out = []
        for row, event, payload in self._entries():
            approver = ""
            if isinstance(payload, payloads.SignedOff):
                action, comment = "signed off", payload.comment
            elif isinstance(payload, payloads.SignoffRevoked):
                action, comment = "revoked", payload.reason
            elif isinstance(payload, payloads.Overridden):
                action, comment = "override", payload.reason
                approver = self._approver(payload.approver) if payload.approver.model_fields_set else ""
            else:
                continue
            task = str(row["task_id"] or "")
            out.append(
                SignoffRow(
                    seq=int(row["seq"]),
                    time=self._when(event),
                    task=task,
                    task_title=self._title(task),
                    action=action,
                    person=self._who(row),
                    role=str(row["actor_role"]),
                    comment=comment,
                    approver=approver,
                    in_force=(str(row["uuid"]) in in_force) if isinstance(payload, payloads.SignedOff) else None,
                )
            )
        return out

    def _approver(self, approver: payloads.Approver) -> str:
        shown = self.people.name(approver.name, approver.initials)
        return shown + (f" as {approver.role}" if approver.role else "")

    def _lines(self, kinds: tuple[Kind, ...], reason_only: bool = False) -> list[NoteRow]:
        out = []
        for row, event, payload in self._entries():
            if event.kind in kinds:
                rollback = payload if isinstance(payload, payloads.RollbackStarted) else None
                out.append(
                    NoteRow(
                        seq=int(row["seq"]),
                        time=self._when(event),
                        kind=str(event.kind),
                        task=str(row["task_id"] or ""),
                        person=self._who(row),
                        text=rollback.reason if reason_only and rollback else describe(payload, self.people),
                        plan=rollback.plan if rollback else "",
                    )
                )
        return out

    @cached_property
    def exceptions(self) -> list[NoteRow]:
        """What departed from the plan: skips, blocks, failures, overrides, revocations, rollbacks, upgrades."""
        return self._lines(EXCEPTION_KINDS)

    @cached_property
    def notes(self) -> list[NoteRow]:
        return self._lines((Kind.NOTE,))

    @cached_property
    def rollbacks(self) -> list[NoteRow]:
        """Each rollback started: its plan id, who, when, and the reason alone as text."""
        return self._lines((Kind.ROLLBACK_STARTED,), reason_only=True)

    @cached_property
    def portmap(self) -> PortMapExecuted | None:
        """The runbook's port map as executed (golive.export.portmap), None when it has no map."""
        if self.runbook.portmap is None:
            return None
        return as_executed(self.runbook.portmap, self.rows, self.people, self.site_tz)

    @cached_property
    def stats(self) -> Stats:
        tasks = self.tasks
        found, latest = self._check_index
        statuses = [p.status or "error" for _r, e, p, _k in found if latest[(e.task or "", _k)] == e.seq]
        starts = [t.actual_start for t in tasks if t.actual_start is not None]
        worked = [e.ts for e in self.events if e.task in self.state.tasks]
        return Stats(
            tasks=len(tasks),
            by_state=dict(Counter(t.state for t in tasks)),
            late=sum(t.late for t in tasks),
            checks=len(latest),
            check_results=len(found),
            checks_by_status=dict(Counter(statuses)),
            overrides=sum(s.action == "override" for s in self.signoffs),
            rollbacks=len(self.rollbacks),
            checks_not_run=sum(t.checks_not_run for t in tasks if t.unchecked),
            tasks_not_run=sum(t.unchecked for t in tasks),
            planned_seconds=self.projection.planned_seconds,
            first_start=min(starts, default=None),
            last_finish=self.site(max(worked)) if starts and worked else None,
        )


EXCEPTION_KINDS = (
    Kind.SKIPPED, Kind.BLOCKED, Kind.UNBLOCKED, Kind.FAILED, Kind.OVERRIDDEN, Kind.SIGNOFF_REVOKED,
    Kind.ROLLBACK_STARTED, Kind.UPGRADED,
)  # fmt: skip

_FLAGS = {
    "skipped": "SKIPPED", "blocked": "BLOCKED", "failed": "TASK FAILED", "overridden": "OVERRIDE",
    "signoff_revoked": "REVOKED", "rollback_started": "ROLLBACK", "upgraded": "RUNBOOK CHANGED",
}  # fmt: skip


def event_flag(kind: str, payload: payloads.Payload) -> str:
    if isinstance(payload, payloads.Checked):
        return f"CHECK {payload.status.upper()}" if payload.status in FAILED_STATUSES else ""
    return _FLAGS.get(kind, "")


def observed_words(payload: payloads.Checked) -> str:
    """What a check saw, in words a change board reads: `Gi1/0/7 (fail): access 1, mode access; Gi1/0/8:
    access 120`, failing ports first, each port by its name. A jacks or snapshot result (one entry per jack,
    each holding whole port snapshots) names only its jacks with a problem, and counts the rest: the port
    map as executed has every jack in full."""
    if payload.kind in ("jacks", "snapshot"):
        return _jack_words(payload)
    if payload.ports:
        ports = sorted(payload.ports.items(), key=lambda item: item[1].status not in FAILED_STATUSES)
        return "; ".join(
            f"{name}{f' ({port.status})' if port.status in FAILED_STATUSES else ''}: "
            f"{_fields(port.observed) or port.reason or port.status}"
            for name, port in ports
        )
    observed = payload.observed
    if observed and all(isinstance(v, dict) for v in observed.values()):
        return "; ".join(f"{name}: {_fields(v)}" for name, v in observed.items())
    return _fields(observed)


def _jack_words(payload: payloads.Checked) -> str:
    """`2-231-B (misplugged): swapped with jack 2-232-C ...; 2-240-A (not seen): ...; 380 back`."""
    bad = [(label, port) for label, port in payload.ports.items() if port.status in FAILED_STATUSES]
    rest = len(payload.ports) - len(bad)
    if payload.kind == "jacks":
        bad.sort(key=lambda item: ORDER.index(state_of(item[1].observed)))  # problems first, as on the board
        words = [f"{label} ({WORDS[state_of(port.observed)]}): {port.reason}" for label, port in bad]
        tail = f"{rest} back" if rest else ""
    else:
        words = [f"{label}: {port.reason or port.status}" for label, port in bad]
        tail = f"{rest} old port{'' if rest == 1 else 's'} read" if rest else ""
    return "; ".join([*words, *([tail] if tail else [])])


def _fields(values: dict[str, Any]) -> str:
    """`status down, speed 10G`: a port's fields in words (empty ones left out, long lists counted)."""
    words = []
    for key, value in values.items():
        if value in ("", None, [], {}):
            continue
        if isinstance(value, list) and len(value) > 3:
            shown = f"{len(value)} entries"
        elif isinstance(value, list | dict):
            shown = _compact(value)
        else:
            shown = str(value).lower() if isinstance(value, bool) else str(value)
        words.append(shown if key == "value" else f"{key} {shown}")
    return ", ".join(words)


def describe(payload: payloads.Payload, people: People) -> str:
    """One line saying what an event's payload holds (its names already redacted when asked)."""
    if isinstance(payload, payloads.Loaded):
        return f"loaded {payload.runbook} v{payload.version} as {payload.mode} run {payload.run}"
    if isinstance(payload, payloads.Upgraded):
        return f"runbook changed to v{payload.version} ({payload.sha256[:12]})"
    if isinstance(payload, payloads.Checked):
        where = " ".join(x for x in (payload.device or "", payload.target) if x)
        text = f"{payload.check} {payload.kind} {where}: {payload.status}"
        return text + (f": {payload.reason}" if payload.reason else "")
    if isinstance(payload, payloads.Overridden):
        who = people.name(payload.approver.name, payload.approver.initials)
        return f"{payload.reason} (approved by {who})"
    if isinstance(payload, payloads.SignoffRevoked):
        return f"revoked sign-off {payload.signoff[:8]}: {payload.reason}"
    if isinstance(payload, payloads.RollbackStarted):
        return f"rollback plan {payload.plan}: {payload.reason}"
    if isinstance(payload, payloads.SignedOff):
        return payload.comment
    if isinstance(payload, payloads.Note):
        return payload.text
    if isinstance(payload, payloads.Session):
        return payload.what
    if isinstance(payload, _SAYS_WHY):
        return payload.reason
    return ""


_SAYS_WHY = (payloads.Skipped, payloads.Blocked, payloads.Unblocked, payloads.Failed, payloads.RunClosed)


def gather(db: Path, run_ref: str | None, *, redact_people: bool = False, now: datetime | None = None) -> ExportData:
    """Read one run for export, and verify it. GoliveError (one line) for an unknown run or file.

    One read transaction: the journal rows, the runbook in force, the run row, and what the chain
    relies on (SQLite's integrity, the append-only triggers, the runbook texts, the run row against
    its `loaded` event, and for a merged run each laptop's chain inside it), as `golive verify`
    checks them. The chain itself is recomputed from the very rows that are exported.
    """
    with Repository.at(db).read() as tx:
        run = tx.find_run(run_ref, unambiguous=True)
        rows = tx.rows(run.uuid)
        texts = read_versions(tx)
        runbook = tx.runbook(run.sha256)
        run_row = tx.run_row(run.uuid)
        database = [line for line, ok in database_lines(tx, db) if not ok]
        moved = run_row_problem(tx, run)
    chain, versions, sources = _verify_read(db, run.uuid, run.name, rows, texts)
    data = _export_data(run, run_row, rows, runbook, People(redact_people, rows), now or datetime.now(UTC))
    problems = [*chain, *database, *versions, *([moved] if moved else []), *sources]  # `golive verify`'s order
    data.trust = replace(data.trust, ok=not problems, problems=tuple(problems))
    return data


_Verdict = tuple[list[str], list[str], list[str]]  # problems found in the chain, the runbook texts, the sources


def _export_data(
    run: RunInfo, run_row: Run, rows: list[dict[str, Any]], runbook: Runbook, people: People, now: datetime
) -> ExportData:
    """The run's facts, with a trust as if verified (`gather` puts the real verdict in)."""
    meta = runbook.runbook
    closed = [r for r in rows if r["kind"] == Kind.RUN_CLOSED]
    facts = RunFacts(
        name=run.name,
        uuid=run.uuid,
        mode=run.mode,
        created_at=str(run_row.created_at),
        machine=str(run_row.machine),
        runbook_id=meta.id,
        runbook_title=meta.title,
        runbook_version=meta.version,
        runbook_sha256=run.sha256,
        change=meta.change or "",
        site=meta.site or "",
        window_start=meta.window.start,
        window_end=meta.window.end,
        closed_at=datetime.fromisoformat(str(closed[-1]["ts_utc"])) if closed else None,
    )
    provisional = Trust(
        ok=True,
        problems=(),
        events=len(rows),
        head_seq=int(rows[-1]["seq"]) if rows else 0,
        head_hash=str(rows[-1]["hash"]) if rows else journal.genesis(run.uuid),
    )
    return ExportData(facts, provisional, rows, runbook, people, now)


def _verify_read(
    db: Path, run_uuid: str, run_name: str, rows: list[dict[str, Any]], texts: list[StoredText]
) -> _Verdict:
    """The computing part of verifying a run already read: the chain, the runbook texts, the sources."""
    chain = journal.verify_rows(run_uuid, rows)
    broken = [] if chain.ok else [f"{run_name}: broken at event #{chain.broken_at}: {chain.reason}"]
    versions = [line for line, ok in version_lines(db, texts) if not ok]
    # a merged run carries each laptop's chain inside it: those must verify too
    sources = [line for line, ok in merge.verify_source_rows(rows) if not ok]
    return broken, versions, sources


# -- small helpers shared by the formats ----------------------------------------------------


@functools.cache
def _offset_tz(offset: str) -> tzinfo:
    try:
        sign = -1 if offset.startswith("-") else 1
        hours, minutes = offset.lstrip("+-").split(":")
        return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
    except ValueError:
        return UTC


def iso(when: datetime | None) -> str:
    """ISO 8601 to the second, with the offset: `2026-12-05T22:14:03-05:00` ('' for none)."""
    return "" if when is None else when.isoformat(timespec="seconds")


def minutes_text(minutes: float | None) -> str:
    return "" if minutes is None else f"{minutes:.1f}"


def duration_text(seconds: float | None) -> str:
    return "" if seconds is None else format_duration(seconds)


_COMPACT = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode


def _compact(value: Any) -> str:
    return value if isinstance(value, str) else _COMPACT(value)
