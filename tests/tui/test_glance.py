"""The night at a glance (issue 14, item 3): what stops the night, failed checks in words, the
journal's events in full, a word for checks that all passed, and one clock (site time).

Each test opens a real SQLite run staged with journal events at fixed times, and drives the app
with Pilot. The host's zone is pinned to UTC (conftest) and the sample's site is at UTC-05:00, so a
time shown in the laptop's zone (03:10) and one in site time (22:10) cannot be mistaken.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console, RenderableType

from golive.checks.results import CheckResult, PortOutcome, Status
from golive.progress.events import Actor, Kind
from golive.progress.payloads import PAYLOADS
from golive.store.repository import Repository
from golive.tui.app import GoliveApp
from golive.tui.screens.task_detail import TaskScreen
from golive.tui.widgets.check_table import CheckTable
from golive.tui.widgets.run_banner import RunBanner
from tests.peers.lab import running_lab
from tests.tui.conftest import ANA, FIXED, SAMPLE, load_run, opened

LEE = Actor("Lee Chan", "LC", "pm")
WINDOW_START = datetime(2026, 12, 6, 3, 0, tzinfo=FIXED.tzinfo)  # 22:00 at the site
Row = tuple[Kind, str | None, Actor, dict[str, Any], datetime]


def _stage(db: Path, rows: list[Row]) -> str:
    cutover = load_run(db, SAMPLE, rehearsal=False, now=WINDOW_START - timedelta(minutes=5))
    with Repository.at(db).write() as tx:
        for kind, task, actor, payload, at in rows:
            tx.append(cutover.run.uuid, PAYLOADS[kind].model_validate(payload), actor, "test/00000000",
                      task=task, now=at)  # fmt: skip
    return cutover.run.uuid


def _app(db: Path, uuid: str, now: datetime = FIXED) -> GoliveApp:
    return GoliveApp(db, uuid, operator=ANA, ask_operator=False, now=lambda: now, poll=False)


def _text(renderable: RenderableType, width: int = 200) -> str:
    console = Console(width=width, record=True, file=open("/dev/null", "w"))  # noqa: SIM115 (closed with the console)
    console.print(renderable)
    return console.export_text()


def _on_screen(widget: Any) -> str:
    """The widget's lines as drawn."""
    lines = widget.render_lines(widget.content_region.reset_offset)
    return "\n".join(line.text for line in lines)


def _minute(n: int) -> datetime:
    return WINDOW_START + timedelta(minutes=n)


FAILED_PORT_MAP: list[Row] = [
    (Kind.STARTED, "pre-port-map", LEE, {}, _minute(1)),
    (Kind.FAILED, "pre-port-map", LEE, {"reason": "panel B labels do not match the port map"}, _minute(5)),
]


def test_a_failed_critical_task_stops_the_night_in_the_banner_and_the_overview(tmp_path: Path) -> None:
    db = tmp_path / "golive.db"
    uuid = _stage(db, FAILED_PORT_MAP)

    async def run() -> None:
        app = _app(db, uuid)
        async with app.run_test(size=(120, 40)) as pilot:
            await opened(pilot)
            banner = _text(app.screen.query_one(RunBanner).render())
            assert "STOPPED: pre-port-map (LC) failed: panel B labels do not match the port map" in banner
            assert "to spare" not in banner  # it said "1h27m to spare", in green
            await pilot.press("1")
            await pilot.pause()
            from golive.tui.widgets.overview import Overview

            overview = _text(app.screen.query_one(Overview).build())
            assert "What stops the night (1 held, 0 overdue)" in overview
            line = next(line for line in overview.splitlines() if "pre-port-map" in line and "CRITICAL" in line)
            assert "failed: panel B labels do not match the port map" in line
            assert "Lee Chan (LC)" in line

    asyncio.run(run())


def test_an_overdue_critical_task_puts_the_night_at_risk(tmp_path: Path) -> None:
    db = tmp_path / "golive.db"
    uuid = _stage(db, [(Kind.STARTED, "pre-port-map", ANA, {}, _minute(0))])

    async def run() -> None:
        app = _app(db, uuid, now=_minute(50))  # the uplink checks (20m, 15m of slack) not even started
        async with app.run_test(size=(120, 40)) as pilot:
            await opened(pilot)
            banner = _text(app.screen.query_one(RunBanner).render())
            assert "▲ AT RISK: 0s to spare · pre-uplink planned to finish 30m ago" in banner
            await pilot.press("1")
            await pilot.pause()
            from golive.tui.widgets.overview import Overview

            overview = _text(app.screen.query_one(Overview).build())
            assert "What holds the night back (0 held, " in overview

    asyncio.run(run())


def test_the_banner_and_the_journal_and_a_task_show_site_time_with_its_zone(tmp_path: Path) -> None:
    db = tmp_path / "golive.db"
    uuid = _stage(db, FAILED_PORT_MAP)

    async def run() -> None:
        app = _app(db, uuid)
        async with app.run_test(size=(120, 40)) as pilot:
            await opened(pilot)
            banner = _text(app.screen.query_one(RunBanner).render())
            assert "22:10:00 site UTC-05:00" in banner  # the laptop (UTC here) says 03:10
            assert "vs end Sun 04:00" in banner
            await pilot.press("5")
            await pilot.pause()
            from golive.tui.widgets.journal_list import JournalList

            journal = app.screen.query_one(JournalList)
            started = next(i for i, e in enumerate(journal.events) if e.kind is Kind.STARTED)
            assert str(journal.row_cells(started)[0][1]) == "22:01:00"
            app.screen.query_one(JournalList).cursor = started
            await pilot.press("escape")  # (nothing to close: stays on the main screen)
            await app.run_action("open_task('pre-port-map')")
            await pilot.pause()
            from golive.tui.screens.task_detail import TaskHeader

            assert "started 22:01:00" in _text(app.screen.query_one(TaskHeader).build())

    asyncio.run(run())


def test_enter_on_a_journal_row_opens_the_whole_event_as_safe_text(tmp_path: Path) -> None:
    reason = "room 2-230 is empty tonight; imaging moved to 1-104 " + "(confirmed with the charge nurse) " * 3
    db = tmp_path / "golive.db"
    uuid = _stage(db, [
        (Kind.STARTED, "pre-uplink", ANA, {}, _minute(1)),
        (Kind.OVERRIDDEN, "pre-uplink", ANA,
         {"reason": reason + "\x1b[2J", "approver": {"name": "Lee Chan", "initials": "LC", "role": "pm"}}, _minute(3)),
    ])  # fmt: skip

    async def run() -> None:
        app = _app(db, uuid)
        async with app.run_test(size=(80, 24)) as pilot:
            await opened(pilot)
            await pilot.press("5")
            await pilot.pause()
            from golive.tui.widgets.journal_list import JournalList

            journal = app.screen.query_one(JournalList)
            journal.cursor = next(i for i, e in enumerate(journal.events) if e.kind is Kind.OVERRIDDEN)
            await pilot.press("enter")
            await pilot.pause()
            from golive.tui.screens.event_detail import EventScreen

            assert isinstance(app.screen, EventScreen)
            shown = _on_screen(app.screen.query_one("#event-text"))
            flat = " ".join(shown.split())
            assert " ".join((reason + "\\u001b[2J").split()) in flat  # in full, the escape shown, not obeyed
            assert "\x1b" not in shown
            assert "approver Lee Chan (LC) as pm" in flat
            assert "by Ana Ruiz (AR) as net" in flat
            assert "Sun 2026-12-05 22:03:00 site time (UTC-05:00)" not in flat  # (a Saturday night)
            assert "Sat 2026-12-05 22:03:00 site time (UTC-05:00)" in flat
            await pilot.press("t")
            await pilot.pause()
            assert isinstance(app.screen, TaskScreen)
            assert app.screen.task_id == "pre-uplink"
            from golive.tui.screens.task_detail import TaskHeader

            header = " ".join(_text(app.screen.query_one(TaskHeader).build(), width=80).split())
            said = "failed checks OVERRIDDEN by Ana Ruiz (AR) as net at 22:03:00, approved by Lee Chan (LC) as pm: "
            assert said + " ".join((reason + "\\u001b[2J").split()) in header  # the override in full, where it acts

    asyncio.run(run())


def _failed_uplink() -> list[Row]:
    bad = CheckResult("pre-uplink#1", "pre-uplink", 1, "port", None, "idf2b-new", "ssh", "Te1/1/1, Te3/1/1",
                      Status.FAIL, "status in ['connected']", {}, "Te3/1/1: status is notconnect", "$ show int status",
                      1204, {"Te1/1/1": PortOutcome(Status.PASS, {"status": "connected"}),
                             "Te3/1/1": PortOutcome(Status.FAIL, {"status": "notconnect"}, "status is notconnect")},
                      lab=True)  # fmt: skip
    return [
        (Kind.STARTED, "pre-uplink", ANA, {}, _minute(1)),
        (Kind.CHECK_RESULT, "pre-uplink", ANA, bad.to_payload().to_dict(), _minute(2)),
    ]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_a_failed_check_reads_in_words_on_screen(tmp_path: Path, size: tuple[int, int]) -> None:
    db = tmp_path / "golive.db"
    uuid = _stage(db, _failed_uplink())

    async def run() -> None:
        app = _app(db, uuid)
        async with app.run_test(size=size) as pilot:
            await opened(pilot)
            await app.run_action("open_task('pre-uplink')")
            await pilot.pause()
            table = app.screen.query_one(CheckTable)
            words = str(table.get_row_at(0)[2])
            assert words == "Te3/1/1 notconnect; expected connected"
            columns = list(table.columns.values())
            assert sum(c.get_render_width(table) for c in columns[:3]) <= size[0]  # on screen, whole

    asyncio.run(run())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot_of_a_failed_check_in_words(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    db = tmp_path / "golive.db"
    uuid = _stage(db, _failed_uplink())

    async def into_the_task(pilot: Any) -> None:
        await opened(pilot)
        await pilot.app.run_action("open_task('pre-uplink')")
        await pilot.pause()

    assert snap_compare(_app(db, uuid), terminal_size=size, run_before=into_the_task)


def test_a_check_run_that_all_passes_says_so(tmp_path: Path, runbook_file: Path) -> None:
    db = tmp_path / "golive.db"
    uuid = load_run(db, runbook_file, rehearsal=True).run.uuid

    async def run() -> None:
        with running_lab(runbook_file, register=False) as lab:
            app = GoliveApp(db, uuid, operator=ANA, ask_operator=False, lab=lab.info, poll=False)
            async with app.run_test(size=(100, 30)) as pilot:
                await opened(pilot)
                await pilot.press("s")  # uplink, the first task
                await pilot.press("c")
                await app.workers.wait_for_complete()
                await pilot.pause()
                assert [r.status for _, r in app.view.latest_checks("uplink").values()] == [Status.PASS]
                said = [n.message for n in app._notifications]
                assert "✔ uplink: 1/1 checks passed (lab)" in said

    asyncio.run(run())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot_of_what_stops_the_night(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    db = tmp_path / "golive.db"
    uuid = _stage(db, FAILED_PORT_MAP)
    assert snap_compare(_app(db, uuid), terminal_size=size, press=["1"], run_before=opened)
