"""Fixtures for the TUI tests: a loaded run in a scratch database, a fixed clock, a fixed zone."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from golive.progress.events import Actor
from golive.runbook.load import read_runbook
from golive.store.cutover import Cutover
from golive.store.db import open_engine
from golive.store.runs import load

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "runbooks" / "idf-access-stack.yaml"
ANA = Actor("Ana Ruiz", "AR", "net")
FIXED = datetime(2026, 12, 6, 3, 10, tzinfo=UTC)  # 22:10 at the site (UTC-5), ten minutes into the window


@pytest.fixture(autouse=True)
def _utc_zone() -> Iterator[None]:
    """Screens show local times: pin the zone so snapshots and assertions do not depend on the host."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


def load_run(db: Path, file: Path, *, rehearsal: bool = True, now: datetime | None = None) -> Cutover:
    loaded = read_runbook(str(file))
    outcome = load(open_engine(db), loaded, rehearsal=rehearsal, actor=ANA, machine="test/00000000", now=now)
    return Cutover.open(db, outcome.run.uuid)


@pytest.fixture
def small_run(tmp_path: Path, runbook_file: Path) -> tuple[Path, Cutover]:
    db = tmp_path / "golive.db"
    return db, load_run(db, runbook_file, rehearsal=False)
