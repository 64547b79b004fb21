"""Cutover actions on a real SQLite file: the incremental state always equals a full refold."""

from __future__ import annotations

from pathlib import Path

import pytest

from golive.problems import GoliveError
from golive.progress.events import Actor
from golive.progress.state import fold
from golive.runbook.load import parse_runbook
from golive.runbook.schema import Runbook
from golive.store import runs
from golive.store.cutover import Cutover
from golive.store.db import open_engine

from ..conftest import VALID, passed

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
        lambda: c.record_check("uplink", ANA, passed("uplink")),
        lambda: c.sign_off("uplink", ANA, "10G up"),
        lambda: other.start("patch", ANA),
        lambda: c.block("patch", ANA, "closet locked"),
        lambda: c.unblock("patch", ANA),
        lambda: other.record_check("patch", ANA, passed("patch")),
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


# -- reopening a stored runbook: its validated JSON, validated again ---------------------------------

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
          - {kind: vlan, device: sw1, port: Gi1/0/6, via: ssh, expect: {trunk_allowed: {contains: 120}}}
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
def test_a_reopened_runbook_is_the_validated_one(source: str, tmp_path: Path) -> None:
    text = {"VALID": VALID, "TRICKY": TRICKY}.get(source) or Path(source).read_text(encoding="utf-8")
    db = tmp_path / "s.db"
    beside = Path(source).parent if source.endswith(".yaml") else None  # a sample's port map CSV is beside it
    loaded = parse_runbook(text, "rb.yaml", directory=beside)
    runs.load(open_engine(db), loaded, rehearsal=True, actor=ANA, machine="t")
    normalized = _stored(db)
    reopened = Cutover.open(db).runbook
    assert reopened.model_dump() == loaded.runbook.model_dump()  # ($schema is not stored: it is not the runbook)
    same = reopened.model_copy(update={"schema_": loaded.runbook.schema_})
    validated = _without_csv_lines(loaded.runbook)
    assert same == validated
    assert repr(same) == repr(validated)  # the same types too: 1.0 is not 1, TzInfo is not timezone
    assert reopened.model_dump_json(by_alias=True, exclude_unset=True) == normalized  # and the same fields set


def _without_csv_lines(runbook: Runbook) -> Runbook:
    """The runbook as stored: a jack's CSV line points into the file validated, it is not the runbook."""
    if runbook.portmap is None:
        return runbook
    jacks = [jack.model_copy(update={"line": 0}) for jack in runbook.portmap.jacks]
    return runbook.model_copy(update={"portmap": runbook.portmap.model_copy(update={"jacks": jacks})})


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"host":"192.0.2.10"', '"host":"192.0.2.10; reboot"'),  # a host no device should ever be sent
        ('"device":"sw1"', '"device":"sw1 ; reload"'),  # an id (checked in pydantic-core, not in Python)
        ('"port":"Gi1/0/2"', '"port":"Gi1/0/2 | include"'),  # a port name, as it would reach a `show`
        ('"duration":"1h30m"', '"duration":"90"'),
    ],
)
def test_a_stored_runbook_edited_in_the_database_is_refused(tmp_path: Path, old: str, new: str) -> None:
    db = tmp_path / "s.db"
    runs.load(open_engine(db), parse_runbook(TRICKY, "rb.yaml"), rehearsal=True, actor=ANA, machine="t")
    Cutover.open(db)
    _edit_stored(db, old, new)
    with pytest.raises(GoliveError, match=r"runbook version [0-9a-f]{12} in the database no longer reads as a runbook"):
        Cutover.open(db)


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
