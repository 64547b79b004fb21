"""Fixtures for the TUI tests: a loaded run in a scratch database, a fixed clock, a fixed zone."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

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


async def opened(pilot: Pilot[Any], timeout: float = 30.0) -> None:
    """Wait until the app has opened its run (RunOpened handled: the actions are enabled), then
    until it is idle."""
    app: Any = pilot.app
    deadline = time.monotonic() + timeout
    while not app.opened and app.failure is None and time.monotonic() < deadline:
        await asyncio.sleep(0.005)
    await pilot.pause()
    assert app.opened, f"the run was not opened: {app.failure!r}"


@pytest.fixture
def small_run(tmp_path: Path, runbook_file: Path) -> tuple[Path, Cutover]:
    db = tmp_path / "golive.db"
    return db, load_run(db, runbook_file, rehearsal=False)
