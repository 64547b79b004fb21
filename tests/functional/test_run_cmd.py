"""`golive run`: FILE is loaded into its run first (the same text is the same run again), then the
TUI opens that run in its worker; a run that cannot be opened ends the app with the reason."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import click
import pytest

from golive.cli.run_cmd import open_app
from golive.problems import GoliveError
from golive.store.cutover import Cutover
from tests.tui.conftest import opened

from ..conftest import VALID


def _runs(db: Path) -> set[str]:
    """Every run the database holds (a live and a rehearsal run of one runbook at most, here)."""
    found = set()
    for ref in ("demo-live-1", "demo-rehearsal-1", "demo-live-2", "demo-rehearsal-2"):
        with contextlib.suppress(GoliveError):
            found.add(Cutover.open(db, ref).run.uuid)
    return found


@pytest.mark.parametrize("rehearsal", [False, True])
def test_the_same_file_opens_the_same_run(tmp_path: Path, rehearsal: bool) -> None:
    db, file = tmp_path / "golive.db", tmp_path / "rb.yaml"
    file.write_text(VALID, encoding="utf-8")
    first = open_app(str(file), str(db), rehearsal=rehearsal)
    again = open_app(str(file), str(db), rehearsal=rehearsal)
    assert first.ref is not None and again.ref == first.ref and not first.unambiguous
    assert Cutover.open(db, first.ref).run.rehearsal is rehearsal
    other = open_app(str(file), str(db), rehearsal=not rehearsal)
    assert other.ref != first.ref
    assert _runs(db) == {first.ref, other.ref}


def test_a_changed_file_is_refused_before_the_app_is_made(tmp_path: Path) -> None:
    db, file = tmp_path / "golive.db", tmp_path / "rb.yaml"
    file.write_text(VALID, encoding="utf-8")
    open_app(str(file), str(db), rehearsal=False)
    file.write_text(VALID.replace("version: 1", "version: 2"), encoding="utf-8")
    with pytest.raises(GoliveError):
        open_app(str(file), str(db), rehearsal=False)


def test_rehearsal_applies_to_a_file_only(tmp_path: Path) -> None:
    with pytest.raises(click.UsageError):
        open_app("demo-live-1", str(tmp_path / "golive.db"), rehearsal=True)


def test_no_target_opens_the_only_open_run(tmp_path: Path) -> None:
    db, file = tmp_path / "golive.db", tmp_path / "rb.yaml"
    file.write_text(VALID, encoding="utf-8")
    uuid = open_app(str(file), str(db), rehearsal=False).ref
    app = open_app(None, str(db), rehearsal=False)
    assert app.ref is None and app.unambiguous

    async def drive() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await opened(pilot)
            assert app.cutover.run.uuid == uuid

    asyncio.run(drive())


def test_a_run_that_cannot_be_opened_ends_the_app_with_the_reason(tmp_path: Path) -> None:
    db, file = tmp_path / "golive.db", tmp_path / "rb.yaml"
    file.write_text(VALID, encoding="utf-8")
    open_app(str(file), str(db), rehearsal=False)
    app = open_app("no-such-run", str(db), rehearsal=False)

    async def drive() -> None:
        async with app.run_test(size=(100, 30)):
            for _ in range(3000):
                if app.failure is not None:
                    break
                await asyncio.sleep(0.01)
        assert not app.opened

    asyncio.run(drive())
    assert app.return_code == 1
    assert isinstance(app.failure, GoliveError) and "no-such-run" in str(app.failure)
