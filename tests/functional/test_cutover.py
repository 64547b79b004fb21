"""Cutover actions on a real SQLite file: the incremental state always equals a full refold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from golive.problems import GoliveError
from golive.progress.events import Actor
from golive.progress.payloads import Checked
from golive.progress.state import fold
from golive.runbook.load import parse_runbook
from golive.store import runs
from golive.store.cutover import Cutover
from golive.store.db import open_engine

from ..conftest import VALID

ANA = Actor("Ana Ruiz", "AR", "net")
LEE = Actor("Lee Chan", "LC", "lead")
PAT = Actor("Pat Moss", "PM", "pm")


def snapshot(c: Cutover) -> dict[str, tuple[str, list[str]]]:
    return {tid: (p.state.value, p.waiting_for) for tid, p in c.state.tasks.items()}


def test_incremental_state_matches_a_full_fold_and_a_reopen(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    runs.load(open_engine(db), parse_runbook(VALID, "rb.yaml"), rehearsal=True, actor=ANA, machine="t")
    c = Cutover.open(db)
    other = Cutover.open(db)  # a second window on the same run
    steps = [
        lambda: c.start("uplink", ANA),
        lambda: c.sign_off("uplink", ANA, "10G up"),
        lambda: other.start("patch", ANA),
        lambda: c.block("patch", ANA, "closet locked"),
        lambda: c.unblock("patch", ANA),
        lambda: c.sign_off("patch", ANA),
        lambda: c.sign_off("gate", LEE),
        lambda: other.sign_off("gate", PAT),
        lambda: c.start("close", PAT),
    ]
    for step in steps:
        step()
        assert snapshot(c) == {t: (p.state.value, p.waiting_for) for t, p in fold(c.runbook, c.events).tasks.items()}
    other.refresh()
    assert snapshot(other) == snapshot(c)
    assert snapshot(Cutover.open(db)) == snapshot(c)
    assert c.state.tasks["close"].state.value == "in_progress"


def test_a_refused_action_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    runs.load(open_engine(db), parse_runbook(VALID, "rb.yaml"), rehearsal=False, actor=ANA, machine="t")
    c = Cutover.open(db)
    before = len(c.events)
    with pytest.raises(GoliveError, match="gate is not ready: waiting for patch"):
        c.sign_off("gate", LEE)
    assert len(Cutover.open(db).events) == before


# -- reopening a stored runbook: rebuilt when golive validated those bytes, validated in full otherwise --

TRICKY = """\
$schema: golive-runbook.schema.json
runbook:
  id: tricky
  title: Every shape the stored form can take
  version: 7
  window: {start: "2026-12-05T22:00-05:00", end: "2026-12-06T08:00Z"}
roles: {net: Network, lead: Lead}
inventory:
  sw1:
    host: 192.0.2.10
    platform: cisco_ios
    snmp: {version: 2c, community: env:COMM, port: 1161}
  sw2: {host: sw2.example.net, platform: arista_eos, snmp: {version: 3, user: u, credentials: keyring:k}}
ssh: {known_hosts: known_hosts}
phases:
  - id: p
    title: P
    tasks:
      - id: a
        title: A
        duration: 1h30m
        checks:
          - {kind: port, id: base, device: sw1, ports: [Gi1/0/1-3, Gi1/0/9], timeout: 10s,
             expect: {status: {in: [up, 1, true]}, speed: {not: {equals: 100M}}}}
          - {kind: errors, device: sw1, port: Gi1/0/2, interval: 30s,
             expect: {crc: {delta: {le: 0}, baseline: base}, input: {range: [0, 10]}}}
          - {kind: snmp, device: sw2, oid: .1.3.6.1.2.1.1.3.0, walk: true, count: {gt: 1}, expect: {matches: "^[0-9]+$"}}
          - {kind: tcp, host: 198.51.100.7, port: 104}
          - {kind: mac, device: sw1, mac: "00:1b:44:*", expect: {port: Gi1/0/5}}
          - {kind: neighbor, device: sw2, port: Ethernet1, protocol: lldp, expect: {device: core}}
          - {kind: poe, device: sw1, port: Gi1/0/4, expect: {class: 4, watts: {ge: 6}}}
          - {kind: state, device: sw1, port: Gi1/0/4, expect: {stp: forwarding}}
          - {kind: vlan, device: sw2, port: Ethernet2, via: ssh, expect: {trunk_allowed: {contains: 120}}}
      - id: g
        title: G
        owner: lead
        duration: 5m
        gate: true
        after: a
        signoff: {roles: lead, people: 2, distinct: true}
        rollback: rb
rollback:
  rb: {title: Back, decide_by: 1h, steps: [{id: s1, title: S1, duration: 90s, instructions: "# do it"}]}
"""


def _stored(db: Path) -> str:
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return str(con.execute("SELECT normalized FROM runbook_version").fetchone()[0])
    finally:
        con.close()


def _edit_stored(db: Path, old: str, new: str) -> None:
    import sqlite3

    from golive.store.db import close_all, trigger_statements

    close_all()
    con = sqlite3.connect(db)
    for name in trigger_statements():
        con.execute(f"DROP TRIGGER {name}")
    assert con.execute("UPDATE runbook_version SET normalized = replace(normalized, ?, ?)", (old, new)).rowcount
    for statement in trigger_statements().values():
        con.execute(statement)
    con.commit()
    con.close()


@pytest.mark.parametrize(
    "source", ["VALID", "TRICKY", *sorted(str(p) for p in (Path(__file__).parents[2] / "runbooks").glob("*.yaml"))]
)
def test_a_rebuilt_runbook_is_the_validated_one(source: str, tmp_path: Path) -> None:
    from golive.runbook.schema import Runbook
    from golive.store import rebuild

    text = {"VALID": VALID, "TRICKY": TRICKY}.get(source) or Path(source).read_text(encoding="utf-8")
    db = tmp_path / "s.db"
    runs.load(open_engine(db), parse_runbook(text, "rb.yaml"), rehearsal=True, actor=ANA, machine="t")
    normalized = _stored(db)
    assert rebuild.validated(rebuild.form_digest(normalized))  # loading noted it
    full = Runbook.model_validate_json(normalized)
    fast = rebuild.rebuild(Runbook, json.loads(normalized))
    assert fast == full
    assert repr(fast) == repr(full)  # the same types too: 1.0 is not 1, TzInfo is not timezone
    assert fast.model_dump_json(by_alias=True, exclude_unset=True) == normalized  # and the same fields set
    assert Cutover.open(db).runbook == full


def test_a_stored_runbook_edited_in_the_database_is_validated_and_refused(tmp_path: Path) -> None:
    from golive.store import rebuild

    db = tmp_path / "s.db"
    runs.load(open_engine(db), parse_runbook(VALID, "rb.yaml"), rehearsal=True, actor=ANA, machine="t")
    assert rebuild.validated(rebuild.form_digest(_stored(db)))
    Cutover.open(db)
    # a host no validator would pass, but that a rebuild (which copies strings as they are) would
    _edit_stored(db, '"host":"192.0.2.10"', '"host":"192.0.2.10; reboot"')
    assert not rebuild.validated(rebuild.form_digest(_stored(db)))
    with pytest.raises(GoliveError, match=r"runbook version [0-9a-f]{12} in the database no longer reads as a runbook"):
        Cutover.open(db)


def test_a_stored_runbook_golive_has_not_validated_here_is_validated_then_noted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from golive.store import rebuild

    db = tmp_path / "s.db"
    runs.load(open_engine(db), parse_runbook(VALID, "rb.yaml"), rehearsal=True, actor=ANA, machine="t")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "another-machine"))  # a copied database, say
    digest = rebuild.form_digest(_stored(db))
    assert not rebuild.validated(digest)
    calls = []
    real = rebuild.rebuild
    monkeypatch.setattr(rebuild, "rebuild", lambda *a: calls.append(a) or real(*a))
    first = Cutover.open(db).runbook
    assert calls == [] and rebuild.validated(digest)
    assert Cutover.open(db).runbook == first and len(calls) == 1


# -- opening reads with sqlite3 alone; the engine comes with the first write ----------------------------


def _busy_run(tmp_path: Path) -> Path:
    db = tmp_path / "s.db"
    runs.load(open_engine(db), parse_runbook(VALID, "rb.yaml"), rehearsal=False, actor=ANA, machine="t")
    c = Cutover.open(db)
    c.start("uplink", ANA)
    c.record_check("uplink", ANA, Checked(check="uplink#1", status="pass"))
    c.note(ANA, "ünïcode note", "uplink")
    c.sign_off("uplink", ANA, "ok")
    c.block("patch", ANA, "closet locked")
    return db


def test_the_sqlite3_reading_of_a_run_is_the_engines(tmp_path: Path) -> None:
    from golive.store import journal
    from golive.store import snapshot as sqlite_side
    from golive.store.db import close_all

    db = _busy_run(tmp_path)
    engine = open_engine(db, create=False)
    with engine.connect() as conn, conn.begin():
        run = runs.find_run(conn, None)
        rows = journal.rows(conn, run.uuid)
    stored = sqlite_side.read(db)
    assert stored is not None and stored.run == run
    assert stored.rows == rows and len(rows) == 6
    assert [sqlite_side.to_event(r) for r in rows] == [journal.to_event(r) for r in rows]
    assert sqlite_side.genesis(run.uuid) == journal.genesis(run.uuid)
    fast = Cutover.open(db, defer_engine=True)
    slow = Cutover(engine, run)
    assert fast._engine is None  # nothing written yet: no engine
    assert snapshot(fast) == snapshot(slow) and fast.events == slow.events and fast.head_hash == slow.head_hash
    fast.unblock("patch", ANA)  # the first write makes the engine and chains onto the same head
    close_all()
    assert journal.verify(open_engine(db).connect(), run.uuid).ok


def test_opening_a_run_for_the_tui_does_not_import_sqlalchemy(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = _busy_run(tmp_path)
    probe = (
        "import sys; from pathlib import Path; from golive.store.cutover import Cutover; "
        f"c = Cutover.open(Path({str(db)!r}), defer_engine=True); assert c.state.tasks['patch'].state.value == 'blocked'; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("what", ["missing", "not-golive", "directory"])
def test_a_file_that_is_no_golive_database_still_gets_the_engines_words(tmp_path: Path, what: str) -> None:
    import sqlite3

    db = tmp_path / "x.db"
    if what == "not-golive":
        con = sqlite3.connect(db)
        con.execute("CREATE TABLE t (a)")
        con.commit()
        con.close()
    elif what == "directory":
        db.mkdir()
    words = {"missing": "no such database", "not-golive": "not a golive database", "directory": "is a directory"}
    with pytest.raises(GoliveError, match=words[what]):
        Cutover.open(db)


def test_an_injected_clock_stamps_the_journal(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    db = tmp_path / "s.db"
    runs.load(open_engine(db), parse_runbook(VALID, "rb.yaml"), rehearsal=True, actor=ANA, machine="t")
    c = Cutover.open(db)
    c.clock = lambda: datetime(2026, 12, 5, 22, 30, tzinfo=UTC)
    assert c.start("uplink", ANA).ts == datetime(2026, 12, 5, 22, 30, tzinfo=UTC)
    assert Cutover.open(db).events[-1].ts == datetime(2026, 12, 5, 22, 30, tzinfo=UTC)


def test_a_model_the_rebuild_does_not_support_is_refused_whole_every_time() -> None:
    from pydantic import BaseModel

    from golive.store import rebuild

    class Odd(BaseModel):
        name: str
        tags: set[int]  # no JSON form of its own: the rebuild does not guess

    for _ in range(2):  # and nothing half made stays behind for the next call
        with pytest.raises(TypeError, match="cannot rebuild"):
            rebuild.rebuild(Odd, {"name": "x", "tags": [1]})
