"""HTML: one self-contained page for leadership, that reads well on screen and prints cleanly to PDF.

Everything is inline: the CSS in a <style> element, the charts as inline SVG drawn here. There is
no script, no font, no image, no link to anything: a Content-Security-Policy meta tag forbids the
browser to fetch anything at all, so the page looks the same offline, in a mail attachment, and
years later. Sections: the run and its chain head, key figures, a planned-vs-actual timeline per
task, a variance chart, the tasks, the port map as executed (when the runbook has one: problems
first, critical jacks first within a result), failed checks with their evidence, exceptions and
notes, whether backout was used, and the sign-off table. `@media print` rules give A4 pages with table
headers repeated and no row cut in half.

Meaning never rests on colour alone: every coloured bar or row also says what it means in words
(LATE, FAILED, +12.0 min ...). Every string from a person or a device is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from golive.export.model import ExportData, NoteRow, TaskRow, duration_text
from golive.export.portmap import NEW_BUILD, JackRow
from golive.progress.jacks import JackState
from golive.safetext import visible

EVIDENCE_SHOWN = 4000
STATE_COLOUR = {
    "done": "#2e7d32", "in_progress": "#1565c0", "skipped": "#9e9e9e", "failed": "#c62828",
    "blocked": "#ef6c00", "ready": "#90a4ae", "pending": "#90a4ae",
}  # fmt: skip

CSS = """
:root { --ink: #1d2329; --muted: #5b6670; --line: #d5dbe1; --red: #c62828; --redbg: #fbe3e1;
        --amber: #8a5a00; --amberbg: #fdf0cc; --green: #2e7d32; --blue: #1565c0; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink);
       margin: 0 auto; padding: 24px 28px 40px; max-width: 1180px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line);
     break-after: avoid; page-break-after: avoid; }
.sub { color: var(--muted); margin: 0 0 14px; }
.mode { display: inline-block; font-weight: 700; letter-spacing: .06em; padding: 1px 8px; border-radius: 4px;
        color: #fff; margin-right: 6px; }
.mode-live { background: var(--red); }
.mode-rehearsal { background: var(--blue); }
.banner { border: 3px solid var(--red); background: var(--redbg); color: #7f0000; padding: 12px 16px;
          margin: 0 0 18px; font-size: 16px; font-weight: 700; }
.note { border-left: 4px solid var(--line); padding: 4px 10px; color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
code, .hash { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; word-break: break-all; }
.ok { color: var(--green); font-weight: 700; }
.bad { color: var(--red); font-weight: 700; }
.cards { display: grid; grid-template-columns: repeat(6, 1fr); gap: 10px; margin: 18px 0 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; break-inside: avoid; }
.card b { display: block; font-size: 22px; }
.card span { color: var(--muted); font-size: 12.5px; }
.card.warn { border-color: var(--red); background: var(--redbg); }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #eef2f6; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.fail td { background: var(--redbg); }
tr.late td { background: var(--amberbg); }
.flag { font-weight: 700; color: #7f0000; }
tr.late .flag { color: var(--amber); }
svg { display: block; width: 100%; height: auto; }
svg text { font-family: system-ui, "DejaVu Sans", sans-serif; }
.legend { color: var(--muted); font-size: 12.5px; margin: 6px 0 0; }
.swatch { display: inline-block; width: 14px; height: 9px; vertical-align: middle; margin: 0 4px 0 10px;
          border: 1px solid #0003; }
.check { border: 1px solid var(--line); border-left: 5px solid var(--red); padding: 8px 12px; margin: 0 0 10px;
         break-inside: avoid; page-break-inside: avoid; }
.check h3 { font-size: 14px; margin: 0 0 4px; }
.check dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 6px; font-size: 12.5px; }
.check dt { color: var(--muted); }
.check dd { margin: 0; }
pre { background: #f5f7f9; border: 1px solid var(--line); padding: 6px 8px; margin: 0; font-size: 11.5px;
      white-space: pre-wrap; word-break: break-all; max-height: 28em; overflow: auto; }
ul.events { padding-left: 18px; }
ul.events li { margin: 2px 0; }
footer { margin-top: 30px; padding-top: 8px; border-top: 2px solid var(--line); color: var(--muted);
         font-size: 12.5px; }
@page { size: A4; margin: 12mm 10mm 14mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 10pt; }
  h2 { margin-top: 18px; }
  .cards { grid-template-columns: repeat(3, 1fr); }
  pre { max-height: none; overflow: visible; font-size: 8pt; }
  table { font-size: 8.5pt; }
  th, td { padding: 3px 4px; }
  section.chart { break-inside: auto; }
}
"""


def esc(value: object) -> str:
    """Text from runbooks, devices and people as HTML text: markup escaped, and control and bidi
    characters shown as escapes (a right-to-left override would reorder the page as a reader sees it)."""
    return html.escape(visible(value, multiline=True), quote=True)


def _time(when: datetime | None, with_date: bool = True) -> str:
    if when is None:
        return ""
    return f"{when:%Y-%m-%d %H:%M}" if with_date else f"{when:%H:%M}"


def _minutes(value: float | None, signed: bool = False) -> str:
    if value is None:
        return ""
    return f"{value:+.1f} min" if signed and value else f"{value:.1f} min"


def _table(headers: Sequence[str], rows: Iterable[tuple[str, Sequence[str]]], numeric: Sequence[int] = ()) -> str:
    """Rows are (css class, already-escaped cells)."""
    head = "".join(f"<th{' class=num' if i in numeric else ''}>{esc(h)}</th>" for i, h in enumerate(headers))
    body = []
    for css, cells in rows:
        tds = "".join(f"<td{' class=num' if i in numeric else ''}>{c}</td>" for i, c in enumerate(cells))
        body.append(f"<tr{f' class={css}' if css else ''}>{tds}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


# -- charts ---------------------------------------------------------------------------------

WIDTH = 1000
LABEL = 240
RIGHT = 16
ROW = 24
PHASE_ROW = 22


def _tick_minutes(span_minutes: float) -> int:
    for step in (5, 10, 15, 30, 60, 120, 240, 480, 720, 1440):
        if span_minutes / step <= 10:
            return step
    return 2880


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def timeline_svg(data: ExportData) -> str:
    tasks = data.tasks
    now = data.site(data.as_of)
    assert now is not None
    points = [t for r in tasks for t in (r.planned_start, r.planned_end, r.actual_start, r.actual_end) if t is not None]
    if any(r.actual_start is not None and r.actual_end is None for r in tasks):
        points.append(now)
    if not points:
        return '<p class="note">Nothing to draw: no task has a planned or actual time.</p>'
    t0, t1 = min(points), max(points)
    if (t1 - t0).total_seconds() < 600:
        t1 = t0 + timedelta(minutes=10)
    span = (t1 - t0).total_seconds()
    area = WIDTH - LABEL - RIGHT

    def x(when: datetime) -> float:
        return LABEL + area * (when - t0).total_seconds() / span

    phases = list(dict.fromkeys(r.phase for r in tasks))
    height = 34 + len(tasks) * ROW + len(phases) * PHASE_ROW + 8
    out = [
        f'<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-label="Planned and actual times per task">',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#fff"/>',
    ]
    step = _tick_minutes(span / 60)
    tick = t0.replace(minute=0, second=0, microsecond=0)
    dated = step >= 1440  # ticks a day or more apart: every label needs its date
    labelled = False
    while tick <= t1:
        if tick >= t0:
            tx = x(tick)
            out.append(f'<line x1="{tx:.1f}" y1="24" x2="{tx:.1f}" y2="{height - 4}" stroke="#e3e8ed"/>')
            with_date = dated or not labelled or (tick.hour == 0 and tick.minute == 0)
            label = f"{tick:%Y-%m-%d}" if dated else _time(tick, with_date)
            out.append(f'<text x="{tx:.1f}" y="16" font-size="11" text-anchor="middle" fill="#5b6670">{label}</text>')
            labelled = True
        tick += timedelta(minutes=step)
    y = 30
    current_phase = None
    for r in tasks:
        if r.phase != current_phase:
            current_phase = r.phase
            out.append(
                f'<text x="4" y="{y + 15}" font-size="12.5" font-weight="700" fill="#1d2329">'
                f"{esc(_short(r.phase_title, 60))}</text>"
            )
            y += PHASE_ROW
        out.append(_task_row(r, y, x, now))
        y += ROW
    if data.run.closed_at is None:
        nx = x(now)
        out.append(
            f'<line x1="{nx:.1f}" y1="24" x2="{nx:.1f}" y2="{height - 4}" stroke="#1565c0" stroke-dasharray="4 3"/>'
            f'<text x="{nx + 3:.1f}" y="{height - 6}" font-size="11" fill="#1565c0">as of {_time(now, False)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _task_row(r: TaskRow, y: int, x: Callable[[datetime], float], now: datetime) -> str:
    parts = [f'<text x="14" y="{y + 15}" font-size="12" fill="#1d2329">{esc(_short(r.task))}</text>']
    if r.planned_start is not None and r.planned_end is not None:
        px, pw = x(r.planned_start), max(2.0, x(r.planned_end) - x(r.planned_start))
        parts.append(
            f'<rect x="{px:.1f}" y="{y + 3}" width="{pw:.1f}" height="7" fill="#cfd8dc" stroke="#90a4ae" '
            'stroke-width="0.8"/>'
        )
    if r.actual_start is not None:
        end = r.actual_end or now
        ax, aw = x(r.actual_start), max(2.0, x(end) - x(r.actual_start))
        colour = "#d84315" if r.late and r.state == "done" else STATE_COLOUR.get(r.state, "#607d8b")
        parts.append(f'<rect x="{ax:.1f}" y="{y + 11}" width="{aw:.1f}" height="9" fill="{colour}"/>')
        worked = ((r.actual_end or now) - r.actual_start).total_seconds() / 60
        words = [_minutes(worked)]
        if r.variance_minutes is not None:
            words.append(f"({r.variance_minutes:+.1f})" if r.variance_minutes else "(on plan)")
        elif r.state == "in_progress":
            words.append("so far")
        if r.late:
            words.append("LATE")
        if r.state in ("failed", "blocked", "skipped"):
            words.append(r.state.upper())
        label = esc(" ".join(words))
        if ax + aw > WIDTH - RIGHT - 150:  # no room on the right: write it before the bar
            tx, anchor = ax - 4, "end"
        else:
            tx, anchor = ax + aw + 4, "start"
        parts.append(
            f'<text x="{tx:.1f}" y="{y + 19}" font-size="10.5" text-anchor="{anchor}" fill="#1d2329">{label}</text>'
        )
    elif r.state == "skipped":
        parts.append(f'<text x="{LABEL + 4}" y="{y + 19}" font-size="10.5" fill="#5b6670">SKIPPED</text>')
    return "".join(parts)


def variance_svg(data: ExportData) -> str:
    rows = [t for t in data.tasks if t.variance_minutes is not None]
    if not rows:
        return '<p class="note">No task is done yet: there is no actual duration to hold against the plan.</p>'
    biggest = max([1.0, *(abs(t.variance_minutes or 0.0) for t in rows)])
    area = WIDTH - LABEL - RIGHT
    half = (area - 240) / 2  # room for the value labels either side
    zero = LABEL + 120 + half
    height = 14 + len(rows) * 20 + 8
    out = [
        f'<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-label="Actual minus planned minutes per task">',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#fff"/>',
        f'<line x1="{zero:.1f}" y1="4" x2="{zero:.1f}" y2="{height - 4}" stroke="#5b6670"/>',
    ]
    y = 10
    for t in rows:
        v = t.variance_minutes or 0.0
        w = half * abs(v) / biggest
        over = v > 0
        bx = zero if over else zero - w
        colour = "#d84315" if over else "#2e7d32"
        out.append(f'<text x="4" y="{y + 13}" font-size="12" fill="#1d2329">{esc(_short(t.task))}</text>')
        out.append(f'<rect x="{bx:.1f}" y="{y + 3}" width="{max(w, 1.0):.1f}" height="12" fill="{colour}"/>')
        label = esc(f"{v:+.1f} min over" if over else f"{v:+.1f} min under" if v < 0 else "on plan")
        tx, anchor = (zero + w + 4, "start") if over else (zero - w - 4, "end")
        out.append(
            f'<text x="{tx:.1f}" y="{y + 13}" font-size="10.5" text-anchor="{anchor}" fill="#1d2329">{label}</text>'
        )
        y += 20
    out.append("</svg>")
    return "".join(out)


# -- sections -------------------------------------------------------------------------------


def _header(data: ExportData) -> str:
    r, trust, stats = data.run, data.trust, data.stats
    chain = (
        '<span class="ok">✔ verified</span>'
        if trust.ok
        else f'<span class="bad">✘ DOES NOT VERIFY</span>: {esc("; ".join(trust.problems))}'
    )
    worked = "not started"
    if stats.first_start is not None:
        worked = f"{_time(stats.first_start)} to {_time(stats.last_finish)} (first start to last task event)"
    facts = [
        ("Run", f"{esc(r.name)} <code>{esc(r.uuid)}</code>"),
        ("Runbook", f"{esc(r.runbook_id)} v{esc(r.runbook_version)} <code>sha256 {esc(r.runbook_sha256[:16])}…</code>"),
        ("Change", esc(r.change or "none given")),
        ("Site", esc(r.site)),
        ("Window", f"{_time(data.site(r.window_start))} to {_time(data.site(r.window_end))} "
                   f"(site time, UTC{esc(data.site_offset())}: every time in this report)"),
        ("Worked", esc(worked)),
        ("Run closed", esc(_time(data.site(r.closed_at)) if r.closed_at else "no: the run is still open")),
        ("Journal", f"{trust.events} events, {chain}"),
        ("Chain head", f'<span class="hash">#{trust.head_seq} {esc(trust.head_hash)}</span>'),
        ("Names", "redacted: people are shown by their initials" if data.redacted else "as journaled"),
    ]  # fmt: skip
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in facts)
    mode_css = "mode-live" if r.mode == "live" else "mode-rehearsal"
    return (
        f"<header><h1>{esc(r.runbook_title)}</h1>"
        f'<p class="sub"><span class="mode {mode_css}">{esc(r.mode_label)}</span>cutover report · run {esc(r.name)}'
        f'{" · " + esc(r.change) if r.change else ""}</p><dl class="facts">{dl}</dl></header>'
    )


def _cards(data: ExportData) -> str:
    stats = data.stats
    states, by = stats.by_state, stats.checks_by_status
    failed_checks = by.get("fail", 0) + by.get("error", 0)
    elapsed = duration_text(stats.elapsed_seconds) or "—"
    cards = [
        (f"{states.get('done', 0)}/{stats.tasks}", "tasks done", False),
        (str(stats.late), "late", stats.late > 0),
        (f"{by.get('pass', 0)}/{stats.checks}", "checks passed", False),
        (str(failed_checks), "checks failed or in error", failed_checks > 0),
        (str(stats.overrides), "overrides", False),
        (str(stats.checks_not_run), "checks not run (tasks worked on)", stats.checks_not_run > 0),
        ("YES" if stats.rollbacks else "no", "backout used", stats.rollbacks > 0),
        (elapsed, f"worked (planned {duration_text(stats.planned_seconds)})", False),
        (str(states.get("skipped", 0)), "skipped", False),
        (str(states.get("failed", 0) + states.get("blocked", 0)), "failed or blocked", bool(
            states.get("failed", 0) + states.get("blocked", 0))),
    ]  # fmt: skip
    executed = data.portmap
    if executed is not None:  # two more: twelve fill the grid's two rows
        proven = sum(r.state in (JackState.BACK, JackState.CONFIRMED) for r in executed.rows)
        wrong = sum(r.problem for r in executed.rows)
        cards += [
            (f"{proven}/{len(executed.rows)}", "jacks back or confirmed", bool(executed.critical_open)),
            (str(wrong), "jacks misplugged or wrong", wrong > 0),
        ]
    return (
        '<section class="cards">'
        + "".join(
            f'<div class="card{" warn" if warn else ""}"><b>{esc(v)}</b><span>{esc(label)}</span></div>'
            for v, label, warn in cards
        )
        + "</section>"
    )


def _tasks_table(data: ExportData) -> str:
    rows = []
    for t in data.tasks:
        red = t.state in ("failed", "blocked") or (t.checks_failed and not t.overridden)
        css = "fail" if red else "late" if (t.late or t.state == "skipped") else ""
        checks = f"{t.checks_passed} passed" + (f", {t.checks_failed} failed" if t.checks_failed else "")
        if t.checks_simulated:
            checks += f", {t.checks_simulated} simulated"
        if t.checks_lab:
            checks += f", {t.checks_lab} in the LAB"
        if t.unchecked:
            checks += f", {t.checks_not_run} NOT RUN"
            css = css or "late"
        rows.append((css, [
            esc(t.phase), f"<b>{esc(t.task)}</b><br>{esc(t.title)}", esc(t.state.replace("_", " ")),
            f'<span class="flag">{esc(t.flags)}</span>', esc(_minutes(t.planned_minutes)),
            esc(_time(t.actual_start, False)), esc(_time(t.actual_end, False)), esc(_minutes(t.actual_minutes)),
            esc(_minutes(t.variance_minutes, signed=True)), esc(t.signed_by), esc(checks) if t.checks_passed or
            t.checks_failed or t.checks_simulated or t.unchecked else "",
        ]))  # fmt: skip
    return _table(
        ["Phase", "Task", "State", "Flags", "Planned", "Start", "End", "Actual", "Variance", "Signed by", "Checks"],
        rows, numeric=(4, 7, 8),
    )  # fmt: skip


def _failed_checks(data: ExportData) -> str:
    failed = data.failed_checks
    if not data.stats.check_results:
        return '<p class="note">No checks were run.</p>'
    if not failed:
        return '<p class="note">No check failed.</p>'
    out = []
    for c in sorted(failed, key=lambda c: c.passed_later is not None):  # still failing first
        if c.passed_later is not None:  # a passed re-run collapses the old failure to one line
            out.append(
                f'<details class="check"><summary><span class="flag">{esc(c.status.upper())}</span> '
                f"{esc(c.check)} · task {esc(c.task)} at {esc(_time(c.time))}: passed on re-run at "
                f"{esc(_time(c.passed_later))}</summary><p>{esc(c.reason)}</p></details>"
            )
            continue
        evidence = c.evidence
        cut = ""
        if len(evidence) > EVIDENCE_SHOWN:
            cut = f"\n[... {len(evidence) - EVIDENCE_SHOWN} more characters in the xlsx and jsonl exports]"
            evidence = evidence[:EVIDENCE_SHOWN]
        facts = [
            ("When", _time(c.time)), ("Device", c.device), ("Target", c.target), ("Expected", c.expected),
            ("Observed", c.observed), ("Reason", c.reason), ("Failed ports", c.failed_ports), ("Run by", c.by),
            ("Now", "still failing (latest result)" if c.latest else "re-run later: see the later result"),
        ]  # fmt: skip
        dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts if v)
        out.append(
            f'<div class="check"><h3><span class="flag">{esc(c.status.upper())}</span> {esc(c.check)} · '
            f"{esc(c.kind)} · task {esc(c.task)} ({esc(c.task_title)})</h3><dl>{dl}</dl>"
            + (f"<pre>{esc(evidence + cut)}</pre>" if evidence else "")
            + "</div>"
        )
    return "".join(out)


def _portmap(data: ExportData) -> str:
    """The port map as executed: problems first, critical jacks first within a result, one glyph and word each."""
    executed = data.portmap
    if executed is None:
        return ""
    open_ = ", ".join(r.label + " (" + r.result + ")" for r in executed.critical_open)
    held = '<p class="ok">Every critical jack is back or confirmed by hand.</p>'
    if open_:
        held = '<p class="bad">Critical jacks not proven: ' + esc(open_) + "</p>"
    rows = [_jack_row(r) for r in executed.problems_first]
    table = _table(["Result", "Jack", "Old → new", "Reason", "VLAN expected / seen", "Checked", "Before"], rows)
    return f"<p><b>{esc(executed.summary)}</b></p>{held}{table}"


def _jack_row(r: JackRow) -> tuple[str, list[str]]:
    j, c = r.jack, r.confirmed
    css = "fail" if r.problem else "late" if r.state is None or r.state is JackState.NOT_SEEN else ""
    where = "; ".join(r.seen)
    reason = esc(r.reason) + (f"<br>seen: {esc(where)}" if where and r.problem else "")
    checked = f"{esc(_time(r.checked_at))}<br>{esc(r.checked_by)}" if r.checked_at else ""
    checked += " <b>LAB</b>" if r.lab else ""
    if c is not None:
        checked += f"<br><b>confirmed by hand</b> by {esc(c.by)} at {esc(_time(c.at))}: {esc(c.reason)}"
    before = [x for x in (r.before_macs, r.before_neighbor, r.before_poe) if x]
    if r.before_vlan is not None:
        voice = f", voice {r.before_voice_vlan}" if r.before_voice_vlan is not None else ""
        before.insert(0, f"VLAN {r.before_vlan}{voice}")
    critical = " <span class=flag>CRITICAL</span>" if j.critical else ""
    kind = f" ({esc(j.kind)})" if j.kind else ""
    return css, [
        f"<span class={'ok' if r.state in (JackState.BACK, JackState.CONFIRMED) else 'flag'}>"
        f"{esc(r.glyph)} {esc(r.result)}</span>",
        f"<b>{esc(j.jack)}</b>{critical}<br>{esc(j.endpoint or '')}{kind}",
        f"{esc(r.old or NEW_BUILD)}<br>→ {esc(r.new)}",
        reason,
        f"{esc(r.expected_vlans or '–')} / {esc(r.seen_vlan or '–')}",
        checked,
        "<br>".join(esc(x) for x in before),
    ]


def _lines(rows: Sequence[NoteRow], late: Sequence[TaskRow] = ()) -> str:
    items = [
        f'<li><span class="flag">LATE</span> <b>{esc(t.task)}</b> ({esc(t.title)}): {esc(t.late_reason)}</li>'
        for t in late
    ]
    items += [
        f'<li>{esc(_time(n.time))} <span class="flag">{esc(n.kind.replace("_", " ").upper())}</span> '
        f"{'<b>' + esc(n.task) + '</b> ' if n.task else ''}{esc(n.text)} — {esc(n.person)}</li>"
        for n in rows
    ]
    return f'<ul class="events">{"".join(items)}</ul>'


def _backout(data: ExportData) -> str:
    if not data.rollbacks:
        return "<p><b>Backout used: no.</b></p>"
    items = []
    for n in data.rollbacks:
        plan = data.runbook.rollback.get(n.plan)
        steps = "".join(f"<li>{esc(s.title)} ({duration_text(s.duration)})</li>" for s in plan.steps) if plan else ""
        items.append(
            f"<li>{esc(_time(n.time))} plan <b>{esc(n.plan)}</b>{' (' + esc(plan.title) + ')' if plan else ''}: "
            f"{esc(n.text)} — {esc(n.person)}{'<ol>' + steps + '</ol>' if steps else ''}</li>"
        )
    return f'<p class="bad">Backout used: YES.</p><ul class="events">{"".join(items)}</ul>'


def _signoffs(data: ExportData) -> str:
    if not data.signoffs:
        return '<p class="note">No sign-offs.</p>'
    rows = []
    for s in data.signoffs:
        css = "late" if s.action != "signed off" else ""
        in_force = "" if s.in_force is None else "yes" if s.in_force else "no (revoked)"
        rows.append((css, [
            esc(_time(s.time)), f"<b>{esc(s.task)}</b><br>{esc(s.task_title)}",
            f'<span class="flag">{esc(s.action.upper())}</span>' if s.action != "signed off" else esc(s.action),
            esc(s.person), esc(s.role), esc(s.comment), esc(s.approver), esc(in_force),
        ]))  # fmt: skip
    return _table(["Time", "Task", "Action", "Person", "Role", "Comment or reason", "Approver", "In force"], rows)


def _gates(data: ExportData) -> str:
    """The Go/No-Go box: each gate, where it stands, and who decided what, when, with what words."""
    if not data.gates:
        return '<p class="note">This runbook has no go/no-go gate.</p>'
    out = []
    for g in data.gates:
        t = g.task
        css = "ok" if t.state == "done" else "bad" if t.state in ("failed", "blocked") else ""
        needs = f" (needs {esc(', '.join(g.roles))})" if g.roles and "waiting" not in g.verdict else ""
        rows = []
        for s in g.decisions:
            in_force = "" if s.in_force is None else "yes" if s.in_force else "no (revoked)"
            rows.append(("late" if s.action != "signed off" else "", [
                esc(_time(s.time)), esc(s.action), esc(s.person), esc(s.role), esc(s.comment), esc(s.approver),
                esc(in_force),
            ]))  # fmt: skip
        table = (
            _table(["Time", "Decision", "Person", "Role", "Comment or reason", "Approver", "In force"], rows)
            if rows else '<p class="note">No sign-off, override or revocation recorded.</p>'
        )  # fmt: skip
        out.append(
            f'<div class="gate"><h3>Gate <b>{esc(t.task)}</b>: {esc(t.title)}</h3>'
            f'<p><span class="{css}"><b>{esc(g.verdict)}</b></span>{needs}</p>{table}</div>'
        )
    return "".join(out)


def render(data: ExportData) -> str:
    r, trust = data.run, data.trust
    legend = "".join(
        f'<span class="swatch" style="background:{c}"></span>{esc(label)}'
        for c, label in (
            ("#cfd8dc", "planned"), ("#2e7d32", "done"), ("#d84315", "done late"), ("#1565c0", "in progress"),
            ("#c62828", "failed"), ("#ef6c00", "blocked"),
        )
    )  # fmt: skip
    late = [t for t in data.tasks if t.late]
    body = [
        f'<div class="banner" role="alert">{esc(data.banner)}</div>' if data.banner else "",
        _header(data),
        _cards(data),
        "<section><h2>Go/No-Go</h2>", _gates(data), "</section>",
        '<section class="chart"><h2>Timeline: planned against actual</h2>',
        timeline_svg(data),
        f'<p class="legend">Upper thin bar: planned (from the plan\'s earliest start); lower bar: actual.{legend}</p>',
        "</section>",
        '<section class="chart"><h2>Variance: actual minus planned, per finished task</h2>',
        variance_svg(data),
        "</section>",
        "<section><h2>Tasks</h2>", _tasks_table(data), "</section>",
        f"<section><h2>Port map as executed</h2>{_portmap(data)}</section>" if data.portmap else "",
        "<section><h2>Failed checks</h2>", _failed_checks(data), "</section>",
        "<section><h2>Exceptions</h2>",
        _lines(data.exceptions, late) if data.exceptions or late else
        '<p class="note">None: no task was skipped, blocked, failed, overridden or late.</p>',
        "</section>",
        f"<section><h2>Notes</h2>{_lines(data.notes)}</section>" if data.notes else "",
        "<section><h2>Backout</h2>", _backout(data), "</section>",
        "<section><h2>Sign-offs</h2>", _signoffs(data), "</section>",
        f"<footer>Exported by golive at {esc(_time(data.site(data.generated_at)))} (site time) from run "
        f"{esc(r.name)} ({esc(r.mode_label)}). Chain head <span class=\"hash\">{esc(trust.head_hash)}</span> "
        f"after {trust.events} events{'' if trust.ok else ' (DOES NOT VERIFY)'}. Compare it with the head recorded "
        "when the run was closed; check a jsonl export of the journal with <code>golive verify FILE.jsonl</code>."
        "</footer>",
    ]  # fmt: skip
    title = f"{r.runbook_title}: {r.mode_label} run {r.name}"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="golive"><title>{esc(title)}</title><style>{CSS}</style></head>'
        f"<body>{''.join(body)}</body></html>\n"
    )


def write(data: ExportData, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(render(data))
