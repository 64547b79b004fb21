"""Read one run (its row, its runbook's stored form, its journal) with the standard library's sqlite3.

Opening the TUI must not wait for SQLAlchemy and SQLModel to import (about 0.7 s here): reading
needs none of it. `read` takes one consistent read transaction; writing (the first journaled
event) opens the usual engine later, off the first frame's path. The queries that list and find
runs live here once and serve both drivers, so `golive status` and the TUI can never disagree on
which run `golive run` means.

Anything unusual about the file (missing, a directory, another schema version, not a golive
database) returns None: the caller opens the engine, whose checks say precisely what is wrong.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from golive.progress.events import Kind
from golive.progress.payloads import Upgraded
from golive.store.db import SCHEMA_VERSION
from golive.store.journal import genesis as genesis  # noqa: PLC0414 (explicit re-export)
from golive.store.journal import to_event as to_event  # noqa: PLC0414 (explicit re-export)
from golive.store.repository import RunInfo as RunInfo  # noqa: PLC0414 (explicit re-export)
from golive.store.repository import choose_run

Query = Callable[[str, tuple[Any, ...]], list[tuple[Any, ...]]]


def list_runs(query: Query) -> list[RunInfo]:
    """Every run, oldest first (as golive.store.repository.Reader.runs)."""
    counts = {str(r[0]): int(r[1]) for r in query("SELECT run_uuid, count(*) FROM journal GROUP BY run_uuid", ())}
    closed = {str(r[0]) for r in query("SELECT DISTINCT run_uuid FROM journal WHERE kind = ?", (str(Kind.RUN_CLOSED),))}
    upgraded: dict[str, str] = {}
    for run_uuid, payload in query(
        "SELECT run_uuid, payload FROM journal WHERE kind = ? ORDER BY run_uuid, seq", (str(Kind.UPGRADED),)
    ):
        upgraded[str(run_uuid)] = Upgraded.from_json(payload).sha256
    rows = query(
        "SELECT uuid, name, runbook_id, mode, created_at, runbook_sha256 FROM run ORDER BY created_at, name", ()
    )
    return [
        RunInfo(
            uuid=uuid, name=name, runbook_id=runbook_id, mode=mode, created_at=created_at,
            sha256=upgraded.get(uuid) or sha256, closed=uuid in closed, events=counts.get(uuid, 0),
        )
        for uuid, name, runbook_id, mode, created_at, sha256 in rows
    ]  # fmt: skip


@dataclass(frozen=True)
class Snapshot:
    """One run as read in one transaction: the run, its runbook's stored form, its journal rows."""

    run: RunInfo
    normalized: str
    rows: list[dict[str, Any]]


@contextlib.contextmanager
def _golive_file(db: Path, busy_ms: int) -> Iterator[sqlite3.Connection | None]:
    """A connection in one read transaction on a golive database of this schema version, or None
    when the file is anything else (the engine's own checks then say what). sqlite3.Error may
    still be raised from the body, for the caller to turn into None."""
    if not db.is_file():
        yield None
        return
    try:
        con = sqlite3.connect(db, timeout=busy_ms / 1000)
    except sqlite3.Error:
        yield None
        return
    try:
        con.isolation_level = None
        con.execute("BEGIN")
        yield con if con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION else None
    finally:
        con.close()  # (a read transaction: closing ends it)


def read(db: Path, ref: str | None = None, *, unambiguous: bool = False, busy_ms: int = 10_000) -> Snapshot | None:
    """The run `ref` names (as `choose_run`), or None when the file needs the engine's own checks."""
    try:
        with _golive_file(db, busy_ms) as con:
            if con is None:
                return None
            run = choose_run(list_runs(_query(con)), ref, unambiguous=unambiguous)
            found = con.execute("SELECT normalized FROM runbook_version WHERE sha256 = ?", (run.sha256,)).fetchone()
            if found is None:
                return None  # the engine's path says which version is missing
            con.row_factory = sqlite3.Row
            journal = con.execute("SELECT * FROM journal WHERE run_uuid = ? ORDER BY seq, id", (run.uuid,))
            return Snapshot(run, str(found[0]), [dict(r) for r in journal])
    except sqlite3.Error:
        return None


def unchanged_run(db: Path, sha256: str, mode: str, busy_ms: int = 10_000) -> str | None:
    """The open run that loading the runbook text with this digest in `mode` resumes unchanged
    (what golive.store.runs.load answers "unchanged" for: the latest open run of that runbook and
    mode, whose version in force is this text), or None when only a full load can say."""
    try:
        with _golive_file(db, busy_ms) as con:
            if con is None:
                return None
            runs = list_runs(_query(con))
    except sqlite3.Error:
        return None
    ids = {r.runbook_id for r in runs if r.sha256 == sha256 and r.mode == mode and not r.closed}
    if len(ids) != 1:
        return None
    same = [r for r in runs if r.runbook_id in ids and r.mode == mode and not r.closed]
    return same[-1].uuid if same[-1].sha256 == sha256 else None


def _query(con: sqlite3.Connection) -> Query:
    return lambda sql, params: con.execute(sql, params).fetchall()
