"""The task detail sizes its instructions to their text: the checks follow right under a short
text, and a long one stops at half the screen and scrolls (it took all the room left before, so a
short text left a tall empty gap above the checks)."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from golive.tui.app import GoliveApp
from golive.tui.screens.task_detail import TaskScreen
from tests.tui.conftest import ANA, SAMPLE, load_run, opened

SIZE = (100, 30)
LONG_TASK = "pre-notify-clinic"  # the sample's first task, given sixty more lines of instructions below


def _long_instructions(path: Path) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    marker = "        instructions: |\n"
    at = text.index(marker) + len(marker)
    extra = "".join(f"          Step {n}: read the next line of the plan aloud.\n\n" for n in range(60))
    path.write_text(text[:at] + extra + text[at:], encoding="utf-8")
    shutil.copy(SAMPLE.with_name("idf2b-portmap.csv"), path.parent)  # the port map it names
    return path


def test_instructions_size_to_their_text_up_to_half_the_screen(tmp_path: Path) -> None:
    db = tmp_path / "golive.db"
    cutover = load_run(db, _long_instructions(tmp_path / "long.yaml"))
    short_task = "pre-uplink"
    assert cutover.runbook.tasks[short_task].checks and not cutover.runbook.tasks[LONG_TASK].checks

    async def run() -> None:
        app = GoliveApp(db, cutover.run.uuid, operator=ANA, ask_operator=False, poll=False)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            for task, long in ((short_task, False), (LONG_TASK, True)):
                await app.action_open_task(task)
                await pilot.pause()
                screen = app.screen
                assert isinstance(screen, TaskScreen)
                box = screen.query_one("#instructions")
                below = screen.query_one("#checks" if not long else "#no-checks")
                assert below.region.y == box.region.bottom  # the checks right under the text
                if long:
                    assert 8 < box.region.height <= SIZE[1] // 2 and box.max_scroll_y > 0
                else:
                    assert box.region.height < 8 and box.max_scroll_y == 0
                await pilot.press("escape")
                await pilot.pause()

    asyncio.run(run())
