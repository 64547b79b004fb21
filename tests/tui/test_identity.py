"""Who is at the keyboard: the first screen of every `golive run`, and light enough to be.

It lists the runbook's roles in the form (no drop-down to open), says the chosen role in words
beside its label (not by the highlight's colour alone), saves on Enter from the last field, and
is made of Inputs, an OptionList and a line of clickable keys: no Select and no Buttons, whose
making was two thirds of the form's cost before its first frame.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual.widgets import Button, Input, Label, OptionList, Select

from golive.progress.events import Actor
from golive.tui import operator as operators
from golive.tui.app import GoliveApp
from golive.tui.screens.identity import IdentityScreen
from golive.tui.screens.main import MainScreen
from tests.tui.conftest import ANA, SAMPLE, load_run, opened

SIZE = (100, 36)


def _label(app: GoliveApp) -> str:
    return str(app.screen.query_one("#label-role", Label).render())


async def _enter(app: GoliveApp, pilot: Any) -> Actor | None:
    """Press Enter on the identity form: the main screen must follow; who is at the keyboard then."""
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, MainScreen)
    return app.operator


def test_a_remembered_operator_is_offered_and_enter_on_another_role_starts(tmp_path: Path) -> None:
    db = tmp_path / "golive.db"
    cutover = load_run(db, SAMPLE)
    roles = list(cutover.runbook.roles)
    known = Actor(ANA.name, ANA.initials, roles[1])
    operators.remember(known)

    async def drive() -> None:
        app = GoliveApp(db, cutover.run.uuid, poll=False)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            assert isinstance(app.screen, IdentityScreen)
            assert not app.screen.query(Select) and not app.screen.query(Button)
            assert app.screen.query_one("#field-name", Input).value == "Ana Ruiz"
            assert _label(app) == f"Role you act in tonight: {roles[1]}"  # in words
            assert isinstance(app.focused, OptionList)  # all filled in: on the last field
            await pilot.press("down")
            assert _label(app) == f"Role you act in tonight: {roles[2]}"
            assert await _enter(app, pilot) == Actor("Ana Ruiz", "AR", roles[2])

    asyncio.run(drive())


def test_a_new_operator_types_their_name_and_picks_a_role(tmp_path: Path) -> None:
    db = tmp_path / "golive.db"
    cutover = load_run(db, SAMPLE)
    roles = list(cutover.runbook.roles)

    async def drive() -> None:
        app = GoliveApp(db, cutover.run.uuid, poll=False)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            assert isinstance(app.focused, Input) and app.focused.id == "field-name"
            await pilot.press(*"Lee Chan", "tab", "tab")
            assert isinstance(app.focused, OptionList)
            assert _label(app) == "Role you act in tonight: none"  # no role is guessed
            await pilot.press("down", "down", "up")
            assert await _enter(app, pilot) == Actor("Lee Chan", "LC", roles[0])  # initials made from the name

    asyncio.run(drive())


def test_a_remembered_role_this_runbook_lacks_is_not_swapped_for_another(tmp_path: Path) -> None:
    db = tmp_path / "golive.db"
    cutover = load_run(db, SAMPLE)
    operators.remember(Actor("Ana Ruiz", "AR", "role-of-another-runbook"))

    async def drive() -> None:
        app = GoliveApp(db, cutover.run.uuid, poll=False)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            assert _label(app) == "Role you act in tonight: none"
            assert await _enter(app, pilot) == Actor("Ana Ruiz", "AR", "")  # as before: a sign-off form asks

    asyncio.run(drive())


def test_a_click_on_a_role_chooses_it_and_enter_then_starts(tmp_path: Path) -> None:
    db = tmp_path / "golive.db"
    cutover = load_run(db, SAMPLE)
    roles = list(cutover.runbook.roles)
    operators.remember(Actor("Ana Ruiz", "AR", roles[0]))

    async def drive() -> None:
        app = GoliveApp(db, cutover.run.uuid, poll=False)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await pilot.click(OptionList, offset=(2, 3))  # the fourth line: the third role
            await pilot.pause()
            assert isinstance(app.screen, IdentityScreen)  # chosen, not started
            assert _label(app) == f"Role you act in tonight: {roles[2]}"
            assert await _enter(app, pilot) == Actor("Ana Ruiz", "AR", roles[2])

    asyncio.run(drive())
