"""verify also guards what the chain relies on: runbook texts, run rows, the triggers themselves."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from golive.progress.events import Actor
from golive.runbook.load import parse_runbook
from golive.store import runs
from golive.store.cutover import Cutover
from golive.store.db import close_all, open_engine, trigger_statements
from golive.store.verify import verify_database

from ..conftest import VALID, in_window, passed

ANA = Actor("Ana Ruiz", "AR", "net")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "s.db"
    runs.load(open_engine(path), parse_runbook(VALID, "rb.yaml"), rehearsal=False, actor=ANA, machine="t")
    c = Cutover.open(path)
    c.clock = in_window
    c.start("uplink", ANA)
    c.record_check("uplink", ANA, passed("uplink"))
    c.sign_off("uplink", ANA, "ok")
    close_all()
    return path


def tamper(path: Path, *statements: str) -> None:
    con = sqlite3.connect(path)
    for name in trigger_statements():
        con.execute(f"DROP TRIGGER {name}")
    for statement in statements:
        con.execute(statement)
    for statement in trigger_statements().values():
        con.execute(statement)  # put the triggers back, as a careful attacker would
    con.commit()
    con.close()


def failures(path: Path) -> list[str]:
    close_all()
    return [line for line, ok in verify_database(path) if not ok]


def test_an_untouched_database_verifies(db: Path) -> None:
    assert failures(db) == []


def test_an_edited_stored_runbook_is_caught(db: Path) -> None:
    tamper(db, "UPDATE runbook_version SET normalized = replace(normalized, '\"gate\":true', '\"gate\":false')")
    assert len(found := failures(db)) == 1
    assert found[0].endswith(": its stored form was edited: it differs from the text")


def test_an_edited_runbook_text_is_caught(db: Path) -> None:
    tamper(db, "UPDATE runbook_version SET source = replace(source, 'duration: 45m', 'duration: 5m')")
    assert len(found := failures(db)) == 1
    assert found[0].endswith("was edited: it no longer hashes to its address")


def test_a_live_run_relabelled_as_rehearsal_is_caught(db: Path) -> None:
    tamper(db, "UPDATE run SET mode = 'rehearsal'")
    assert failures(db) == [
        "demo-live-1: the run row was changed: mode is 'rehearsal' but the journal's load event says 'live'"
    ]


def test_a_defanged_trigger_is_caught(db: Path) -> None:
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER journal_no_update")
    con.execute("CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal WHEN 0 BEGIN SELECT 1; END")
    con.commit()
    con.close()
    assert failures(db) == [f"{db}: append-only triggers were altered: journal_no_update"]


def test_a_file_that_is_not_sqlite_is_one_clear_error(tmp_path: Path) -> None:
    from golive.problems import GoliveError

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000)
    with pytest.raises(GoliveError, match=r"junk\.db"):
        verify_database(junk)
