"""Markdown for a change record: the go/no-go decisions, what was done, test results, the port map
as executed (when the runbook has one), exceptions, and whether backout was used.

Written to be pasted into a change ticket: a few short sections, plain tables, times in site
time (the runbook window's UTC offset, stated once at the top). Every piece of text that came from
a person or a device is escaped, so a note can never turn into a link, a heading or a table;
control and bidirectional-override characters are written as visible escapes (golive.safetext),
and a table cell a spreadsheet would run as a formula (a table pasted into Excel) starts with a
`'` (golive.formula).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from golive.export.model import ExportData, GateRow, NoteRow, duration_text
from golive.export.portmap import NEW_BUILD
from golive.formula import formula_safe
from golive.safetext import visible

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def esc(value: object) -> str:
    """Text as Markdown shows it literally, on one line."""
    return _SPECIAL.sub(r"\\\1", visible(" ".join(str(value).split())))


def _time(when: datetime | None) -> str:
    return "" if when is None else f"{when:%Y-%m-%d %H:%M}"


def _minutes(value: float | None, signed: bool = False) -> str:
    if value is None:
        return ""
    return f"{value:+.1f} min" if signed and value else f"{value:.1f} min"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(formula_safe(esc(c)) for c in row) + " |" for row in rows]
    return lines


def _bullet(n: NoteRow) -> str:
    task = f" {esc(n.task)}" if n.task else ""
    label = n.kind.replace("_", " ").upper()
    return f"- {_time(n.time)} **{label}**{task}: {esc(n.text)} — {esc(n.person)}"


def _gates(data: ExportData) -> list[str]:
    """The Go/No-Go box: each gate, where it stands, and who decided what, when, with what words."""
    out = ["", "## Go/No-Go", ""]
    if not data.gates:
        return [*out, "This runbook has no go/no-go gate."]
    for g in data.gates:
        out += [f"### Gate {esc(g.task.task)}: {esc(g.task.title)}", "", f"**{esc(g.verdict)}**" + (
            f" (needs {esc(', '.join(g.roles))})" if g.roles and "waiting" not in g.verdict else ""), ""]  # fmt: skip
        out += _decisions(g) if g.decisions else ["No sign-off, override or revocation recorded."]
        out.append("")
    return out[:-1]


def _decisions(g: GateRow) -> list[str]:
    return _table(
        ["Time", "Decision", "Person", "Role", "Comment or reason", "Approver", "In force"],
        (
            [_time(s.time), s.action, s.person, s.role, s.comment, s.approver,
             "" if s.in_force is None else "yes" if s.in_force else "no (revoked)"]
            for s in g.decisions
        ),
    )  # fmt: skip


def _portmap(data: ExportData) -> list[str]:
    """The port map as executed: problems first, critical jacks first within a result."""
    executed = data.portmap
    if executed is None:
        return []
    open_ = executed.critical_open
    held = ", ".join(f"{r.label} ({r.result})" for r in open_)
    out = ["", "## Port map as executed", "", f"{esc(executed.summary)}. Critical jacks not proven: "
           + (f"**{esc(held)}**." if held else "none."), ""]  # fmt: skip
    rows = []
    for r in executed.problems_first:
        j, c = r.jack, r.confirmed
        vlan = f"{r.expected_vlans or '–'} / {r.seen_vlan or '–'}" if r.expected_vlans or r.seen_vlan else ""
        confirmed = f"{c.by}, {_time(c.at)}: {c.reason}" if c else ""
        rows.append([
            f"{r.glyph} {r.result}", j.jack, "CRITICAL" if j.critical else "", j.endpoint or "", j.kind or "",
            r.old or NEW_BUILD, r.new, r.reason, "; ".join(r.seen), vlan, _time(r.checked_at),
            r.checked_by + (" (LAB)" if r.lab else ""), confirmed,
        ])  # fmt: skip
    out += _table(
        ["Result", "Jack", "Critical", "Endpoint", "Kind", "Old", "New", "Reason", "Where seen",
         "VLAN expected / seen", "Checked", "By", "Confirmed by hand"],
        rows,
    )  # fmt: skip
    return out


def render(data: ExportData) -> str:
    r, trust, stats = data.run, data.trust, data.stats
    states = stats.by_state
    out: list[str] = [f"# Cutover record: {esc(r.runbook_title)}", ""]
    if data.banner:
        out += [f"> **{esc(data.banner)}**", ""]
    worked = "not started"
    if stats.first_start is not None:
        elapsed, planned = duration_text(stats.elapsed_seconds), duration_text(stats.planned_seconds)
        worked = (
            f"{_time(stats.first_start)} to {_time(stats.last_finish)}, first start to last task event "
            f"({elapsed}; the plan takes {planned})"
        )
    out += _table(
        ["Item", "Value"],
        [
            ["Run", f"{r.name} ({r.mode_label})"],
            ["Runbook", f"{r.runbook_id} v{r.runbook_version} (sha256 {r.runbook_sha256[:12]})"],
            ["Change", r.change or "none given"],
            ["Site", r.site],
            ["Window", f"{_time(data.site(r.window_start))} to {_time(data.site(r.window_end))} (site time, "
                       f"UTC{data.site_offset()}; all times below)"],
            ["Worked", worked],
            ["Run closed", _time(data.site(r.closed_at)) if r.closed_at else "no: the run is still open"],
            ["Journal", f"{trust.events} events; chain head {trust.head_hash}; {trust.verdict}"],
            ["Names", "redacted to initials" if data.redacted else "as journaled"],
        ],
    )  # fmt: skip

    out += _gates(data)

    out += ["", "## What was done", ""]
    counts = [f"{states.get('done', 0)} of {stats.tasks} tasks done"]
    for s in ("skipped", "failed", "blocked", "in_progress"):
        if states.get(s):
            counts.append(f"{states[s]} {s.replace('_', ' ')}")
    not_started = states.get("pending", 0) + states.get("ready", 0)
    if not_started:
        counts.append(f"{not_started} not started")
    if stats.late:
        counts.append(f"{stats.late} late")
    if stats.tasks_not_run:
        counts.append(f"{_count(stats.tasks_not_run, 'task')} with checks NOT RUN ({stats.checks_not_run})")
    out += [", ".join(counts) + ".", ""]
    out += _table(
        ["Phase", "Task", "Title", "State", "Flags", "Planned", "Actual", "Variance", "Signed by"],
        (
            [t.phase, t.task, t.title, t.state, t.flags, _minutes(t.planned_minutes),
             _minutes(t.actual_minutes), _minutes(t.variance_minutes, signed=True), t.signed_by]
            for t in data.tasks
        ),
    )  # fmt: skip

    out += ["", "## Test results", ""]
    by = stats.checks_by_status
    not_run = (f" NOT RUN: {_count(stats.checks_not_run, 'check')} on tasks worked on or closed, no result at all."
               if stats.checks_not_run else "")  # fmt: skip
    lab = sum(t.checks_lab for t in data.tasks)
    if lab:
        not_run += f" {_count(lab, 'latest result')} came from the LAB (simulated devices), not the site."
    if not stats.checks:
        out.append("No checks were run." + not_run)
    else:
        out.append(
            f"{_count(stats.checks, 'check')}, latest result each: {by.get('pass', 0)} passed, "
            f"{by.get('fail', 0)} failed, {by.get('error', 0)} could not tell (error), "
            f"{by.get('simulated', 0)} simulated (rehearsal, no device); "
            f"{_count(stats.check_results, 'result')} with re-runs." + not_run
        )
        failed = data.failed_checks
        out.append("")
        if not failed:
            out.append("No check failed.")
        else:
            out += _table(
                ["Time", "Task", "Check", "Device", "Target", "Status", "Expected", "Observed", "Reason", "Now"],
                (
                    [_time(c.time), c.task, c.check, c.device, c.target, c.status.upper(), c.expected,
                     "" if c.passed_later else c.observed, "" if c.passed_later else c.reason,
                     "still failing" if c.latest else
                     f"passed on re-run at {_time(c.passed_later)}" if c.passed_later else "re-run later"]
                    for c in sorted(failed, key=lambda c: c.passed_later is not None)
                ),
            )  # fmt: skip

    out += _portmap(data)

    out += ["", "## Exceptions", ""]
    late = [t for t in data.tasks if t.late]
    if not data.exceptions and not late:
        out.append("None: no task was skipped, blocked, failed, overridden or late.")
    out += [f"- **LATE** {esc(t.task)} ({esc(t.title)}): {esc(t.late_reason)}" for t in late]
    out += [_bullet(n) for n in data.exceptions]

    if data.notes:
        out += ["", "## Notes", ""]
        out += [_bullet(n) for n in data.notes]

    out += ["", "## Backout", ""]
    if data.rollbacks:
        out.append("**Backout used: yes.**")
        for n in data.rollbacks:
            plan = data.runbook.rollback.get(n.plan)
            title = f" ({esc(plan.title)})" if plan is not None else ""
            out.append(f"- {_time(n.time)} plan {esc(n.plan)}{title}, started by {esc(n.person)}: {esc(n.text)}")
    else:
        out.append("**Backout used: no.**")

    out += [
        "",
        "---",
        f"Exported by golive at {_time(data.site(data.generated_at))} from run {esc(r.name)} ({r.mode_label}), "
        f"run id {r.uuid}. Chain head: `{trust.head_hash}`. Check an export of the journal with "
        "`golive verify FILE.jsonl`.",
        "",
    ]
    return "\n".join(out)


def write(data: ExportData, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(render(data))
