"""Rehearsal against live: how long each task took in both, and what the plan should say next time.

A rehearsal exists to learn timings and catch errors before the night. This report puts the two
runs side by side per task (planned, actual in each, variance against the plan), lists the checks
that failed in one run and not the other (by their stable key `<task>#<n>`), and proposes planned
durations learned from the rehearsal by one published rule (`ProposalRule`), so the PM can update
the runbook with numbers rather than hopes.

Actual durations come from the folded journal: from a task's first start to the sign-off that
completed it. Only tasks that ended done count; a skipped or unfinished task has no actual.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from golive.problems import GoliveError
from golive.progress.events import Event, Kind
from golive.progress.payloads import Checked
from golive.progress.state import TaskProgress, TaskState, fold
from golive.runbook.durations import format_duration
from golive.runbook.schema import Runbook
from golive.store import journal
from golive.store.repository import Repository

FAILED = ("fail", "error")


@dataclass(frozen=True)
class ProposalRule:
    """Proposed duration = rehearsal actual plus `margin`, rounded up to `step`, at least `floor`."""

    margin: float = 0.20
    step_s: int = 300
    floor_s: int = 300

    def propose(self, actual_s: float | None) -> int | None:
        if actual_s is None:
            return None
        padded = actual_s * (1 + self.margin)
        return max(self.floor_s, math.ceil(padded / self.step_s - 1e-9) * self.step_s)

    def describe(self) -> str:
        return (
            f"proposed = rehearsal actual + {self.margin * 100:g}%, rounded up to {format_duration(self.step_s)}, "
            f"at least {format_duration(self.floor_s)}; tasks not done in the rehearsal keep their plan"
        )


@dataclass(frozen=True)
class Side:
    """One run as the comparison needs it."""

    label: str  # run name, and the database when the two runs live in different files
    mode: str
    runbook: Runbook
    events: list[Event]


@dataclass(frozen=True)
class TaskLine:
    task: str
    phase: str
    title: str
    planned_s: int | None
    rehearsal_s: float | None
    live_s: float | None
    rehearsal_state: str
    live_state: str
    proposed_s: int | None
    failed_only_rehearsal: tuple[str, ...]
    failed_only_live: tuple[str, ...]

    @property
    def rehearsal_variance_s(self) -> float | None:
        return _minus(self.rehearsal_s, self.planned_s)

    @property
    def live_variance_s(self) -> float | None:
        return _minus(self.live_s, self.planned_s)


@dataclass(frozen=True)
class CheckLine:
    """A check that failed in one run and not in the other."""

    key: str
    task: str | None
    rehearsal: str  # worst status seen, or "not run"
    live: str
    reason: str  # the failing run's reason


@dataclass(frozen=True)
class Comparison:
    rehearsal: Side
    live: Side
    tasks: list[TaskLine]
    checks: list[CheckLine]
    rule: ProposalRule
    rehearsal_elapsed_s: float | None
    live_elapsed_s: float | None


def _minus(actual: float | None, planned: int | None) -> float | None:
    return None if actual is None or planned is None else actual - planned


def _check_statuses(events: Sequence[Event]) -> dict[str, tuple[str | None, list[str], str]]:
    """Per check key: its task, every status seen in order, and the last failure's reason."""
    out: dict[str, tuple[str | None, list[str], str]] = {}
    for event in events:
        result = event.payload
        if not isinstance(result, Checked) or not result.check:
            continue
        task, statuses, reason = out.get(result.check, (event.task, [], ""))
        statuses.append(result.status)
        if result.status in FAILED:
            reason = result.reason or reason
        out[result.check] = (task, statuses, reason)
    return out


def _worst(statuses: list[str]) -> str:
    for status in ("error", "fail", "simulated", "pass"):
        if status in statuses:
            return status
    return statuses[-1] if statuses else "not run"


def _actual(progress: TaskProgress | None) -> float | None:
    """Seconds from first start to the completing sign-off; None unless the task ended done."""
    return progress.actual_seconds if progress is not None and progress.state is TaskState.DONE else None


def _elapsed(events: Sequence[Event], done: list[datetime]) -> float | None:
    starts = [e.ts for e in events if e.kind is Kind.STARTED]
    return (max(done) - min(starts)).total_seconds() if starts and done else None


def compare(rehearsal: Side, live: Side, rule: ProposalRule) -> Comparison:
    """Per task and per check, the two runs side by side, with proposals from the rehearsal."""
    r_state = fold(rehearsal.runbook, rehearsal.events).tasks
    l_state = fold(live.runbook, live.events).tasks
    r_checks = _check_statuses(rehearsal.events)
    l_checks = _check_statuses(live.events)
    r_failed = {k for k, (_, s, _) in r_checks.items() if any(x in FAILED for x in s)}
    l_failed = {k for k, (_, s, _) in l_checks.items() if any(x in FAILED for x in s)}

    order = list(live.runbook.tasks) + [t for t in rehearsal.runbook.tasks if t not in live.runbook.tasks]
    lines = []
    for tid in order:
        task = live.runbook.tasks.get(tid) or rehearsal.runbook.tasks[tid]
        phase = (live.runbook.phase_of if tid in live.runbook.tasks else rehearsal.runbook.phase_of)[tid]
        rp, lp = r_state.get(tid), l_state.get(tid)
        r_actual = _actual(rp)
        lines.append(
            TaskLine(
                task=tid, phase=phase, title=task.title,
                planned_s=live.runbook.tasks[tid].duration if tid in live.runbook.tasks else None,
                rehearsal_s=r_actual, live_s=_actual(lp),
                rehearsal_state=rp.state.value if rp else "not in runbook",
                live_state=lp.state.value if lp else "not in runbook",
                proposed_s=rule.propose(r_actual),
                failed_only_rehearsal=tuple(sorted(k for k in r_failed - l_failed if _task_of(k, r_checks) == tid)),
                failed_only_live=tuple(sorted(k for k in l_failed - r_failed if _task_of(k, l_checks) == tid)),
            )
        )  # fmt: skip
    checks = []
    for key in sorted(r_failed ^ l_failed):
        in_r, in_l = r_checks.get(key), l_checks.get(key)
        failing = in_r if key in r_failed else in_l
        assert failing is not None
        checks.append(
            CheckLine(
                key=key, task=failing[0], rehearsal=_worst(in_r[1]) if in_r else "not run",
                live=_worst(in_l[1]) if in_l else "not run", reason=failing[2],
            )
        )  # fmt: skip
    return Comparison(
        rehearsal=rehearsal, live=live, tasks=lines, checks=checks, rule=rule,
        rehearsal_elapsed_s=_elapsed(rehearsal.events, [p.finished_at for p in r_state.values() if p.finished_at]),
        live_elapsed_s=_elapsed(live.events, [p.finished_at for p in l_state.values() if p.finished_at]),
    )  # fmt: skip


def _task_of(key: str, checks: dict[str, tuple[str | None, list[str], str]]) -> str | None:
    return checks[key][0] if key in checks else key.partition("#")[0]


# -- reading the runs ----------------------------------------------------------------------------


def split_ref(ref: str, default_db: Path) -> tuple[Path, str]:
    """`RUN` (in the default database) or `DB:RUN`."""
    db, sep, run = ref.rpartition(":")
    if sep and db and run and Path(db).is_file():
        return Path(db), run
    return default_db, ref


def load_side(db: Path, ref: str) -> tuple[Side, str]:
    """A run read from a database, and its UUID; GoliveError for an unknown run or file."""
    with Repository.at(db).read() as tx:
        run = tx.find_run(ref)
        runbook = tx.runbook(run.sha256)
        rows = tx.rows(run.uuid)
    events = [journal.to_event(r) for r in rows]
    chain = journal.verify_rows(run.uuid, rows)
    if not chain.ok:
        raise GoliveError(f"{db}: run {run.name}: chain broken at event #{chain.broken_at}: {chain.reason}")
    return Side(label=run.name, mode=run.mode, runbook=runbook, events=events), run.uuid


def load_pair(rehearsal_ref: str, live_ref: str, default_db: Path) -> tuple[Side, Side]:
    (r_db, r_run), (l_db, l_run) = split_ref(rehearsal_ref, default_db), split_ref(live_ref, default_db)
    rehearsal, r_uuid = load_side(r_db, r_run)
    live, l_uuid = load_side(l_db, l_run)
    if r_uuid == l_uuid:
        raise GoliveError(f"{rehearsal_ref} and {live_ref} are the same run: compare two runs", exit_code=2)
    if rehearsal.runbook.runbook.id != live.runbook.runbook.id:
        raise GoliveError(
            f"{rehearsal.label} is of runbook {rehearsal.runbook.runbook.id} and {live.label} of "
            f"{live.runbook.runbook.id}: compare two runs of one runbook"
        )
    if r_db.resolve() != l_db.resolve():
        rehearsal = Side(f"{r_db}:{rehearsal.label}", rehearsal.mode, rehearsal.runbook, rehearsal.events)
        live = Side(f"{l_db}:{live.label}", live.mode, live.runbook, live.events)
    return rehearsal, live


# -- plain-text forms (the terminal table is drawn by the CLI) ------------------------------------------


def minutes(seconds: float | None, *, signed: bool = False) -> str:
    if seconds is None:
        return ""
    value = seconds / 60
    return f"{value:+.1f}" if signed else f"{value:.1f}"


def duration(seconds: float | None, *, signed: bool = False) -> str:
    if seconds is None:
        return "-"
    text = format_duration(seconds)
    return f"+{text}" if signed and seconds > 0 else text


CSV_COLUMNS = (
    "task", "phase", "title", "planned_min", "rehearsal_min", "live_min", "rehearsal_variance_min",
    "live_variance_min", "proposed_min", "rehearsal_state", "live_state", "checks_failed_only_rehearsal",
    "checks_failed_only_live",
)  # fmt: skip


def to_csv(comparison: Comparison) -> str:
    """One row per task; minutes as decimals; empty where a run has no actual."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for t in comparison.tasks:
        writer.writerow(
            [
                t.task, t.phase, t.title, minutes(t.planned_s), minutes(t.rehearsal_s), minutes(t.live_s),
                minutes(t.rehearsal_variance_s, signed=True), minutes(t.live_variance_s, signed=True),
                minutes(t.proposed_s), t.rehearsal_state, t.live_state,
                " ".join(t.failed_only_rehearsal), " ".join(t.failed_only_live),
            ]
        )  # fmt: skip
    return out.getvalue()


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(comparison: Comparison) -> str:
    """A Markdown page for a change record or a wiki."""
    c = comparison
    lines = [
        f"# Rehearsal vs live: {_md(c.live.runbook.runbook.title)}",
        "",
        f"- Rehearsal: {_md(c.rehearsal.label)} ({c.rehearsal.mode}), elapsed {duration(c.rehearsal_elapsed_s)}",
        f"- Live: {_md(c.live.label)} ({c.live.mode}), elapsed {duration(c.live_elapsed_s)}",
        f"- Rule: {c.rule.describe()}",
        "",
        "| task | planned | rehearsal | live | variance (reh.) | variance (live) | proposed | checks failed only in |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for t in c.tasks:
        only = "; ".join(
            part
            for part in (
                f"rehearsal: {' '.join(t.failed_only_rehearsal)}" if t.failed_only_rehearsal else "",
                f"live: {' '.join(t.failed_only_live)}" if t.failed_only_live else "",
            )
            if part
        )
        lines.append(
            f"| {_md(t.task)} | {duration(t.planned_s)} | {duration(t.rehearsal_s)} | {duration(t.live_s)} | "
            f"{duration(t.rehearsal_variance_s, signed=True)} | {duration(t.live_variance_s, signed=True)} | "
            f"{duration(t.proposed_s)} | {_md(only)} |"
        )
    lines += ["", "## Checks that failed in one run only", ""]
    if not c.checks:
        lines.append("None.")
    else:
        lines += ["| check | task | rehearsal | live | reason |", "|---|---|---|---|---|"]
        for k in c.checks:
            lines.append(f"| {_md(k.key)} | {_md(k.task or '')} | {k.rehearsal} | {k.live} | {_md(k.reason)} |")
    return "\n".join(lines) + "\n"
