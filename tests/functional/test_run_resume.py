"""`golive run FILE` on a run it already holds opens it without parsing the YAML again.

`golive.store.snapshot.unchanged_run` answers from the file's digest alone; `golive.store.runs.load`
(which parses and validates) is the oracle: the fast answer must be the run `load` says it resumes
"unchanged", and None whenever `load` would do anything else (create, refuse, upgrade).
"""

from __future__ import annotations

import os
from pathlib import Path

from golive.problems import GoliveError
from golive.progress.events import Actor
from golive.runbook.load import read_runbook
from golive.runbook.text_digest import file_digest
from golive.store.cutover import Cutover
from golive.store.db import open_engine
from golive.store.runs import load
from golive.store.snapshot import unchanged_run

from ..conftest import VALID

ANA = Actor("Ana Ruiz", "AR", "net")


def fast_then_load(db: Path, file: Path, *, rehearsal: bool = False, **options: bool) -> tuple[str | None, str | None]:
    """(the fast answer, the run `load` resumed unchanged, else None), the fast one asked first."""
    digest = file_digest(file)
    assert digest is not None
    fast = unchanged_run(db, digest, "rehearsal" if rehearsal else "live")
    try:
        outcome = load(open_engine(db), read_runbook(file), rehearsal=rehearsal, actor=ANA, machine="t/0", **options)
    except GoliveError:
        return fast, None
    return fast, outcome.run.uuid if outcome.action == "unchanged" else None


def test_the_fast_answer_is_the_run_load_resumes_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "golive.db"
    v1, v2, bom = tmp_path / "v1.yaml", tmp_path / "v2.yaml", tmp_path / "bom.yaml"
    v1.write_text(VALID, encoding="utf-8")
    v2.write_text(VALID.replace("version: 1", "version: 2").replace("duration: 15m", "duration: 20m"), encoding="utf-8")
    bom.write_bytes(b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    assert unchanged_run(db, file_digest(v1) or "", "live") is None  # no database yet

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
        (v2, False, {}),  # refused: the newest live run holds version 1
    ]:
        fast, oracle = fast_then_load(db, file, rehearsal=rehearsal, **options)
        if options:  # `golive load --upgrade / --new-run` set the scene; `golive run` passes neither
            continue
        assert fast == oracle, (file.name, rehearsal)
        seen.append(fast is not None)
    assert seen.count(True) >= 4 and seen.count(False) >= 4  # both answers were met


def test_a_closed_run_or_an_unreadable_file_is_left_to_load(tmp_path: Path) -> None:
    db = tmp_path / "golive.db"
    file = tmp_path / "rb.yaml"
    file.write_text(VALID, encoding="utf-8")
    fast, oracle = fast_then_load(db, file)
    assert fast is None and oracle is None  # created, not resumed
    digest = file_digest(file)
    assert digest is not None and unchanged_run(db, digest, "live") is not None
    Cutover.open(db).close(Actor("Pat Moss", "PM", "pm"), "done")
    assert unchanged_run(db, digest, "live") is None
    (tmp_path / "latin1.yaml").write_bytes(VALID.replace("demo", "démo").encode("latin-1"))
    assert file_digest(tmp_path / "latin1.yaml") is None
    assert file_digest(tmp_path / "missing.yaml") is None
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert file_digest(fifo) is None  # never read here: the load that follows reads it once
    (tmp_path / "junk.db").write_bytes(b"not sqlite" * 100)
    assert unchanged_run(tmp_path / "junk.db", digest, "live") is None
