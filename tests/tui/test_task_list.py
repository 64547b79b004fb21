"""Moving through a long task list draws only what changed: the rows a cursor move touches."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import ClassVar

from golive.progress.events import Actor
from golive.tui.app import GoliveApp
from golive.tui.widgets.task_list import TaskList
from tests.tui.conftest import ANA, load_run, opened

LONG = 200


def _runbook(path: Path) -> Path:
    lines = [
        "runbook:", "  id: long", "  title: Long", "  version: 1",
        '  window: {start: "2026-12-05T22:00-05:00", end: "2026-12-07T06:00-05:00"}',
        "roles: {net: Network engineer}", "phases:", "  - id: all", "    title: All", "    tasks:",
    ]  # fmt: skip
    for n in range(LONG):
        lines += [f"      - id: t{n:03d}", f"        title: Task {n}", "        owner: net", "        duration: 1m"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_cursor_move_draws_the_rows_it_touches_and_a_change_redraws_them_all(tmp_path: Path) -> None:
    db = tmp_path / "golive.db"
    uuid = load_run(db, _runbook(tmp_path / "long.yaml")).run.uuid

    async def run() -> None:
        app = GoliveApp(db, uuid, operator=ANA, ask_operator=False, poll=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await opened(pilot)
            tasks = app.screen.query_one(TaskList)
            drawn: list[int] = []
            real = tasks.row_cells

            def counting(index: int):  # type: ignore[no-untyped-def]
                drawn.append(index)
                return real(index)

            tasks.row_cells = counting  # type: ignore[method-assign]
            rows = tasks.scrollable_content_region.height - 1
            for _ in range(rows - 1):  # to the last row on screen: no scroll
                await pilot.press("down")
            await pilot.pause()
            assert tasks.scroll_offset.y == 0
            assert sorted(set(drawn)) == list(range(rows))  # each row the cursor left or reached, once
            drawn.clear()
            await pilot.press("down")  # one past the screen: everything scrolls by one row
            await pilot.pause()
            assert tasks.scroll_offset.y == 1
            # the new cursor row (and the line below it, which Textual draws ahead); the rest come from the cache
            assert rows in drawn and len(drawn) <= 2 and set(drawn) <= {rows - 1, rows, rows + 1}, drawn
            drawn.clear()
            app._act_now(lambda: app.cutover.start(tasks.current_task() or "", Actor("Ana Ruiz", "AR", "net")))
            await pilot.pause()
            assert set(range(1, rows + 1)) <= set(drawn)  # the run changed: every row on screen drawn again
            assert "in progress" in str(tasks.row_cells(rows)[0][1])

    asyncio.run(run())


def test_the_journal_filters_are_made_when_the_tab_is_first_shown_and_filter(tmp_path: Path) -> None:
    from textual.widgets import Select

    from golive.tui.widgets.journal_list import JournalList

    db = tmp_path / "golive.db"
    cutover = load_run(db, _runbook(tmp_path / "long.yaml"))
    lee = Actor("Lee Chan", "LC", "net")
    cutover.note(lee, "closet 3 is locked")

    async def run() -> None:
        app = GoliveApp(db, cutover.run.uuid, operator=ANA, ask_operator=False, poll=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await opened(pilot)
            assert not app.screen.query("#journal-kind")  # not made until the tab is first shown
            await pilot.press("5")
            await pilot.pause()
            journal = app.screen.query_one(JournalList)
            assert [e.kind.value for e in journal.events] == ["loaded", "note", "session"]
            person = app.screen.query_one("#journal-person", Select)
            assert [str(p) for p, _ in person._options[1:]] == ["Ana Ruiz", "Lee Chan"]
            person.value = "Lee Chan"
            await pilot.pause()
            assert [e.kind.value for e in journal.events] == ["note"]
            person.clear()
            app.screen.query_one("#journal-kind", Select).value = "session"
            await pilot.pause()
            assert [e.kind.value for e in journal.events] == ["session"]

    asyncio.run(run())


def test_a_row_is_the_text_richs_truncate_pad_and_append_make() -> None:
    """VirtualTable builds a row's text and spans in one pass: the same as cutting, padding and
    appending each cell with Rich (wide characters, cells with spans, right-justified, too long)."""
    import random

    from rich.text import Text

    from golive.tui.widgets.virtual_table import Column, VirtualTable

    class Table(VirtualTable):
        columns: ClassVar[list[Column]] = [
            Column("a", 3), Column("b", 6, justify="right"), Column("c"), Column("d", 1), Column("e", 5),
        ]  # fmt: skip

    def reference(cells: list[Text], widths: list[int]) -> Text:
        line = Text(no_wrap=True, end="")
        for cell, column, width in zip(cells, Table.columns, widths, strict=False):
            if not width:
                continue
            piece = cell.copy()
            piece.truncate(width, overflow="ellipsis")
            if column.justify == "right":
                piece.pad_left(width - piece.cell_len)
            else:
                piece.pad_right(width - piece.cell_len)
            line.append_text(piece)
            line.append(" ")
        return line

    rng = random.Random(4)
    words = ["core-a", "Te1/1/1", "临时", "ok", "✔", "Re-patch panel B (room 3)", "", "ÅÄÖ", "⏎"]
    table = Table()
    for _ in range(500):
        cells = []
        for _column in Table.columns:
            cell = Text(" ".join(rng.choice(words) for _ in range(rng.randint(0, 4))), style=rng.choice(["", "bold"]))
            if cell.plain and rng.random() < 0.5:
                start = rng.randrange(len(cell.plain))
                cell.stylize(rng.choice(["red", "on blue"]), start, rng.randint(start + 1, len(cell.plain)))
            cells.append(cell)
        widths = [rng.choice([0, 1, 2, 3, 7, 12]) for _ in Table.columns]
        ours, rich = table._compose_line(cells, widths), reference(cells, widths)
        assert (ours.plain, ours.spans) == (rich.plain, rich.spans), (cells, widths)
