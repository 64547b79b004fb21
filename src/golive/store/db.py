"""Open the SQLite state file with the settings that make a sign-off survive a power cut.

WAL with `synchronous=FULL` (a commit is on disk before it returns), foreign keys on, a busy
timeout so a second window waits instead of failing, and triggers that refuse UPDATE and DELETE
on every table: the journal, the runs and the runbook texts are append-only.

We drive SQLite's transactions ourselves (the driver's implicit BEGIN is turned off) so a write
can ask for `BEGIN IMMEDIATE`: it takes the write lock before it reads the chain head, and two
writers can never fork the chain.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import urllib.parse
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlmodel import SQLModel

from golive.problems import GoliveError
from golive.store import tables  # noqa: F401  (registers the tables on SQLModel.metadata)

__all__ = [
    "APPEND_ONLY", "BUSY_TIMEOUT_MS", "SCHEMA_VERSION", "close_all", "close_engine", "open_engine", "open_read_only",
    "storage_fault", "storage_message", "trigger_statements",
]  # fmt: skip

SCHEMA_VERSION = 1  # PRAGMA user_version of the schema this golive writes
BUSY_TIMEOUT_MS = 10_000
APPEND_ONLY = ("journal", "run", "runbook_version")


def trigger_statements(*, stored_form: bool = False) -> dict[str, str]:
    """The append-only triggers by name; `stored_form` gives the text SQLite keeps for each."""
    out = {}
    for table in APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            name = f"{table}_no_{action.lower()}"
            verb = "changed" if action == "UPDATE" else "deleted"
            out[name] = (
                f"CREATE TRIGGER {'' if stored_form else 'IF NOT EXISTS '}{name} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: rows cannot be {verb}'); END"
            )
    return out


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    dbapi_conn.isolation_level = None
    for pragma in (
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=FULL",
        "PRAGMA foreign_keys=ON",
        f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    ):
        dbapi_conn.execute(pragma)


def _on_connect_read_only(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    dbapi_conn.isolation_level = None
    dbapi_conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _on_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


_ENGINES: dict[Path, Engine] = {}


def open_engine(path: Path, *, create: bool = True) -> Engine:
    """An engine on `path`, schema in place. GoliveError (one line) when that cannot be."""
    key = path.resolve()
    if key in _ENGINES:
        return _ENGINES[key]
    if not path.exists():
        if not create:
            raise GoliveError(f"{path}: no such database (load a runbook first: golive load FILE)")
        if not path.parent.exists():
            raise GoliveError(f"{path}: cannot create the database: no directory {path.parent}")
    elif path.is_dir():
        raise GoliveError(f"{path}: is a directory, not a database")
    if path.exists() and _read_only_disk(path.parent):
        engine = _on_read_only_disk(path)
    else:
        engine = create_engine(
            f"sqlite:///{path}",
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    try:
        _prepare(engine, path)
    except (DatabaseError, OperationalError) as exc:
        engine.dispose()
        raise storage_fault(path, exc, writing=False) from None
    _ENGINES[key] = engine
    return engine


def _reason(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).splitlines()[0]


# SQLite's words for what went wrong with the file itself, and what a person at 2 a.m. should read
_FAULTS = (
    ("database or disk is full", "the disk is full{nothing}; free some space, then try again"),
    ("readonly database", "the database cannot be written (a read-only file or disk){nothing}; "
                          "fix its permissions or copy it somewhere writable"),
    ("read-only file system", "the database cannot be written (a read-only disk){nothing}; copy it somewhere writable"),
    ("database is locked", "another program holds the database locked (waited {wait:.0f} s){nothing}; "
                           "close it or wait, then try again"),
    ("disk i/o error", "the disk reported an I/O error{nothing}; check the disk, then run golive verify"),
    ("malformed", "the database is damaged or truncated ({reason}); run golive verify, and restore it from a copy"),
    ("could not decode to utf-8", "the database is damaged (a stored text is no longer UTF-8); run golive verify, "
                                  "and restore it from a copy"),
)  # fmt: skip


def storage_fault(path: Path | str, exc: Exception, *, writing: bool) -> GoliveError:
    """One line for a fault of the file or the disk under it (full, read-only, locked, damaged),
    saying whether anything was saved and what to do; any other SQLite error keeps SQLite's words."""
    return GoliveError(storage_message(path, _reason(exc), writing=writing))


def storage_message(path: Path | str, reason: str, *, writing: bool) -> str:
    nothing = ": nothing was saved" if writing else ""
    if "i/o error" in reason.lower() and _nearly_full(Path(path).parent):
        reason = "database or disk is full"  # SQLite's word when a full disk fails its shared-memory file
    for words, message in _FAULTS:
        if words in reason.lower():
            return f"{path}: {message.format(nothing=nothing, wait=BUSY_TIMEOUT_MS / 1000, reason=reason)}"
    return f"{path}: not a usable golive database ({reason[:120]}){nothing}"


def _prepare(engine: Engine, path: Path) -> None:
    with engine.connect() as conn, conn.begin():  # most opens: the schema is current, only read it
        if conn.exec_driver_sql("PRAGMA user_version").scalar_one() == SCHEMA_VERSION:
            return
    with engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        version = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
        if (version == 0 and names - {"sqlite_sequence"}) or (version > SCHEMA_VERSION and "journal" not in names):
            raise GoliveError(f"{path}: this SQLite file is not a golive database")
        if version > SCHEMA_VERSION:
            raise GoliveError(f"{path}: made by a newer golive (schema {version}); upgrade golive to open it")
        if version == SCHEMA_VERSION:
            return
        SQLModel.metadata.create_all(conn)
        for statement in trigger_statements().values():
            conn.exec_driver_sql(statement)
        conn.exec_driver_sql(f"PRAGMA user_version={SCHEMA_VERSION}")


def _nearly_full(directory: Path) -> bool:
    try:
        return shutil.disk_usage(directory).free < 1 << 20
    except OSError:
        return False


def _read_only_disk(directory: Path) -> bool:
    try:
        return bool(os.statvfs(directory).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _on_read_only_disk(path: Path) -> Engine:
    """A database on a disk mounted read-only (a USB stick locked, an archive share) can still be
    read, verified and exported: SQLite cannot make its shared-memory file there, so it is opened
    immutable, which is exact only while no WAL file holds commits not yet in the database."""
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise GoliveError(
            f"{path}: on a read-only disk with unsaved changes in {wal.name}: copy both files somewhere writable"
        )
    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro&immutable=1"
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))
    event.listen(engine, "connect", _on_connect_read_only)
    return engine


def open_read_only(path: Path) -> Engine:
    """An engine that only reads `path` (SQLite's mode=ro: not even a schema is written), for a
    file that belongs to someone else (a merge's sources). Not cached: dispose it when done."""
    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
    engine = create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000),
    )
    event.listen(engine, "connect", _on_connect_read_only)
    event.listen(engine, "begin", _on_begin)
    return engine


def close_engine(path: Path) -> None:
    """Dispose the engine on `path`, if one is open (before the file is moved or handed on)."""
    engine = _ENGINES.pop(path.resolve(), None)
    if engine is not None:
        engine.dispose()


def close_all() -> None:
    """Dispose every engine (tests, and before a process hands a file to another)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()
