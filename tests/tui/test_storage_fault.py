"""The database refusing a write (a full disk, a lock, a foreign trigger) while the TUI runs: the app
keeps running, says what was not saved, keeps the check results it could not journal, and saves them
with the next results once the database takes writes again. Nothing typed or measured is lost.

The refusal here is a real one from SQLite: a trigger added by another program that drops every
insert into the journal (golive reads each event back and refuses to pretend it was saved)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from golive.progress.events import Kind
from golive.store.cutover import Cutover
from golive.tui import operator as operators
from golive.tui.app import GoliveApp
from tests.tui.conftest import ANA, load_run, opened


def _check_results(db: Path, uuid: str) -> int:
    return len([e for e in Cutover.open(db, uuid).events if e.kind is Kind.CHECK_RESULT])


def test_check_results_the_database_refuses_are_kept_and_saved_later(tmp_path: Path, runbook_file: Path) -> None:
    asyncio.run(_refused_then_saved(tmp_path, runbook_file))


async def _refused_then_saved(tmp_path: Path, runbook_file: Path) -> None:
    db = tmp_path / "golive.db"
    uuid = load_run(db, runbook_file, rehearsal=True).run.uuid
    operators.remember(ANA)
    app = GoliveApp(db, uuid, poll=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await opened(pilot)
        await pilot.press("enter")  # the remembered operator
        await pilot.press("s", "enter")  # start the first task, open it
        await pilot.pause()
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TRIGGER quiet BEFORE INSERT ON journal BEGIN SELECT RAISE(IGNORE); END")

        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        kept = len(app.unsaved_results)
        assert kept >= 1
        assert _check_results(db, uuid) == 0
        shown = [n.message for n in app._notifications]
        assert any(f"{kept} check results NOT saved" in m and "did not keep event" in m for m in shown), shown

        await pilot.press("q")  # quitting would lose them: asked first
        await pilot.pause()
        assert app.is_running

        with sqlite3.connect(db) as conn:
            conn.execute("DROP TRIGGER quiet")
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.unsaved_results == []
        assert _check_results(db, uuid) == 2 * kept  # the kept results, then the new run's


def test_a_toast_quoting_markup_or_escapes_shows_them_as_text(tmp_path: Path, runbook_file: Path) -> None:
    async def go() -> None:
        db = tmp_path / "golive.db"
        uuid = load_run(db, runbook_file, rehearsal=True).run.uuid
        app = GoliveApp(db, uuid, poll=False)
        async with app.run_test(size=(100, 32)) as pilot:
            await opened(pilot)
            app.notify("reason: [/] [b]bold?[/b] \x1b]0;pwned\x07", title="[red]x")
            await pilot.pause()
            assert app.is_running
            toast = app._notifications
            assert [n.message for n in toast][-1] == "reason: [/] [b]bold?[/b] \\u001b]0;pwned\\u0007"
            assert [n.title for n in toast][-1] == "[red]x"
            assert all(not n.markup for n in toast)

    asyncio.run(go())
