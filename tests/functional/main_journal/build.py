"""Build the typed-payload test's fixture with whichever golive the running Python imports.

    python tests/functional/main_journal/build.py OUTDIR [--keep]

The committed fixture was made by main before journal payloads were typed. Every kind of event is
written through golive's own API, the way the TUI and the CLI write it: a rehearsal against a
real lab (FakeNOS and snmpsim on 127.0.0.1, faults injected, a simulated result, a host key
trusted on first use), a live night on laptop A (checks refused for documentation addresses, an
override, a revoked sign-off, skip, block, unblock, fail, notes, a runbook upgrade, a rollback),
laptop B's fork of that run, the merge of both laptops, and a note and the close appended to the
merged run.

OUTDIR receives `lap-a.db.gz` (the rehearsal and A's live run), `merged.db.gz` (the merged run),
and `exports.sha256`: the digest of every run exported in every format, plain and redacted, at
one fixed moment (an xlsx workbook as its cell values in JSON, see `xlsx_values`).
`--keep` keeps the exports themselves in OUTDIR/scratch/exports, to diff against. Nothing
machine-specific is written: files are named relative to the scratch directory; machines and people
are invented. tests/functional/test_typed_payloads.py reads the fixture with the golive under test.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from golive.export.exporter import FORMATS, export_run
from golive.progress.events import Actor
from golive.runbook.load import parse_runbook
from golive.store import merge, runs
from golive.store.cutover import Cutover
from golive.store.db import close_all, open_engine
from golive.store.verify import verify_database

SITE = timezone(timedelta(hours=-5))
EXPORTED = datetime(2026, 12, 6, 9, 0, tzinfo=SITE)
RUNBOOK = Path(__file__).resolve().parents[3] / "runbooks" / "idf-access-stack.yaml"

PM = Actor("Pat Moss", "PM", "pm")
NET = Actor("Ana Ruiz", "AR", "net_eng")
NET2 = Actor("Bo Lindqvist", "BL", "net_eng")
TECH = Actor("Lee Chan", "LC", "field_tech")
LEAD = Actor("Renée Okafor-Smith", "ROS", "clinical_lead")
VOICE = Actor("Sam Ng", "SN", "voice")
PM2 = Actor("Jo Park", "JP", "pm")


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def step(self, minutes: float) -> datetime:
        self.now += timedelta(minutes=minutes)
        return self.now


def checks(runbook: Any, task: str, *, rehearsal: bool, lab: Any = None) -> list[Any]:
    from golive.checks.engine import Engine  # (here: the test reads the fixture with export_all alone)
    from golive.checks.plan import items_for

    engine = Engine(runbook, rehearsal=rehearsal, lab=lab, default_timeout=8)
    try:
        return asyncio.run(engine.run_all(items_for(runbook, task)))
    finally:
        engine.close()


def settle() -> None:
    time.sleep(2.5)  # the SSH child polls its world file every 0.5 s; snmpsim compares whole-second mtimes


def rehearsal(db: Path, loaded: Any) -> None:
    from golive.cli import check_cmd
    from golive.lab.lab import Lab

    clock = Clock(datetime(2026, 11, 28, 14, 0, tzinfo=SITE))
    engine = open_engine(db)
    outcome = runs.load(engine, loaded, rehearsal=True, actor=NET, machine="lap-a/0000000a", now=clock())
    c = Cutover(engine, outcome.run, machine="lap-a/0000000a", clock=clock)
    rb = c.runbook
    clock.step(1)
    c.session(NET, "opened")
    with Lab(rb, loaded.sha256, directory=Path(tempfile.mkdtemp(prefix="golive-fixture-lab-")), register=False) as lab:
        clock.step(2)
        c.start("pre-backup", NET)
        results = checks(rb, "pre-backup", rehearsal=True, lab=lab.info)
        clock.step(3)
        c.record_checks(NET, [(r.task, r.to_payload()) for r in results])  # as the TUI journals a burst
        clock.step(1)
        if all(r.status == "pass" for r in results):
            c.sign_off("pre-backup", NET, "configs saved to the TFTP server")
        clock.step(2)
        c.start("pre-uplink", NET)
        for result in checks(rb, "pre-uplink", rehearsal=True, lab=lab.info):
            clock.step(0.2)
            # as `golive check --trust-new-hosts` journals each result, a trusted host key beside it
            trusted = {"core-a": ("ssh-ed25519", "SHA256:Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHE", "AAAA")}
            check_cmd._journal(c, NET, result, SimpleNamespace(new_host_keys=trusted))
        lab.fault("idf2b-new", "port-down", "Te3/1/1")
        lab.fault("core-b", "unreachable")
        settle()
        clock.step(4)
        c.record_checks(NET, [(r.task, r.to_payload()) for r in checks(rb, "pre-uplink", rehearsal=True, lab=lab.info)])
    clock.step(2)
    # a rehearsal with no lab: simulated, never a pass
    c.record_checks(NET, [(r.task, r.to_payload()) for r in checks(rb, "pre-stack-health", rehearsal=True)])
    clock.step(1)
    c.override("pre-uplink", NET, PM, "core-b is out of the lab rack this week")
    clock.step(1)
    c.sign_off("pre-uplink", NET, "")
    clock.step(3)
    c.start("pre-port-map", TECH)
    clock.step(5)
    c.block("pre-port-map", TECH, "panel B labels missing")
    clock.step(6)
    c.unblock("pre-port-map", TECH, "labels printed")
    clock.step(7)
    c.sign_off("pre-port-map", TECH, "all 66 jacks match the map")
    clock.step(1)
    c.skip("pre-stack-health", NET, "verified on the bench instead")
    clock.step(1)
    c.start("pre-baseline", NET)
    clock.step(2)
    c.fail("pre-baseline", NET, "baseline counters missing on core-b")
    clock.step(1)
    c.note(PM, "Rehearsal note: Lee Chan to bring a label printer; café on 2 closes at 22:00 \u2014 plan accordingly")
    clock.step(1)
    c.start_rollback("idf2b-rollback", PM, "rehearsing the backout", task="cut-go")
    clock.step(10)
    c.session(NET, "closed")
    clock.step(1)
    c.close(PM, "rehearsal done")


def live_a(db: Path, loaded: Any, upgraded: Any, fork: Path) -> None:
    clock = Clock(datetime(2026, 12, 5, 21, 30, tzinfo=SITE))
    engine = open_engine(db)
    outcome = runs.load(engine, loaded, rehearsal=False, actor=PM, machine="lap-a/0000000a", now=clock())
    c = Cutover(engine, outcome.run, machine="lap-a/0000000a", clock=clock)
    clock.step(1)
    c.session(PM, "opened")
    close_all()
    copy(db, fork)  # laptop B took a copy before the night: one run, two chains from here
    engine = open_engine(db)
    c = Cutover(engine, outcome.run, machine="lap-a/0000000a", clock=clock)
    rb = c.runbook
    clock.step(15)
    c.start("pre-notify-clinic", PM)
    clock.step(12)
    c.sign_off("pre-notify-clinic", PM, 'charge nurse "Kim" confirmed downtime; red phone has dial tone')
    clock.step(1)
    c.start("pre-uplink", NET)
    clock.step(1)
    # a live run never uses the lab: these are documentation addresses the engine refuses to contact
    c.record_checks(NET, [(r.task, r.to_payload()) for r in checks(rb, "pre-uplink", rehearsal=False)])
    clock.step(3)
    c.override("pre-uplink", NET, PM, "uplinks verified by hand on the console: Te1/1/1 and Te3/1/1 at 10G")
    clock.step(1)
    first = c.sign_off("pre-uplink", NET, "uplinks up")
    clock.step(2)
    c.revoke("pre-uplink", first.uuid, PM, "signed before the override was read back; sign again")
    clock.step(1)
    c.sign_off("pre-uplink", NET, "uplinks up, override read back")
    clock.step(1)
    c.start("pre-port-map", TECH)
    clock.step(9)
    c.block("pre-port-map", TECH, "closet locked")
    clock.step(8)
    c.unblock("pre-port-map", TECH)
    clock.step(20)
    c.sign_off("pre-port-map", TECH, "map matches")
    clock.step(1)
    c.skip("pre-backup", NET, "backups taken at 18:00 by the NOC (ticket 4471)")
    clock.step(1)
    c.start("pre-stack-health", NET)
    clock.step(2)
    c.fail("pre-stack-health", NET, "member 3 reports V-Mismatch")
    clock.step(1)
    c.note(NET, '=HYPERLINK("x") is a note, not a formula; Ana Ruiz paged TAC', task="pre-stack-health")
    clock.step(1)
    c.note(LEAD, "Pavillon 2 : aucun patient en salle 2-230 \u2713 (Renée Okafor-Smith)")
    clock.step(1)
    close_all()
    runs.load(open_engine(db), upgraded, rehearsal=False, upgrade=True, actor=PM, machine="lap-a/0000000a", now=clock())
    engine = open_engine(db)
    run = runs.find_run(engine, outcome.run.uuid)
    c = Cutover(engine, run, machine="lap-a/0000000a", clock=clock)
    clock.step(5)
    c.start_rollback("idf2b-rollback", PM, "member 3 will not join the stack; back to the old switch")
    clock.step(30)
    c.session(PM, "closed")  # left open: the merged run is closed after the merge


def live_b(db: Path) -> None:
    clock = Clock(datetime(2026, 12, 5, 21, 47, tzinfo=SITE))
    engine = open_engine(db)
    run = runs.find_run(engine, None)
    c = Cutover(engine, run, machine="lap-b/0000000b", clock=clock)
    c.session(PM2, "opened")
    clock.step(1)
    c.start("pre-notify-clinic", PM2)
    clock.step(10)
    c.sign_off("pre-notify-clinic", PM2, "nurse station told")
    clock.step(2)
    c.start("pre-port-map", TECH)
    clock.step(1)
    c.record_checks(VOICE, [(r.task, r.to_payload()) for r in checks(c.runbook, "post-e911", rehearsal=False)])
    clock.step(1)
    c.note(VOICE, "E911 locations loaded for rooms 201-235")


def copy(src: Path, dst: Path) -> None:
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)


def compact(db: Path, into: Path) -> None:
    """A compact copy in rollback-journal mode: one file to commit."""
    into.unlink(missing_ok=True)
    con = sqlite3.connect(db)
    try:
        con.execute("VACUUM INTO ?", (str(into),))
    finally:
        con.close()
    con = sqlite3.connect(into)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()


def xlsx_values(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet's cell values; a number as the double Excel holds (a writer may store 45 or 45.0)."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    out = {}
    for sheet in book.worksheets:
        out[sheet.title] = [
            [cell.isoformat() if isinstance(cell, datetime) else float(cell) if type(cell) in (int, float) else cell
             for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]  # fmt: skip
    return out


def export_all(db: Path, exports: Path) -> dict[str, str]:
    """Every run of `db` in every format (and redacted), at EXPORTED: file name -> SHA-256 of its bytes
    (of its cell values as JSON, for a workbook)."""
    names = [r.name for r in runs.list_runs(open_engine(db))]
    digests = {}
    for name in names:
        for fmt in FORMATS:
            for redact in (False, True):
                if redact and fmt == "jsonl":
                    continue  # refused: a jsonl journal is verbatim
                out = exports / f"{name}{'-redacted' if redact else ''}.{fmt}"
                files = export_run(db, name, fmt, out, redact_people=redact, now=EXPORTED).files
                for path in files:
                    if fmt == "xlsx":
                        text = json.dumps(xlsx_values(path), ensure_ascii=False, indent=0, default=str) + "\n"
                        path = path.with_name(path.name + ".json")
                        path.write_text(text, encoding="utf-8")
                    digests[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    close_all()
    return digests


def main(out: Path, keep: bool) -> None:
    work = out / "scratch"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    os.chdir(work)  # every file name the journal records is relative to it
    text = RUNBOOK.read_text(encoding="utf-8")
    newer = text.replace('version: "1.3"', 'version: "1.4"').replace("(room 2-214)", "(room 2-214, east wall)")
    loaded = parse_runbook(text, "idf-access-stack.yaml")
    upgraded = parse_runbook(newer, "idf-access-stack-v1.4.yaml")
    a, b, merged = Path("lap-a.db"), Path("lap-b.db"), Path("merged.db")
    rehearsal(a, loaded)
    live_a(a, loaded, upgraded, b)
    live_b(b)
    close_all()
    report = merge.merge([str(a), str(b)], merged, actor=PM, machine="lap-a/0000000a")
    print("\n".join(report.lines()))
    engine = open_engine(merged)
    run = runs.find_run(engine, None)
    clock = Clock(datetime(2026, 12, 6, 8, 0, tzinfo=SITE))
    after = Cutover(engine, run, machine="lap-a/0000000a", clock=clock)
    after.note(PM, "reviewed the merge; the sign-off conflict is expected (both PMs called the clinic)")
    clock.step(1)
    after.close(PM, "rolled back; rescheduled to 12 December")
    close_all()
    digests: dict[str, str] = {}
    for db in (a, merged):
        compact(db, Path(f"{db.stem}.compact.db"))
        with gzip.open(out / f"{db.name}.gz", "wb", compresslevel=9) as fh:
            fh.write(Path(f"{db.stem}.compact.db").read_bytes())
        # verified and exported from a copy of exactly what the test reads
        copy_dir = Path("copy")
        copy_dir.mkdir(exist_ok=True)
        shutil.copyfile(f"{db.stem}.compact.db", copy_dir / db.name)
        lines = verify_database(copy_dir / db.name)
        print("\n".join(line for line, _ok in lines))
        assert all(ok for _line, ok in lines), lines
        exports = Path("exports")
        exports.mkdir(exist_ok=True)
        digests.update(export_all(copy_dir / db.name, exports))
    (out / "exports.sha256").write_text("".join(f"{d}  {n}\n" for n, d in sorted(digests.items())), encoding="utf-8")
    os.chdir(out)
    if not keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    os.environ["TZ"] = "America/New_York"  # the laptops' clocks, as the journal's offsets show them
    time.tzset()
    main(Path(sys.argv[1]).resolve(), keep="--keep" in sys.argv[2:])
