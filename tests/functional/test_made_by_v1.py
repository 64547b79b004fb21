"""A database an earlier golive made (schema 1, before the store was one repository) still opens,
verifies and exports byte for byte as that golive did, and takes new events on its chain.

The fixture and what that golive printed and exported are in made_by_v1/ (made by its make.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from golive.export.exporter import export_run
from golive.progress.events import Actor
from golive.progress.payloads import Checked
from golive.progress.state import TaskState
from golive.store.cutover import Cutover
from golive.store.db import close_all
from golive.store.repository import Repository
from golive.store.verify import verify_database

FIXTURE = Path(__file__).parent / "made_by_v1"
EXPECTED = FIXTURE / "expected"
EXPORTED = datetime(2026, 12, 6, 14, 0, tzinfo=UTC)  # make.py's EXPORTED: 09:00 at the site
FORMATS = ("csv", "jsonl", "html", "md")
RUNS = {"state": ["clinic-b-live-1", "clinic-b-rehearsal-1"], "merged": ["clinic-b-live-merged"]}


@pytest.fixture
def copy(tmp_path: Path) -> Iterator[Path]:
    for name in ("state.db", "merged.db"):
        shutil.copyfile(FIXTURE / name, tmp_path / name)
    yield tmp_path
    close_all()


@pytest.mark.parametrize("name", list(RUNS))
def test_it_verifies_as_it_did(copy: Path, name: str) -> None:
    db = copy / f"{name}.db"
    lines = [("ok " if ok else "BAD ") + line.replace(str(db), "DB") for line, ok in verify_database(db)]
    assert lines == (EXPECTED / f"verify-{name}.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize(("name", "run", "fmt"), [(n, r, f) for n, runs in RUNS.items() for r in runs for f in FORMATS])
def test_it_exports_byte_for_byte_as_it_did(copy: Path, name: str, run: str, fmt: str) -> None:
    out = copy / "out" / f"{run}.{fmt}"
    out.parent.mkdir(exist_ok=True)
    exported = export_run(copy / f"{name}.db", run, fmt, out, now=EXPORTED)
    assert exported.data.trust.ok
    for path in exported.files:
        assert path.read_bytes() == (EXPECTED / path.name).read_bytes(), path.name


def test_it_opens_and_takes_new_events_on_the_same_chains(copy: Path) -> None:
    db = copy / "state.db"
    live = Cutover.open(db, "clinic-b-live-1")
    assert live.runbook.runbook.version == "2"  # the version the run was upgraded to
    states = {task: p.state for task, p in live.state.tasks.items()}
    assert states == {
        "uplink": TaskState.DONE, "patch": TaskState.DONE, "phones": TaskState.DONE, "gate": TaskState.DONE,
        "close": TaskState.SKIPPED, "labels": TaskState.FAILED,
    }  # fmt: skip
    assert live.state.closed_at is not None
    rehearsal = Cutover.open(db, "clinic-b-rehearsal-1", unambiguous=True)
    ana = Actor("Ana Ruiz", "AR", "net")
    rehearsal.clock = lambda: datetime(2026, 12, 7, 3, 0, tzinfo=UTC) + timedelta(seconds=len(rehearsal.events))
    simulated = [("patch", Checked(check=f"patch#{n}", index=n, status="simulated")) for n in (1, 2)]
    rehearsal.record_checks(ana, simulated)  # a rehearsal with no lab: its checks run, simulated
    rehearsal.sign_off("patch", ana, "rehearsed")
    assert Cutover.open(db, "clinic-b-rehearsal-1").state.tasks["patch"].state is TaskState.DONE
    lines = verify_database(db)
    assert all(ok for _, ok in lines), lines
    assert "clinic-b-rehearsal-1: ok: 7 events" in "\n".join(line for line, _ in lines)
    with Repository.at(db).read() as tx:
        assert [r.name for r in tx.runs()] == RUNS["state"]
