"""Open the SQLite state file with the settings that make a sign-off survive a power cut.

WAL with `synchronous=FULL` (a commit is on disk before it returns), foreign keys on, a busy
timeout so a second window waits instead of failing, and triggers that refuse UPDATE and DELETE
on every table: the journal, the runs and the runbook texts are append-only.

We drive SQLite's transactions ourselves (the driver's implicit BEGIN is turned off) so a write
can ask for `BEGIN IMMEDIATE`: it takes the write lock before it reads the chain head, and two
writers can never fork the chain.
"""

from __future__ import annotations

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
    "trigger_statements",
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
        raise GoliveError(f"{path}: not a usable golive database ({_reason(exc)})") from None
    _ENGINES[key] = engine
    return engine


def _reason(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).splitlines()[0]


def _prepare(engine: Engine, path: Path) -> None:
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
