"""`golive run`: FILE's run is found (the same text is the same run again) or FILE is loaded, then
the TUI opens that run in its worker; a run that cannot be opened ends the app with the reason.

The run holding the same text is found from the file's digest without parsing it; `load` (which
parses and validates) is the oracle: the fast answer is the run `load` says it resumes
"unchanged", and None whenever `load` would do anything else (create, refuse, upgrade).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path

import click
import pytest

from golive.cli.run_cmd import _unchanged_run, open_app
from golive.problems import GoliveError
from golive.progress.events import Actor
from golive.runbook.load import read_runbook
from golive.store.cutover import Cutover
from golive.store.db import open_engine
from golive.store.runs import load
from tests.tui.conftest import opened

from ..conftest import VALID


def _runs(db: Path) -> set[str]:
    """Every run the database holds (a live and a rehearsal run of one runbook at most, here)."""
    found = set()
    for ref in ("demo-live-1", "demo-rehearsal-1", "demo-live-2", "demo-rehearsal-2"):
        with contextlib.suppress(GoliveError):
            found.add(Cutover.open(db, ref).run.uuid)
    return found


@pytest.mark.parametrize("rehearsal", [False, True])
def test_the_same_file_opens_the_same_run(tmp_path: Path, rehearsal: bool) -> None:
    db, file = tmp_path / "golive.db", tmp_path / "rb.yaml"
    file.write_text(VALID, encoding="utf-8")
    first = open_app(str(file), str(db), rehearsal=rehearsal)
    again = open_app(str(file), str(db), rehearsal=rehearsal)
    assert first.ref is not None and again.ref == first.ref and not first.unambiguous
    assert Cutover.open(db, first.ref).run.rehearsal is rehearsal
    other = open_app(str(file), str(db), rehearsal=not rehearsal)
    assert other.ref != first.ref
    assert _runs(db) == {first.ref, other.ref}


def test_a_changed_file_is_refused_before_the_app_is_made(tmp_path: Path) -> None:
    db, file = tmp_path / "golive.db", tmp_path / "rb.yaml"
    file.write_text(VALID, encoding="utf-8")
    open_app(str(file), str(db), rehearsal=False)
    file.write_text(VALID.replace("version: 1", "version: 2"), encoding="utf-8")
    with pytest.raises(GoliveError):
        open_app(str(file), str(db), rehearsal=False)


def test_rehearsal_applies_to_a_file_only(tmp_path: Path) -> None:
    with pytest.raises(click.UsageError):
        open_app("demo-live-1", str(tmp_path / "golive.db"), rehearsal=True)


def test_no_target_opens_the_only_open_run(tmp_path: Path) -> None:
    db, file = tmp_path / "golive.db", tmp_path / "rb.yaml"
    file.write_text(VALID, encoding="utf-8")
    uuid = open_app(str(file), str(db), rehearsal=False).ref
    app = open_app(None, str(db), rehearsal=False)
    assert app.ref is None and app.unambiguous

    async def drive() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await opened(pilot)
            assert app.cutover.run.uuid == uuid

    asyncio.run(drive())


def test_a_run_that_cannot_be_opened_ends_the_app_with_the_reason(tmp_path: Path) -> None:
    db, file = tmp_path / "golive.db", tmp_path / "rb.yaml"
    file.write_text(VALID, encoding="utf-8")
    open_app(str(file), str(db), rehearsal=False)
    app = open_app("no-such-run", str(db), rehearsal=False)

    async def drive() -> None:
        async with app.run_test(size=(100, 30)):
            for _ in range(3000):
                if app.failure is not None:
                    break
                await asyncio.sleep(0.01)
        assert not app.opened

    asyncio.run(drive())
    assert app.return_code == 1
    assert isinstance(app.failure, GoliveError) and "no-such-run" in str(app.failure)


def _fast_then_load(db: Path, file: Path, *, rehearsal: bool = False, **options: bool) -> tuple[str | None, str | None]:
    """(the fast answer, the run `load` resumed unchanged, else None), the fast one asked first."""
    fast = _unchanged_run(db, str(file), rehearsal=rehearsal)
    actor = Actor("Ana Ruiz", "AR", "net")
    try:
        outcome = load(open_engine(db), read_runbook(file), rehearsal=rehearsal, actor=actor, machine="t/0", **options)
    except GoliveError:
        return fast, None
    return fast, outcome.run.uuid if outcome.action == "unchanged" else None


def test_the_run_found_from_the_digest_is_the_one_load_resumes(tmp_path: Path) -> None:
    db = tmp_path / "golive.db"
    v1, v2, bom = tmp_path / "v1.yaml", tmp_path / "v2.yaml", tmp_path / "bom.yaml"
    v1.write_text(VALID, encoding="utf-8")
    v2.write_text(VALID.replace("version: 1", "version: 2").replace("duration: 15m", "duration: 20m"), encoding="utf-8")
    bom.write_bytes(b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    assert _unchanged_run(db, str(v1), rehearsal=False) is None  # no database yet
    assert not db.exists()  # (and none made by asking)
    seen = []
    for file, rehearsal, options in [
        (v1, False, {}),  # creates the live run
        (v1, False, {}),  # resumes it
        (bom, False, {}),  # the same text behind a byte-order mark: the same run
        (v1, True, {}),  # creates a rehearsal run
        (v1, True, {}),  # resumes it
        (v2, False, {}),  # refused: the live run holds version 1
        (v2, False, {"upgrade": True}),  # upgrades it
        (v2, False, {}),  # resumes the upgraded run
        (v1, False, {}),  # refused: the live run now holds version 2
        (v1, False, {"new_run": True}),  # a second live run of version 1
        (v1, False, {}),  # resumes the newest
        (v2, False, {}),  # refused: the newest live run holds version 1, though an older one holds 2
    ]:
        fast, oracle = _fast_then_load(db, file, rehearsal=rehearsal, **options)
        if options:  # `golive load --upgrade / --new-run` set the scene; `golive run` passes neither
            continue
        assert fast == oracle, (file.name, rehearsal)
        seen.append(fast is not None)
    assert seen.count(True) >= 4 and seen.count(False) >= 4  # both answers were met


def test_a_closed_run_an_unreadable_file_or_a_pipe_is_left_to_load(tmp_path: Path) -> None:
    db, file = tmp_path / "golive.db", tmp_path / "rb.yaml"
    file.write_text(VALID, encoding="utf-8")
    fast, oracle = _fast_then_load(db, file)
    assert fast is None and oracle is None  # created, not resumed
    assert _unchanged_run(db, str(file), rehearsal=False) is not None
    Cutover.open(db).close(Actor("Pat Moss", "PM", "pm"), "done")
    assert _unchanged_run(db, str(file), rehearsal=False) is None
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes(VALID.replace("demo", "démo").encode("latin-1"))
    assert _unchanged_run(db, str(latin1), rehearsal=False) is None
    assert _unchanged_run(db, str(tmp_path / "missing.yaml"), rehearsal=False) is None
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert _unchanged_run(db, str(fifo), rehearsal=False) is None  # never read here: the load reads it once
    (tmp_path / "junk.db").write_bytes(b"not sqlite" * 100)
    assert _unchanged_run(tmp_path / "junk.db", str(file), rehearsal=False) is None
