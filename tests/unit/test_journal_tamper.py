"""Tampering with the state file behind golive's back is caught, at the right event.

A run of ten events is built through the real API (runs.load, Cutover), then the SQLite file is
edited with the stdlib sqlite3 module the way an attacker would: drop the append-only triggers,
then edit, delete, insert or reorder journal rows. `journal.verify` must name the first broken
link by its sequence number, with a reason that fits; `verify_database` and `golive verify`
must say so too.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from golive.progress.events import Actor
from golive.runbook.load import parse_runbook
from golive.store import journal, runs
from golive.store.cutover import Cutover
from golive.store.db import close_all, open_engine
from golive.store.repository import Repository
from golive.store.runs import find_run
from golive.store.verify import verify_database

from ..conftest import in_window

RUNBOOK = """\
runbook:
  id: tamper
  title: Tamper target
  version: 1
  window:
    start: 2026-12-05T22:00-05:00
    end: 2026-12-06T02:00-05:00
roles:
  net: Network engineer
  lead: Clinical lead
  pm: Project manager
phases:
  - id: pre
    title: Pre
    tasks:
      - id: uplink
        title: Confirm the uplink
        owner: net
        duration: 10m
      - id: patch
        title: Re-patch
        owner: net
        duration: 30m
        after: [uplink]
  - id: go
    title: Go
    tasks:
      - id: gate
        title: Go / no-go
        owner: lead
        duration: 5m
        gate: true
        after: [patch]
        signoff: {roles: [lead, pm]}
"""

NET = Actor("Nora Net", "NN", "net")
LEAD = Actor("Lee Lead", "LL", "lead")
PM = Actor("Pat Manager", "PM", "pm")
KINDS = [  # the kind of each event, #1 to #10
    "loaded", "started", "note", "signed_off", "started",
    "signed_off", "started", "signed_off", "note", "signed_off",
]  # fmt: skip
TRIGGERS = [f"{t}_no_{a}" for t in ("journal", "run", "runbook_version") for a in ("update", "delete")]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A database with one run of exactly ten events, built through the real API."""
    db = tmp_path_factory.mktemp("template") / "template.db"
    engine = open_engine(db)
    outcome = runs.load(engine, parse_runbook(RUNBOOK, "tamper.yaml"), rehearsal=False, actor=LEAD, machine="pytest")
    run = find_run(engine, outcome.run.uuid)
    # explicit machine: no machine-id file written; a clock inside the window the LIVE run starts in
    cutover = Cutover(engine, run, machine="pytest", clock=in_window)
    cutover.start("uplink", NET)
    cutover.note(NET, "uplink is up at 10G", task="uplink")
    cutover.sign_off("uplink", NET, "uplink ok")
    cutover.start("patch", NET)
    cutover.sign_off("patch", NET, "rooms re-patched")
    cutover.start("gate", LEAD)
    cutover.sign_off("gate", LEAD, "clinical go")
    cutover.note(PM, "waiting for the PM")
    cutover.sign_off("gate", PM, "go")
    assert [e.kind.value for e in cutover.events] == KINDS
    close_all()  # checkpoints the WAL into the main file
    return db, run.uuid


@pytest.fixture
def victim(template: tuple[Path, str], tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A private copy of the template database for one test to tamper with."""
    src_path, run_uuid = template
    db = tmp_path / "state.db"
    with sqlite3.connect(src_path) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    yield db, run_uuid
    close_all()


def attacker(db: Path, *, drop: tuple[str, ...] = ("journal_no_update", "journal_no_delete")) -> sqlite3.Connection:
    """A raw autocommit connection that has already dropped the named triggers."""
    close_all()
    con = sqlite3.connect(db, isolation_level=None)
    for name in drop:
        con.execute(f"DROP TRIGGER {name}")
    return con


@pytest.fixture
def tamper(victim: tuple[Path, str]) -> Iterator[sqlite3.Connection]:
    con = attacker(victim[0])
    yield con
    con.close()


def row(con: sqlite3.Connection, run_uuid: str, seq: int) -> dict[str, Any]:
    con.row_factory = sqlite3.Row
    found = con.execute("SELECT * FROM journal WHERE run_uuid = ? AND seq = ?", (run_uuid, seq)).fetchone()
    con.row_factory = None
    assert found is not None
    return dict(found)


def insert(con: sqlite3.Connection, values: dict[str, Any]) -> None:
    values = {k: v for k, v in values.items() if k != "id"}
    names = ", ".join(values)
    con.execute(f"INSERT INTO journal ({names}) VALUES ({', '.join('?' * len(values))})", list(values.values()))


def shift_up(con: sqlite3.Connection, run_uuid: str, from_seq: int) -> None:
    """Make room at `from_seq`: every later event moves up one (two steps: seq is unique)."""
    con.execute("UPDATE journal SET seq = -seq WHERE run_uuid = ? AND seq >= ?", (run_uuid, from_seq))
    con.execute("UPDATE journal SET seq = 1 - seq WHERE run_uuid = ? AND seq < 0", (run_uuid,))


def verify(db: Path, run_uuid: str) -> journal.ChainReport:
    close_all()
    with Repository.at(db).read() as tx:
        return journal.verify_rows(run_uuid, tx.rows(run_uuid))


# -- the untouched file --------------------------------------------------------------------


def test_untouched_chain_verifies(victim: tuple[Path, str]) -> None:
    db, run_uuid = victim
    report = verify(db, run_uuid)
    assert report.ok, report.reason
    assert (report.events, report.broken_at, report.reason) == (10, None, "")
    with sqlite3.connect(db) as con:
        head = con.execute("SELECT hash FROM journal WHERE run_uuid = ? AND seq = 10", (run_uuid,)).fetchone()[0]
    con.close()
    assert report.head_hash == head
    lines = verify_database(db)
    assert all(ok for _, ok in lines), lines


# -- edits ---------------------------------------------------------------------------------


@pytest.mark.parametrize("seq", [1, 5, 10])
@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("actor_name", "Mallory"),
        ("actor_role", "intruder"),
        ("payload", json.dumps({"comment": "forged"})),
        ("ts_utc", "2026-12-05T21:00:00.000000+00:00"),
        ("kind", "skipped"),
        ("machine", "elsewhere/00000000"),
        ("prev_hash", "0" * 64),
    ],
)
def test_edited_row_breaks_at_that_row(
    victim: tuple[Path, str], tamper: sqlite3.Connection, seq: int, column: str, value: str
) -> None:
    db, run_uuid = victim
    before = row(tamper, run_uuid, seq)
    assert before[column] != value
    tamper.execute(f"UPDATE journal SET {column} = ? WHERE run_uuid = ? AND seq = ?", (value, run_uuid, seq))
    report = verify(db, run_uuid)
    assert report.broken_at == seq, report
    assert not report.ok
    assert report.events == seq - 1  # the events before the break still verify
    assert f"event #{seq} " in report.reason
    if column == "prev_hash":
        assert "previous-hash link is wrong" in report.reason
    else:
        assert "edited" in report.reason


def test_actor_of_event_5_edited(victim: tuple[Path, str], tamper: sqlite3.Connection) -> None:
    db, run_uuid = victim
    tamper.execute("UPDATE journal SET actor_name = 'Mallory' WHERE run_uuid = ? AND seq = 5", (run_uuid,))
    report = verify(db, run_uuid)
    assert report.broken_at == 5
    assert "event #5 (started," in report.reason and "was edited" in report.reason


def test_edited_and_rehashed_row_breaks_at_the_next(victim: tuple[Path, str], tamper: sqlite3.Connection) -> None:
    """An attacker who recomputes the edited row's hash still breaks the next row's link."""
    db, run_uuid = victim
    edited = row(tamper, run_uuid, 5) | {"actor_name": "Mallory"}
    new_hash = journal.row_hash(edited)
    tamper.execute(
        "UPDATE journal SET actor_name = 'Mallory', hash = ? WHERE run_uuid = ? AND seq = 5", (new_hash, run_uuid)
    )
    report = verify(db, run_uuid)
    assert report.broken_at == 6, report
    assert "event #6 " in report.reason and "does not follow #5" in report.reason


# -- deletions -----------------------------------------------------------------------------


@pytest.mark.parametrize("seq", [1, 2, 5, 9])
def test_deleted_row_breaks_where_it_was(victim: tuple[Path, str], tamper: sqlite3.Connection, seq: int) -> None:
    db, run_uuid = victim
    tamper.execute("DELETE FROM journal WHERE run_uuid = ? AND seq = ?", (run_uuid, seq))
    report = verify(db, run_uuid)
    assert report.broken_at == seq, report
    assert "missing" in report.reason and f"#{seq} is missing" in report.reason
    assert report.events == seq - 1


def test_deleted_row_with_later_seqs_closed_up(victim: tuple[Path, str], tamper: sqlite3.Connection) -> None:
    """Renumbering after a delete hides the gap, not the broken link."""
    db, run_uuid = victim
    tamper.execute("DELETE FROM journal WHERE run_uuid = ? AND seq = 5", (run_uuid,))
    tamper.execute("UPDATE journal SET seq = seq - 1 WHERE run_uuid = ? AND seq > 5", (run_uuid,))
    report = verify(db, run_uuid)
    assert report.broken_at == 5, report
    assert "event #5 " in report.reason and "does not follow #4" in report.reason


# -- insertions ----------------------------------------------------------------------------


def test_forged_row_with_seq_between(victim: tuple[Path, str], tamper: sqlite3.Connection) -> None:
    """A row slipped in between #4 and #5 (seq 4.5: SQLite stores what it is given)."""
    db, run_uuid = victim
    forged = row(tamper, run_uuid, 4) | {"seq": 4.5, "uuid": "forged-0000", "actor_name": "Mallory"}
    forged["hash"] = journal.row_hash(forged)
    insert(tamper, forged)
    report = verify(db, run_uuid)
    assert report.broken_at == 5, report
    assert "out of place" in report.reason and "inserted" in report.reason


def test_duplicate_seq_is_refused_by_the_schema(victim: tuple[Path, str], tamper: sqlite3.Connection) -> None:
    db, run_uuid = victim
    forged = row(tamper, run_uuid, 5) | {"uuid": "forged-0001", "actor_name": "Mallory"}
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        insert(tamper, forged)
    assert verify(db, run_uuid).ok


def test_inserted_row_naive_hash_breaks_at_the_insert(victim: tuple[Path, str], tamper: sqlite3.Connection) -> None:
    """Later seqs shifted up, a copy of #5 with another actor put in at #5: its hash does not match."""
    db, run_uuid = victim
    forged = row(tamper, run_uuid, 5) | {"uuid": "forged-0002", "actor_name": "Mallory"}
    shift_up(tamper, run_uuid, 5)
    insert(tamper, forged)
    report = verify(db, run_uuid)
    assert report.broken_at == 5, report
    assert "event #5 " in report.reason and "forged-0002" in report.reason


def test_inserted_row_well_forged_breaks_right_after(victim: tuple[Path, str], tamper: sqlite3.Connection) -> None:
    """A forged #5 chained correctly from #4: the old #5 (now #6) no longer follows it.

    Without a key, the forged link itself is indistinguishable from a real one; the first
    link that fails is the one after the insertion point.
    """
    db, run_uuid = victim
    fourth = row(tamper, run_uuid, 4)
    forged = fourth | {"seq": 5, "uuid": "forged-0003", "kind": "note", "task_id": None,
                       "payload": json.dumps({"text": "all fine"}), "prev_hash": fourth["hash"]}  # fmt: skip
    forged["hash"] = journal.row_hash(forged)
    shift_up(tamper, run_uuid, 5)
    insert(tamper, forged)
    report = verify(db, run_uuid)
    assert report.broken_at == 6, report
    assert report.events == 5
    assert "event #6 " in report.reason and "does not follow #5" in report.reason and "inserted" in report.reason


# -- reordering ----------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b"), [(4, 5), (1, 2), (9, 10), (3, 7)])
def test_swapped_pair_breaks_at_the_first(victim: tuple[Path, str], tamper: sqlite3.Connection, a: int, b: int) -> None:
    db, run_uuid = victim
    tamper.execute("UPDATE journal SET seq = -1 WHERE run_uuid = ? AND seq = ?", (run_uuid, a))
    tamper.execute("UPDATE journal SET seq = ? WHERE run_uuid = ? AND seq = ?", (a, run_uuid, b))
    tamper.execute("UPDATE journal SET seq = ? WHERE run_uuid = ? AND seq = -1", (b, run_uuid))
    report = verify(db, run_uuid)
    assert report.broken_at == a, report
    assert report.events == a - 1
    assert f"event #{a} " in report.reason and f"does not follow #{a - 1}" in report.reason


def test_swapped_rows_by_id_keep_the_chain(victim: tuple[Path, str], tamper: sqlite3.Connection) -> None:
    """The chain is read in seq order, not storage order: moving row ids around changes nothing."""
    db, run_uuid = victim
    ids = [r[0] for r in tamper.execute("SELECT id FROM journal WHERE run_uuid = ? ORDER BY seq", (run_uuid,))]
    tamper.execute("UPDATE journal SET id = -id WHERE run_uuid = ?", (run_uuid,))
    tamper.execute("UPDATE journal SET id = ? + id WHERE run_uuid = ?", (max(ids) + min(ids), run_uuid))
    reversed_ids = [r[0] for r in tamper.execute("SELECT id FROM journal WHERE run_uuid = ? ORDER BY seq", (run_uuid,))]
    assert reversed_ids == ids[::-1]
    report = verify(db, run_uuid)
    assert report.ok, report


# -- the triggers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("UPDATE journal SET actor_name = 'Mallory' WHERE seq = 5", "journal is append-only: rows cannot be changed"),
        ("DELETE FROM journal WHERE seq = 5", "journal is append-only: rows cannot be deleted"),
        ("DELETE FROM journal", "journal is append-only"),
        ("UPDATE run SET mode = 'rehearsal'", "run is append-only: rows cannot be changed"),
        ("DELETE FROM run", "run is append-only"),
        ("UPDATE runbook_version SET source = ''", "runbook_version is append-only: rows cannot be changed"),
        ("DELETE FROM runbook_version", "runbook_version is append-only"),
    ],
)
def test_triggers_refuse_update_and_delete(victim: tuple[Path, str], statement: str, message: str) -> None:
    db, run_uuid = victim
    con = attacker(db, drop=())
    try:
        with pytest.raises(sqlite3.DatabaseError, match=message):
            con.execute(statement)
        count = con.execute("SELECT count(*) FROM journal").fetchone()[0]
    finally:
        con.close()
    assert count == 10
    assert verify(db, run_uuid).ok


def test_trigger_refusal_is_an_integrity_error(victim: tuple[Path, str]) -> None:
    con = attacker(victim[0], drop=())
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute("UPDATE journal SET payload = '{}' WHERE seq = 1")
    finally:
        con.close()


@pytest.mark.parametrize("dropped", [["journal_no_update"], ["run_no_delete", "runbook_version_no_update"], TRIGGERS])
def test_verify_database_flags_dropped_triggers(victim: tuple[Path, str], dropped: list[str]) -> None:
    db, _ = victim
    attacker(db, drop=tuple(dropped)).close()
    lines = verify_database(db)
    flagged = [text for text, ok in lines if not ok]
    assert len(flagged) == 1, lines
    assert "append-only triggers were removed" in flagged[0]
    for name in TRIGGERS:
        assert (name in flagged[0]) == (name in dropped), flagged[0]
    # the rows themselves were not touched: the chain line is still ok
    assert any(ok and "ok: 10 events" in text for text, ok in lines), lines


def test_verify_database_names_the_broken_event(victim: tuple[Path, str], tamper: sqlite3.Connection) -> None:
    db, _ = victim
    tamper.execute('UPDATE journal SET payload = \'{"comment":"forged"}\' WHERE seq = 6')
    lines = verify_database(db)
    bad = [text for text, ok in lines if not ok]
    assert any("broken at event #6:" in text for text in bad), lines
    assert any("append-only triggers were removed: journal_no_delete, journal_no_update" in text for text in bad)


# -- the CLI -------------------------------------------------------------------------------


def golive_verify(db: Path) -> subprocess.CompletedProcess[str]:
    close_all()
    return subprocess.run(
        [sys.executable, "-m", "golive", "verify", "--db", str(db)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "GOLIVE_DEBUG": ""},
    )  # fmt: skip


def test_cli_verify_ok(victim: tuple[Path, str]) -> None:
    done = golive_verify(victim[0])
    assert done.returncode == 0, done.stderr
    assert "ok: 10 events" in done.stdout
    assert "broken" not in done.stdout + done.stderr


def test_cli_verify_tampered_exits_1(victim: tuple[Path, str], tamper: sqlite3.Connection) -> None:
    db, run_uuid = victim
    tamper.execute("UPDATE journal SET actor_name = 'Mallory' WHERE run_uuid = ? AND seq = 5", (run_uuid,))
    tamper.close()
    done = golive_verify(db)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "broken at event #5" in done.stderr
    assert "verification failed" in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_verify_deleted_row_exits_1(victim: tuple[Path, str], tamper: sqlite3.Connection) -> None:
    db, run_uuid = victim
    tamper.execute("DELETE FROM journal WHERE run_uuid = ? AND seq = 3", (run_uuid,))
    tamper.close()
    done = golive_verify(db)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "broken at event #3" in done.stderr and "missing" in done.stderr
