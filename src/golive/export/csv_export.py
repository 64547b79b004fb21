"""CSV: the journal, one row per event, plus a tasks table and a one-row run table, for Excel and Power BI.

`golive export RUN --format csv -o out.csv` writes three files side by side:

- `out.csv`, the journal: one row per event, in chain order;
- `out-tasks.csv`, one row per task of the runbook, in runbook order;
- `out-run.csv`, one row saying which run this is, its mode and its chain head;
- `out-portmap.csv`, only for a run whose runbook has a port map: the map as executed, one row per
  jack in the map's order. Its first columns are the map's own (golive.export.portmap.MAP_COLUMNS, then its extra
  columns as it named them), so the file reloads as a port map (`portmap: out-portmap.csv`): the
  result columns after them (`RESULT_COLUMNS`) are read back as extra columns. A map reloaded from an
  earlier export carries that export's result columns as extras: they are replaced, not repeated.

UTF-8, comma-separated, RFC 4180 quoting, CRLF line ends, one header row. `--bom` starts each
file with a UTF-8 byte order mark, which Excel needs to read accents right when the file is opened
by double-click. Times are ISO 8601 with their UTC offset. Minutes have one decimal. Booleans are
`true`/`false`. An empty cell means "none". Every text cell that a spreadsheet would run as a
formula gets a leading `'` (golive.formula: `=`, `+`, `-`, `@`, their full-width forms, also
after leading spaces or line breaks; plain numbers like `-3.5` and offsets like `-05:00` stay as
they are), and control and bidirectional-override characters are written as visible escapes
(`\u001b`, `\u202e`; golive.safetext), newlines and tabs inside a cell kept. The columns below
are stable: new ones are only ever added at the end.

If the journal does not verify and the export was forced with `--allow-broken`, every file starts
with one banner line (`UNVERIFIED EXPORT: ...`) above the header: remove that top row to load it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from golive.export.model import ExportData, iso, minutes_text
from golive.export.portmap import MAP_COLUMNS, RESULT_COLUMNS
from golive.formula import formula_safe
from golive.safetext import visible

JOURNAL_COLUMNS = (
    "run",  # run name
    "mode",  # live | rehearsal
    "seq",  # 1, 2, ... in chain order
    "ts_utc",  # as stored: UTC, microseconds
    "tz_offset",  # the recording laptop's UTC offset, as stored
    "ts_local",  # ts_utc at tz_offset (the recording laptop's clock), to the second
    "kind",  # loaded, started, check_result, signed_off, ... (golive.progress.events.Kind)
    "task_id",  # empty for run-wide events
    "actor_name",  # initials when exported with --redact-people
    "actor_initials",
    "actor_role",
    "machine",  # host/id of the laptop (*/id when redacted)
    "flag",  # CHECK FAIL, CHECK ERROR, SKIPPED, BLOCKED, TASK FAILED, OVERRIDE, REVOKED, ROLLBACK, ...
    "summary",  # the payload in words
    "payload",  # the payload as stored (JSON)
    "uuid",
    "prev_hash",
    "hash",
    "ts_site",  # ts_utc in site time (the runbook window's offset, the -run file's zone): every export's clock
)

TASK_COLUMNS = (
    "run", "mode", "phase", "phase_title", "task", "title", "owner", "gate", "state", "flags",
    "planned_min", "planned_start", "planned_end", "actual_start", "actual_end", "actual_min", "variance_min",
    "late", "late_reason", "signed_by", "checks_passed", "checks_failed", "checks_simulated", "overridden", "reason",
    "checks", "checks_not_run", "checks_lab",
)  # fmt: skip

RUN_COLUMNS = (
    "run", "run_uuid", "mode", "runbook_id", "runbook_title", "runbook_version", "runbook_sha256", "change",
    "site", "window_start", "window_end", "created_at", "closed_at", "events", "chain_head_seq", "chain_head",
    "chain_verified", "verification", "as_of", "exported_at", "people_redacted", "zone",
)  # fmt: skip


def paths_for(output: Path, *, portmap: bool = False) -> list[Path]:
    """The journal file as given, then `<stem>-tasks<suffix>` and `<stem>-run<suffix>` beside it (and
    `<stem>-portmap<suffix>` when the run has a port map)."""
    suffix = output.suffix or ".csv"
    stem = output.name[: -len(output.suffix)] if output.suffix else output.name
    names = ["tasks", "run", *(["portmap"] if portmap else [])]
    return [output, *(output.with_name(f"{stem}-{name}{suffix}") for name in names)]


def cell(value: object) -> object:
    """A cell as written: text made visible and formula-safe, numbers as they are."""
    return formula_safe(visible(value, multiline=True)) if isinstance(value, str) else value


def _bool(value: bool) -> str:
    return "true" if value else "false"


def journal_rows(data: ExportData) -> Iterable[Sequence[object]]:
    run, mode = data.run.name, data.run.mode
    for e in data.journal:
        yield (
            run, mode, e.seq, e.ts_utc, e.tz_offset, iso(e.local), e.kind, e.task, e.actor_name,
            e.actor_initials, e.actor_role, e.machine, e.flag, e.summary, e.payload,
            e.uuid, e.prev_hash, e.hash, iso(e.site),
        )  # fmt: skip


def task_rows(data: ExportData) -> Iterable[Sequence[object]]:
    run, mode = data.run.name, data.run.mode
    for t in data.tasks:
        yield (
            run, mode, t.phase, t.phase_title, t.task, t.title, t.owner, _bool(t.gate), t.state, t.flags,
            minutes_text(t.planned_minutes), iso(t.planned_start), iso(t.planned_end), iso(t.actual_start),
            iso(t.actual_end), minutes_text(t.actual_minutes), minutes_text(t.variance_minutes), _bool(t.late),
            t.late_reason, t.signed_by, t.checks_passed, t.checks_failed, t.checks_simulated,
            _bool(t.overridden), t.reason, t.checks, t.checks_not_run, t.checks_lab,
        )  # fmt: skip


def run_row(data: ExportData) -> Sequence[object]:
    r, trust = data.run, data.trust
    return (
        r.name, r.uuid, r.mode, r.runbook_id, r.runbook_title, r.runbook_version, r.runbook_sha256,
        r.change, r.site, iso(r.window_start), iso(data.site(r.window_end)), r.created_at,
        iso(data.site(r.closed_at)), trust.events, trust.head_seq, trust.head_hash, _bool(trust.ok), trust.verdict,
        iso(data.site(data.as_of)), iso(data.site(data.generated_at)), _bool(data.redacted), data.zone,
    )  # fmt: skip


def portmap_columns(data: ExportData) -> list[str]:
    """The map's columns, its extra ones (but an earlier export's result columns), then the results."""
    executed = data.portmap
    return [*MAP_COLUMNS, *(executed.extra_columns if executed else []), *RESULT_COLUMNS]


def portmap_rows(data: ExportData) -> Iterable[Sequence[object]]:
    executed = data.portmap
    if executed is None:
        return
    extra = executed.extra_columns
    for r in executed.rows:
        j, c = r.jack, r.confirmed
        yield (
            j.jack, j.old_device or "", j.old_port or "", j.new_device, j.new_port, j.endpoint or "", j.kind or "",
            _bool(j.critical), _num(j.vlan), _num(j.voice_vlan), j.mac or "", *(j.extra.get(e, "") for e in extra),
            r.result, r.reason, "; ".join(r.seen), r.swapped_with, r.expected_vlans, r.seen_vlan,
            iso(r.checked_at), r.checked_by, r.check, "yes" if r.lab else "",
            c.by if c else "", iso(c.at) if c else "", c.reason if c else "",
            r.before_macs, _num(r.before_vlan), _num(r.before_voice_vlan), r.before_neighbor, r.before_poe,
        )  # fmt: skip


def _num(value: int | None) -> object:
    return "" if value is None else value


def _write(path: Path, columns: Sequence[str], rows: Iterable[Sequence[object]], banner: str, bom: bool) -> None:
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        if banner:
            writer.writerow([cell(banner)])
        writer.writerow([cell(name) for name in columns])  # a map's own column names come from a person
        writer.writerows([cell(value) for value in row] for row in rows)


def write(data: ExportData, paths: Sequence[Path], *, bom: bool = False) -> None:
    """Write the journal, tasks and run files (and the port map's) to `paths` (as `paths_for` names them)."""
    journal_path, tasks_path, run_path, *portmap_path = paths
    banner = data.banner
    _write(journal_path, JOURNAL_COLUMNS, journal_rows(data), banner, bom)
    _write(tasks_path, TASK_COLUMNS, task_rows(data), banner, bom)
    _write(run_path, RUN_COLUMNS, [run_row(data)], banner, bom)
    if portmap_path:
        _write(portmap_path[0], portmap_columns(data), portmap_rows(data), banner, bom)
