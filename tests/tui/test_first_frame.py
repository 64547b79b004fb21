"""The main screen is laid out and drawn as it will stay: nothing it does as it opens makes Textual
lay it out or restyle it again right after (each costs a layout and a repaint of the main screen
before a 5,000-task run is ready to act).

- the task list is focused as the screen is composed (no other widget is focused first);
- the task list has no sideways scrollbar (its rows are drawn at its width);
- the other tabs are made when first shown (or first needed: the gate keys), not as the run opens;
- each row on screen is drawn once (a long list has its scrollbar from the first layout).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen
from textual.widget import Widget

from golive.tui.app import GoliveApp
from golive.tui.screens.main import MainScreen
from golive.tui.widgets.gate_view import GateView
from golive.tui.widgets.task_list import TaskList
from tests.tui.conftest import ANA, SAMPLE, load_run, opened


def _app(tmp_path: Path) -> GoliveApp:
    db = tmp_path / "golive.db"
    return GoliveApp(db, load_run(db, SAMPLE).run.uuid, operator=ANA, ask_operator=False, poll=False)


def test_the_task_list_is_the_first_and_only_widget_focused_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    focused: list[Widget | None] = []
    real = Screen.set_focus

    def recording(self: Screen[Any], widget: Widget | None, *args: Any, **kwargs: Any) -> None:
        if isinstance(self, MainScreen) and widget is not self.focused:
            focused.append(widget)
        real(self, widget, *args, **kwargs)

    monkeypatch.setattr(Screen, "set_focus", recording)

    async def run() -> None:
        app = _app(tmp_path)
        async with app.run_test(size=(100, 30)) as pilot:
            await opened(pilot)
            tasks = app.screen.query_one(TaskList)
            assert focused == [tasks] and app.screen.focused is tasks
            await pilot.press("down")  # and it takes the keys
            assert tasks.cursor == 1

    asyncio.run(run())


def test_the_task_list_has_no_sideways_scrollbar(tmp_path: Path) -> None:
    async def run() -> None:
        app = _app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:  # more tasks than rows: a vertical scrollbar
            await opened(pilot)
            tasks = app.screen.query_one(TaskList)
            assert tasks.show_vertical_scrollbar
            assert not tasks.show_horizontal_scrollbar and tasks.max_scroll_x == 0
            # every row under the header shows a task
            assert tasks.scrollable_content_region.height == tasks.size.height

    asyncio.run(run())


def test_the_other_tabs_are_made_when_first_shown_and_the_gate_keys_work_before(tmp_path: Path) -> None:
    async def run() -> None:
        app = _app(tmp_path)
        async with app.run_test(size=(100, 30)) as pilot:
            await opened(pilot)
            switcher = app.screen.query_one("#tabs")
            assert [c.id for c in switcher.children] == ["tasks"]  # the run opened on the task list only
            gates = app.view.gates()
            assert len(gates) >= 2
            await pilot.press("right_square_bracket")  # the next gate, its tab never shown: made, hidden
            gate = app.screen.query_one("#gate-body", GateView)
            assert not app.screen.query_one("#gate").display and gate.current_gate() is not None
            chosen = gate.current_gate()
            for key, tab in (("3", "gate"), ("1", "overview"), ("4", "ports"), ("5", "journal"), ("2", "tasks")):
                await pilot.press(key)
                await pilot.pause()
                shown = [c.id for c in switcher.children if c.display]
                assert shown == [tab], (key, shown)
            assert gate.current_gate() == chosen
            assert sorted(c.id for c in switcher.children) == ["gate", "journal", "overview", "ports", "tasks"]
            assert app.screen.focused is app.screen.query_one("#task-list")

    asyncio.run(run())


def test_the_first_frame_draws_each_row_on_screen_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [
        "runbook:", "  id: long", "  title: Long", "  version: 1",
        '  window: {start: "2026-12-05T22:00-05:00", end: "2026-12-07T06:00-05:00"}',
        "roles: {net: Network engineer}", "phases:", "  - id: all", "    title: All", "    tasks:",
    ]  # fmt: skip
    for n in range(200):  # more rows than the screen has lines
        lines += [f"      - id: t{n:03d}", f"        title: Task {n}", "        owner: net", "        duration: 1m"]
    (tmp_path / "long.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "golive.db"
    uuid = load_run(db, tmp_path / "long.yaml").run.uuid
    drawn: list[int] = []
    real = TaskList.row_cells

    def counting(self: TaskList, index: int) -> Any:
        drawn.append(index)
        return real(self, index)

    monkeypatch.setattr(TaskList, "row_cells", counting)

    async def run() -> None:
        app = GoliveApp(db, uuid, operator=ANA, ask_operator=False, poll=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await opened(pilot)
            rows = app.screen.query_one(TaskList).scrollable_content_region.height - 1  # (the header)
            assert rows > 10 and sorted(drawn) == list(range(rows))

    asyncio.run(run())
