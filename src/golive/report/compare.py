"""Rehearsal against live: how long each task took in both, and what the plan should say next time.

A rehearsal exists to learn timings and catch errors before the night. This report puts the two
runs side by side per task (planned, actual in each, variance against the plan), lists the checks
that failed in one run and not the other (by their stable key `<task>#<n>`), and proposes planned
durations learned from the rehearsal by one published rule (`ProposalRule`), so the PM can update
the runbook with numbers rather than hopes.

Actual durations come from the folded journal: from a task's first start to the sign-off that
completed it. Only tasks that ended done count; a task with no actual says why in a word of its
own (skipped, blocked, failed, in progress, not reached). A rehearsal actual far below the plan
(under `ProposalRule.min_fraction` of it: a task clicked through, not worked) is flagged, never
proposed. The runs must be given rehearsal first: swapped, they are swapped back and the report
says so; two live runs are refused (nothing to learn a plan from). Times of day are in site time
(golive.runbook.clock), the zone named.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from golive.problems import GoliveError
from golive.progress.events import Event, Kind
from golive.progress.payloads import Checked
from golive.progress.state import TaskProgress, TaskState, fold
from golive.runbook.clock import site_time, zone_name
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
    min_fraction: float = 0.25  # a rehearsal actual under this share of the plan is flagged, not proposed

    def too_fast(self, actual_s: float | None, planned_s: float | None) -> bool:
        """A rehearsal actual too short to learn from (a task clicked through, not worked)."""
        return actual_s is not None and bool(planned_s) and actual_s < self.min_fraction * (planned_s or 0)

    def propose(self, actual_s: float | None, planned_s: float | None = None) -> int | None:
        if actual_s is None or self.too_fast(actual_s, planned_s):
            return None
        padded = actual_s * (1 + self.margin)
        return max(self.floor_s, math.ceil(padded / self.step_s - 1e-9) * self.step_s)

    def describe(self) -> str:
        return (
            f"proposed = rehearsal actual + {self.margin * 100:g}%, rounded up to {format_duration(self.step_s)}, "
            f"at least {format_duration(self.floor_s)}; tasks not done in the rehearsal, or done in under "
            f"{self.min_fraction * 100:g}% of their plan (too fast to learn from), keep their plan"
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

    too_fast: bool = False  # the rehearsal actual is under the rule's share of the plan

    @property
    def rehearsal_word(self) -> str:
        return _word(self.rehearsal_s, self.rehearsal_state)

    @property
    def live_word(self) -> str:
        return _word(self.live_s, self.live_state)

    @property
    def flag(self) -> str:
        if not self.too_fast or self.rehearsal_s is None or not self.planned_s:
            return ""
        return f"TOO FAST: {self.rehearsal_s / self.planned_s:.0%} of plan in rehearsal, not proposed"

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
class Totals:
    """One run's totals: the plan, the actuals of the tasks done, and how many tasks ended how."""

    planned_s: int
    actual_s: float
    done: int
    states: dict[str, int]  # word -> tasks (done, skipped, blocked, failed, in progress, not reached)
    first_start: datetime | None  # site time

    def text(self) -> str:
        return ", ".join(f"{n} {word}" for word, n in self.states.items())


@dataclass(frozen=True)
class Comparison:
    rehearsal: Side
    live: Side
    tasks: list[TaskLine]
    checks: list[CheckLine]
    rule: ProposalRule
    rehearsal_elapsed_s: float | None
    live_elapsed_s: float | None
    rehearsal_totals: Totals | None = None
    live_totals: Totals | None = None
    notice: str = ""  # said at the top: e.g. that the runs were given swapped
    zone: str = ""  # the site's clock of the times of day shown


_WORDS = {"skipped": "skipped", "blocked": "blocked", "failed": "failed", "in_progress": "in progress",
          "pending": "not reached", "ready": "not reached", "not in runbook": "not in runbook"}  # fmt: skip


def _word(actual_s: float | None, state: str) -> str:
    """A duration when the task was done, else why there is none, in a word of its own."""
    return duration(actual_s) if actual_s is not None else _WORDS.get(state, state.replace("_", " "))


def _totals(lines: list[TaskLine], live: bool, first: datetime | None, zone_of: datetime) -> Totals:
    states: dict[str, int] = {}
    for t in lines:
        state = t.live_state if live else t.rehearsal_state
        word = "done" if state == "done" else _WORDS.get(state, state)
        states[word] = states.get(word, 0) + 1
    actuals = [t.live_s if live else t.rehearsal_s for t in lines]
    return Totals(
        planned_s=sum(t.planned_s or 0 for t in lines), actual_s=sum(a for a in actuals if a is not None),
        done=states.get("done", 0), states=states,
        first_start=None if first is None else site_time(first, zone_of),
    )  # fmt: skip


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


def compare(rehearsal: Side, live: Side, rule: ProposalRule, notice: str = "") -> Comparison:
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
        planned = live.runbook.tasks[tid].duration if tid in live.runbook.tasks else None
        lines.append(
            TaskLine(
                task=tid, phase=phase, title=task.title,
                planned_s=planned,
                rehearsal_s=r_actual, live_s=_actual(lp),
                rehearsal_state=rp.state.value if rp else "not in runbook",
                live_state=lp.state.value if lp else "not in runbook",
                proposed_s=rule.propose(r_actual, planned), too_fast=rule.too_fast(r_actual, planned),
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
    window = live.runbook.runbook.window.start
    return Comparison(
        rehearsal=rehearsal, live=live, tasks=lines, checks=checks, rule=rule,
        rehearsal_elapsed_s=_elapsed(rehearsal.events, [p.finished_at for p in r_state.values() if p.finished_at]),
        live_elapsed_s=_elapsed(live.events, [p.finished_at for p in l_state.values() if p.finished_at]),
        rehearsal_totals=_totals(lines, False, _first_start(rehearsal.events), window),
        live_totals=_totals(lines, True, _first_start(live.events), window),
        notice=notice, zone=zone_name(window),
    )  # fmt: skip


def _first_start(events: Sequence[Event]) -> datetime | None:
    return min((e.ts for e in events if e.kind is Kind.STARTED), default=None)


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


def load_pair(rehearsal_ref: str, live_ref: str, default_db: Path) -> tuple[Side, Side, str]:
    """The rehearsal and the live run, and a notice to print (the runs were given swapped), or ''."""
    (r_db, r_run), (l_db, l_run) = split_ref(rehearsal_ref, default_db), split_ref(live_ref, default_db)
    rehearsal, r_uuid = load_side(r_db, r_run)
    live, l_uuid = load_side(l_db, l_run)
    if r_uuid == l_uuid:
        raise GoliveError(f"{rehearsal_ref} and {live_ref} are the same run: compare two runs", exit_code=2)
    notice = ""
    if rehearsal.mode == "live" and live.mode == "rehearsal":
        notice = (f"{rehearsal.label} is the LIVE run and {live.label} the rehearsal: compared the other way "
                  "round (--compare REHEARSAL LIVE)")  # fmt: skip
        rehearsal, live, r_db, l_db = live, rehearsal, l_db, r_db
    elif rehearsal.mode == "live":
        raise GoliveError(
            f"{rehearsal.label} and {live.label} are both LIVE runs: durations are learned from a rehearsal "
            "(--compare REHEARSAL LIVE)", exit_code=2,
        )  # fmt: skip
    if rehearsal.runbook.runbook.id != live.runbook.runbook.id:
        raise GoliveError(
            f"{rehearsal.label} is of runbook {rehearsal.runbook.runbook.id} and {live.label} of "
            f"{live.runbook.runbook.id}: compare two runs of one runbook"
        )
    if r_db.resolve() != l_db.resolve():
        rehearsal = Side(f"{r_db}:{rehearsal.label}", rehearsal.mode, rehearsal.runbook, rehearsal.events)
        live = Side(f"{l_db}:{live.label}", live.mode, live.runbook, live.events)
    return rehearsal, live, notice


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
    "checks_failed_only_live", "flag",
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
                " ".join(t.failed_only_rehearsal), " ".join(t.failed_only_live), t.flag,
            ]
        )  # fmt: skip
    return out.getvalue()


def run_summary(totals: Totals | None) -> str:
    """`started 2026-11-28 14:05, 3 done, 1 in progress`: one run's totals in words."""
    if totals is None:
        return ""
    started = f"started {totals.first_start:%Y-%m-%d %H:%M}" if totals.first_start else "never started"
    return f"{started}, {totals.text()}"


def to_document(c: Comparison) -> dict[str, Any]:
    """`golive report --compare ... --json`: the comparison as one JSON document (keys in the README)."""

    def totals(t: Totals | None) -> dict[str, Any] | None:
        return None if t is None else {
            "planned_seconds": t.planned_s, "actual_seconds": t.actual_s, "done": t.done, "tasks": t.states,
            "first_start": t.first_start.isoformat(timespec="seconds") if t.first_start else None,
        }  # fmt: skip

    return {
        "rehearsal": {"run": c.rehearsal.label, "mode": c.rehearsal.mode, "elapsed_seconds": c.rehearsal_elapsed_s,
                      "totals": totals(c.rehearsal_totals)},
        "live": {"run": c.live.label, "mode": c.live.mode, "elapsed_seconds": c.live_elapsed_s,
                 "totals": totals(c.live_totals)},
        "notice": c.notice or None,
        "zone": c.zone,
        "rule": c.rule.describe(),
        "tasks": [
            {"task": t.task, "phase": t.phase, "title": t.title, "planned_seconds": t.planned_s,
             "rehearsal_seconds": t.rehearsal_s, "live_seconds": t.live_s, "rehearsal": t.rehearsal_word,
             "live": t.live_word, "proposed_seconds": t.proposed_s, "too_fast": t.too_fast,
             "checks_failed_only_rehearsal": list(t.failed_only_rehearsal),
             "checks_failed_only_live": list(t.failed_only_live)}
            for t in c.tasks
        ],
        "checks": [{"check": k.key, "task": k.task, "rehearsal": k.rehearsal, "live": k.live, "reason": k.reason}
                   for k in c.checks],
    }  # fmt: skip


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(comparison: Comparison) -> str:
    """A Markdown page for a change record or a wiki."""
    c = comparison
    lines = [
        f"# Rehearsal vs live: {_md(c.live.runbook.runbook.title)}",
        "",
        *([f"> **Note:** {_md(c.notice)}", ""] if c.notice else []),
        f"- Rehearsal: {_md(c.rehearsal.label)} ({c.rehearsal.mode}), {run_summary(c.rehearsal_totals)}, "
        f"elapsed {duration(c.rehearsal_elapsed_s)}",
        f"- Live: {_md(c.live.label)} ({c.live.mode}), {run_summary(c.live_totals)}, "
        f"elapsed {duration(c.live_elapsed_s)}",
        f"- Times of day in site time, {c.zone}",
        f"- Rule: {c.rule.describe()}",
        "",
        "| task | planned | rehearsal | live | variance (reh.) | variance (live) | proposed | checks failed only in "
        "| flag |",
        "|---|---|---|---|---|---|---|---|---|",
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
            f"| {_md(t.task)} | {duration(t.planned_s)} | {t.rehearsal_word} | {t.live_word} | "
            f"{duration(t.rehearsal_variance_s, signed=True)} | {duration(t.live_variance_s, signed=True)} | "
            f"{duration(t.proposed_s)} | {_md(only)} | {t.flag} |"
        )
    r, live = c.rehearsal_totals, c.live_totals
    if r is not None and live is not None:
        lines.append(
            f"| **total** | {duration(r.planned_s)} | {duration(r.actual_s)} ({r.done} done) | "
            f"{duration(live.actual_s)} ({live.done} done) |  |  |  |  |  |"
        )
    lines += ["", "## Checks that failed in one run only", ""]
    if not c.checks:
        lines.append("None.")
    else:
        lines += ["| check | task | rehearsal | live | reason |", "|---|---|---|---|---|"]
        for k in c.checks:
            lines.append(f"| {_md(k.key)} | {_md(k.task or '')} | {k.rehearsal} | {k.live} | {_md(k.reason)} |")
    return "\n".join(lines) + "\n"
