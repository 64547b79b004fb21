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
import hashlib
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from golive.problems import GoliveError
from golive.progress.events import Actor, Event, Kind
from golive.progress.payloads import Upgraded, read_payload

SCHEMA_VERSION = 1  # PRAGMA user_version of the schema this golive writes (golive.store.db)
Query = Callable[[str, tuple[Any, ...]], list[tuple[Any, ...]]]


@dataclass(frozen=True)
class RunInfo:
    """A run as listed: identity, mode, the runbook version in force, and whether it is closed."""

    uuid: str
    name: str
    runbook_id: str
    mode: str
    created_at: str
    sha256: str
    closed: bool
    events: int

    @property
    def rehearsal(self) -> bool:
        return self.mode == "rehearsal"


def list_runs(query: Query) -> list[RunInfo]:
    """Every run, oldest first (`query` runs SQL with ? parameters on either driver)."""
    counts = {str(r[0]): int(r[1]) for r in query("SELECT run_uuid, count(*) FROM journal GROUP BY run_uuid", ())}
    closed = {str(r[0]) for r in query("SELECT DISTINCT run_uuid FROM journal WHERE kind = ?", (str(Kind.RUN_CLOSED),))}
    # the runbook version in force: the last upgrade's, else the one the run was created with
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


def choose_run(runs: list[RunInfo], ref: str | None, *, unambiguous: bool = False) -> RunInfo:
    """A run by name, UUID or UUID prefix; with no ref, the most recent open run.

    `unambiguous` (for anything that writes) refuses to guess between several open runs: a
    sign-off meant for the live run must never land in a rehearsal.
    """
    if not runs:
        raise GoliveError("no runs in this database: load a runbook first (golive load FILE)")
    if ref is None:
        open_runs = [r for r in runs if not r.closed]
        if unambiguous and len(open_runs) > 1:
            names = ", ".join(r.name for r in open_runs[-4:])
            raise GoliveError(f"{len(open_runs)} runs are open ({names}): say which with --run NAME", exit_code=2)
        return (open_runs or runs)[-1]
    matches = [r for r in runs if ref in (r.name, r.uuid)] or [
        r for r in runs if len(ref) >= 6 and r.uuid.startswith(ref)
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        names = ", ".join(r.name for r in runs[-5:])
        raise GoliveError(f"no run {ref!r} in this database (runs: {names})")
    raise GoliveError(f"{ref!r} matches more than one run: give its full name")


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


# -- the two journal helpers the reading side needs; golive.store.journal (which imports SQLAlchemy)
# re-exports them, so there is one definition of each


def genesis(run_uuid: str) -> str:
    return hashlib.sha256(f"golive-genesis:{run_uuid}".encode()).hexdigest()


def to_event(row: Mapping[str, Any]) -> Event:
    """A row as the progress model's Event (an event of a kind this golive does not know, as a note)."""
    try:
        kind = Kind(row["kind"])
    except ValueError:
        kind = Kind.NOTE
    return Event(
        seq=int(row["seq"]),
        kind=kind,
        ts=datetime.fromisoformat(row["ts_utc"]),
        actor=Actor(row["actor_name"], row["actor_initials"], row["actor_role"]),
        task=row["task_id"],
        payload=read_payload(kind, row["payload"]),
        uuid=row["uuid"],
        machine=row["machine"],
    )
