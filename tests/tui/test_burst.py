"""Every form takes every key from the moment it is asked for, typed at machine speed.

For each form (who is at the keyboard, sign-off, override, skip, block, fail, unblock, note,
rollback, revoke) the key that opens it, the text and the submit go in one burst, two ways:
- one `pilot.press(...)` call, with no pause between the keys;
- all the key events handed to the app at once, before it has handled the first (what a terminal
  does with keys that arrive in one read: tmux send-keys, a paste of keys, a fast typist).

The journal (a fresh read of the SQLite file) must then hold exactly the text typed, every
character, including characters that are keys elsewhere (`s`, `o`, `q`, `?`, `1`, `[`, `/` ...).
Before the run has opened, a burst does nothing at all: no form opens, nothing is journaled.
"""

from __future__ import annotations

import asyncio
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.keys import KEY_NAME_REPLACEMENTS, key_to_character
from textual.pilot import Pilot
from textual.screen import ModalScreen

from golive.checks.results import CheckResult, PortOutcome, Status
from golive.progress.events import Actor, Event, Kind
from golive.progress.payloads import Overridden, RollbackStarted, Session
from golive.store.cutover import Cutover
from golive.tui.app import GoliveApp
from golive.tui.screens.main import MainScreen
from golive.tui.screens.opening import OPENING, OpeningScreen
from tests.tui.conftest import ANA, load_run, opened

SIZE = (100, 32)
LEE = Actor("Lee Chan", "LC", "lead")
# characters that are keys of the app or the main screen elsewhere, and some that are not ASCII
TEXT = "B3/[o] ok? scvnxbfuzRq 1-5 jk é'ß."

RUNBOOK = """\
runbook:
  id: burst
  title: Burst typing
  version: 1
  window: {start: "2026-12-05T22:00-05:00", end: "2026-12-06T06:00-05:00"}
roles: {net: Network engineer, lead: Clinical lead}
inventory:
  sw1: {host: 127.0.0.1, platform: cisco_ios, credentials: env:GOLIVE_TEST_SSH}
phases:
  - id: all
    title: All
    tasks:
      - {id: sign, title: Sign this, owner: net, duration: 5m}
      - {id: skip, title: Skip this, owner: net, duration: 5m}
      - {id: block, title: Block this, owner: net, duration: 5m}
      - {id: fail, title: Fail this, owner: net, duration: 5m}
      - {id: unblock, title: Unblock this, owner: net, duration: 5m}
      - {id: revoke, title: Revoke this, owner: net, duration: 5m, rollback: rb}
      - id: check
        title: Override this
        owner: net
        duration: 5m
        checks:
          - {kind: port, device: sw1, port: Gi1/0/1, expect: {status: connected}}
rollback:
  rb:
    title: Back to the old stack
    steps:
      - {id: back, title: Re-patch to the old stack, duration: 10m, owner: net}
"""


def _key(key: str) -> events.Key:
    """The key event a terminal driver hands the app for one key (a character or a key name)."""
    if len(key) == 1:
        name = key if key.isalnum() else unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
        return events.Key(KEY_NAME_REPLACEMENTS.get(name, name), key)
    return events.Key(key, "\r" if key == "enter" else key_to_character(key))


def _hand_over(app: GoliveApp, keys: list[str]) -> None:
    """All the keys at once, queued before the app has handled the first."""
    for key in keys:
        event = _key(key)
        event.set_sender(app)
        app.post_message(event)


async def _type(pilot: Pilot[Any], keys: list[str], how: str) -> None:
    if how == "pilot":
        await pilot.press(*keys)
    else:
        _hand_over(pilot.app, keys)  # type: ignore[arg-type]


def _journal(db: Path, uuid: str) -> list[Event]:
    return Cutover.open(db, uuid).events


async def _journaled(pilot: Pilot[Any], db: Path, uuid: str, kind: Kind, after: int, timeout: float = 20.0) -> Event:
    """The first event of `kind` the app journals after the first `after` events, read back from
    the file once the app is idle."""
    app: Any = pilot.app
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not any(e.kind is kind for e in app.cutover.events[after:]):
        await asyncio.sleep(0.01)
    await pilot.pause()
    found = [e for e in _journal(db, uuid)[after:] if e.kind is kind]
    assert found, f"no {kind.value} journaled; on screen: {type(app.screen).__name__}"
    return found[0]


@pytest.fixture
def run(tmp_path: Path) -> tuple[Path, str]:
    """The burst runbook loaded, with a sign-off in force on `revoke`, `unblock` blocked and a
    failed check result on `check` (as the check engine journals one)."""
    file = tmp_path / "burst.yaml"
    file.write_text(RUNBOOK, encoding="utf-8")
    db = tmp_path / "golive.db"
    cutover = load_run(db, file)
    cutover.sign_off("revoke", ANA, "signed before the burst")
    cutover.block("unblock", ANA, "blocked before the burst")
    failed = CheckResult("check#1", "check", 1, "port", None, "sw1", "ssh", "Gi1/0/1", Status.FAIL,
                         "status in ['connected']", {}, "Gi1/0/1: status is notconnect", "$ show int status", 40,
                         {"Gi1/0/1": PortOutcome(Status.FAIL, {"status": "notconnect"}, "status is notconnect")},
                         lab=True)  # fmt: skip
    cutover.record_check("check", ANA, failed.to_payload())
    return db, cutover.run.uuid


Expect = Callable[[Event], None]


def _text(field: str) -> Expect:
    def check(event: Event) -> None:
        assert getattr(event.payload, field) == TEXT
        assert event.actor == ANA

    return check


def _override(event: Event) -> None:
    payload = event.payload
    assert isinstance(payload, Overridden) and payload.reason == TEXT
    assert (payload.approver.name, payload.approver.initials, payload.approver.role) == ("Lee Chan", "LC", "")


def _rollback(event: Event) -> None:
    payload = event.payload
    assert isinstance(payload, RollbackStarted) and (payload.plan, payload.reason) == ("rb", TEXT)
    assert event.task == "revoke"


# form: (the task in view, the keys, the kind journaled, what it must hold)
FORMS: dict[str, tuple[str, list[str], Kind, Expect]] = {
    "sign-off": ("sign", ["o", *TEXT, "enter"], Kind.SIGNED_OFF, _text("comment")),
    "override": ("check", ["v", *TEXT, "tab", *"Lee Chan", "tab", *"LC", "ctrl+s"], Kind.OVERRIDDEN, _override),
    "skip": ("skip", ["x", *TEXT, "enter"], Kind.SKIPPED, _text("reason")),
    "block": ("block", ["b", *TEXT, "enter"], Kind.BLOCKED, _text("reason")),
    "fail": ("fail", ["f", *TEXT, "enter"], Kind.FAILED, _text("reason")),
    "unblock": ("unblock", ["u", *TEXT, "enter"], Kind.UNBLOCKED, _text("reason")),
    "note": ("sign", ["n", *TEXT, "enter"], Kind.NOTE, _text("text")),
    "rollback": ("revoke", ["R", *TEXT, "enter"], Kind.ROLLBACK_STARTED, _rollback),
    "revoke": ("revoke", ["z", *TEXT, "enter"], Kind.SIGNOFF_REVOKED, _text("reason")),
}


@pytest.mark.parametrize("how", ["pilot", "at-once"])
@pytest.mark.parametrize("form", list(FORMS))
def test_a_burst_journals_exactly_the_text_typed(run: tuple[Path, str], form: str, how: str) -> None:
    db, uuid = run
    task, keys, kind, expect = FORMS[form]
    before = len(_journal(db, uuid))

    async def drive() -> None:
        app = GoliveApp(db, uuid, operator=ANA, ask_operator=False, poll=False, focus_task=task)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            assert app.current_task() == task
            await _type(pilot, keys, how)
            event = await _journaled(pilot, db, uuid, kind, before)
            expect(event)
            assert event.task == task
            assert isinstance(app.screen, MainScreen)  # the form closed; no key went on to the list
            assert app.current_task() == task
        # one event for the burst (and the session around it): nothing else was journaled
        after = [e.kind for e in _journal(db, uuid)[before:]]
        assert after == [Kind.SESSION, kind], after

    asyncio.run(drive())


# what is typed before the form's key: (the keys, the kind journaled, its text field, its task, the screen after)
ON_THE_WAY: dict[str, tuple[list[str], Kind, str, str, str]] = {
    "a move": (["down", "x", *TEXT, "enter"], Kind.SKIPPED, "reason", "skip", "MainScreen"),
    "a search": (["slash", *"fail", "enter", "f", *TEXT, "enter"], Kind.FAILED, "reason", "fail", "MainScreen"),
    "a task opened": (
        ["down", "down", "enter", "o", *TEXT, "enter"],
        Kind.SIGNED_OFF,
        "comment",
        "block",
        "TaskScreen",
    ),
    "a task opened and closed": (
        ["enter", "escape", "down", "x", *TEXT, "enter"],
        Kind.SKIPPED,
        "reason",
        "skip",
        "MainScreen",
    ),
}


@pytest.mark.parametrize("how", ["pilot", "at-once"])
@pytest.mark.parametrize("way", list(ON_THE_WAY))
def test_the_keys_before_a_form_choose_the_task_it_acts_on(run: tuple[Path, str], way: str, how: str) -> None:
    """A move, a search or a task opened just before the form's key, in the same burst: the form
    acts on the task they led to, never on the one in view when the burst began."""
    db, uuid = run
    keys, kind, field, task, screen = ON_THE_WAY[way]

    async def drive() -> None:
        app = GoliveApp(db, uuid, operator=ANA, ask_operator=False, poll=False)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            assert app.current_task() == "sign"
            seen = len(app.cutover.events)
            await _type(pilot, keys, how)
            event = await _journaled(pilot, db, uuid, kind, seen)
            assert event.task == task and getattr(event.payload, field) == TEXT, event
            assert type(app.screen).__name__ == screen

    asyncio.run(drive())


@pytest.mark.parametrize("how", ["pilot", "at-once"])
def test_the_identity_form_takes_a_burst(run: tuple[Path, str], how: str) -> None:
    db, uuid = run

    async def drive() -> None:
        app = GoliveApp(db, uuid, poll=False)  # nobody remembered: the form asks
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            seen = len(app.cutover.events)
            await _type(pilot, [*"Lee Chan-Ôde", "tab", *"LC", "tab", "down", "down", "up", "down", "enter"], how)
            session = await _journaled(pilot, db, uuid, Kind.SESSION, seen)
            assert session.actor == Actor("Lee Chan-Ôde", "LC", "lead")
            assert isinstance(app.screen, MainScreen)

    asyncio.run(drive())


@pytest.mark.parametrize("how", ["pilot", "at-once"])
def test_enter_moves_to_the_next_field_and_the_text_typed_after_it_follows(run: tuple[Path, str], how: str) -> None:
    """Enter in a text field that is not the last goes to the next one at once: the name typed
    after it lands in the name's field, and the save waits for every field to have its text."""
    db, uuid = run

    async def drive() -> None:
        app = GoliveApp(db, uuid, poll=False)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            seen = len(app.cutover.events)
            await _type(pilot, [*"Sam Ode", "enter", *"SO", "tab", "end", "enter"], how)
            session = await _journaled(pilot, db, uuid, Kind.SESSION, seen)
            assert session.actor == Actor("Sam Ode", "SO", "lead")

    asyncio.run(drive())


@pytest.mark.parametrize("how", ["pilot", "at-once"])
def test_editing_keys_apply_in_the_order_typed(run: tuple[Path, str], how: str) -> None:
    db, uuid = run

    async def drive() -> None:
        app = GoliveApp(db, uuid, operator=ANA, ask_operator=False, poll=False, focus_task="sign")
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            keys = ["n", *"patch 12", "backspace", "backspace", *"3 ", "left", "left", *"0", "end", *"done", "enter"]
            seen = len(app.cutover.events)
            await _type(pilot, keys, how)
            note = await _journaled(pilot, db, uuid, Kind.NOTE, seen)
            assert getattr(note.payload, "text", None) == "patch 03 done"

    asyncio.run(drive())


@pytest.fixture
def held_open(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Cutover.open waits (in the app's worker) until the test lets it go: the app stays opening."""
    real = Cutover.open.__func__  # type: ignore[attr-defined]
    gate = threading.Event()

    def held(cls: type[Cutover], *args: Any, **kwargs: Any) -> Cutover:
        gate.wait(60)
        return real(cls, *args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(Cutover, "open", classmethod(held))
    yield gate
    gate.set()


@pytest.mark.parametrize("how", ["pilot", "at-once"])
def test_before_the_run_opens_a_burst_does_nothing(run: tuple[Path, str], held_open: threading.Event, how: str) -> None:
    db, uuid = run
    journal = [e.kind for e in _journal(db, uuid)]

    async def drive() -> None:
        app = GoliveApp(db, uuid, operator=ANA, ask_operator=False, poll=False, focus_task="sign")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, OpeningScreen) and not app.opened
            assert OPENING in str(app.screen.query_one("#opening").render())
            keys = app.screen.active_bindings
            assert not keys["o"].enabled and not keys["s"].enabled and keys["q"].enabled  # shown, dimmed
            for form_keys in (FORMS["sign-off"][1], FORMS["note"][1], ["s"], FORMS["skip"][1]):
                await _type(pilot, form_keys, how)
                await pilot.pause()
                assert isinstance(app.screen, OpeningScreen)
                assert not any(isinstance(s, ModalScreen) for s in app.screen_stack)
            held_open.set()
            await opened(pilot)
            assert [e.kind for e in _journal(db, uuid)] == [*journal, Kind.SESSION]  # nothing typed was acted on
            assert isinstance(app.screen, MainScreen) and app.screen.active_bindings["o"].enabled
            # once open, the same burst does what it says
            seen = len(app.cutover.events)
            await _type(pilot, FORMS["note"][1], how)
            note = await _journaled(pilot, db, uuid, Kind.NOTE, seen)
            assert getattr(note.payload, "text", None) == TEXT

    asyncio.run(drive())


def test_what_is_typed_before_the_identity_form_is_not_put_into_it(
    run: tuple[Path, str], held_open: threading.Event
) -> None:
    db, uuid = run

    async def drive() -> None:
        app = GoliveApp(db, uuid, poll=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            _hand_over(app, [*"Early Bird", "tab", *"EB", "enter"])
            await pilot.pause()
            held_open.set()
            await opened(pilot)
            name = app.screen.query_one("#field-name")
            assert getattr(name, "value", None) == ""  # the form starts empty, as asked
            assert [e.kind for e in _journal(db, uuid)][-1] is not Kind.SESSION

    asyncio.run(drive())


@pytest.mark.parametrize("how", ["pilot", "at-once"])
def test_the_change_operator_form_takes_a_burst(run: tuple[Path, str], how: str) -> None:
    """A shift change typed at machine speed: the key, the new person's name and initials, Enter on the role."""
    db, uuid = run

    async def drive() -> None:
        app = GoliveApp(db, uuid, operator=ANA, ask_operator=False, poll=False, focus_task="sign")
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            seen = len(app.cutover.events)
            await _type(pilot, ["w", *"Lee Chan-Ôde", "tab", *"LC", "tab", "down", "enter"], how)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and app.operator == ANA:
                await asyncio.sleep(0.01)
            await pilot.pause()
            handover = [e for e in _journal(db, uuid)[seen:] if isinstance(e.payload, Session)][-1]
            assert handover.payload.what == "handover" and handover.actor == Actor("Lee Chan-Ôde", "LC", "net")
            assert isinstance(app.screen, MainScreen)

    asyncio.run(drive())
