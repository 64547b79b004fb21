"""Runs: create one from a runbook version, find them, and know which version each holds now.

Loading is idempotent (the same text into the same open run does nothing) and refuses to slip a
changed runbook under a run that already has events: the technician chooses `--new-run` or
`--upgrade`, and an upgrade is itself a journal event naming both versions.
"""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine

from golive.problems import GoliveError
from golive.progress.events import Actor
from golive.progress.payloads import Loaded, Upgraded
from golive.runbook.checks import JacksCheck
from golive.runbook.load import LoadedRunbook
from golive.runbook.schema import Runbook
from golive.store.repository import Repository, RunInfo, Writer
from golive.store.tables import Run, RunbookVersion

__all__ = ["LoadOutcome", "RunInfo", "current_run", "find_run", "list_runs", "load", "unchanged_run"]


def list_runs(engine: Engine) -> list[RunInfo]:
    """Every run, oldest first."""
    with Repository(engine).read() as tx:
        return tx.runs()


def find_run(engine: Engine, ref: str | None, *, unambiguous: bool = False) -> RunInfo:
    """A run by name, UUID or UUID prefix; with no ref, the most recent open run."""
    with Repository(engine).read() as tx:
        return tx.find_run(ref, unambiguous=unambiguous)


def current_run(runs: list[RunInfo], runbook_id: str, mode: str) -> RunInfo | None:
    """The open run `load` finds, upgrades or refuses for this runbook in this mode: the newest."""
    same = [r for r in runs if r.runbook_id == runbook_id and r.mode == mode and not r.closed]
    return same[-1] if same else None


def unchanged_run(engine: Engine, sha256: str, mode: str) -> RunInfo | None:
    """The run that loading the text with this digest would find "unchanged", decided without the
    text itself (golive validated those bytes when it stored them), or None: then `load` decides."""
    runs = list_runs(engine)
    held = [r for r in runs if r.sha256 == sha256 and r.mode == mode and not r.closed]
    current = current_run(runs, held[-1].runbook_id, mode) if held else None
    return current if current is not None and current.sha256 == sha256 else None


def _store_version(tx: Writer, loaded: LoadedRunbook) -> None:
    if tx.version(loaded.sha256) is not None:
        return
    meta = loaded.runbook.runbook
    normalized = loaded.runbook.model_dump_json(by_alias=True, exclude_unset=True)
    try:
        faithful = Runbook.model_validate_json(normalized).model_dump() == loaded.runbook.model_dump()
    except ValueError:
        faithful = False
    if not faithful:  # never store a runbook that would read back differently, or not at all
        raise GoliveError(f"{loaded.file}: golive cannot store this runbook faithfully; please report it")
    tx.add_version(
        RunbookVersion(
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
    with Repository(engine).write() as tx:
        current = current_run(tx.runs(), meta.id, mode)
        if current is not None and not new_run:
            if current.sha256 == loaded.sha256:
                return LoadOutcome(current, "unchanged")
            if not upgrade:
                held = tx.version(current.sha256)
                if held is None:
                    raise GoliveError(f"runbook version {current.sha256[:12]} is missing from the database")
                old = held.version
                raise GoliveError(
                    f"{loaded.file}: run {current.name} holds version {old} ({current.sha256[:12]}) of "
                    f"{meta.id}; this file is version {meta.version} ({loaded.sha256[:12]}). Use --upgrade "
                    "to move that run to this file, or --new-run to start a separate run"
                )
            _check_upgrade(tx, current, loaded)
            _store_version(tx, loaded)
            upgraded = Upgraded(
                sha256=loaded.sha256, from_sha256=current.sha256, version=meta.version, file=loaded.file
            )
            tx.append(current.uuid, upgraded, actor, machine, now=now)
            return LoadOutcome(tx.find_run(current.uuid), "upgraded")
        if upgrade and current is None:
            raise GoliveError(f"{loaded.file}: no open {mode} run of {meta.id} to upgrade")
        _store_version(tx, loaded)
        name = f"{meta.id}-{mode}-{tx.runs_of(meta.id, mode) + 1}"
        run_uuid = str(uuidlib.uuid4())
        tx.add_run(
            Run(
                uuid=run_uuid, name=name, runbook_id=meta.id, mode=mode, runbook_sha256=loaded.sha256,
                created_at=datetime.now(UTC).isoformat(timespec="microseconds"), machine=machine,
            )
        )  # fmt: skip
        first = Loaded(
            runbook=meta.id, version=meta.version, sha256=loaded.sha256, file=loaded.file, mode=mode, run=name
        )
        tx.append(run_uuid, first, actor, machine, now=now)
        return LoadOutcome(tx.find_run(run_uuid), "created")


def _check_upgrade(tx: Writer, run: RunInfo, loaded: LoadedRunbook) -> None:
    """An upgrade may not orphan a task the journal already speaks of, nor a jack a person confirmed."""
    missing = sorted(tx.task_ids(run.uuid) - set(loaded.runbook.tasks))
    if missing:
        raise GoliveError(
            f"{loaded.file}: cannot upgrade {run.name}: the journal has events for tasks this version drops "
            f"({', '.join(missing[:5])}{'...' if len(missing) > 5 else ''}); use --new-run"
        )
    every = {jack.jack for jack in loaded.runbook.portmap.jacks} if loaded.runbook.portmap else set()
    held = {
        (f"{task.id}#{n}", label)
        for task in loaded.runbook.tasks.values()
        for n, check in enumerate(task.checks, 1)
        if isinstance(check, JacksCheck)
        for label in (every & set(check.jacks) if check.jacks else every)
    }
    orphaned = sorted(f"{jack} in {check}" for check, jack in tx.confirmed_jacks(run.uuid) - held)
    if orphaned:
        raise GoliveError(
            f"{loaded.file}: cannot upgrade {run.name}: jacks confirmed by hand are not in this version's "
            f"jacks checks: {', '.join(orphaned[:5])}{'...' if len(orphaned) > 5 else ''}; use --new-run"
        )
