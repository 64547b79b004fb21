"""The jack board on a real run (real SQLite): the port map's jacks, problems first, each jack's
evidence before and after, re-checks through the app's check runner, and the confirm-by-hand form
taking a burst of keys at machine speed, its text journaled to the character."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from textual.screen import ModalScreen

from golive.checks.portmap.judge import judge_jacks, overall, snapshot_outcomes, snapshot_summary
from golive.checks.portmap.tables import DeviceTables, MacRow
from golive.progress.events import Kind
from golive.progress.jacks import PortSnap
from golive.progress.payloads import Checked, JackConfirmed, PortResult
from golive.store.cutover import Cutover
from golive.tui.app import GoliveApp
from golive.tui.screens.jack_detail import JackDetailScreen, port_lines
from golive.tui.screens.main import MainScreen
from golive.tui.widgets.jack_board import JackBoard, JackSummary
from tests.tui.conftest import ANA, FIXED, load_run, opened
from tests.tui.test_burst import TEXT, _journal, _journaled, _type

XRAY, PRINTER, PHONE, PC = "00:1b:44:22:00:07", "00:80:77:31:00:09", "00:1b:44:11:3a:b7", "3c:52:82:00:00:01"
MARKUP = "[bold red]Lab[/] PC"  # an endpoint name that would be markup, were it not shown as text

HEAD = """\
runbook:
  id: jackboard
  title: Jack board
  version: 1
  window: {start: "2026-12-05T22:00-05:00", end: "2026-12-06T06:00-05:00"}
roles: {net: Network engineer}
inventory:
  idf2b-old: {host: 127.0.0.1, platform: cisco_ios, credentials: env:GOLIVE_TEST_SSH}
  idf2b-new: {host: 127.0.0.1, platform: cisco_ios, credentials: env:GOLIVE_TEST_SSH}
phases:
  - id: all
    title: All
    tasks:
      - id: before
        title: Snapshot the old closet
        owner: net
        duration: 5m
        checks:
          - {kind: snapshot, id: snap}
      - id: patch
        title: Re-patch the rooms
        owner: net
        duration: 45m
        checks:
          - {kind: port, device: idf2b-new, port: Gi1/0/48, expect: {status: connected}}
          - {kind: jacks, baseline: snap}
portmap:
  jacks:
"""
JACKS = f"""\
  - {{jack: 2-230-A, old_device: idf2b-old, old_port: Gi1/0/7, new_device: idf2b-new, new_port: Gi1/0/10,
      endpoint: DR X-ray, kind: modality, critical: true}}
  - {{jack: 2-231-B, old_device: idf2b-old, old_port: Gi1/0/8, new_device: idf2b-new, new_port: Gi1/0/11,
      endpoint: Ward printer, kind: printer}}
  - {{jack: 2-207-B, old_device: idf2b-old, old_port: Gi1/0/9, new_device: idf2b-new, new_port: Gi1/0/17,
      endpoint: Nurse phone, kind: phone}}
  - {{jack: 2-240-C, old_device: idf2b-old, old_port: Gi1/0/12, new_device: idf2b-new, new_port: Gi1/0/12,
      endpoint: "{MARKUP}", kind: pc}}
"""
OLD = {"Gi1/0/7": (XRAY, 130), "Gi1/0/8": (PRINTER, 140), "Gi1/0/9": (PHONE, 121), "Gi1/0/12": (PC, 120)}


def _snap(device: str, port: str, vlan: int) -> PortSnap:
    return PortSnap(device=device, port=port, status="connected", up=True, mode="access", access=vlan,
                    neighbor=None, poe={"powered": True, "watts": 6.5})  # fmt: skip


def _checked(key: str, kind: str, outcomes: dict[str, Any], status: str, reason: str) -> Checked:
    ports = {
        label: PortResult(status=o.status.value, observed=o.observed, reason=o.reason) for label, o in outcomes.items()
    }
    _task, index = key.split("#")
    return Checked(check=key, index=int(index), kind=kind, transport="ssh", status=status, reason=reason, ports=ports,
                   check_id="snap" if kind == "snapshot" else None)  # fmt: skip


def journal_results(c: Cutover, after: dict[str, tuple[str, int]]) -> None:
    """The snapshot of the old closet, then the jacks result judged from the new switch's MAC table
    (`after`: MAC -> (port, VLAN)), journaled as the check engine does."""
    portmap = c.runbook.portmap
    assert portmap is not None
    old = DeviceTables("idf2b-old", "ssh", ports={p.lower(): _snap("idf2b-old", p, v) for p, (_, v) in OLD.items()},
                       macs=[MacRow(m, v, p) for p, (m, v) in OLD.items()])  # fmt: skip
    snapshot = snapshot_outcomes(portmap.jacks, {"idf2b-old": old})
    c.record_check("before", ANA, _checked("before#1", "snapshot", snapshot, *_status(snapshot_summary(snapshot))))
    new = DeviceTables("idf2b-new", "ssh", macs=[MacRow(m, v, p) for m, (p, v) in after.items()])
    baseline = {label: o.observed for label, o in snapshot.items()}
    outcomes = judge_jacks(portmap.jacks, baseline, {"idf2b-new": new, "idf2b-old": DeviceTables("idf2b-old", "ssh")})
    c.record_check("patch", ANA, _checked("patch#2", "jacks", outcomes, *_status(overall(outcomes))))


def _status(pair: tuple[Any, str]) -> tuple[str, str]:
    return pair[0].value, pair[1]


# the printer and the phone crossed, the X-ray quiet (not seen), the PC back
CROSSED = {PRINTER: ("Gi1/0/17", 140), PHONE: ("Gi1/0/11", 121), PC: ("Gi1/0/12", 120)}


@pytest.fixture
def run(tmp_path: Path) -> tuple[Path, str]:
    file = tmp_path / "jacks.yaml"
    file.write_text(HEAD + JACKS, encoding="utf-8")
    db = tmp_path / "golive.db"
    cutover = load_run(db, file)
    journal_results(cutover, CROSSED)
    return db, cutover.run.uuid


def _app(db: Path, uuid: str) -> GoliveApp:
    return GoliveApp(db, uuid, operator=ANA, ask_operator=False, poll=False, focus_task="patch")


def _board(app: GoliveApp) -> JackBoard:
    return app.screen.query_one(JackBoard)


def _lines(app: GoliveApp) -> str:
    """What the screen shows, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_the_board_lists_problems_first_with_glyph_and_word(run: tuple[Path, str], size: tuple[int, int]) -> None:
    db, uuid = run

    async def drive() -> None:
        app = _app(db, uuid)
        async with app.run_test(size=size) as pilot:
            await opened(pilot)
            await pilot.press("6")
            await pilot.pause()
            board = _board(app)
            assert [(r.label, r.state and r.state.value) for r in board.rows] == [
                ("2-231-B", "misplugged"), ("2-207-B", "misplugged"), ("2-230-A", "not_seen"), ("2-240-C", "back"),
            ]  # fmt: skip
            summary = str(app.screen.query_one(JackSummary).render())
            assert summary.startswith("idf2b-old → idf2b-new: 2 misplugged · 1 not seen (1 critical) · 1 back")
            screen = _lines(app)
            assert "6 Jacks" in screen
            assert "✘ misplugged" in screen and "? not seen" in screen and "✔ back" in screen
            assert "Gi1/0/8 → Gi1/0/11" in screen  # (the one old and one new switch: named once, above)
            assert MARKUP[: 12 if size[0] < 110 else len(MARKUP)] in screen  # the name as typed, not as markup
            if size[0] >= 110:
                assert "swapped with jack 2-207-B" in screen  # the why column
            assert app.current_task() == "patch"  # the jack's task: c, o, v act on it

    asyncio.run(drive())


def test_a_runbook_without_a_port_map_has_no_jacks_tab(small_run: tuple[Path, Cutover]) -> None:
    db, cutover = small_run

    async def drive() -> None:
        app = GoliveApp(db, cutover.run.uuid, operator=ANA, ask_operator=False, poll=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await opened(pilot)
            await pilot.press("6", "h", "r")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen) and "Jacks" not in _lines(app)
            assert not app.screen.query("#jack-board")

    asyncio.run(drive())


def test_enter_shows_before_and_after_side_by_side(run: tuple[Path, str]) -> None:
    db, uuid = run

    async def drive() -> None:
        app = _app(db, uuid)
        async with app.run_test(size=(120, 40)) as pilot:
            await opened(pilot)
            await pilot.press("6", "enter")  # the first row: 2-231-B, the printer, on the phone's port
            await pilot.pause()
            assert isinstance(app.screen, JackDetailScreen) and app.screen.label == "2-231-B"
            screen = _lines(app)
            assert "BEFORE" in screen and "AFTER" in screen
            assert "idf2b-old Gi1/0/8" in screen and "VLAN 140" in screen and PRINTER in screen  # before
            assert "PoE: powered 6.5 W" in screen
            assert "its MACs now on: idf2b-new Gi1/0/17" in screen  # after
            assert "swapped with jack 2-207-B" in screen
            await pilot.press("escape", "down", "down", "down", "enter")  # the PC: its name as text
            await pilot.pause()
            assert isinstance(app.screen, JackDetailScreen) and app.screen.label == "2-240-C"
            assert f"endpoint: {MARKUP} · pc" in _lines(app)

    asyncio.run(drive())


@pytest.mark.parametrize("how", ["pilot", "at-once"])
@pytest.mark.parametrize("where", ["board", "detail"])
def test_confirm_by_hand_takes_a_burst_and_journals_every_character(
    run: tuple[Path, str], how: str, where: str
) -> None:
    """The tab, the move, the form's key, the text and the submit in one burst: the journal (read back
    from the SQLite file) holds the reason exactly as typed, by the operator, for the not-seen X-ray."""
    db, uuid = run
    before = len(_journal(db, uuid))
    keys = ["6", "down", "down", *(["enter"] if where == "detail" else []), "h", *TEXT, "enter"]

    async def drive() -> None:
        app = _app(db, uuid)
        async with app.run_test(size=(100, 32)) as pilot:
            await opened(pilot)
            await _type(pilot, keys, how)
            event = await _journaled(pilot, db, uuid, Kind.JACK_CONFIRMED, before)
            assert isinstance(event.payload, JackConfirmed)
            assert (event.payload.jack, event.payload.check, event.payload.reason) == ("2-230-A", "patch#2", TEXT)
            assert event.payload.state == "not_seen" and event.actor == ANA and event.task == "patch"
            assert not isinstance(app.screen, ModalScreen)
            if where == "board":
                row = next(r for r in _board(app).rows if r.label == "2-230-A")
                assert row.state is not None and row.state.value == "confirmed"
                assert "✔ by hand" in _lines(app)
            else:
                assert "confirmed by hand by Ana Ruiz" in _lines(app)
        kinds = [e.kind for e in _journal(db, uuid)[before:]]
        assert kinds == [Kind.SESSION, Kind.JACK_CONFIRMED], kinds

    asyncio.run(drive())


def test_a_misplugged_jack_is_refused_politely_and_nothing_is_journaled(run: tuple[Path, str]) -> None:
    db, uuid = run
    before = len(_journal(db, uuid))

    async def drive() -> None:
        app = _app(db, uuid)
        async with app.run_test(size=(100, 32)) as pilot:
            await opened(pilot)
            await pilot.press("6", "h")  # the first row: misplugged
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
            said = [n.message for n in app._notifications]
            assert any("only a jack the switches did not see can be confirmed by hand" in m for m in said), said
            await pilot.press("h", "h")
            await pilot.pause()
        assert [e.kind for e in _journal(db, uuid)[before:]] == [Kind.SESSION]

    asyncio.run(drive())


def test_an_empty_reason_keeps_the_form_open(run: tuple[Path, str]) -> None:
    db, uuid = run

    async def drive() -> None:
        app = _app(db, uuid)
        async with app.run_test(size=(100, 32)) as pilot:
            await opened(pilot)
            await pilot.press("6", "down", "down", "h", "space", "enter")
            await pilot.pause()
            assert isinstance(app.screen, ModalScreen)
            assert "needs a reason" in _lines(app)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)

    asyncio.run(drive())


async def _results_of(app: GoliveApp, key: str, after: int, count: int = 1, timeout: float = 20.0) -> list[Any]:
    deadline = time.monotonic() + timeout
    found: list[Any] = []
    while time.monotonic() < deadline:
        found = [e for e in app.cutover.events[after:] if e.kind is Kind.CHECK_RESULT and e.payload.check == key]
        if len(found) >= count and not app.running_checks:
            break
        await asyncio.sleep(0.02)
    return found


def test_a_recheck_that_cannot_run_says_why(run: tuple[Path, str]) -> None:
    """Whatever goes wrong in the engine, the operator who pressed r is told (never a silent key press)."""
    db, uuid = run

    async def drive() -> None:
        app = _app(db, uuid)
        async with app.run_test(size=(100, 32)) as pilot:
            await opened(pilot)
            seen = len(app.cutover.events)
            await pilot.press("6", "r")
            found = await _results_of(app, "patch#2", seen, timeout=20)
            await pilot.pause()
            said = [n.message for n in app._notifications]
            assert found or any(m.startswith("checks could not run") for m in said), said

    asyncio.run(drive())


@pytest.mark.parametrize("key", ["r", "A", "detail"])
def test_a_recheck_runs_the_jacks_check_through_the_check_runner(run: tuple[Path, str], key: str) -> None:
    """r (board or detail) re-runs the jack's whole jacks check, A every jacks check; never the snapshot (the
    baseline) nor the task's other checks. The rehearsal has no lab: the engine journals 'simulated'."""
    db, uuid = run

    async def drive() -> None:
        app = _app(db, uuid)
        async with app.run_test(size=(100, 32)) as pilot:
            await opened(pilot)
            seen = len(app.cutover.events)
            await pilot.press("6", "down", *(["enter", "r"] if key == "detail" else [key]))
            results = await _results_of(app, "patch#2", seen)
            assert len(results) == 1 and results[0].payload.kind == "jacks"
            assert results[0].payload.status == "simulated"
            others = [e for e in app.cutover.events[seen:] if e.kind is Kind.CHECK_RESULT and e not in results]
            assert others == []
            await pilot.pause()
            if key != "detail":  # the latest result judged no jack: the board says so, and why
                assert all(r.state is None for r in _board(app).rows)
                assert "patch#2 simulated: rehearsal with no lab running" in _lines(app)
        journal = [e for e in _journal(db, uuid)[seen:] if e.kind is Kind.CHECK_RESULT]
        assert [e.payload.check for e in journal] == ["patch#2"]  # type: ignore[attr-defined]

    asyncio.run(drive())


def test_384_jacks_open_and_scroll_without_a_widget_per_jack(tmp_path: Path) -> None:
    """A whole closet: 384 jacks, one table; opening the tab and paging to the end stays quick."""
    rows = []
    macs = {}
    for n in range(384):
        port = f"Gi{n // 48 + 1}/0/{n % 48 + 1}"
        mac = f"00:aa:00:00:{n // 256:02x}:{n % 256:02x}"
        rows.append(f"  - {{jack: J-{n:03d}, old_device: idf2b-old, old_port: {port}, new_device: idf2b-new, "
                    f"new_port: {port}, mac: '{mac}', critical: {str(n % 50 == 0).lower()}}}\n")  # fmt: skip
        if n % 7:
            macs[mac] = (port, 120)
    file = tmp_path / "big.yaml"
    file.write_text(HEAD.replace("{kind: jacks, baseline: snap}", "{kind: jacks}") + "".join(rows), encoding="utf-8")
    db = tmp_path / "golive.db"
    cutover = load_run(db, file)
    portmap = cutover.runbook.portmap
    assert portmap is not None
    new = DeviceTables("idf2b-new", "ssh", macs=[MacRow(m, v, p) for m, (p, v) in macs.items()])
    outcomes = judge_jacks(portmap.jacks, None, {"idf2b-new": new, "idf2b-old": DeviceTables("idf2b-old", "ssh")})
    cutover.record_check("patch", ANA, _checked("patch#2", "jacks", outcomes, *_status(overall(outcomes))))

    async def drive() -> None:
        app = _app(db, cutover.run.uuid)
        async with app.run_test(size=(120, 40)) as pilot:
            await opened(pilot)
            started = time.perf_counter()
            await pilot.press("6")
            await pilot.pause()
            opened_in = time.perf_counter() - started
            board = _board(app)
            assert len(board.rows) == 384 and len(app.screen.query("JackBoard *")) == 0
            assert board.rows[0].critical and board.rows[0].state is not None
            assert board.rows[0].state.value == "not_seen"  # the critical unseen first
            started = time.perf_counter()
            await pilot.press(*["pagedown"] * 12, "end")
            await pilot.pause()
            paged_in = time.perf_counter() - started
            assert board.cursor == 383 and board.scroll_offset.y > 300
            print(f"384 jacks: tab opened in {opened_in * 1000:.0f} ms, 13 pages in {paged_in * 1000:.0f} ms")
            assert opened_in < 3.0 and paged_in < 3.0  # (loose: 2 busy cores; the print is the measure)

    asyncio.run(drive())


def test_a_jack_no_result_covers_yet_is_unchecked(tmp_path: Path) -> None:
    file = tmp_path / "jacks.yaml"
    file.write_text(HEAD + JACKS, encoding="utf-8")
    db = tmp_path / "golive.db"
    cutover = load_run(db, file)

    async def drive() -> None:
        app = _app(db, cutover.run.uuid)
        async with app.run_test(size=(80, 24)) as pilot:
            await opened(pilot)
            await pilot.press("6")
            await pilot.pause()
            rows = _board(app).rows
            assert [r.label for r in rows] == [
                "2-230-A",
                "2-231-B",
                "2-207-B",
                "2-240-C",
            ]  # critical first, then map order
            assert all(r.state is None for r in rows) and "· unchecked" in _lines(app)
            assert "no jack checked yet" in _lines(app)
            await pilot.press("h")  # nothing to confirm: said, no form
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
            assert any("has no jacks result yet" in n.message for n in app._notifications)

    asyncio.run(drive())


def _pinned(tmp_path: Path) -> GoliveApp:
    """The run with every journal time pinned (the app's clock too), for snapshots."""
    file = tmp_path / "jacks.yaml"
    file.write_text(HEAD + JACKS, encoding="utf-8")
    db = tmp_path / "golive.db"
    cutover = load_run(db, file, now=FIXED)
    cutover.clock = lambda: FIXED
    journal_results(cutover, CROSSED)
    return GoliveApp(db, cutover.run.uuid, operator=ANA, ask_operator=False, now=lambda: FIXED, poll=False)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot_of_the_jack_board(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(_pinned(tmp_path), terminal_size=size, press=["6"], run_before=opened)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot_of_a_jacks_evidence(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(_pinned(tmp_path), terminal_size=size, press=["6", "enter"], run_before=opened)


def _every_state_result(labels: list[str]) -> Checked:
    """A jacks result with one jack in each state, written as the judge writes them."""
    states = ["back", "not_seen", "unexpected", "no_power", "wrong_vlan", "misplugged", "not_seen"]
    ports = {
        label: PortResult(status={"back": "pass", "not_seen": "error"}.get(state, "fail"), reason=f"{state} here",
                          observed={"state": state, "critical": label == "J-6"})
        for label, state in zip(labels, states, strict=True)
    }  # fmt: skip
    return Checked(check="patch#2", index=2, kind="jacks", status="fail", reason="x", ports=ports)


def test_every_state_has_its_glyph_word_and_place(tmp_path: Path) -> None:
    """Problems first (the record's ORDER), critical first within a state, 'unchecked' after 'not seen';
    each state a glyph and a word (monochrome reads the same)."""
    from golive.tui.run_view import RunView
    from golive.tui.widgets.jack_board import jack_rows, look, summary

    jacks = "".join(f"  - {{jack: J-{n}, new_device: idf2b-new, new_port: Gi1/0/{n + 1}, mac: '00:aa:00:00:00:0{n}'}}\n"
                    for n in range(8))  # fmt: skip
    file = tmp_path / "jacks.yaml"
    file.write_text(HEAD.replace("{kind: jacks, baseline: snap}", "{kind: jacks}") + jacks, encoding="utf-8")
    cutover = load_run(tmp_path / "golive.db", file)
    cutover.record_check("patch", ANA, _every_state_result([f"J-{n}" for n in range(7)]))  # J-7: no result
    cutover.confirm_jack("patch", "patch#2", "J-1", ANA, "seen working")
    rows = jack_rows(RunView(cutover, lambda: FIXED))
    shown = [(r.label, look(r.state).plain) for r in rows]
    assert shown == [
        ("J-5", "✘ misplugged"), ("J-4", "✘ wrong VLAN"), ("J-3", "✘ no power"), ("J-2", "+ unexpected"),
        ("J-6", "? not seen"), ("J-7", "· unchecked"), ("J-1", "✔ by hand"), ("J-0", "✔ back"),
    ]  # fmt: skip
    assert rows[4].critical and rows[6].confirmation is not None and rows[6].confirmation.reason == "seen working"
    assert summary(rows).plain == (
        "onto idf2b-new: 1 misplugged · 1 wrong VLAN · 1 no power · 1 unexpected endpoint · 1 not seen (1 critical) · "
        "1 confirmed by hand · 1 back · 1 not checked"
    )


def test_two_jacks_checks_each_show_their_own_jacks(tmp_path: Path) -> None:
    """Two closets, two jacks checks (each naming its jacks): each jack's state comes from its own check,
    and the newest result wins where two checks cover the same jack."""
    from golive.tui.run_view import RunView
    from golive.tui.widgets.jack_board import jack_rows

    text = (HEAD + JACKS).replace(
        "          - {kind: jacks, baseline: snap}\n",
        "          - {kind: jacks, baseline: snap, jacks: [2-230-A, 2-231-B]}\n"
        "          - {kind: jacks, baseline: snap, jacks: [2-207-B, 2-240-C, 2-230-A]}\n",
    )
    file = tmp_path / "jacks.yaml"
    file.write_text(text, encoding="utf-8")
    cutover = load_run(tmp_path / "golive.db", file)

    def result(key: str, states: dict[str, str]) -> Checked:
        ports = {label: PortResult(status="fail", observed={"state": s}) for label, s in states.items()}
        return Checked(check=key, index=int(key[-1]), kind="jacks", status="fail", ports=ports)

    cutover.record_check("patch", ANA, result("patch#2", {"2-230-A": "not_seen", "2-231-B": "back"}))
    cutover.record_check("patch", ANA, result("patch#3", {"2-207-B": "misplugged", "2-230-A": "back"}))
    rows = {r.label: r for r in jack_rows(RunView(cutover, lambda: FIXED))}
    assert {label: (r.state and r.state.value, r.check and r.check.key) for label, r in rows.items()} == {
        "2-207-B": ("misplugged", "patch#3"), "2-230-A": ("back", "patch#3"),
        "2-231-B": ("back", "patch#2"), "2-240-C": (None, "patch#3"),
    }  # fmt: skip


def test_long_interface_names_are_shortened_on_the_board_only() -> None:
    from golive.tui.widgets.jack_board import short_port

    assert [short_port(p) for p in ("GigabitEthernet1/0/7", "Ten-GigabitEthernet1/0/49", "Ethernet1/12", "Gi1/0/1",
                                     "TenGigabitEthernet1/1/1", "Port-channel1")] == [
        "Gi1/0/7", "XGE1/0/49", "Eth1/12", "Gi1/0/1", "Te1/1/1", "Port-channel1",
    ]  # fmt: skip


def test_what_devices_said_reaches_the_screen_as_text(run: tuple[Path, str]) -> None:
    """A neighbor name or a reason with escape sequences and markup (a device can say anything) is shown
    escaped and literal, on the board and in the evidence."""
    from golive.safetext import visible

    db, uuid = run
    evil = "\x1b]0;owned\x07[b]sw9[/b]\x1b[2J"
    observed = {"state": "misplugged", "critical": False, "seen": [f"idf2b-new {evil}"],
                "after": {"device": "idf2b-new", "port": "Gi1/0/11", "neighbor": {"name": evil, "caps": ["phone"]}}}  # fmt: skip
    result = Checked(check="patch#2", index=2, kind="jacks", status="fail", reason="x",
                     ports={"2-231-B": PortResult(status="fail", observed=observed, reason=f"on {evil}")})  # fmt: skip
    Cutover.open(db, uuid).record_check("patch", ANA, result)

    async def drive() -> None:
        app = _app(db, uuid)
        async with app.run_test(size=(120, 40)) as pilot:
            await opened(pilot)
            await pilot.press("6")
            await pilot.pause()
            board = _lines(app)
            assert "\x1b" not in board and "\x07" not in board
            assert visible(f"on {evil}")[:20] in board  # (the why column, cut to its width)
            await pilot.press("enter")
            await pilot.pause()
            detail = _lines(app)
            assert isinstance(app.screen, JackDetailScreen) and "\x1b" not in detail
            assert f"neighbor: {visible(evil)}" in detail  # ([phone] wraps to the next line)
            assert f"why: on {visible(evil)}" in detail

    asyncio.run(drive())


def test_a_port_read_without_its_mode_does_not_show_one() -> None:
    """Over SNMP only Cisco's VTP MIB says access or trunk: elsewhere the mode is absent, not "—"."""
    snmp = port_lines({"device": "idf2b-old", "port": "GE1/0/1", "access": 110, "macs": []})
    ssh = port_lines({"device": "idf2b-new", "port": "Gi1/0/1", "mode": "access", "access": 110, "voice": 120})
    assert snmp[1] == "VLAN 110"
    assert ssh[1] == "mode access · VLAN 110 · voice 120"
