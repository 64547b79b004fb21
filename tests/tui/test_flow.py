"""A whole cutover driven through the TUI with Pilot, against the lab's real SSH/SNMP peers.

Start, run checks (one fails: a VLAN fault injected in the lab), sign-off refused with the core's
reason, an override refused without a reason and without a second person, then accepted, sign
off, pass the two-person gate, finish; quit, reopen, and find everything as it was.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static

from golive.progress.events import Kind
from golive.progress.state import TaskState
from golive.store.cutover import Cutover
from golive.tui import operator as operators
from golive.tui.app import GoliveApp
from golive.tui.screens.main import MainScreen
from golive.tui.screens.task_detail import TaskScreen
from golive.tui.widgets.check_table import CheckTable
from tests.peers.lab import running_lab
from tests.tui.conftest import ANA, load_run, opened

SIZE = (100, 32)


async def _fill(app: GoliveApp, **values: str) -> None:
    for name, value in values.items():
        widget = app.screen.query_one(f"#field-{name}")
        if isinstance(widget, Select):
            widget.value = value
        else:
            assert isinstance(widget, Input)
            widget.value = value


def _form_error(app: GoliveApp) -> str:
    return str(app.screen.query_one("#form-error", Static).render())


async def _run_checks(app: GoliveApp, pilot: object) -> None:
    await pilot.press("c")  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


@pytest.mark.slow
def test_a_cutover_through_the_tui_against_the_lab(tmp_path: Path, runbook_file: Path) -> None:
    asyncio.run(_cutover(tmp_path, runbook_file))


async def _cutover(tmp_path: Path, runbook_file: Path) -> None:
    db = tmp_path / "golive.db"
    uuid = load_run(db, runbook_file, rehearsal=True).run.uuid
    operators.remember(ANA)
    with running_lab(runbook_file, register=False) as lab:
        lab.fault("sw1", "wrong-vlan", "Gi1/0/5", 999)
        app = GoliveApp(db, uuid, lab=lab.info, poll=False)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            cutover = app.cutover
            # the remembered operator is offered; Enter (on Start) confirms it
            assert app.screen.query_one("#field-name", Input).value == "Ana Ruiz"
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
            assert app.operator == ANA

            # uplink: start, open, run its check (passes against the lab), sign off
            await pilot.press("s")
            assert cutover.state.tasks["uplink"].state is TaskState.IN_PROGRESS
            await pilot.press("enter")
            assert isinstance(app.screen, TaskScreen)
            await _run_checks(app, pilot)
            assert [r.status.value for _, r in app.view.latest_checks("uplink").values()] == ["pass"]
            await pilot.press("o")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert cutover.state.tasks["uplink"].state is TaskState.DONE

            # patch: its VLAN check fails on the faulted port
            await pilot.press("escape")
            await pilot.press("down")
            await pilot.press("s")
            await pilot.press("enter")
            await _run_checks(app, pilot)
            (_, result) = app.view.latest_checks("patch")["patch#1"]
            assert result.status.value == "fail"
            assert result.ports["Gi1/0/5"].status.value == "fail"
            table = app.screen.query_one(CheckTable)
            assert "fail" in str(table.get_row_at(0)[0])

            # sign-off refused by the core, with its reason shown in the form
            await pilot.press("o")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "patch cannot be signed: patch#1 fail;" in _form_error(app)
            await pilot.press("escape")

            # override: no reason, then the same person, then a real second person
            await pilot.press("v")
            await _fill(app, approver_name="Lee Chan", approver_initials="LC", approver_role="lead")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "needs a reason" in _form_error(app)
            await _fill(app, reason="room 105 is empty tonight", approver_name="ana  ruiz", approver_initials="AR")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "second person" in _form_error(app)
            await _fill(app, approver_name="Lee Chan", approver_initials="LC")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert cutover.state.tasks["patch"].overridden
            await pilot.press("o")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert cutover.state.tasks["patch"].state is TaskState.DONE

            # the gate: the core refuses the net role; lead and pm, two people, pass it
            await pilot.press("escape")
            await pilot.press("3")
            assert app.current_task() == "gate"
            await pilot.press("o")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "may not sign off gate" in _form_error(app)
            await _fill(app, name="Lee Chan", initials="LC", role="lead")
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.press("o")
            await _fill(app, name="Lee Chan", initials="LC", role="pm")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "different person" in _form_error(app)
            await _fill(app, name="Sam Ode", initials="SO", role="pm")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert cutover.state.tasks["gate"].state is TaskState.DONE

            # finish: the last task, signed by the pm
            await pilot.press("2")
            await pilot.press("end")
            assert app.current_task() == "close"
            await pilot.press("s")
            await pilot.press("o")
            await _fill(app, name="Sam Ode", initials="SO", role="pm")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert all(p.state is TaskState.DONE for p in cutover.state.tasks.values())
            await pilot.press("q")

    # reopen: the same run, the same state, the last results, and the new session in the journal
    again = Cutover.open(db, uuid)
    assert {t: p.state for t, p in again.state.tasks.items()} == {t: TaskState.DONE for t in again.state.tasks}
    sessions = [e.payload.what for e in again.events if e.kind is Kind.SESSION]
    assert sessions == ["opened", "closed"]
    app2 = GoliveApp(db, uuid, poll=False)
    async with app2.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert app2.view.latest_checks("patch")["patch#1"][1].status.value == "fail"
        await app2.action_open_task("patch")
        await pilot.pause()
        assert "fail" in str(app2.screen.query_one(CheckTable).get_row_at(0)[0])
    sessions = [e.payload.what for e in Cutover.open(db, uuid).events if e.kind is Kind.SESSION]
    assert sessions == ["opened", "closed", "opened"]  # the second app was not quit with q: no "closed"


def test_the_session_is_journaled_as_the_run_opens_and_before_any_action(tmp_path: Path) -> None:
    """With the operator known, the session is the first event the app journals: before any
    action, and even when the app is quit at once."""
    from tests.tui.conftest import SAMPLE

    db = tmp_path / "golive.db"
    uuid = load_run(db, SAMPLE).run.uuid

    def kinds() -> list[str]:
        return [e.kind.value for e in Cutover.open(db, uuid).events]

    async def open_then_note() -> None:
        app = GoliveApp(db, uuid, operator=ANA, ask_operator=False, poll=False)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            assert app.session_begun and kinds() == ["loaded", "session"]
            await pilot.press("n", *"first thing", "enter")
            await pilot.pause()
            assert kinds() == ["loaded", "session", "note"]

    async def quit_at_once() -> None:
        app = GoliveApp(db, uuid, operator=ANA, ask_operator=False, poll=False)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await pilot.press("q")

    asyncio.run(open_then_note())
    asyncio.run(quit_at_once())
    assert kinds() == ["loaded", "session", "note", "session", "session"]
    closing = [e.payload.what for e in Cutover.open(db, uuid).events if e.kind is Kind.SESSION]
    assert closing == ["opened", "opened", "closed"]
