"""Issue 14's record rules through the TUI: real keys on a real screen (Pilot), a real SQLite file.

The core refuses what the rules forbid (golive.progress.rules, golive.store.cutover); these tests
check that the screen offers the right thing first (a confirm, a form starting where the person
types) and that what the journal then holds is exactly what was done, by exactly whom.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.widgets import Input, Static

from golive.progress.events import Actor, Kind
from golive.progress.payloads import Checked, Session, Started
from golive.progress.state import TaskState
from golive.store.cutover import Cutover
from golive.tui.app import GoliveApp
from golive.tui.screens.identity import IdentityScreen
from golive.tui.screens.main import MainScreen
from golive.tui.screens.signoff import SignOffScreen
from tests.peers.lab import running_lab
from tests.tui.conftest import ANA, FIXED, load_run, opened

from ..conftest import passed

SIZE = (100, 32)
LEE = Actor("Lee Chan", "LC", "lead")


def _journal(db: Path, uuid: str) -> list[Any]:
    return Cutover.open(db, uuid).events


async def _until(pilot: Any, done: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    await pilot.pause()


def test_a_live_run_never_checks_against_the_lab_it_is_handed(tmp_path: Path, runbook_file: Path) -> None:
    db = tmp_path / "golive.db"
    uuid = load_run(db, runbook_file, rehearsal=False).run.uuid

    async def drive() -> None:
        with running_lab(runbook_file, register=False) as lab:
            app = GoliveApp(db, uuid, operator=ANA, ask_operator=False, poll=False, now=lambda: FIXED,
                            lab=lab.info, focus_task="uplink")  # fmt: skip
            async with app.run_test(size=SIZE) as pilot:
                await opened(pilot)
                await pilot.press("c")
                await _until(pilot, lambda: any(isinstance(e.payload, Checked) for e in app.cutover.events))
        results = [e.payload for e in _journal(db, uuid) if isinstance(e.payload, Checked)]
        assert results and not any(r.lab for r in results)
        assert "golive lab" not in results[0].reason  # the hint is true for a LIVE run
        assert "never the lab" in results[0].reason

    asyncio.run(drive())


def test_start_sign_off_save_on_a_task_whose_checks_never_ran_is_refused(tmp_path: Path, runbook_file: Path) -> None:
    db = tmp_path / "golive.db"
    uuid = load_run(db, runbook_file, rehearsal=False).run.uuid

    async def drive() -> None:
        app = GoliveApp(db, uuid, operator=ANA, ask_operator=False, poll=False, now=lambda: FIXED, focus_task="uplink")
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await pilot.press("s", "o", "ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, SignOffScreen)  # the form stays, saying why
            error = str(app.screen.query_one("#form-error", Static).render())
            assert "uplink cannot be signed: uplink#1 never run;" in error
        assert Cutover.open(db, uuid).state.tasks["uplink"].state is TaskState.IN_PROGRESS
        assert not any(e.kind is Kind.SIGNED_OFF for e in _journal(db, uuid))

    asyncio.run(drive())


def _gate_ready(db: Path, runbook_file: Path) -> str:
    cutover = load_run(db, runbook_file, rehearsal=False)
    cutover.clock = lambda: FIXED
    for task in ("uplink", "patch"):
        cutover.start(task, ANA)
        cutover.record_check(task, ANA, passed(task))
        cutover.sign_off(task, ANA, "ok")
    return cutover.run.uuid


def test_the_sign_off_form_records_exactly_who_signs(tmp_path: Path, runbook_file: Path) -> None:
    """The gate needs a lead and a PM: no role is guessed, so the form starts on the name; once the
    lead has signed, the PM's role (the one missing) is offered, and another person's name typed
    over the operator's journals that person with their own initials."""
    db = tmp_path / "golive.db"
    uuid = _gate_ready(db, runbook_file)

    async def drive() -> None:
        app = GoliveApp(db, uuid, operator=ANA, ask_operator=False, poll=False, now=lambda: FIXED, focus_task="gate")
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await pilot.press("o")
            assert isinstance(app.screen, SignOffScreen)
            assert isinstance(app.focused, Input) and app.focused.id == "field-name"  # two roles to choose from
            await pilot.press("escape")
            app.cutover.sign_off("gate", LEE, "clinic ready")
            app.changed()
            await pilot.press("o")
            assert isinstance(app.focused, Input) and app.focused.id == "field-comment"  # role offered: pm
            await pilot.press("shift+tab", "shift+tab", "shift+tab", *"Sam Ode", "ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
        signed = [e for e in _journal(db, uuid) if e.kind is Kind.SIGNED_OFF and e.task == "gate"]
        assert [e.actor for e in signed] == [LEE, Actor("Sam Ode", "SO", "pm")]

    asyncio.run(drive())


def test_change_operator_hands_over_and_is_journaled(tmp_path: Path, runbook_file: Path) -> None:
    db = tmp_path / "golive.db"
    uuid = load_run(db, runbook_file, rehearsal=False).run.uuid

    async def drive() -> None:
        app = GoliveApp(db, uuid, operator=ANA, ask_operator=False, poll=False, now=lambda: FIXED)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            assert "Change operator" in [c.title for c in app.get_system_commands(app.screen)]  # in the palette
            await pilot.press("w")
            assert isinstance(app.screen, IdentityScreen)
            assert isinstance(app.focused, Input) and app.focused.id == "field-name" and app.focused.value == ""
            await pilot.press(*"Lee Chan", "tab", "tab", "down", "enter")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
            assert app.operator == Actor("Lee Chan", "LC", "net")
            await pilot.press("n", *"night shift on", "enter")
            await pilot.pause()
        events = _journal(db, uuid)
        handover = [e for e in events if isinstance(e.payload, Session) and e.payload.what == "handover"]
        assert len(handover) == 1 and handover[0].actor == Actor("Lee Chan", "LC", "net")
        assert handover[0].payload.previous is not None and handover[0].payload.previous.name == "Ana Ruiz"
        assert events[-1].kind is Kind.NOTE and events[-1].actor == Actor("Lee Chan", "LC", "net")

    asyncio.run(drive())


def test_a_live_run_started_outside_its_window_asks_first(tmp_path: Path, runbook_file: Path) -> None:
    db = tmp_path / "golive.db"
    uuid = load_run(db, runbook_file, rehearsal=False).run.uuid
    early = FIXED - timedelta(minutes=10) - timedelta(hours=61)  # 61 h before the window opens

    async def drive() -> None:
        from golive.tui.screens.confirm import ConfirmScreen  # (new with this rule)

        app = GoliveApp(db, uuid, operator=ANA, ask_operator=False, poll=False, now=lambda: early, focus_task="uplink")
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await pilot.press("s")
            assert isinstance(app.screen, ConfirmScreen)
            assert "61h00m before the window opens" in str(app.screen.about)
            assert not any(e.kind is Kind.STARTED for e in _journal(db, uuid))
            await pilot.press("y")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
        started = [e for e in _journal(db, uuid) if e.kind is Kind.STARTED]
        assert len(started) == 1 and started[0].actor == ANA
        assert isinstance(started[0].payload, Started) and started[0].payload.outside_window_min == -61 * 60

    asyncio.run(drive())
