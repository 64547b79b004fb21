"""Runs: create one from a runbook version, find them, and know which version each holds now.

Loading is idempotent (the same text into the same open run does nothing) and refuses to slip a
changed runbook under a run that already has events: the technician chooses `--new-run` or
`--upgrade`, and an upgrade is itself a journal event naming both versions.
"""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select

from golive.problems import GoliveError
from golive.progress.events import Actor
from golive.progress.payloads import Loaded, Upgraded
from golive.runbook.load import LoadedRunbook
from golive.runbook.outline import remember
from golive.runbook.schema import Runbook
from golive.store import journal, rebuild, snapshot
from golive.store.snapshot import RunInfo
from golive.store.tables import JournalRow, Run, RunbookVersion

__all__ = ["LoadOutcome", "RunInfo", "find_run", "list_runs", "load", "runbook_of"]

_R = Run.__table__  # type: ignore[attr-defined]
_V = RunbookVersion.__table__  # type: ignore[attr-defined]
_J = JournalRow.__table__  # type: ignore[attr-defined]


def _query(conn: Connection) -> snapshot.Query:
    def query(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in conn.exec_driver_sql(sql, params).all()]

    return query


def list_runs(conn: Connection) -> list[RunInfo]:
    """Every run, oldest first."""
    return snapshot.list_runs(_query(conn))


def find_run(conn: Connection, ref: str | None, *, unambiguous: bool = False) -> RunInfo:
    """A run by name, UUID or UUID prefix; with no ref, the most recent open run (see `choose_run`)."""
    return snapshot.choose_run(list_runs(conn), ref, unambiguous=unambiguous)


def runbook_of(conn: Connection, sha256: str) -> Runbook:
    """The validated runbook stored under `sha256`."""
    row = conn.execute(select(_V.c.normalized).where(_V.c.sha256 == sha256)).first()
    if row is None:
        raise GoliveError(f"runbook version {sha256[:12]} is missing from the database")
    return rebuild.read_stored(str(row[0]), sha256)


def _store_version(conn: Connection, loaded: LoadedRunbook) -> None:
    exists = conn.execute(select(_V.c.sha256).where(_V.c.sha256 == loaded.sha256)).first()
    if exists:
        return
    meta = loaded.runbook.runbook
    normalized = loaded.runbook.model_dump_json(by_alias=True, exclude_unset=True)
    try:
        faithful = Runbook.model_validate_json(normalized).model_dump() == loaded.runbook.model_dump()
    except ValueError:
        faithful = False
    if not faithful:  # never store a runbook that would read back differently, or not at all
        raise GoliveError(f"{loaded.file}: golive cannot store this runbook faithfully; please report it")
    digest = rebuild.form_digest(normalized)
    rebuild.note_validated(digest)  # just validated: reopening it need not again
    remember(normalized, digest)  # and the TUI's first frame reads its outline
    conn.execute(
        insert(_V).values(
            sha256=loaded.sha256,
            runbook_id=meta.id,
            version=meta.version,
            title=meta.title,
            file_name=loaded.file.rsplit("/", 1)[-1],
            source=loaded.source,
            normalized=normalized,
            stored_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )


@dataclass(frozen=True)
class LoadOutcome:
    run: RunInfo
    action: str  # "created", "unchanged", "upgraded"


def load(
    engine: Engine,
    loaded: LoadedRunbook,
    *,
    rehearsal: bool,
    actor: Actor,
    machine: str,
    new_run: bool = False,
    upgrade: bool = False,
    now: datetime | None = None,
) -> LoadOutcome:
    """Create (or find, or upgrade) the run for this runbook text, as one transaction.

    `now` (an aware time) stamps the journal event instead of the clock: tests that need fixed times."""
    mode = "rehearsal" if rehearsal else "live"
    meta = loaded.runbook.runbook
    with engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        same = [r for r in list_runs(conn) if r.runbook_id == meta.id and r.mode == mode and not r.closed]
        current = same[-1] if same else None
        if current is not None and not new_run:
            if current.sha256 == loaded.sha256:
                return LoadOutcome(current, "unchanged")
            if not upgrade:
                old = runbook_of(conn, current.sha256).runbook.version
                raise GoliveError(
                    f"{loaded.file}: run {current.name} holds version {old} ({current.sha256[:12]}) of "
                    f"{meta.id}; this file is version {meta.version} ({loaded.sha256[:12]}). Use --upgrade "
                    "to move that run to this file, or --new-run to start a separate run"
                )
            _check_upgrade(conn, current, loaded)
            _store_version(conn, loaded)
            upgraded = Upgraded(
                sha256=loaded.sha256, from_sha256=current.sha256, version=meta.version, file=loaded.file
            )
            journal.append(conn, current.uuid, upgraded, actor, machine, now=now)
            return LoadOutcome(find_run(conn, current.uuid), "upgraded")
        if upgrade and current is None:
            raise GoliveError(f"{loaded.file}: no open {mode} run of {meta.id} to upgrade")
        _store_version(conn, loaded)
        taken = conn.execute(
            select(func.count()).select_from(_R).where(_R.c.runbook_id == meta.id, _R.c.mode == mode)
        ).scalar_one()
        name = f"{meta.id}-{mode}-{taken + 1}"
        run_uuid = str(uuidlib.uuid4())
        conn.execute(
            insert(_R).values(
                uuid=run_uuid, name=name, runbook_id=meta.id, mode=mode, runbook_sha256=loaded.sha256,
                created_at=datetime.now(UTC).isoformat(timespec="microseconds"), machine=machine,
            )
        )  # fmt: skip
        first = Loaded(
            runbook=meta.id, version=meta.version, sha256=loaded.sha256, file=loaded.file, mode=mode, run=name
        )
        journal.append(conn, run_uuid, first, actor, machine, now=now)
        return LoadOutcome(find_run(conn, run_uuid), "created")


def _check_upgrade(conn: Connection, run: RunInfo, loaded: LoadedRunbook) -> None:
    """An upgrade may not orphan a task the journal already speaks of."""
    used = {
        r[0] for r in conn.execute(select(_J.c.task_id).where(_J.c.run_uuid == run.uuid, _J.c.task_id.is_not(None)))
    }
    missing = sorted(used - set(loaded.runbook.tasks))
    if missing:
        raise GoliveError(
            f"{loaded.file}: cannot upgrade {run.name}: the journal has events for tasks this version drops "
            f"({', '.join(missing[:5])}{'...' if len(missing) > 5 else ''}); use --new-run"
        )
