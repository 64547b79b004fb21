"""Text from a runbook or a person is shown as text, never read as Textual markup.

A role description, a phase or task title, instructions or a name may hold brackets (`[on-site]`,
`[/]`): read as markup they would vanish from the screen or, unbalanced, raise and end the app on
its first frame. Every screen that shows such text is opened here with brackets in all of it.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from textual.widgets import OptionList, Select

from golive.progress.events import Actor
from golive.tui import operator as operators
from golive.tui.app import GoliveApp
from golive.tui.screens.main import MainScreen
from tests.tui.conftest import SAMPLE, load_run, opened

SIZE = (120, 40)
ODD = "[/] [b]bold?[/b] [on-site]"


def _bracketed(tmp_path: Path) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace(
        "net_eng: Network engineer on site; runs the checks", f"net_eng: 'Network engineer {ODD} runs the checks"
    ).replace("owns the switch configuration\n", "owns the switch configuration'\n", 1)
    text = text.replace("title: Pre-checks (T-60)", f"title: 'Pre-checks {ODD}'")
    text = text.replace("title: Verify the new stack's uplinks to the core", f"title: 'Verify the uplinks {ODD}'")
    path = tmp_path / "bracketed.yaml"
    path.write_text(text, encoding="utf-8")
    shutil.copy(SAMPLE.with_name("idf2b-portmap.csv"), path.parent)  # the port map it names
    return path


def test_brackets_in_runbook_text_and_names_are_shown_as_they_are(tmp_path: Path) -> None:
    db = tmp_path / "golive.db"
    cutover = load_run(db, _bracketed(tmp_path))
    assert ODD in cutover.runbook.roles["net_eng"] and ODD in cutover.runbook.phases[0].title
    operators.remember(Actor(f"Ana {ODD}", "AB", "net_eng"))  # initials of the name as written

    async def drive() -> None:
        app = GoliveApp(db, cutover.run.uuid, poll=False, focus_task="pre-uplink")
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            roles = app.screen.query_one(OptionList)
            assert ODD in str(roles.get_option_at_index(1).prompt)  # the identity form lists it as written
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
            for tab in ("1", "3", "4", "5", "2"):
                await pilot.press(tab)
                await pilot.pause()
            for select in app.screen.query(Select):  # the filters' drop-downs (phase titles, names)
                select.action_show_overlay()
                await pilot.pause()
                select.expanded = False
            await pilot.press("enter")  # the task's detail: its title
            await pilot.pause()
            await pilot.press("o")  # the sign-off form: the roles in its drop-down
            await pilot.pause()
            for select in app.screen.query(Select):
                select.action_show_overlay()
                await pilot.pause()
            await pilot.press("escape", "escape", "escape")
            await pilot.pause()
            assert app.return_code is None  # nothing ended the app

    asyncio.run(drive())
