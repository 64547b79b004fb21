"""Typed payloads read what main wrote, byte for byte: tests/functional/main_journal, made by main.

The fixture's databases (a rehearsal against the lab, a live night, a forked laptop and the merge
of both, every event kind) were written by golive before payloads were typed. Opened with this
golive they verify (`golive verify`), every payload re-serialises to exactly its stored bytes (a
merged row's too, and the laptop row inside it), and every run exports, in every format, plain
and redacted, to the very bytes main exported (their digests are in exports.sha256).

A journal from a newer golive (a payload key, an event kind this golive does not know), and its
merge with an older laptop, read, fold, verify and export without a complaint.
"""

from __future__ import annotations

import gzip
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from golive.export.exporter import export_run
from golive.progress.events import Actor, Kind
from golive.progress.payloads import PAYLOADS, Checked, Loaded, Note, read_payload
from golive.runbook.load import parse_runbook
from golive.store import journal, merge, runs
from golive.store.cutover import Cutover
from golive.store.db import close_all, open_engine
from golive.store.verify import verify_database

from ..conftest import VALID, in_window
from .main_journal.build import EXPORTED, export_all

FIXTURE = Path(__file__).parent / "main_journal"
ANA = Actor("Ana Ruiz", "AR", "net")
# Kinds added after main wrote the fixture: their round trip is proven where they are written.
NEWER_THAN_FIXTURE = {str(Kind.JACK_CONFIRMED)}


@pytest.fixture
def mains(tmp_path: Path) -> Iterator[list[Path]]:
    """The fixture's databases, unpacked where the test may write."""
    out = []
    for name in ("lap-a.db", "merged.db"):
        path = tmp_path / name
        path.write_bytes(gzip.decompress((FIXTURE / f"{name}.gz").read_bytes()))
        out.append(path)
    yield out
    close_all()


def all_rows(db: Path) -> list[dict[str, Any]]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute("SELECT * FROM journal ORDER BY run_uuid, seq")]
    finally:
        con.close()


def test_mains_databases_verify(mains: list[Path]) -> None:
    for db in mains:
        result = subprocess.run(
            [sys.executable, "-m", "golive", "verify", "--db", str(db)], capture_output=True, text=True, timeout=120,
            env={**os.environ, "GOLIVE_DEBUG": ""},
        )  # fmt: skip
        assert result.returncode == 0, (result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
    merged = [line for line, ok in verify_database(mains[1]) if ok]
    assert sum(line.startswith("source ") and ": ok: " in line for line in merged) == 2, merged


def test_every_payload_main_wrote_reserialises_to_its_bytes(mains: list[Path]) -> None:
    rows = [row for db in mains for row in all_rows(db)]
    seen: Counter[str] = Counter()
    merged = 0
    for row in rows:
        payload = read_payload(Kind(row["kind"]), row["payload"])
        assert type(payload) is PAYLOADS[Kind(row["kind"])]
        assert payload.to_json() == row["payload"], row
        seen[row["kind"]] += 1
        original = merge.original_row(row)
        if original is not None:
            merged += 1
            assert payload.merged_from is not None and payload.merged_from.seq == original["seq"]
            again = read_payload(Kind(row["kind"]), original["payload"])
            assert again.merged_from is None and again.to_json() == original["payload"]
    expected = {str(k) for k in Kind} - NEWER_THAN_FIXTURE
    assert set(seen) == expected, f"the fixture lacks {expected - set(seen)}"
    assert merged >= 30
    checks = [read_payload(Kind.CHECK_RESULT, r["payload"]) for r in rows if r["kind"] == Kind.CHECK_RESULT]
    assert all(isinstance(c, Checked) for c in checks)
    statuses = {c.status for c in checks if isinstance(c, Checked)}
    assert statuses == {"pass", "fail", "error", "simulated"}, statuses
    assert any(isinstance(c, Checked) and c.host_key_trusted and c.ports for c in checks)
    first = [read_payload(Kind.LOADED, r["payload"]) for r in rows if r["seq"] == 1]
    assert any(isinstance(p, Loaded) and p.merge is not None and p.merge.conflicts for p in first)


def test_every_export_of_mains_databases_is_the_one_main_made(mains: list[Path], tmp_path: Path) -> None:
    want = dict(line.split("  ")[::-1] for line in (FIXTURE / "exports.sha256").read_text().splitlines())
    got: dict[str, str] = {}
    exports = tmp_path / "exports"
    exports.mkdir()
    for db in mains:
        got.update(export_all(db, exports))
    assert len(want) == 39
    differ = sorted(name for name in want if got.get(name) != want[name])
    assert not differ, f"these exports differ from main's (see tests/functional/main_journal/build.py): {differ}"


# -- a journal from a newer golive ---------------------------------------------------------------


def _laptop(db: Path) -> str:
    """A run with its load and one start."""
    engine = open_engine(db)
    run = runs.load(engine, parse_runbook(VALID, "demo.yaml"), rehearsal=False, actor=ANA, machine="lap/0001").run
    Cutover(engine, run, machine="lap/0001", clock=in_window).start("uplink", ANA)
    close_all()
    return run.uuid


def _append_as_a_newer_golive(db: Path, run_uuid: str) -> None:
    """What a newer golive may write (its schema is this one's): a payload key and an event kind unknown here."""
    con = sqlite3.connect(db)
    try:
        seq, prev = con.execute(
            "SELECT seq, hash FROM journal WHERE run_uuid = ? ORDER BY seq DESC LIMIT 1", (run_uuid,)
        ).fetchone()
        for kind, task, payload in (
            ("check_result", "uplink", '{"check":"uplink#1","retries":2,"status":"pass","zone":{"é":[1,null]}}'),
            ("photo", "uplink", '{"sha256":"ab12","text":"the closet, after"}'),
            ("note", None, '{"attachments":["a.png"],"text":"Ana Ruiz took the photo"}'),
        ):
            seq += 1
            row = {
                "run_uuid": run_uuid, "seq": seq, "uuid": f"00000000-0000-4000-8000-00000000000{seq}", "kind": kind,
                "task_id": task, "actor_name": ANA.name, "actor_initials": ANA.initials, "actor_role": ANA.role,
                "machine": "new/0001", "ts_utc": f"2026-12-06T03:1{seq}:00.000000+00:00", "tz_offset": "-05:00",
                "payload": payload, "prev_hash": prev,
            }  # fmt: skip
            row["hash"] = prev = journal.row_hash(row)
            columns = ", ".join(row)
            con.execute(f"INSERT INTO journal ({columns}) VALUES ({', '.join('?' * len(row))})", tuple(row.values()))
        con.commit()
    finally:
        con.close()


def _kind(text: str) -> Kind:
    return Kind(text) if text in set(map(str, Kind)) else Kind.NOTE  # as golive.store.journal.to_event reads it


def test_a_newer_golives_journal_reads_folds_verifies_and_exports(tmp_path: Path) -> None:
    db = tmp_path / "newer.db"
    run_uuid = _laptop(db)
    _append_as_a_newer_golive(db, run_uuid)
    assert all(ok for _line, ok in verify_database(db))
    c = Cutover.open(db, run_uuid)
    check, photo, note = c.events[-3:]
    assert isinstance(check.payload, Checked) and check.payload.model_extra == {"retries": 2, "zone": {"é": [1, None]}}
    assert c.state.tasks["uplink"].last_checks == {"uplink#1": "pass"}
    assert photo.kind is Kind.NOTE and isinstance(photo.payload, Note) and photo.payload.text == "the closet, after"
    assert isinstance(note.payload, Note) and note.payload.model_extra == {"attachments": ["a.png"]}
    stored = {r["uuid"]: r["payload"] for r in all_rows(db)}
    for event in c.events:
        assert event.payload.to_json() == stored[event.uuid]
    c.sign_off("uplink", ANA, "done")  # and a golive that read it still writes after it
    close_all()
    assert all(ok for _line, ok in verify_database(db))
    for fmt in ("csv", "xlsx", "jsonl", "html", "md"):
        export_run(db, None, fmt, tmp_path / f"out.{fmt}", now=EXPORTED, redact_people=fmt != "jsonl")
    assert "the closet, after" in (tmp_path / "out.md").read_text(encoding="utf-8")
    journal_csv = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert "AR took the photo" in journal_csv and "Ana Ruiz took" not in journal_csv
    assert '""attachments"":[""a.png""]' in journal_csv  # the unknown key, in the payload column


def test_a_newer_laptop_merges_with_an_older_one(tmp_path: Path) -> None:
    older, newer = tmp_path / "older.db", tmp_path / "newer.db"
    run_uuid = _laptop(older)
    con = sqlite3.connect(older)
    try:
        con.execute("VACUUM INTO ?", (str(newer),))  # the newer laptop took a copy before the night
    finally:
        con.close()
    _append_as_a_newer_golive(newer, run_uuid)
    Cutover.open(older, run_uuid).note(ANA, "the older laptop's own note")
    close_all()
    out = tmp_path / "merged.db"
    report = merge.merge([str(older), str(newer)], out, actor=ANA, machine="lap/0001")
    assert report.unique == 6
    lines = verify_database(out)
    assert all(ok for _line, ok in lines), lines
    assert sum(": ok: " in line and line.startswith("source ") for line, _ok in lines) == 2
    rows = all_rows(out)
    for row in rows:
        assert read_payload(_kind(row["kind"]), row["payload"]).to_json() == row["payload"]
    photo = merge.original_row(next(r for r in rows if r["kind"] == "photo"))
    assert photo is not None and photo["payload"] == '{"sha256":"ab12","text":"the closet, after"}'
