"""Make the fixture in this directory with whichever golive runs this script:

    PYTHON tests/functional/made_by_v1/make.py tests/functional/made_by_v1

The files in git were made by golive at commit 94fc5c9 (schema 1), the last before the store was
rebuilt around one repository, so tests/functional/test_made_by_v1.py proves that a database that
golive made still opens, verifies and exports byte for byte as that golive did.

Writes state.db (a live run that saw every kind of event, upgraded to a second runbook version
and closed, and a rehearsal run), merged.db (two laptops' journals of one night, merged), and in
expected/: the lines `golive verify` printed for each (the file's path as DB) and each run's
exports in csv, jsonl, html and md, made at a fixed time. Deterministic but for UUIDs.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

RUNBOOK = """\
runbook:
  id: clinic-b
  title: Clinic B switch swap
  version: {version}
  site: Clinic B, 2nd floor
  change: CHG0042
  window: {{start: "2026-12-05T22:00-05:00", end: "2026-12-06T02:00-05:00"}}
roles: {{net: Network engineer, lead: Clinical lead, pm: Project manager}}
inventory:
  sw1:
    host: 192.0.2.10
    platform: cisco_ios
    credentials: env:GOLIVE_SW1
    snmp: {{version: 3, user: golive, credentials: keyring:sw1-snmp}}
phases:
  - id: pre
    title: Pre-checks
    tasks:
      - id: uplink
        title: Confirm the uplink
        owner: net
        duration: 10m
        checks:
          - {{kind: port, device: sw1, port: Gi1/0/48, expect: {{status: up, speed: 10G}}}}
  - id: cut
    title: Cut
    tasks:
      - id: patch
        title: {patch_title}
        owner: net
        duration: 45m
        after: [uplink]
        checks:
          - {{kind: vlan, device: sw1, ports: Gi1/0/1-24, expect: {{access: 120}}}}
          - {{kind: snmp, device: sw1, oid: 1.3.6.1.2.1.1.3.0, expect: {{gt: 100}}}}
      - id: phones
        title: Phones register
        owner: net
        duration: 15m
        after: [patch]
      - id: gate
        title: Go / no-go
        owner: lead
        duration: 5m
        gate: true
        after: [patch, phones]
        signoff: {{roles: [lead, pm]}}
        rollback: rb
  - id: post
    title: Post-checks
    tasks:
      - id: close
        title: Close out
        owner: pm
        duration: 15m
      - id: labels
        title: Label the patch panel
        owner: net
        duration: 20m
rollback:
  rb:
    title: Back to the old stack
    steps:
      - {{id: repatch, title: Re-patch to the old stack, duration: 30m, owner: net}}
"""
SITE = -5
START = datetime(2026, 12, 5, 21, 50, tzinfo=UTC) + timedelta(hours=-SITE)
EXPORTED = datetime(2026, 12, 6, 9, 0, tzinfo=UTC) + timedelta(hours=-SITE)
FORMATS = {"csv": "csv", "jsonl": "jsonl", "html": "html", "md": "md"}


def main(out: Path) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="golive-made-by-v1-"))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        os.environ[var] = str(scratch / var.lower())
    try:
        make(out, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def make(out: Path, scratch: Path) -> None:
    from golive.export.exporter import export_run
    from golive.progress.events import Actor
    from golive.runbook.load import read_runbook
    from golive.store import runs
    from golive.store.cutover import Cutover
    from golive.store.db import close_all, open_engine
    from golive.store.merge import merge
    from golive.store.verify import verify_database

    ana, lee, pat = Actor("Ana Ruiz", "AR", "net"), Actor("Lee Chan", "LC", "lead"), Actor("Pat Moss", "PM", "pm")
    os.chdir(scratch)  # runbooks are loaded (and journaled) by their names alone: no path of this machine
    v1, v2 = Path("clinic-b.yaml"), Path("clinic-b-v2.yaml")
    v1.write_text(RUNBOOK.format(version=1, patch_title="Re-patch the rooms"), encoding="utf-8")
    v2.write_text(RUNBOOK.format(version=2, patch_title="Re-patch rooms 201-224"), encoding="utf-8")
    minutes = iter(range(0, 10_000, 3))

    def clock() -> datetime:
        return START + timedelta(minutes=next(minutes))

    def check(task: str, n: int, status: str, reason: str = "") -> dict[str, object]:
        return {
            "check": f"{task}#{n}", "index": n, "kind": "port", "device": "sw1", "transport": "ssh",
            "target": "Gi1/0/48", "status": status, "expected": "status == up", "observed": {"status": "up"},
            "reason": reason, "evidence": "Gi1/0/48 connected 1 a-full a-10G", "duration_ms": 812, "lab": False,
        }  # fmt: skip

    work = scratch / "work"
    work.mkdir()
    state, merged = work / "state.db", work / "merged.db"
    engine = open_engine(state)
    live = runs.load(engine, read_runbook(v1), rehearsal=False, actor=ana, machine="laptop-1/0001", now=clock()).run
    c = Cutover(engine, live, machine="laptop-1/0001", clock=clock)
    c.session(ana)
    c.start("uplink", ana)
    c.record_check("uplink", ana, check("uplink", 1, "pass"))
    c.sign_off("uplink", ana, "10G up, LEDs green ✓")
    c.start("patch", ana)
    c.record_checks(ana, [("patch", check("patch", 1, "fail", "vlan is 1")), ("patch", check("patch", 2, "error"))])
    c.block("patch", ana, "closet locked: waiting for facilities")
    c.unblock("patch", ana, "key found")
    c.note(ana, "rooms 201-212 done; charge nurse told", "patch")
    c.override("patch", ana, lee, "vlan 120 confirmed by hand on each port")
    first = c.sign_off("patch", ana, "all rooms")
    c.revoke("patch", first.uuid, ana, "signed the wrong task")
    c.sign_off("patch", ana, "all rooms, again")
    runs.load(engine, read_runbook(v2), rehearsal=False, actor=pat, machine="laptop-1/0001", upgrade=True, now=clock())
    c.refresh()
    c.start("phones", ana)
    c.sign_off("phones", ana)
    c.sign_off("gate", lee, "clinical go")
    c.sign_off("gate", pat)
    c.start("labels", ana)
    c.fail("labels", ana, "label printer jammed")
    c.skip("close", pat, "closed out by the day shift")
    c.start_rollback("rb", lee, "phones down in 3 rooms", task="gate")
    c.note(pat, "rollback call at 01:10")
    c.close(pat, "night over")
    rehearsal = runs.load(engine, read_runbook(v1), rehearsal=True, actor=ana, machine="laptop-1/0001", now=clock()).run
    r = Cutover(engine, rehearsal, machine="laptop-1/0001", clock=clock)
    r.start("uplink", ana)
    r.sign_off("uplink", ana)
    r.start("patch", ana)
    # two laptops, one night: b.db is a copy of a.db from before the night, and each journals its own
    a, b = work / "a.db", work / "b.db"
    night = runs.load(
        open_engine(a), read_runbook(v1), rehearsal=False, actor=ana, machine="laptop-a/aaaa", now=clock()
    ).run
    Cutover(open_engine(a), night, machine="laptop-a/aaaa", clock=clock).start("uplink", ana)
    close_all()
    shutil.copyfile(a, b)
    on_a = Cutover(open_engine(a), night, machine="laptop-a/aaaa", clock=clock)
    on_b = Cutover(open_engine(b), night, machine="laptop-b/bbbb", clock=clock)
    on_a.sign_off("uplink", ana, "up")
    on_b.sign_off("uplink", Actor("Bo Li", "BL", "net"), "up (b)")
    on_b.start("patch", ana)
    on_a.start("patch", ana)
    on_b.note(lee, "patch started on b")
    close_all()
    os.chdir(work)  # the merge records its sources as given: a.db and b.db
    merge(["a.db", "b.db"], merged, actor=pat, machine="laptop-c/cccc")
    close_all()

    expected = out / "expected"
    shutil.rmtree(expected, ignore_errors=True)
    expected.mkdir(parents=True)
    for db in (state, merged):
        lines = [("ok " if ok else "BAD ") + line.replace(str(db), "DB") for line, ok in verify_database(db)]
        (expected / f"verify-{db.stem}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        close_all()
        for run in runs_of(db):
            for fmt, suffix in FORMATS.items():
                export_run(db, run, fmt, expected / f"{run}.{suffix}", now=EXPORTED)
        close_all()
    for db in (state, merged):
        for leftover in (Path(f"{db}-wal"), Path(f"{db}-shm")):
            assert not leftover.exists(), leftover
        shutil.copyfile(db, out / db.name)


def runs_of(db: Path) -> list[str]:
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return [str(r[0]) for r in con.execute("SELECT name FROM run ORDER BY created_at")]
    finally:
        con.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
