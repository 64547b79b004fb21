"""`golive run FILE` (and `golive load FILE`) on a run the database already holds resumes it.

`golive.store.runs.load` decides: the same text (a byte-order mark aside) into the latest open run
of its runbook and mode changes nothing; a changed text is refused unless `--upgrade` or
`--new-run` says what to do; a closed run is never resumed.
"""

from __future__ import annotations

from pathlib import Path

from golive.problems import GoliveError
from golive.progress.events import Actor
from golive.runbook.load import read_runbook
from golive.store.cutover import Cutover
from golive.store.db import open_engine
from golive.store.runs import load

from ..conftest import VALID

ANA = Actor("Ana Ruiz", "AR", "net")


def load_as(db: Path, file: Path, *, rehearsal: bool = False, **options: bool) -> tuple[str, str]:
    """(what `load` did, the run's name), or ("refused", the first words of why)."""
    try:
        outcome = load(open_engine(db), read_runbook(file), rehearsal=rehearsal, actor=ANA, machine="t/0", **options)
    except GoliveError as exc:
        return "refused", str(exc).split(":")[1].strip()
    return outcome.action, outcome.run.name


def test_the_same_text_resumes_its_run_and_a_changed_one_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "golive.db"
    v1, v2, bom = tmp_path / "v1.yaml", tmp_path / "v2.yaml", tmp_path / "bom.yaml"
    v1.write_text(VALID, encoding="utf-8")
    v2.write_text(VALID.replace("version: 1", "version: 2").replace("duration: 15m", "duration: 20m"), encoding="utf-8")
    bom.write_bytes(b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    steps = [
        (v1, False, {}, ("created", "demo-live-1")),
        (v1, False, {}, ("unchanged", "demo-live-1")),
        (bom, False, {}, ("unchanged", "demo-live-1")),  # the same text behind a byte-order mark
        (v1, True, {}, ("created", "demo-rehearsal-1")),
        (v1, True, {}, ("unchanged", "demo-rehearsal-1")),
        (v2, False, {}, ("refused", "run demo-live-1 holds version 1 (")),
        (v2, False, {"upgrade": True}, ("upgraded", "demo-live-1")),
        (v2, False, {}, ("unchanged", "demo-live-1")),
        (v1, False, {}, ("refused", "run demo-live-1 holds version 2 (")),
        (v1, False, {"new_run": True}, ("created", "demo-live-2")),
        (v1, False, {}, ("unchanged", "demo-live-2")),  # the newest open run
        (v2, False, {}, ("refused", "run demo-live-2 holds version 1 (")),
    ]
    for file, rehearsal, options, (action, said) in steps:
        done, what = load_as(db, file, rehearsal=rehearsal, **options)
        assert done == action, (file.name, rehearsal, options, done, what)
        assert what.startswith(said), (what, said)


def test_a_closed_run_is_not_resumed(tmp_path: Path) -> None:
    db = tmp_path / "golive.db"
    file = tmp_path / "rb.yaml"
    file.write_text(VALID, encoding="utf-8")
    assert load_as(db, file) == ("created", "demo-live-1")
    Cutover.open(db).close(Actor("Pat Moss", "PM", "pm"), "done")
    assert load_as(db, file) == ("created", "demo-live-2")
    assert load_as(db, file) == ("unchanged", "demo-live-2")
