"""The one place golive speaks SQL: runs, runbook versions and the journal, on SQLModel's tables.

Everything that reads or writes a golive database goes through a `Repository` on an engine
(golive.store.db), one transaction at a time:

- `read()` is one consistent snapshot (under WAL a reader never waits for the writer);
- `write()` holds `BEGIN IMMEDIATE` from its first statement, so a writer reads the chain head and
  appends the next link as one atomic step, and two writers can never fork a chain. It commits
  (fsync'd under `synchronous=FULL`) when the block ends, or writes nothing if it raises.

Listing and finding runs, reading a run's runbook in force and its journal, storing runbook
versions, appending events, and the checks `verify` and `merge` make of a file all live here, so
the CLI, the TUI, the exports, the report and the merge can never read a run two different ways.
What the rows mean is decided elsewhere (golive.store.journal hashes them, golive.progress folds
them). A runbook is read back from the validated JSON stored beside its text, validated again
(golive.runbook.schema: the only form of a runbook), so an edited stored form is refused.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, bindparam, func, insert, select
from sqlalchemy.exc import DatabaseError, IntegrityError
from sqlmodel import SQLModel

from golive.problems import GoliveError
from golive.progress.events import Actor, Kind
from golive.progress.payloads import JackConfirmed, Payload, Upgraded
from golive.runbook.schema import Runbook
from golive.store import journal
from golive.store.db import close_engine, open_engine, open_read_only, storage_fault, storage_message
from golive.store.tables import Run, RunbookVersion

__all__ = [
    "ROW_COLUMNS", "Reader", "Repository", "RunInfo", "Unreadable", "Writer", "building", "choose_run", "read_only",
    "read_runbook",
]  # fmt: skip


# the tables SQLModel declared (golive.store.tables), as SQLAlchemy Core tables: typed, and cheap to query
_RUN: Table = SQLModel.metadata.tables["run"]
_VERSION: Table = SQLModel.metadata.tables["runbook_version"]
_JOURNAL: Table = SQLModel.metadata.tables["journal"]
ROW_COLUMNS = tuple(_JOURNAL.columns.keys())  # a journal row as read: every column, `id` first

# The statements, each built once with bound parameters: SQLAlchemy keys and caches a statement by
# its object, and building one per call costs several times what a sign-off's reads do themselves.
_J, _R, _V = _JOURNAL.c, _RUN.c, _VERSION.c
_ROWS = (
    select(*_JOURNAL.columns)
    .where(_J.run_uuid == bindparam("run"), _J.seq > bindparam("after"))
    .order_by(_J.seq, _J.id)
)
_FIRST_ROW = select(*_JOURNAL.columns).where(_J.run_uuid == bindparam("run"), _J.seq == 1)
_HEAD = select(_J.seq, _J.hash).where(_J.run_uuid == bindparam("run")).order_by(_J.seq.desc()).limit(1)
_TASKS = select(_J.task_id).where(_J.run_uuid == bindparam("run"), _J.task_id.is_not(None)).distinct()
_JOURNAL_RUNS = select(_J.run_uuid).distinct()
_CONFIRMED = select(_J.payload).where(_J.run_uuid == bindparam("run"), _J.kind == str(Kind.JACK_CONFIRMED))
_COUNTS = select(_J.run_uuid, func.count()).group_by(_J.run_uuid)
_CLOSED = select(_J.run_uuid).where(_J.kind == str(Kind.RUN_CLOSED)).distinct()
_UPGRADES = select(_J.run_uuid, _J.payload).where(_J.kind == str(Kind.UPGRADED)).order_by(_J.run_uuid, _J.seq)
_LISTED = select(_R.uuid, _R.name, _R.runbook_id, _R.mode, _R.created_at, _R.runbook_sha256).order_by(
    _R.created_at, _R.name
)
_RUN_ROWS = select(_RUN).order_by(_R.created_at, _R.name)
_RUN_ROW = select(_RUN).where(_R.uuid == bindparam("run"))
_RUNS_OF = select(func.count()).select_from(_RUN).where(_R.runbook_id == bindparam("id"), _R.mode == bindparam("mode"))
_VERSION_ROW = select(_VERSION).where(_V.sha256 == bindparam("sha"))
_VERSION_ROWS = select(_VERSION)
_NORMALIZED = select(_V.normalized).where(_V.sha256 == bindparam("sha"))
_ADD_ROW, _ADD_RUN, _ADD_VERSION = insert(_JOURNAL), insert(_RUN), insert(_VERSION)


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


def choose_run(runs: list[RunInfo], ref: str | None, *, unambiguous: bool = False) -> RunInfo:
    """A run by name, UUID or UUID prefix; with no ref, the most recent open run.

    `unambiguous` (every command that acts on "the run") takes the only open run, else the only
    run, and refuses to guess otherwise, in the same words for every command: a sign-off meant for
    the live run must never land in a rehearsal, nor a status or an export show the wrong one.
    """
    if not runs:
        raise GoliveError("no runs in this database: load a runbook first (golive load FILE)")
    if ref is None:
        open_runs = [r for r in runs if not r.closed]
        if not unambiguous:
            return (open_runs or runs)[-1]
        if len(open_runs) == 1:
            return open_runs[0]
        if not open_runs and len(runs) == 1:
            return runs[0]
        among = open_runs or runs
        names = ", ".join(r.name for r in among[-6:]) + (", …" if len(among) > 6 else "")
        what = "runs are open" if open_runs else "runs are closed and none is open"
        raise GoliveError(f"{len(among)} {what} ({names}): say which with --run NAME", exit_code=2)
    matches = [r for r in runs if ref in (r.name, r.uuid)] or [
        r for r in runs if len(ref) >= 6 and r.uuid.startswith(ref)
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        names = ", ".join(r.name for r in runs[-5:])
        raise GoliveError(f"no run {ref!r} in this database (runs: {names})")
    raise GoliveError(f"{ref!r} matches more than one run: give its full name")


class Unreadable(GoliveError):
    """SQLite could not read the file (damaged, truncated, not a database); `reason` is its word."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(storage_message(path, reason, writing=False))
        self.reason = reason


class Reader:
    """The queries, inside one transaction the Repository holds."""

    def __init__(self, conn: Connection, path: str) -> None:
        self._conn = conn
        self.path = path

    # -- runs ------------------------------------------------------------------------------------

    def runs(self) -> list[RunInfo]:
        """Every run, oldest first, with the runbook version in force (the last upgrade's, else the
        one it was created with), whether it is closed, and how many events it holds."""
        counts: dict[str, int] = dict(self._conn.execute(_COUNTS).all())
        closed = set(self._conn.execute(_CLOSED).scalars())
        upgraded: dict[str, str] = {}
        for run_uuid, payload in self._conn.execute(_UPGRADES):
            upgraded[run_uuid] = Upgraded.from_json(payload).sha256
        return [
            RunInfo(
                uuid=uuid, name=name, runbook_id=runbook_id, mode=mode, created_at=created_at,
                sha256=upgraded.get(uuid) or sha256, closed=uuid in closed, events=counts.get(uuid, 0),
            )
            for uuid, name, runbook_id, mode, created_at, sha256 in self._conn.execute(_LISTED)
        ]  # fmt: skip

    def find_run(self, ref: str | None, *, unambiguous: bool = False) -> RunInfo:
        """A run by name, UUID or UUID prefix; with no ref, the most recent open run (`choose_run`)."""
        return choose_run(self.runs(), ref, unambiguous=unambiguous)

    def run_rows(self) -> list[Run]:
        """Every run row as stored, oldest first."""
        return [Run(**row) for row in self._conn.execute(_RUN_ROWS).mappings()]

    def run_row(self, run_uuid: str) -> Run:
        """The run row as stored."""
        return Run(**self._conn.execute(_RUN_ROW, {"run": run_uuid}).mappings().one())

    def runs_of(self, runbook_id: str, mode: str) -> int:
        """How many runs of this runbook in this mode were ever created (open or closed)."""
        return int(self._conn.execute(_RUNS_OF, {"id": runbook_id, "mode": mode}).scalar_one())

    # -- runbook versions ---------------------------------------------------------------------------

    def version(self, sha256: str) -> RunbookVersion | None:
        """The stored runbook version `sha256` (its text, its validated form), or None."""
        row = self._conn.execute(_VERSION_ROW, {"sha": sha256}).mappings().first()
        return None if row is None else RunbookVersion(**row)

    def versions(self) -> list[RunbookVersion]:
        """Every stored runbook version."""
        return [RunbookVersion(**row) for row in self._conn.execute(_VERSION_ROWS).mappings()]

    def runbook(self, sha256: str) -> Runbook:
        """The runbook stored under `sha256`: its validated JSON, validated again (an edited one is refused)."""
        found = self._conn.execute(_NORMALIZED, {"sha": sha256}).scalar()
        if found is None:
            raise GoliveError(f"runbook version {sha256[:12]} is missing from the database")
        return read_runbook(str(found), sha256)

    # -- the journal -----------------------------------------------------------------------------------

    def rows(self, run_uuid: str, after_seq: int = 0) -> list[dict[str, Any]]:
        """A run's journal rows in chain order (after `after_seq`), each a dict of every column."""
        found = self._conn.execute(_ROWS, {"run": run_uuid, "after": after_seq})
        return [dict(zip(ROW_COLUMNS, row, strict=True)) for row in found]

    def first_row(self, run_uuid: str) -> dict[str, Any] | None:
        """A run's first journal row (its `loaded` event, in a sound run), or None."""
        found = self._conn.execute(_FIRST_ROW, {"run": run_uuid}).first()
        return None if found is None else dict(zip(ROW_COLUMNS, found, strict=True))

    def head(self, run_uuid: str) -> tuple[int, str]:
        """The last sequence number and hash of a run's chain (0 and genesis when empty)."""
        found = self._conn.execute(_HEAD, {"run": run_uuid}).first()
        return (0, journal.genesis(run_uuid)) if found is None else (int(found[0]), str(found[1]))

    def task_ids(self, run_uuid: str) -> set[str]:
        """Every task a run's journal speaks of."""
        return {str(t) for t in self._conn.execute(_TASKS, {"run": run_uuid}).scalars()}

    def confirmed_jacks(self, run_uuid: str) -> set[tuple[str, str]]:
        """Every (jacks check, jack label) a person confirmed by hand in a run."""
        found = self._conn.execute(_CONFIRMED, {"run": run_uuid}).scalars()
        return {(p.check, p.jack) for p in map(JackConfirmed.from_json, found)}

    def journal_runs(self) -> set[str]:
        """Every run UUID the journal has rows for (a run row may be missing: verify names it)."""
        return {str(u) for u in self._conn.execute(_JOURNAL_RUNS).scalars()}

    # -- the file itself ------------------------------------------------------------------------------

    def integrity(self, *, quick: bool = False) -> list[str]:
        """SQLite's own integrity check: ['ok'], or what is wrong."""
        pragma = "quick_check" if quick else "integrity_check"
        return [str(r) for r in self._conn.exec_driver_sql(f"PRAGMA {pragma}").scalars()]

    def schema_version(self) -> int:
        return int(self._conn.exec_driver_sql("PRAGMA user_version").scalar_one())

    def tables(self) -> set[str]:
        query = "SELECT name FROM sqlite_master WHERE type='table'"
        return {str(n) for n in self._conn.exec_driver_sql(query).scalars()}

    def triggers(self) -> dict[str, str]:
        """Every trigger's name and the text SQLite keeps for it."""
        query = "SELECT name, sql FROM sqlite_master WHERE type='trigger'"
        return {str(n): str(s) for n, s in self._conn.exec_driver_sql(query)}


def read_runbook(normalized: str, sha256: str) -> Runbook:
    """A stored runbook's validated JSON as the Runbook; GoliveError when it no longer validates."""
    try:
        return Runbook.model_validate_json(normalized)
    except ValueError:
        raise GoliveError(
            f"runbook version {sha256[:12]} in the database no longer reads as a runbook (edited?): "
            "`golive verify` says more"
        ) from None


class Writer(Reader):
    """The queries and the writes, inside one `BEGIN IMMEDIATE` transaction."""

    def append(
        self,
        run_uuid: str,
        payload: Payload,
        actor: Actor,
        machine: str,
        *,
        task: str | None = None,
        head: tuple[int, str] | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """Append the next event of a run (of the payload's kind); the row written (without its id).

        `head` (last seq, last hash) may be given by a caller that has just read it in this
        transaction; otherwise it is read here. `now` (an aware time) stamps the event instead of
        the clock."""
        row = journal.next_row(
            run_uuid, head if head is not None else self.head(run_uuid), payload, actor, machine, task=task, now=now
        )
        self._conn.execute(_ADD_ROW, row)
        if self.head(run_uuid) != (row["seq"], row["hash"]):  # read back: a foreign trigger may drop or change it
            raise GoliveError(
                f"{self.path}: the database did not keep event #{row['seq']} as written (a trigger golive did not "
                "make?): nothing was saved; run golive verify"
            )
        return row

    def add_rows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Insert journal rows already chained and hashed (a merge's), in one statement."""
        names = ROW_COLUMNS[1:]  # all but the id, which SQLite gives
        self._conn.execute(_ADD_ROW, [{n: row[n] for n in names} for row in rows])

    def add_version(self, version: RunbookVersion) -> None:
        """Store a runbook version (one not stored yet: `version` says)."""
        self._conn.execute(_ADD_VERSION, version.model_dump())

    def add_run(self, run: Run) -> None:
        self._conn.execute(_ADD_RUN, run.model_dump())


class Repository:
    """A golive database, read and written one transaction at a time."""

    def __init__(self, engine: Engine, path: Path | None = None) -> None:
        self.engine = engine
        self.path = str(path if path is not None else engine.url.database)  # as messages name the file

    @classmethod
    def at(cls, path: Path, *, create: bool = False) -> Repository:
        """The database at `path` (GoliveError, one line, when it is none: see golive.store.db)."""
        return cls(open_engine(path, create=create))

    @contextlib.contextmanager
    def read(self) -> Iterator[Reader]:
        """One consistent read; Unreadable when SQLite cannot read the file."""
        with self._unreadable(), self.engine.connect() as conn, conn.begin():
            yield Reader(conn, self.path)

    @contextlib.contextmanager
    def write(self) -> Iterator[Writer]:
        """One write transaction, holding the write lock from its start; committed when the block ends.
        A fault of the file or the disk (full, read-only, locked, damaged) is one GoliveError line
        saying nothing was saved: the transaction rolled back whole."""
        try:
            with self.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
                yield Writer(conn, self.path)
        except IntegrityError:
            raise  # a rule of the schema (an append-only trigger), not the disk
        except DatabaseError as exc:
            raise storage_fault(self.path, exc, writing=True) from None

    @contextlib.contextmanager
    def _unreadable(self) -> Iterator[None]:
        try:
            yield
        except DatabaseError as exc:
            raise Unreadable(self.path, _reason(exc)) from None


def _reason(exc: Exception) -> str:
    return str(getattr(exc, "orig", None) or exc).splitlines()[0]


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[Reader]:
    """One read of a database that is not written at all, not even its schema (a merge's sources:
    another laptop's file). Unreadable when SQLite cannot open or read it."""
    engine = open_read_only(path)
    try:
        with Repository(engine, path).read() as reader:
            yield reader
    finally:
        engine.dispose()


@contextlib.contextmanager
def building(path: Path) -> Iterator[Writer]:
    """A new database at `path` (a private file: nobody else opens it until it is complete and
    moved into place), written in one rollback-journal transaction without fsyncs (no 2x write
    through the WAL), then synced once and returned to WAL like every golive database."""
    engine = open_engine(path)
    try:
        with engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn:
            driver = conn.connection.driver_connection  # outside a transaction, as journal_mode must be
            assert driver is not None
            driver.execute("PRAGMA journal_mode=DELETE")
            driver.execute("PRAGMA synchronous=OFF")
            with conn.begin():
                yield Writer(conn, str(path))
            driver.execute("PRAGMA journal_mode=WAL")
    finally:
        close_engine(path)
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
