"""The SQLite tables (SQLModel): runbook versions, runs, and the journal.

All three are append-only; triggers in golive.store.db refuse UPDATE and DELETE. A run's current
state is never stored: it is folded from the journal, which is the truth.
"""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class RunbookVersion(SQLModel, table=True):
    """One exact runbook text, addressed by its SHA-256."""

    __tablename__ = "runbook_version"

    sha256: str = Field(primary_key=True)
    runbook_id: str = Field(index=True)
    version: str
    title: str
    file_name: str
    source: str
    normalized: str  # the validated runbook as JSON, so reopening a run need not parse YAML
    stored_at: str


class Run(SQLModel, table=True):
    """A cutover, live or rehearsal, started from one runbook version."""

    __tablename__ = "run"

    uuid: str = Field(primary_key=True)
    name: str = Field(unique=True, index=True)
    runbook_id: str = Field(index=True)
    mode: str  # "live" or "rehearsal"
    runbook_sha256: str = Field(foreign_key="runbook_version.sha256")
    created_at: str
    machine: str


class JournalRow(SQLModel, table=True):
    """One event. `hash` is SHA-256 over the canonical form, which includes `prev_hash`."""

    __tablename__ = "journal"
    __table_args__ = (UniqueConstraint("run_uuid", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    run_uuid: str = Field(foreign_key="run.uuid", index=True)
    seq: int
    uuid: str = Field(unique=True)
    kind: str
    task_id: str | None = None
    actor_name: str
    actor_initials: str
    actor_role: str
    machine: str
    ts_utc: str
    tz_offset: str
    payload: str
    prev_hash: str
    hash: str
