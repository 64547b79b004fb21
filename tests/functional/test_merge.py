"""`golive merge`: three laptops' journals with a known overlap and known conflicts, and every refusal.

Laptop A loads the runbook and starts `uplink`; B's database is a copy of A's taken then (so the
two share a run and its first two events, and then fork); C loads the same runbook on its own.
B's clock runs behind. Known conflicts: the fork, B's clock stepping back, two people signing the
one-person task `uplink`, C signing `patch` after A started the rollback, and `patch` done on C but
failed on B.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from golive.progress.events import Actor, Kind
from golive.progress.payloads import PAYLOADS
from golive.runbook.load import read_runbook
from golive.store import journal
from golive.store.db import close_all, open_engine
from golive.store.merge import merged_payload, original_row, verify_sources
from golive.store.repository import Repository
from golive.store.runs import load

from ..conftest import VALID
from .test_cli import golive, no_traceback

T0 = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
ANA = Actor("Ana Ruiz", "AR", "net")
BO = Actor("Bo Li", "BL", "net")
CY = Actor("Cy Diaz", "CD", "net")
LEAD = Actor("Lee Chan", "LC", "lead")


def new_db(path: Path, runbook: Path, machine: str, *, rehearsal: bool = False) -> str:
    outcome = load(open_engine(path), read_runbook(runbook), rehearsal=rehearsal, actor=ANA, machine=machine)
    return outcome.run.uuid


def add(
    path: Path, run: str, kind: Kind, actor: Actor, machine: str, minutes: float, *, task: str | None = None,
    payload: dict[str, Any] | None = None,
) -> str:  # fmt: skip
    with Repository.at(path).write() as tx:
        typed = PAYLOADS[kind].model_validate(payload or {})
        row = tx.append(run, typed, actor, machine, task=task, now=T0 + timedelta(minutes=minutes))
    return str(row["uuid"])


def uuids(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT uuid FROM journal")}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def laptops(runbook_file: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    a, b, c = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "c.db"
    run = new_db(a, runbook_file, "lap-a/aaaa")
    add(a, run, Kind.STARTED, ANA, "lap-a/aaaa", 1, task="uplink")
    close_all()
    shutil.copyfile(a, b)  # B takes a copy of A's database: one run, two shared events
    add(a, run, Kind.CHECK_RESULT, ANA, "lap-a/aaaa", 2, task="uplink", payload={"check": "uplink#1", "status": "pass"})
    add(a, run, Kind.SIGNED_OFF, ANA, "lap-a/aaaa", 10, task="uplink", payload={"comment": "10G up"})
    add(a, run, Kind.ROLLBACK_STARTED, LEAD, "lap-a/aaaa", 15, task="gate", payload={"plan": "rb", "reason": "POST"})
    add(b, run, Kind.SIGNED_OFF, BO, "lap-b/bbbb", 0.5, task="uplink", payload={"comment": ""})  # B's clock is behind
    add(b, run, Kind.STARTED, BO, "lap-b/bbbb", 7, task="patch")
    add(b, run, Kind.CHECK_RESULT, BO, "lap-b/bbbb", 8, task="patch", payload={"check": "patch#1", "status": "fail"})
    add(b, run, Kind.FAILED, BO, "lap-b/bbbb", 9, task="patch", payload={"reason": "vlan 120 missing"})
    run_c = new_db(c, runbook_file, "lap-c/cccc")
    add(c, run_c, Kind.STARTED, CY, "lap-c/cccc", 12, task="patch")
    add(c, run_c, Kind.SIGNED_OFF, CY, "lap-c/cccc", 20, task="patch", payload={"comment": "all rooms"})
    close_all()
    return a, b, c


def test_three_laptops_merge_without_loss(laptops: tuple[Path, Path, Path], tmp_path: Path) -> None:
    a, b, c = laptops
    before = {p: digest(p) for p in laptops}
    out = tmp_path / "merged.db"
    result = golive("merge", str(a), str(b), str(c), "-o", str(out), env={"GOLIVE_NAME": "Pat Manager"})
    assert result.returncode == 0, result.stderr
    no_traceback(result)
    assert {p: digest(p) for p in laptops} == before, "a source database was changed"

    # nothing lost: every source UUID is in the merged run, exactly once, plus the merge's own load event
    sources = uuids(a) | uuids(b) | uuids(c)
    assert len(sources) == 5 + 4 + 3
    merged = uuids(out)
    assert sources < merged and len(merged - sources) == 1
    assert "12 distinct events (14 read, 2 held by more than one laptop)" in result.stdout

    # the conflicts, each named
    lines = result.stdout.splitlines()
    conflicts = [line.strip() for line in lines if line.startswith("  [")]
    kinds = sorted(line.split("]")[0][1:] for line in conflicts)
    assert kinds == ["clock", "fork", "outcome", "rollback", "signoff"], result.stdout
    assert any("[fork] run demo-live-1 forks after event #2" in line for line in conflicts)
    assert any(f"{b}: event #3 (signed_off) is stamped 30s before event #2" in line for line in conflicts)
    assert any("lap-b/bbbb's clock is behind lap-a/aaaa's" in line for line in conflicts)
    assert any("task uplink: signed off by Bo Li" in line and "and Ana Ruiz" in line for line in conflicts)
    assert any("task patch: signed off by Cy Diaz" in line and "after rollback rb" in line for line in conflicts)
    assert any(f"task patch: done in {c} but failed in {b} (vlan 120 missing)" in line for line in conflicts)

    # the merged chain verifies with golive verify, and each source chain is rebuilt and verified in it
    verified = golive("verify", "--db", str(out))
    assert verified.returncode == 0, verified.stderr
    assert "demo-live-merged: ok: 13 events" in verified.stdout
    with Repository.at(out).read() as tx:
        run_uuid = tx.find_run(None).uuid
        rows = tx.rows(run_uuid)
    checks = verify_sources(open_engine(out, create=False), run_uuid)
    assert [ok for _, ok in checks] == [True, True, True]
    assert [line.split(":")[0] for line, _ in checks] == [
        f"source {n} {p} (demo-live-1)" for n, p in enumerate(laptops, 1)
    ]
    assert "re-read source 3" in result.stdout

    # ordered by time after the merge's own load event; the report is stored in that event
    stamps = [r["ts_utc"] for r in rows[1:]]
    assert stamps == sorted(stamps)
    stored = json.loads(rows[0]["payload"])["merge"]
    assert sorted(x["kind"] for x in stored["conflicts"]) == kinds
    assert rows[0]["actor_name"] == "Pat Manager"
    assert [s["events"] for s in stored["sources"]] == [5, 6, 3]

    # the merged database is an ordinary golive database
    status = golive("status", "--db", str(out))
    assert status.returncode == 0, status.stderr


def test_a_tampered_source_row_in_the_merge_is_caught(laptops: tuple[Path, Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "merged.db"
    assert golive("merge", *map(str, laptops), "-o", str(out)).returncode == 0
    with sqlite3.connect(out) as conn:  # forge a source row and re-chain the merged run, as a careful forger would
        conn.execute("DROP TRIGGER journal_no_update")
        rows = [dict(r) for r in _rows(conn)]
        prev = rows[0]["hash"]
        for row in rows[1:]:
            row.update(payload=row["payload"].replace('"all rooms"', '"all rooms, checked"'), prev_hash=prev)
            prev = row["hash"] = journal.row_hash(row)
            conn.execute(
                "UPDATE journal SET payload=?, prev_hash=?, hash=? WHERE id=?",
                (row["payload"], row["prev_hash"], row["hash"], row["id"]),
            )
    with Repository.at(out).read() as tx:
        run_uuid = tx.find_run(None).uuid
        assert journal.verify_rows(run_uuid, tx.rows(run_uuid)).ok  # the merged chain alone cannot tell
    checks = verify_sources(open_engine(out, create=False), run_uuid)
    assert [ok for _, ok in checks] == [True, True, False]
    assert "was edited: its content does not match its hash" in checks[2][0]


def _rows(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    conn.row_factory = sqlite3.Row
    return list(conn.execute("SELECT * FROM journal ORDER BY seq"))


def test_existing_output_needs_force(laptops: tuple[Path, Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "merged.db"
    out.write_text("keep me")
    refused = golive("merge", *map(str, laptops), "-o", str(out))
    assert refused.returncode == 1
    assert refused.stderr.strip() == f"golive: {out}: already exists; add --force to replace it"
    assert out.read_text() == "keep me"
    forced = golive("merge", *map(str, laptops), "-o", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert golive("verify", "--db", str(out)).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith((".merged", "merged"))) == ["merged.db"]
    onto_source = golive("merge", *map(str, laptops), "-o", str(laptops[0]), "--force")
    assert onto_source.returncode == 1
    assert "is one of the databases being merged" in onto_source.stderr


def _other_runbook(tmp_path: Path) -> Path:
    other = tmp_path / "other.yaml"
    other.write_text(VALID.replace("version: 1", "version: 2"))
    db = tmp_path / "other.db"
    new_db(db, other, "lap-d/dddd")
    close_all()
    return db


def _truncated(tmp_path: Path) -> Path:
    db = tmp_path / "trunc.db"
    data = (tmp_path / "a.db").read_bytes()
    db.write_bytes(data[: len(data) // 2])
    return db


def _foreign(tmp_path: Path) -> Path:
    db = tmp_path / "foreign.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE patients (id INTEGER)")
    return db


def _foreign_high_version(tmp_path: Path) -> Path:
    db = tmp_path / "places.sqlite"  # another application's schema version, higher than golive's
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER)")
        conn.execute("PRAGMA user_version = 74")
    return db


def _text(tmp_path: Path) -> Path:
    db = tmp_path / "notes.db"
    db.write_text("not a database\n" * 100)
    return db


def _broken_chain(tmp_path: Path) -> Path:
    db = tmp_path / "broken.db"
    shutil.copyfile(tmp_path / "c.db", db)
    with sqlite3.connect(db) as conn:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name='journal_no_update'").fetchone()[0]
        conn.execute("DROP TRIGGER journal_no_update")
        conn.execute("UPDATE journal SET actor_name='Someone Else' WHERE seq=3")
        conn.execute(sql)
    return db


def _rehearsal_only(tmp_path: Path) -> Path:
    db = tmp_path / "rehearsal.db"
    new_db(db, tmp_path / "demo.yaml", "lap-e/eeee", rehearsal=True)
    close_all()
    return db


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_other_runbook, "was loaded from runbook demo v2 ("),
        (_truncated, "truncated"),
        (_foreign, "this SQLite file is not a golive database"),
        (_foreign_high_version, "this SQLite file is not a golive database"),
        (_text, "not a golive database (not an SQLite file)"),
        (_broken_chain, "run demo-live-1: chain broken at event #3: event #3 (signed_off"),
        (_rehearsal_only, "no live run (it holds demo-rehearsal-1): use --rehearsal"),
        (lambda p: p / "missing.db", "no such database"),
        (lambda p: Path(f"{p / 'a.db'}:nope"), "no single run 'nope'"),
    ],
)
def test_bad_inputs_are_refused_and_nothing_is_written(
    laptops: tuple[Path, Path, Path], tmp_path: Path, make: Any, message: str
) -> None:
    bad = make(tmp_path)
    out = tmp_path / "merged.db"
    result = golive("merge", str(laptops[1]), str(bad), "-o", str(out))
    assert result.returncode == 1, result.stderr
    no_traceback(result)
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"golive: {str(bad).split(':nope')[0]}")
    assert message in result.stderr
    assert not [p for p in tmp_path.iterdir() if "merged" in p.name]


def test_usage_mistakes_exit_2(laptops: tuple[Path, Path, Path], tmp_path: Path) -> None:
    out = str(tmp_path / "merged.db")
    one = golive("merge", str(laptops[0]), "-o", out)
    assert one.returncode == 2 and "at least two databases" in one.stderr
    twice = golive("merge", str(laptops[0]), str(laptops[0]), "-o", out)
    assert twice.returncode == 2 and "given twice" in twice.stderr
    no_output = golive("merge", str(laptops[0]), str(laptops[1]))
    assert no_output.returncode == 2
    assert not Path(out).exists()


@pytest.mark.parametrize("payload", ['{"text":"plain"}', "{}", '{"text": "spaced"}', "[1]", '{"merged_from":1}'])
def test_original_rows_rebuild_from_any_payload(payload: str) -> None:
    row = {
        "run_uuid": "r", "seq": 4, "uuid": "u", "kind": "note", "task_id": None, "actor_name": "A",
        "actor_initials": "A", "actor_role": "", "machine": "m", "ts_utc": "2026-01-01T00:00:00+00:00",
        "tz_offset": "+00:00", "payload": payload, "prev_hash": "p",
    }  # fmt: skip
    row["hash"] = journal.row_hash(row)
    stored = {**row, "run_uuid": "merged", "seq": 9, "prev_hash": "x", "payload": merged_payload(row, [1, 3])}
    assert json.loads(stored["payload"])["merged_from"]["in"] == [1, 3]
    assert original_row(stored) == row
    assert original_row({**stored, "payload": '{"text":"own event"}'}) is None
