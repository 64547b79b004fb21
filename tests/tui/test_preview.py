"""The first frame from a preview (plain values read with sqlite3), then the core built after it.

The preview must show exactly what the Cutover shows (same states, same projection, same task
fields), only a validated stored form may be previewed, and a key pressed before the core is built
must run once it is, on the task that was current when the key was pressed, never be lost.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from golive.progress.events import Actor, Kind
from golive.progress.state import RunState, TaskState
from golive.runbook.outline import outline_dir, read_outline
from golive.runbook.validated import form_digest
from golive.store import snapshot
from golive.store.cutover import Cutover
from golive.store.db import close_all
from golive.tui.app import GoliveApp
from golive.tui.preview import Preview, read_preview
from tests.tui.conftest import ANA, ROOT, SAMPLE, load_run

SIZE = (120, 36)
RUNBOOKS = sorted((ROOT / "runbooks").glob("*.yaml"))
FIELDS = ("id", "title", "owner", "duration", "after", "gate", "rollback", "instructions")


@pytest.mark.parametrize("source", ["outline", "stored form"])
@pytest.mark.parametrize("file", RUNBOOKS, ids=[p.stem for p in RUNBOOKS])
def test_a_preview_shows_what_the_cutover_holds(tmp_path: Path, file: Path, source: str) -> None:
    db = tmp_path / "golive.db"
    cutover = load_run(db, file, rehearsal=False)
    outlines = list(outline_dir().glob("*.json"))
    assert len(outlines) == 1  # written when the load validated the runbook
    if source == "stored form":
        outlines[0].unlink()
    else:  # the preview below is read from the outline
        stored = snapshot.read(db)
        assert stored is not None and read_outline(form_digest(stored.normalized)) is not None
    first, task = next(iter(cutover.runbook.tasks.items()))
    signer = Actor("Ana Ruiz", "AR", (task.signoff_rule().roles or list(cutover.runbook.roles))[0])
    cutover.start(first, signer)
    cutover.sign_off(first, signer, "done")
    cutover.note(ANA, "a note", first)
    preview = read_preview(db)
    assert preview is not None
    full, plain = cutover.runbook, preview.runbook
    assert list(plain.tasks) == list(full.tasks) and plain.phase_of == full.phase_of
    assert dict(plain.roles) == dict(full.roles)
    assert [(p.id, p.title) for p in plain.phases] == [(p.id, p.title) for p in full.phases]
    for tid, task in full.tasks.items():
        light = plain.tasks[tid]
        assert [getattr(light, f) for f in FIELDS] == [getattr(task, f) for f in FIELDS]
        rule, light_rule = task.signoff_rule(), light.signoff_rule()
        assert (list(light_rule.roles), light_rule.distinct, light_rule.people) == (
            list(rule.roles), rule.distinct, rule.people,
        )  # fmt: skip
        assert light.people_needed() == task.people_needed()
    meta, light_meta = full.runbook, plain.runbook
    for name in ("id", "title", "version", "site", "change"):
        assert getattr(light_meta, name) == getattr(meta, name)
    assert (light_meta.window.start, light_meta.window.end) == (meta.window.start, meta.window.end)
    assert preview.events == cutover.events
    assert _progress(preview.state) == _progress(cutover.state)  # every field but the task object
    assert [p.task.id for p in preview.state.tasks.values()] == list(full.tasks)
    assert replace(preview.state, tasks={}) == replace(cutover.state, tasks={})
    for now in (meta.window.start, meta.window.start + timedelta(hours=3)):
        assert preview.projection(now) == cutover.projection(now)


def test_an_outline_is_used_only_when_it_is_whole_and_for_this_form(tmp_path: Path) -> None:
    db = tmp_path / "golive.db"
    load_run(db, SAMPLE)
    stored = snapshot.read(db)
    assert stored is not None
    digest = form_digest(stored.normalized)
    path = outline_dir() / f"{digest}.json"
    whole = path.read_text(encoding="utf-8")
    assert '"checks"' not in whole and read_outline(digest) is not None
    wrong_type = json.loads(whole)
    wrong_type["phases"][0][2][0][4] = "15m"  # a duration as text: the outline reads, the plan cannot add it
    for broken in (
        whole[: len(whole) // 2], whole.replace(digest, "0" * 64), whole.replace('"format":1', '"format":9'),
        whole.replace('"phases":[[', '"phases":[[1,'), "null", "[]", "0", "[" * 100_000 + "]" * 100_000,
        json.dumps(wrong_type),
    ):  # fmt: skip
        path.write_text(broken, encoding="utf-8")
        preview = read_preview(db)  # the stored form instead, the same run
        assert not path.exists()  # an unusable outline is dropped ...
        assert preview is not None and list(preview.runbook.tasks) == list(Cutover.open(db).runbook.tasks)
        assert preview.runbook.tasks[next(iter(preview.runbook.tasks))].duration == 900
        assert read_outline(digest) is not None  # ... and written again when the form was rebuilt


def _progress(state: RunState) -> dict[str, dict[str, object]]:
    return {tid: {k: v for k, v in vars(p).items() if k != "task"} for tid, p in state.tasks.items()}


def test_only_a_stored_form_validated_here_is_previewed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "golive.db"
    load_run(db, SAMPLE)
    assert read_preview(db) is not None
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "another-machine"))  # a copied database, say
    assert read_preview(db) is None  # the Cutover validates it in full first (and notes it)
    Cutover.open(db)
    assert read_preview(db) is not None
    from golive.store.db import close_all, trigger_statements

    close_all()
    con = sqlite3.connect(db)  # an edit in the database, past its append-only triggers: never previewed
    for name in trigger_statements():
        con.execute(f"DROP TRIGGER {name}")
    assert con.execute(
        'UPDATE runbook_version SET normalized = replace(normalized, \'"title":"\', \'"title":"X\')'
    ).rowcount
    con.commit()
    con.close()
    assert read_preview(db) is None


class _HeldCore:
    """Holds the worker's Cutover.open until released, so keys can be pressed before the core exists."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.release = threading.Event()
        real = Cutover.open

        def held(*args: object, **kwargs: object) -> Cutover:
            self.release.wait(30)
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Cutover, "open", held)


def test_keys_pressed_before_the_core_is_built_run_once_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "golive.db"
    uuid = load_run(db, SAMPLE).run.uuid
    preview = read_preview(db)
    assert isinstance(preview, Preview)
    held = _HeldCore(monkeypatch)
    ready = [tid for tid, p in preview.state.tasks.items() if p.state is TaskState.READY]
    assert len(ready) >= 2

    async def run() -> None:
        app = GoliveApp(preview, operator=ANA, ask_operator=False, poll=False, now=lambda: datetime.now(UTC))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            tasks = app.screen.query_one("#task-list")
            assert app.core is None and len(tasks.task_ids) == len(preview.state.tasks)  # type: ignore[attr-defined]
            tasks.cursor = tasks.task_ids.index(ready[1])  # type: ignore[attr-defined]
            await pilot.press("s")  # start the task under the cursor: waits for the core
            await pilot.press("up", "2", "1", "4")  # the cursor moves and tabs switch meanwhile
            await pilot.pause()
            board = app.screen.query_one("#port-board")
            assert "Reading the runbook's checks" in str(board.render())  # its ports come with the core
            await pilot.press("2")
            await pilot.pause()
            assert app.core is None and not app.session_begun
            assert tasks.current_task() != ready[1]  # type: ignore[attr-defined]
            held.release.set()
            for _ in range(500):
                if app.core is not None:
                    break
                await pilot.pause(0.01)
            await pilot.pause()
            assert app.session_begun and app.view.cutover is app.core
            assert "core-a" in str(board.render())
            assert app.core.state.tasks[ready[1]].state is TaskState.IN_PROGRESS  # the task the key was pressed on

    asyncio.run(run())
    kinds = [(e.kind, e.task) for e in Cutover.open(db, uuid).events]
    assert kinds[-2:] == [(Kind.SESSION, None), (Kind.STARTED, ready[1])]


def test_quitting_before_the_core_is_built_still_journals_the_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "golive.db"
    uuid = load_run(db, SAMPLE).run.uuid
    preview = read_preview(db)
    assert preview is not None
    held = _HeldCore(monkeypatch)

    async def run() -> None:
        app = GoliveApp(preview, operator=ANA, ask_operator=False, poll=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.core is None
            await pilot.press("q")  # waits for the core too
            await pilot.pause()
            assert app.is_running
            held.release.set()
            for _ in range(500):
                if not app.is_running:
                    break
                await pilot.pause(0.01)

    asyncio.run(run())
    assert [e.payload.get("what") for e in Cutover.open(db, uuid).events if e.kind is Kind.SESSION] == [
        "opened", "closed",
    ]  # fmt: skip


def test_a_core_that_cannot_be_built_ends_the_app_at_once_with_the_reason(tmp_path: Path) -> None:
    db = tmp_path / "golive.db"
    load_run(db, SAMPLE)
    preview = read_preview(db)
    assert preview is not None
    close_all()  # no engine of this process keeps the old file open
    for part in tmp_path.glob("golive.db*"):  # the database (and its WAL) gone between the frame and the core
        part.unlink()

    async def run() -> GoliveApp:
        app = GoliveApp(preview, operator=ANA, ask_operator=False, poll=False)
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(500):
                if not app.is_running:
                    break
                await pilot.pause(0.01)
        return app

    started = time.monotonic()
    app = asyncio.run(run())
    assert time.monotonic() - started < 20  # the exit does not wait out CORE_WAIT_SECONDS (60 s)
    assert app.return_code == 1 and app.core is None
