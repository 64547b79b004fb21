"""Verify a state database: every run's hash chain, and everything the chain relies on.

The chain covers the journal; the runbook texts and the run rows sit beside it. So verify also
checks that each stored runbook text still hashes to its address and still reads as the runbook
golive uses, that each run row still says what its `loaded` event says, that the append-only
triggers are present and unaltered, and SQLite's own integrity check.

Returns lines to print rather than printing, so the CLI and the tests share it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import Connection, select
from sqlalchemy.exc import DatabaseError

from golive.problems import GoliveError, ProblemsFound
from golive.progress.payloads import Loaded
from golive.runbook.load import parse_runbook
from golive.runbook.schema import Runbook
from golive.store import journal, merge
from golive.store.db import APPEND_ONLY, open_engine, trigger_statements
from golive.store.runs import RunInfo, find_run, list_runs
from golive.store.tables import JournalRow, Run, RunbookVersion

_R = Run.__table__  # type: ignore[attr-defined]
_V = RunbookVersion.__table__  # type: ignore[attr-defined]
_J = JournalRow.__table__  # type: ignore[attr-defined]

Line = tuple[str, bool]


def verify_database(path: Path, run_ref: str | None = None) -> list[Line]:
    """(line, ok) for the database and for each run (or the one named)."""
    engine = open_engine(path, create=False)
    try:
        with engine.connect() as conn, conn.begin():
            return _verify(conn, path, run_ref)
    except DatabaseError as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        raise GoliveError(f"{path}: cannot read the database ({reason})") from None


def _verify(conn: Connection, path: Path, run_ref: str | None) -> list[Line]:
    out = beside_chains(conn, path)
    runs = [find_run(conn, run_ref)] if run_ref else list_runs(conn)
    if not runs:
        raise GoliveError(f"{path}: no runs to verify")
    known = {r[0] for r in conn.execute(select(_R.c.uuid))}
    orphans = conn.exec_driver_sql("SELECT DISTINCT run_uuid FROM journal").scalars().all()
    for stray in sorted(set(orphans) - known):
        out.append((f"{path}: journal rows for an unknown run {stray}", False))
    for run in runs:
        report = journal.verify(conn, run.uuid)
        if not report.ok:
            out.append((f"{run.name}: broken at event #{report.broken_at}: {report.reason}", False))
        elif problem := run_row_problem(conn, run):
            out.append((problem, False))
        else:
            out.append((f"{run.name}: ok: {report.events} events, chain head {report.head_hash}", True))
        # a merged run carries each laptop's chain inside it: re-check those too (nothing for other runs)
        out.extend(merge.verify_sources(conn, run.uuid))
    return out


def beside_chains(conn: Connection, path: Path) -> list[Line]:
    """What the chains rely on but do not cover: SQLite's integrity, the append-only triggers, and
    the stored runbook texts. (A run row is checked against its chain by `run_row_problem`.)"""
    return [*database_lines(conn, path), *version_lines(path, read_versions(conn))]


def database_lines(conn: Connection, path: Path) -> list[Line]:
    """SQLite's integrity check and the append-only triggers (the part of `beside_chains` that reads)."""
    integrity = [str(r) for r in conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()]
    ok = integrity == ["ok"]
    return [(f"{path}: SQLite integrity: {'ok' if ok else '; '.join(integrity[:5])}", ok), *_triggers(conn, path)]


StoredText = tuple[str, str, str, str]  # a runbook_version row: sha256, source, normalized, file_name


def read_versions(conn: Connection) -> list[StoredText]:
    """Every stored runbook text, for `version_lines`."""
    query = select(_V.c.sha256, _V.c.source, _V.c.normalized, _V.c.file_name)
    return [(str(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in conn.execute(query)]


def run_row_problem(conn: Connection, run: RunInfo) -> str:
    """'' when the run row says what the run's `loaded` event says, else a line naming the change."""
    mismatch = _run_row_mismatch(conn, run)
    return f"{run.name}: the run row was changed: {mismatch}" if mismatch else ""


def _triggers(conn: Connection, path: Path) -> list[Line]:
    found: dict[str, str] = dict(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type='trigger'").all())
    expected = trigger_statements(stored_form=True)
    out: list[Line] = []
    missing = sorted(name for name in expected if name not in found)
    if missing:
        out.append((f"{path}: append-only triggers were removed: {', '.join(missing)}", False))
    altered = sorted(
        name for name in expected if name in found and " ".join(str(found[name]).split()) != expected[name]
    )
    if altered:
        out.append((f"{path}: append-only triggers were altered: {', '.join(altered)}", False))
    assert set(expected) == {f"{t}_no_{a}" for t in APPEND_ONLY for a in ("update", "delete")}
    return out


def version_lines(path: Path, versions: list[StoredText]) -> list[Line]:
    """A problem line for each stored runbook text that no longer hashes to its address or no longer
    reads as its stored form. Pure computation on rows already read (an export runs it beside its
    writing, in another process)."""
    out: list[Line] = []
    for sha256, source, normalized, file_name in versions:
        label = f"{path}: runbook text {sha256[:12]} ({file_name})"
        if hashlib.sha256(source.encode("utf-8")).hexdigest() != sha256:
            out.append((f"{label} was edited: it no longer hashes to its address", False))
            continue
        try:
            parsed = parse_runbook(source, file_name).runbook
            # the stored form is this very serialisation (store.runs): the same text is the same runbook,
            # without validating it a second time; any other text is compared as the runbook it reads as
            if parsed.model_dump_json(by_alias=True, exclude_unset=True) == normalized:
                continue
            fresh = parsed.model_dump()
            stored = Runbook.model_validate_json(normalized).model_dump()
        except (ProblemsFound, ValueError):
            out.append((f"{label}: its stored form no longer reads as a runbook", False))
            continue
        if fresh != stored:
            out.append((f"{label}: its stored form was edited: it differs from the text", False))
    return out


def _run_row_mismatch(conn: Connection, run: RunInfo) -> str:
    row = conn.execute(select(_R).where(_R.c.uuid == run.uuid)).one()
    first = conn.execute(select(_J.c.kind, _J.c.payload).where(_J.c.run_uuid == run.uuid, _J.c.seq == 1)).first()
    if first is None or first.kind != "loaded":
        return "its first event is not the load"
    loaded = Loaded.from_json(first.payload)
    said = {"runbook_sha256": loaded.sha256, "mode": loaded.mode, "name": loaded.run, "runbook_id": loaded.runbook}
    for column, value in said.items():
        if getattr(row, column) != value:
            return f"{column} is {getattr(row, column)!r} but the journal's load event says {value!r}"
    return ""
