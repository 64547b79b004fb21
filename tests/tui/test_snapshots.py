"""Snapshots of the key screens at 80x24 and 120x36, with a fixed clock, zone and journal times.

The journal is written with `Writer.append(now=...)` so every time on screen is fixed; the app
gets the same fixed `now`, which also stamps what the app journals itself (the session, as the run
opens), so the journal tab has a snapshot as well. Each snapshot is taken once the run is open.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from golive.checks.results import CheckResult, PortOutcome, Status
from golive.progress.events import Actor, Kind
from golive.progress.payloads import PAYLOADS
from golive.store.repository import Repository
from golive.tui.app import GoliveApp
from tests.tui.conftest import ANA, FIXED, SAMPLE, load_run, opened

LEE = Actor("Lee Chan", "LC", "pm")


def _stage(db: Path) -> str:
    """The sample runbook ten minutes in: two tasks started, one signed, one check passed, one failed."""
    start = FIXED - timedelta(minutes=9)
    cutover = load_run(db, SAMPLE, rehearsal=False, now=start - timedelta(minutes=1))
    rows = [
        (Kind.STARTED, "pre-notify-clinic", LEE, {}),
        (Kind.SIGNED_OFF, "pre-notify-clinic", LEE, {"comment": "charge nurse told"}),
        (Kind.STARTED, "pre-uplink", ANA, {}),
    ]
    ok = CheckResult("pre-uplink#2", "pre-uplink", 2, "vlan", None, "core-a", "ssh", "Po121", Status.PASS,
                     "mode == 'trunk'", {"Po121": {"mode": "trunk"}}, "", "$ show interface switchport", 812,
                     {"Po121": PortOutcome(Status.PASS, {"mode": "trunk"})}, lab=True)  # fmt: skip
    bad = CheckResult("pre-uplink#1", "pre-uplink", 1, "port", None, "idf2b-new", "ssh", "Te1/1/1, Te3/1/1",
                      Status.FAIL, "status in ['connected']", {}, "Te3/1/1: status is notconnect", "$ show int status",
                      1204, {"Te1/1/1": PortOutcome(Status.PASS, {"status": "connected"}),
                             "Te3/1/1": PortOutcome(Status.FAIL, {"status": "notconnect"}, "status is notconnect")},
                      lab=True)  # fmt: skip
    rows += [
        (Kind.CHECK_RESULT, "pre-uplink", ANA, ok.to_payload()),
        (Kind.CHECK_RESULT, "pre-uplink", ANA, bad.to_payload()),
    ]
    with Repository.at(db).write() as tx:
        for n, (kind, task, actor, payload) in enumerate(rows):
            tx.append(cutover.run.uuid, PAYLOADS[kind].model_validate(payload), actor, "test/00000000",
                      task=task, now=start + timedelta(minutes=2 * n))  # fmt: skip
    return cutover.run.uuid


def _app(tmp_path: Path) -> GoliveApp:
    db = tmp_path / "golive.db"
    return GoliveApp(db, _stage(db), operator=ANA, ask_operator=False, now=lambda: FIXED, poll=False)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
def test_task_list(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=size, press=["down", "down", "down"], run_before=opened)


def test_overview(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(100, 30), press=["1"], run_before=opened)


def test_task_detail_with_a_failed_check(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(
        _app(tmp_path), terminal_size=(100, 30), press=["down", "down", "down", "enter"], run_before=opened
    )


def test_gate(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(100, 30), press=["3"], run_before=opened)


def test_port_board(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(100, 30), press=["4"], run_before=opened)


async def _open_signoff_with_a_steady_cursor(pilot: Pilot[None]) -> None:
    """A blinking cursor is on or off depending on how long the machine took to get here: hold it on."""
    await opened(pilot)
    await pilot.press("o")
    await pilot.pause()
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False  # type: ignore[attr-defined]


def test_signoff_modal(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=_open_signoff_with_a_steady_cursor)


def test_journal(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(100, 30), press=["5"], run_before=opened)
