"""Runs: create one from a runbook version, find them, and know which version each holds now.

Loading is idempotent (the same text into the same open run does nothing) and refuses to slip a
changed runbook under a run that already has events: the technician chooses `--new-run` or
`--upgrade`, and an upgrade is itself a journal event naming both versions.
"""

from __future__ import annotations

import gc
import json
import uuid as uuidlib
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic_core import from_json
from sqlalchemy import Connection, Engine, func, insert, select

from golive.problems import GoliveError
from golive.progress.events import Actor, Kind
from golive.runbook.load import LoadedRunbook
from golive.runbook.schema import Runbook
from golive.store import journal, rebuild
from golive.store.tables import JournalRow, Run, RunbookVersion

_R = Run.__table__  # type: ignore[attr-defined]
_V = RunbookVersion.__table__  # type: ignore[attr-defined]
_J = JournalRow.__table__  # type: ignore[attr-defined]


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


def _current_sha(conn: Connection, run_uuid: str, initial: str) -> str:
    row = conn.execute(
        select(_J.c.payload)
        .where(_J.c.run_uuid == run_uuid, _J.c.kind == str(Kind.UPGRADED))
        .order_by(_J.c.seq.desc())
        .limit(1)
    ).first()
    return str(json.loads(row[0])["sha256"]) if row else initial


def list_runs(conn: Connection) -> list[RunInfo]:
    """Every run, oldest first."""
    counts: dict[str, int] = dict(conn.execute(select(_J.c.run_uuid, func.count()).group_by(_J.c.run_uuid)).all())
    closed = {r[0] for r in conn.execute(select(_J.c.run_uuid).where(_J.c.kind == str(Kind.RUN_CLOSED)))}
    out = []
    for r in conn.execute(select(_R).order_by(_R.c.created_at, _R.c.name)):
        out.append(
            RunInfo(
                uuid=r.uuid,
                name=r.name,
                runbook_id=r.runbook_id,
                mode=r.mode,
                created_at=r.created_at,
                sha256=_current_sha(conn, r.uuid, r.runbook_sha256),
                closed=r.uuid in closed,
                events=int(counts.get(r.uuid, 0)),
            )
        )
    return out


def find_run(conn: Connection, ref: str | None, *, unambiguous: bool = False) -> RunInfo:
    """A run by name, UUID or UUID prefix; with no ref, the most recent open run.

    `unambiguous` (for anything that writes) refuses to guess between several open runs: a
    sign-off meant for the live run must never land in a rehearsal.
    """
    runs = list_runs(conn)
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


def runbook_of(conn: Connection, sha256: str) -> Runbook:
    """The validated runbook stored under `sha256`."""
    row = conn.execute(select(_V.c.normalized).where(_V.c.sha256 == sha256)).first()
    if row is None:
        raise GoliveError(f"runbook version {sha256[:12]} is missing from the database")
    try:
        return read_stored(str(row[0]))
    except ValueError:
        raise GoliveError(
            f"runbook version {sha256[:12]} in the database no longer reads as a runbook (edited?): "
            "`golive verify` says more"
        ) from None


def read_stored(normalized: str) -> Runbook:
    """A stored form as the Runbook it holds: rebuilt directly when golive has validated these exact
    bytes under this schema before (see golive.store.rebuild), else validated in full (and noted)."""
    digest = rebuild.form_digest(normalized)
    was_enabled = gc.isenabled()
    gc.disable()  # tens of thousands of objects and no garbage: the collector would only walk them
    try:
        if rebuild.validated(digest):
            try:
                return rebuild.rebuild(Runbook, from_json(normalized))
            except (rebuild.CannotRebuild, ValueError):
                pass  # not the shape golive writes: validate it in full below
        runbook = Runbook.model_validate_json(normalized)
    finally:
        if was_enabled:
            gc.enable()
    rebuild.note_validated(digest)
    return runbook


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
    rebuild.note_validated(rebuild.form_digest(normalized))  # just validated: reopening it need not again
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
) -> LoadOutcome:
    """Create (or find, or upgrade) the run for this runbook text, as one transaction."""
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
            journal.append(
                conn, current.uuid, Kind.UPGRADED, actor, machine,
                payload={
                    "sha256": loaded.sha256, "from_sha256": current.sha256,
                    "version": meta.version, "file": loaded.file,
                },
            )  # fmt: skip
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
        journal.append(
            conn, run_uuid, Kind.LOADED, actor, machine,
            payload={
                "runbook": meta.id, "version": meta.version, "sha256": loaded.sha256,
                "file": loaded.file, "mode": mode, "run": name,
            },
        )  # fmt: skip
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
