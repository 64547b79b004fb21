"""Verify a state database: every run's hash chain, the append-only triggers, SQLite integrity.

Returns lines to print rather than printing, so the CLI and the tests share it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from golive.problems import GoliveError
from golive.store import journal
from golive.store.db import APPEND_ONLY, open_engine
from golive.store.runs import find_run, list_runs
from golive.store.tables import Run

_R = Run.__table__  # type: ignore[attr-defined]


def verify_database(path: Path, run_ref: str | None = None) -> list[tuple[str, bool]]:
    """(line, ok) for the database and for each run (or the one named)."""
    engine = open_engine(path, create=False)
    out: list[tuple[str, bool]] = []
    with engine.connect() as conn, conn.begin():
        integrity = conn.exec_driver_sql("PRAGMA integrity_check").scalar_one()
        out.append((f"{path}: SQLite integrity: {integrity}", integrity == "ok"))
        triggers = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='trigger'")}
        expected = {f"{t}_no_{a}" for t in APPEND_ONLY for a in ("update", "delete")}
        missing = sorted(expected - triggers)
        if missing:
            out.append((f"{path}: append-only triggers were removed: {', '.join(missing)}", False))
        runs = [find_run(conn, run_ref)] if run_ref else list_runs(conn)
        if not runs:
            raise GoliveError(f"{path}: no runs to verify")
        known = {r[0] for r in conn.execute(select(_R.c.uuid))}
        orphans = conn.exec_driver_sql("SELECT DISTINCT run_uuid FROM journal").scalars().all()
        for stray in sorted(set(orphans) - known):
            out.append((f"{path}: journal rows for an unknown run {stray}", False))
        for run in runs:
            report = journal.verify(conn, run.uuid)
            if report.ok:
                out.append((f"{run.name}: ok: {report.events} events, chain head {report.head_hash}", True))
            else:
                out.append((f"{run.name}: broken at event #{report.broken_at}: {report.reason}", False))
    return out
