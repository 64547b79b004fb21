"""Exports of a run (csv, xlsx, jsonl, html, md) and offline verification of a jsonl export.

Runs are built through the real API (runs.load, Cutover actions, record_check) with the journal's
clock, UUIDs and the run's creation time pinned, so every export is byte-for-byte reproducible:
the csv and md exports are compared with golden files in tests/functional/golden/ (regenerate
them with GOLIVE_UPDATE_GOLDEN=1 after an intended change, and read the diff). The xlsx is read
back with openpyxl, the html is rendered by headless Chromium (offline) and its screenshot
checked, and jsonl exports are tampered with in every way and must be caught at the right line.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import sys
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from xml.etree import ElementTree

import pytest

from golive.checks.results import CheckResult, PortOutcome, Status
from golive.export.exporter import export_run
from golive.problems import GoliveError
from golive.progress.events import Actor
from golive.progress.payloads import Checked
from golive.runbook.load import parse_runbook
from golive.store import journal, runs
from golive.store.cutover import Cutover
from golive.store.db import close_all, open_engine
from golive.store.repository import Repository

from ..conftest import VALID

GOLDEN = Path(__file__).parent / "golden"
SITE = timezone(timedelta(hours=-5))
EXPORTED = datetime(2026, 12, 6, 9, 0, tzinfo=SITE)  # the PM's export, the morning after

ANA = Actor("Ana Ruiz", "AR", "net")
LEE = Actor("Lee Chan", "LC", "lead")
PAT = Actor("Pat Moss", "PM", "pm")
SECRET = "hunter2-S3cr3t-7Qx"  # what GOLIVE_SW1 (the runbook's credential reference) resolves to


def golive(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "golive", *args], capture_output=True, text=True, env={**os.environ, **(env or {})},
        timeout=120,
    )  # fmt: skip


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# -- deterministic runs ---------------------------------------------------------------------


class Clock:
    """The journal's clock, set by the test before each action."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 5, 21, 40, tzinfo=SITE)

    def at(self, local: str, zone: timezone = SITE) -> None:
        self.now = datetime.fromisoformat(local).replace(tzinfo=zone)

    def stamps(self, now: datetime | None = None) -> tuple[str, str]:
        offset = self.now.strftime("%z")  # the laptop's offset: the site's unless a test moves it
        return self.now.astimezone(UTC).isoformat(timespec="microseconds"), f"{offset[:3]}:{offset[3:]}"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """Pin the journal's time stamps, event UUIDs and the run's UUID and creation time."""
    the_clock = Clock()
    events = itertools.count(1)
    made = itertools.count(1)
    monkeypatch.setattr(journal, "now_stamps", the_clock.stamps)
    monkeypatch.setattr(journal, "uuidlib", SimpleNamespace(uuid4=lambda: uuid.UUID(int=next(events))))
    monkeypatch.setattr(runs, "uuidlib", SimpleNamespace(uuid4=lambda: uuid.UUID(int=(0xA << 124) + next(made))))

    class FixedDatetime(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> FixedDatetime:  # type: ignore[override]
            return the_clock.now.astimezone(tz or UTC)  # type: ignore[return-value]

    monkeypatch.setattr(runs, "datetime", FixedDatetime)
    yield the_clock
    close_all()


def _open(db: Path, rehearsal: bool, machine: str) -> Cutover:
    engine = open_engine(db)
    outcome = runs.load(engine, parse_runbook(VALID, "demo.yaml"), rehearsal=rehearsal, actor=ANA, machine=machine)
    return Cutover(engine, outcome.run, machine=machine)


def _check(task: str, index: int, kind: str, target: str, status: Status, **kw: Any) -> Checked:
    return CheckResult(
        key=f"{task}#{index}", task=task, index=index, kind=kind, check_id=None, device="sw1", transport="ssh",
        target=target, status=status, expected=kw.pop("expected", ""), observed=kw.pop("observed", {}),
        reason=kw.pop("reason", ""), evidence=kw.pop("evidence", ""), duration_ms=kw.pop("duration_ms", 850),
        ports=kw.pop("ports", {}), lab=False,
    ).to_payload()  # fmt: skip


def build_live(db: Path, clock: Clock) -> Cutover:
    """The night itself: a late re-patch with a failed VLAN check overridden, a two-person gate, a note
    that looks like a formula, and the run closed."""
    clock.at("2026-12-05T21:40")
    c = _open(db, rehearsal=False, machine="laptop-1/0a1b2c3d")
    clock.at("2026-12-05T22:00")
    c.start("uplink", ANA)
    clock.at("2026-12-05T22:04")
    c.record_check("uplink", ANA, _check(
        "uplink", 1, "port", "Gi1/0/48", Status.PASS, expected="status up, speed 10G",
        observed={"speed": "10G", "status": "up"},
        evidence="Port      Name  Status     Vlan  Duplex Speed\nGi1/0/48  core  connected  trunk a-full a-10G",
    ))  # fmt: skip
    clock.at("2026-12-05T22:09")
    c.sign_off("uplink", ANA, "uplink up at 10G")
    clock.at("2026-12-05T22:10")
    c.start("patch", ANA)
    clock.at("2026-12-05T22:30")
    c.note(ANA, "closet B door jammed; Lee Chan called facilities", task="patch")
    clock.at("2026-12-05T22:40")
    c.record_check("patch", ANA, _check(
        "patch", 1, "vlan", "Gi1/0/1-24", Status.FAIL, expected="access vlan 120",
        observed={"Gi1/0/7": {"access": 1}}, reason="Gi1/0/7: access vlan is 1, expected 120",
        evidence="Port     Vlan\nGi1/0/6  120\nGi1/0/7  1 <- here\nGi1/0/8  120",
        ports={"Gi1/0/6": PortOutcome(Status.PASS, {"access": 120}),
               "Gi1/0/7": PortOutcome(Status.FAIL, {"access": 1}, "access vlan is 1, expected 120")},
    ))  # fmt: skip
    clock.at("2026-12-05T22:52")
    c.override("patch", ANA, LEE, "Gi1/0/7 is a spare jack with nothing patched")
    clock.at("2026-12-05T23:05")
    c.sign_off("patch", ANA, "rooms 1-24 re-patched")
    clock.at("2026-12-05T23:06")
    c.note(PAT, "=SUM(A1:A9) is a note, not a formula")
    clock.at("2026-12-05T23:08")
    c.sign_off("gate", LEE, "clinic confirms phones and PCs")
    clock.at("2026-12-05T23:10")
    c.sign_off("gate", PAT, "go")
    clock.at("2026-12-05T23:12")
    c.start("close", PAT)
    clock.at("2026-12-05T23:27")
    c.sign_off("close", PAT, "handed to the service desk")
    clock.at("2026-12-05T23:30")
    c.close(PAT, "cutover complete")
    return c


def build_rehearsal(db: Path, clock: Clock) -> Cutover:
    """A rehearsal with no lab: an error then a simulated re-run, a block, a skip, a failure and a backout."""
    clock.at("2026-11-28T14:00")
    c = _open(db, rehearsal=True, machine="laptop-2/9f8e7d6c")
    clock.at("2026-11-28T14:05")
    c.start("uplink", ANA)
    clock.at("2026-11-28T14:07")
    c.record_check("uplink", ANA, _check(
        "uplink", 1, "port", "Gi1/0/48", Status.ERROR, expected="status up, speed 10G",
        reason="sw1 did not answer: timed out after 10 s", duration_ms=10000,
    ))  # fmt: skip
    clock.at("2026-11-28T14:09")
    c.record_check("uplink", ANA, _check("uplink", 1, "port", "Gi1/0/48", Status.SIMULATED, expected="status up"))
    clock.at("2026-11-28T14:12")
    c.block("uplink", ANA, "lab switch has no 10G optic")
    clock.at("2026-11-28T14:15")
    c.unblock("uplink", ANA, "optic borrowed")
    clock.at("2026-11-28T14:20")
    c.skip("uplink", ANA, "verified on the bench instead")
    clock.at("2026-11-28T14:22")
    c.start("patch", ANA)
    clock.at("2026-11-28T14:40")
    c.fail("patch", ANA, "new stack failed POST")
    clock.at("2026-11-28T14:41")
    c.start_rollback("rb", PAT, "rehearsing the backout")
    clock.at("2026-11-28T14:55")
    c.close(PAT, "backout rehearsed")
    return c


@pytest.fixture
def live_db(tmp_path: Path, clock: Clock) -> Path:
    db = tmp_path / "live.db"
    build_live(db, clock)
    return db


@pytest.fixture
def rehearsal_db(tmp_path: Path, clock: Clock) -> Path:
    db = tmp_path / "rehearsal.db"
    build_rehearsal(db, clock)
    return db


def stored_rows(db: Path) -> list[dict[str, Any]]:
    with Repository.at(db).read() as tx:
        return tx.rows(tx.find_run(None).uuid)


def golden(name: str, actual: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("GOLIVE_UPDATE_GOLDEN"):
        path.write_bytes(actual)
    assert path.exists(), f"no golden file {path}: run with GOLIVE_UPDATE_GOLDEN=1 to make it"
    assert actual.decode("utf-8") == path.read_bytes().decode("utf-8")


def break_chain(db: Path, seq: int = 5) -> None:
    """Edit one journal row behind golive's back, the way an attacker would."""
    close_all()
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER journal_no_update")
    conn.execute('UPDATE journal SET payload = \'{"comment":"edited"}\' WHERE seq = ?', (seq,))
    conn.execute(
        "CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal "
        "BEGIN SELECT RAISE(ABORT, 'journal is append-only: rows cannot be changed'); END"
    )
    conn.commit()
    conn.close()


# -- golden csv and md --------------------------------------------------------------------


def test_csv_export_matches_the_golden_files(live_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "night.csv"
    done = export_run(live_db, "demo-live-1", "csv", out, now=EXPORTED)
    assert done.files == [out, tmp_path / "night-tasks.csv", tmp_path / "night-run.csv"]
    golden("live-journal.csv", out.read_bytes())
    golden("live-tasks.csv", (tmp_path / "night-tasks.csv").read_bytes())
    golden("live-run.csv", (tmp_path / "night-run.csv").read_bytes())
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_csv_is_loadable_as_is_and_says_what_it_is(live_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "night.csv"
    export_run(live_db, "demo-live-1", "csv", out, now=EXPORTED, bom=True)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        events = list(csv.DictReader(fh))
    assert [int(e["seq"]) for e in events] == list(range(1, len(events) + 1))
    assert {e["run"] for e in events} == {"demo-live-1"} and {e["mode"] for e in events} == {"live"}
    for e in events:  # each row's hash is the journal's, over the payload as stored
        assert datetime.fromisoformat(e["ts_local"]).utcoffset() == timedelta(hours=-5)
        assert datetime.fromisoformat(e["ts_site"]) == datetime.fromisoformat(e["ts_local"])
        json.loads(e["payload"])
    formula = next(e for e in events if "SUM" in e["summary"])
    assert formula["summary"] == "'=SUM(A1:A9) is a note, not a formula"
    with open(tmp_path / "night-tasks.csv", encoding="utf-8-sig", newline="") as fh:
        tasks = {t["task"]: t for t in csv.DictReader(fh)}
    assert tasks["patch"]["planned_min"] == "45.0"
    assert tasks["patch"]["actual_min"] == "55.0"
    assert tasks["patch"]["variance_min"] == "10.0"
    assert tasks["patch"]["late"] == "true"
    assert tasks["patch"]["checks_failed"] == "1" and tasks["patch"]["overridden"] == "true"
    assert tasks["gate"]["signed_by"] == "Lee Chan (LC) as lead; Pat Moss (PM) as pm"
    with open(tmp_path / "night-run.csv", encoding="utf-8-sig", newline="") as fh:
        (run,) = list(csv.DictReader(fh))
    assert run["chain_verified"] == "true"
    assert run["chain_head"] == events[-1]["hash"]


def test_md_export_matches_the_golden_files(live_db: Path, rehearsal_db: Path, tmp_path: Path) -> None:
    export_run(live_db, "demo-live-1", "md", tmp_path / "live.md", now=EXPORTED)
    golden("live.md", (tmp_path / "live.md").read_bytes())
    export_run(rehearsal_db, "demo-rehearsal-1", "md", tmp_path / "rehearsal.md", now=EXPORTED)
    text = (tmp_path / "rehearsal.md").read_text(encoding="utf-8")
    golden("rehearsal.md", text.encode("utf-8"))
    assert "**Backout used: yes.**" in text
    assert "**Backout used: no.**" in (tmp_path / "live.md").read_text(encoding="utf-8")


# -- xlsx ---------------------------------------------------------------------------------


def test_xlsx_reads_back_with_sheets_types_and_marks(live_db: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "night.xlsx"
    export_run(live_db, "demo-live-1", "xlsx", out, now=EXPORTED)
    wb = load_workbook(out)
    assert wb.sheetnames == ["Summary", "Tasks", "Checks", "Sign-offs", "Journal"]

    summary = {row[0]: row[1] for row in wb["Summary"].iter_rows(min_row=3, values_only=True)}
    assert summary["Run"] == "demo-live-1"
    assert summary["Mode"] == "LIVE"
    head = stored_rows(live_db)[-1]
    assert summary["Chain head"] == f"#{head['seq']} {head['hash']}"
    assert summary["Chain"] == "verified"
    assert summary["Backout (rollback) used"] == "no"

    for name in ("Tasks", "Checks", "Sign-offs", "Journal"):
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), name
        assert all(c.font.bold for c in ws[1]), name
        assert ws.column_dimensions["B"].width > 5, name

    tasks = wb["Tasks"]
    header = [c.value for c in tasks[1]]
    rows = {r[1].value: r for r in tasks.iter_rows(min_row=2)}
    col = {name: header.index(name) for name in header}
    patch = rows["patch"]
    start = patch[col["Actual start (site, UTC-05:00)"]]
    assert start.is_date and start.value == datetime(2026, 12, 5, 22, 10)
    assert patch[col["Planned (min)"]].value == 45.0 and patch[col["Variance (min)"]].value == 10.0
    assert patch[col["Late"]].value == "LATE"
    assert "LATE" in patch[col["Flags"]].value
    assert patch[0].fill.fgColor.rgb.endswith("FCE8B2")  # amber: late (its failed check was overridden)
    uplink = rows["uplink"]
    assert uplink[col["Late"]].value == "no" and uplink[0].fill.fill_type is None

    checks = wb["Checks"]
    check_header = [c.value for c in checks[1]]
    failed = [r for r in checks.iter_rows(min_row=2) if r[check_header.index("Status")].value == "fail"]
    assert len(failed) == 1
    assert failed[0][check_header.index("Flag")].value == "FAIL"
    assert failed[0][0].fill.fgColor.rgb.endswith("F4C7C3")  # red
    assert "Gi1/0/7  1 <- here" in failed[0][check_header.index("Evidence")].value
    assert failed[0][1].is_date

    journal_ws = wb["Journal"]
    jheader = [c.value for c in journal_ws[1]]
    # one offset and one machine: the offset is in the Time header, the machine in the Summary, no UUID
    assert jheader == ["Seq", "Time (site, UTC-05:00)", "Kind", "Task", "Who", "Flag", "Details"]
    assert summary["Machine"] == "laptop-1/0a1b2c3d"
    assert summary["Times"] == "site time, UTC-05:00 (the runbook window's offset) on every sheet; the laptop recorded at UTC-05:00"
    assert "UUID and hash are in the csv and jsonl exports" in summary["Journal sheet"]
    jrows = list(journal_ws.iter_rows(min_row=2))
    assert len(jrows) == 15
    assert [r[0].value for r in jrows] == list(range(1, 16)) and all(r[0].data_type == "n" for r in jrows)
    assert all(r[1].is_date for r in jrows)
    assert jrows[1][1].value == datetime(2026, 12, 5, 22, 0)  # local wall-clock time of the first start
    assert jrows[1][4].value == "Ana Ruiz (AR, net)" and jrows[-1][4].value == "Pat Moss (PM, pm)"
    formula = next(r for r in jrows if "SUM" in str(r[6].value))
    assert formula[6].data_type == "s" and formula[6].value == "=SUM(A1:A9) is a note, not a formula"
    assert formula[3].value is None  # a note on no task
    failed_row = next(r for r in jrows if r[2].value == "check_result" and r[5].value)
    assert failed_row[5].value == "CHECK FAIL" and failed_row[0].fill.fgColor.rgb.endswith("F4C7C3")  # red, in words
    override_row = next(r for r in jrows if r[2].value == "overridden")
    assert override_row[5].value == "OVERRIDE" and override_row[6].fill.fgColor.rgb.endswith("FCE8B2")  # amber
    plain_row = next(r for r in jrows if r[2].value == "started")
    assert plain_row[5].value is None and all(c.fill.fill_type is None for c in plain_row)
    # empty cells are not written at all: the sheet's XML holds exactly the cells that have a value
    with zipfile.ZipFile(out) as z:
        names = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        sheet_xml = z.read(sorted(names)[-1]).decode("utf-8")
    written = sum(1 for row in journal_ws.iter_rows() for c in row if c.value is not None)
    assert sheet_xml.count("<c ") == written
    signoffs = wb["Sign-offs"]
    actions = [r[4].value for r in signoffs.iter_rows(min_row=2)]
    assert actions.count("signed off") == 5 and "OVERRIDE" in actions


def test_xlsx_journal_of_laptops_in_two_zones_has_offset_and_machine_columns(tmp_path: Path, clock: Clock) -> None:
    """Events from two laptops, one set to another time zone: the offset and the machine become columns."""
    from openpyxl import load_workbook

    db = tmp_path / "two.db"
    clock.at("2026-12-05T21:40")
    c = _open(db, rehearsal=False, machine="laptop-1/0a1b2c3d")
    clock.at("2026-12-05T22:00")
    c.start("uplink", ANA)
    travelling = Cutover(open_engine(db), c.run, machine="laptop-9/77aa88bb")
    clock.at("2026-12-05T20:05", timezone(timedelta(hours=-7)))  # 22:05 at the site, on a laptop on UTC-07:00
    travelling.note(LEE, "core links checked from the DC", task="uplink")
    export_run(db, None, "xlsx", tmp_path / "t.xlsx", now=EXPORTED)
    export_run(db, None, "xlsx", tmp_path / "r.xlsx", now=EXPORTED, redact_people=True)

    wb = load_workbook(tmp_path / "t.xlsx")
    ws = wb["Journal"]
    header = [c.value for c in ws[1]]
    assert header == ["Seq", "Time (site, UTC-05:00)", "Laptop UTC offset", "Kind", "Task", "Who", "Flag",
                      "Details", "Machine"]  # fmt: skip
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == [1, 2, 3]
    # one clock: the travelling laptop's 20:05 reads 22:05, the site's time
    assert [r[1] for r in rows] == [datetime(2026, 12, 5, 21, 40), datetime(2026, 12, 5, 22, 0),
                                    datetime(2026, 12, 5, 22, 5)]  # fmt: skip
    assert [r[2] for r in rows] == ["-05:00", "-05:00", "-07:00"]
    assert rows[2][3:] == ["note", "uplink", "Lee Chan (LC, lead)", None, "core links checked from the DC",
                           "laptop-9/77aa88bb"]  # fmt: skip
    assert [r[8] for r in rows] == ["laptop-1/0a1b2c3d", "laptop-1/0a1b2c3d", "laptop-9/77aa88bb"]
    summary = {row[0]: row[1] for row in wb["Summary"].iter_rows(min_row=3, values_only=True)}
    assert "Machine" not in summary
    assert summary["Machines"] == "2: laptop-1/0a1b2c3d, laptop-9/77aa88bb (the Journal sheet's Machine column)"
    assert summary["Times"] == (
        "site time, UTC-05:00 (the runbook window's offset) on every sheet; the laptops recorded at UTC-05:00, UTC-07:00"
    )

    redacted = load_workbook(tmp_path / "r.xlsx")["Journal"]
    assert [c.value for c in redacted[4]][5:] == ["LC (lead)", None, "core links checked from the DC", "*/77aa88bb"]


def test_xlsx_survives_text_excel_cannot_hold(tmp_path: Path, clock: Clock) -> None:
    db = tmp_path / "s.db"
    c = _open(db, rehearsal=True, machine="m/1")
    c.start("uplink", ANA)
    c.record_check("uplink", ANA, _check(
        "uplink", 1, "port", "Gi1/0/48", Status.FAIL, evidence="bell\x07 escape\x1b[0m " + "x" * 70_000,
    ))  # fmt: skip
    export_run(db, None, "xlsx", tmp_path / "o.xlsx")
    from openpyxl import load_workbook

    checks = load_workbook(tmp_path / "o.xlsx")["Checks"]
    evidence = checks.cell(row=2, column=20).value
    assert evidence.startswith("bell\ufffd escape\ufffd[0m xxx")
    assert len(evidence) <= 32_767 and "more characters: see the jsonl export" in evidence


TRICKY = " a & b <c> \"d\" 'e' _x0041_\nsecond line\x07 bell"  # leading space, XML specials, newline, a control


def _tricky_run(db: Path, clock: Clock) -> None:
    """Six events: loaded, a start, a failed check and its passing re-run, a sign-off, the tricky note."""
    clock.at("2026-12-05T21:40")
    c = _open(db, rehearsal=False, machine="laptop-1/0a1b2c3d")
    clock.at("2026-12-05T22:00")
    c.start("uplink", ANA)
    clock.at("2026-12-05T22:04")
    c.record_check("uplink", ANA, _check("uplink", 1, "port", "Gi1/0/48", Status.FAIL, reason="down"))
    clock.at("2026-12-05T22:06")
    c.record_check("uplink", ANA, _check("uplink", 1, "port", "Gi1/0/48", Status.PASS))
    clock.at("2026-12-05T22:09")
    c.sign_off("uplink", ANA, "uplink up")
    clock.at("2026-12-05T22:10")
    c.note(PAT, TRICKY)


def test_xlsx_package_is_well_formed_laid_out_and_reproducible(tmp_path: Path, clock: Clock) -> None:
    """The workbook XlsxWriter writes, read by two independent readers: Python's XML parser on every part
    of the zip, and openpyxl on what a PM sees (values, types, layout, print setup, marks)."""
    from openpyxl import load_workbook

    db = tmp_path / "t.db"
    _tricky_run(db, clock)
    out, again = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    export_run(db, None, "xlsx", out, now=EXPORTED)
    export_run(db, None, "xlsx", again, force=True, now=EXPORTED)
    assert out.read_bytes() == again.read_bytes()  # the same run exported at the same moment: the same bytes

    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        for name in names:
            ElementTree.fromstring(z.read(name))  # every part is well-formed XML
    assert {"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml", "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels", "xl/styles.xml"} < names  # fmt: skip
    assert "xl/sharedStrings.xml" not in names  # XlsxWriter's constant-memory mode: text is written inline
    assert {f"xl/worksheets/sheet{i}.xml" for i in range(1, 6)} < names

    wb = load_workbook(out)
    assert wb.sheetnames == ["Summary", "Tasks", "Checks", "Sign-offs", "Journal"]
    assert wb.properties.creator == "golive" and wb.properties.title.startswith("Cutover log: ")
    assert wb.properties.created == datetime(2026, 12, 6, 14, 0)  # the export's own time, in UTC
    journal_ws = wb["Journal"]
    assert [c.value for c in journal_ws[1]] == ["Seq", "Time (site, UTC-05:00)", "Kind", "Task", "Who", "Flag",
                                                "Details"]  # fmt: skip
    last = journal_ws.max_row
    assert last == 7  # the header and 6 events
    tricky = journal_ws.cell(row=last, column=7)
    # openpyxl leaves an inline string's _xHHHH_ escapes as stored; Excel and LibreOffice decode them (the
    # LibreOffice test below reads this very text back), so the text a PM sees is the decoded one
    shown = re.sub("_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m[1], 16)), tricky.value)
    assert shown == TRICKY.replace("\x07", "\ufffd") and tricky.data_type == "s"
    seq, when = journal_ws.cell(row=last, column=1), journal_ws.cell(row=last, column=2)
    assert seq.value == 6 and seq.data_type == "n"
    assert when.is_date and when.value == datetime(2026, 12, 5, 22, 10) and when.number_format == "yyyy-mm-dd hh:mm:ss"
    summary = {row[0]: row[1] for row in wb["Summary"].iter_rows(min_row=3, values_only=True)}
    assert summary["Events"] == 6 and summary["Tasks"] == 4
    assert summary["Window start (site time, UTC-05:00)"] == datetime(2026, 12, 5, 22, 0)
    assert wb["Summary"].freeze_panes == "A3" and wb["Summary"]["A1"].font.sz == 14 and wb["Summary"]["A1"].font.b
    assert wb["Summary"].column_dimensions["B"].width == 90.7109375

    rows = {"Tasks": 4, "Checks": 2, "Sign-offs": 1, "Journal": 6}
    last_column = {"Tasks": "Y", "Checks": "T", "Sign-offs": "J", "Journal": "G"}
    for name, count in rows.items():
        ws = wb[name]
        assert ws.max_row == count + 1, name
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref == f"A1:{last_column[name]}{count + 1}", name
        assert ws.print_title_rows == "$1:$1", name
        # one page wide: fitToWidth is 1, written or left at the schema's default of 1 (XlsxWriter leaves it)
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth in (1, None), name
        assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage, name
        header = ws[1]
        assert all(c.font.b and c.fill.fgColor.rgb == "FFD9E1EA" and c.alignment.wrap_text for c in header), name
        assert ws.column_dimensions["A"].width > 7, name
    assert journal_ws.column_dimensions["A"].width == 7.7109375  # Seq: 7 characters, stored as Excel does
    assert journal_ws.column_dimensions["G"].width == 60.7109375  # Details
    checks = wb["Checks"]
    check_header = [c.value for c in checks[1]]
    fail_row = next(r for r in checks.iter_rows(min_row=2) if r[check_header.index("Status")].value == "fail")
    assert all(c.fill.fgColor.rgb == "FFF4C7C3" for c in fail_row)  # red across, empty cells included
    assert fail_row[check_header.index("Flag")].value == "FAIL"
    plain = next(r for r in checks.iter_rows(min_row=2) if r[check_header.index("Status")].value == "pass")
    assert all(c.fill.fill_type is None for c in plain)


def test_xlsx_opens_in_libreoffice(tmp_path: Path, clock: Clock) -> None:
    """The real application a PM may open it with: LibreOffice converts every sheet to csv headless."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    db = tmp_path / "t.db"
    _tricky_run(db, clock)
    out = tmp_path / "night.xlsx"
    export_run(db, None, "xlsx", out, now=EXPORTED)
    profile = tmp_path / "lo-profile"
    # 44,34,76: comma, double quote, UTF-8; -1 at the end: every sheet, each to night-<sheet>.csv
    options = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", options,
         "--outdir", str(tmp_path / "csv"), str(out)], capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    sheets = {p.stem.removeprefix("night-"): p for p in (tmp_path / "csv").glob("*.csv")}
    assert set(sheets) == {"Summary", "Tasks", "Checks", "Sign-offs", "Journal"}, done.stdout
    with open(sheets["Journal"], encoding="utf-8", newline="") as fh:
        journal_rows = list(csv.reader(fh))
    assert journal_rows[0] == ["Seq", "Time (site, UTC-05:00)", "Kind", "Task", "Who", "Flag", "Details"]
    assert len(journal_rows) == 7
    assert journal_rows[-1][:3] == ["6", "2026-12-05 22:10:00", "note"]
    assert journal_rows[-1][6] == TRICKY.replace("\x07", "\ufffd")
    with open(sheets["Summary"], encoding="utf-8", newline="") as fh:
        summary = {r[0]: r[1] for r in csv.reader(fh) if len(r) > 1}
    assert summary["Run"] == "demo-live-1" and summary["Chain"] == "verified"


# -- html in a real browser ------------------------------------------------------------------


def _png_pixels(path: Path, max_rows: int = 400) -> tuple[int, int, list[bytes]]:
    """A tiny PNG reader (8-bit RGB or RGBA, not interlaced): width, height, and the RGB pixels of the
    top `max_rows` rows (unfiltering is pure Python: the whole page would take seconds)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, ctype = 8, b"", 0, 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    bpp = 4 if ctype == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(min(height, max_rows)):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 0xFF
            elif f == 2:
                line[i] = (line[i] + b) & 0xFF
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, [r[i : i + 3] for r in rows for i in range(0, stride, bpp)]


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("Debian's chromium is not installed (scripts/system-deps.sh installs it)")
    return found


def _render(browser: str, page: Path, *extra: str) -> None:
    profile = page.parent / "chromium-profile"
    result = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-extensions", f"--user-data-dir={profile}", *extra, page.as_uri()],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]


def test_html_is_self_contained_and_renders_in_chromium(live_db: Path, tmp_path: Path) -> None:
    browser = _chromium()
    page = tmp_path / "night.html"
    export_run(live_db, "demo-live-1", "html", page, now=EXPORTED)
    text = page.read_text(encoding="utf-8")
    lowered = text.lower()
    for forbidden in ("http://", "https://", "<script", "<link", "src=", "@import", "url("):
        assert forbidden not in lowered, forbidden
    assert "default-src 'none'" in text
    assert "demo-live-1" in text and ">LIVE<" in text
    head = json.loads(_jsonl(live_db, tmp_path).read_text().splitlines()[0])["head_hash"]
    assert head in text
    assert "Gi1/0/7  1 &lt;- here" in text  # the failed check's evidence, escaped
    assert "@media print" in text and "<svg" in text

    shot, blank_shot, blank = tmp_path / "shot.png", tmp_path / "blank.png", tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    _render(browser, page, f"--screenshot={shot}", "--window-size=1200,1600")
    _render(browser, blank, f"--screenshot={blank_shot}", "--window-size=1200,1600")
    assert shot.stat().st_size > 20_000
    assert shot.stat().st_size > 5 * blank_shot.stat().st_size
    width, height, pixels = _png_pixels(shot)
    assert (width, height) == (1200, 1600)
    colours = set(pixels)
    assert len(colours) > 50, "the page rendered (nearly) blank"
    white = sum(p == b"\xff\xff\xff" for p in pixels)
    assert white < 0.97 * len(pixels)
    assert any(r > 150 and g < 80 and b < 80 for r, g, b in colours)  # the LIVE badge's red, near the top

    pdf = tmp_path / "night.pdf"
    _render(browser, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    body = pdf.read_bytes()
    assert body.startswith(b"%PDF") and len(body) > 10_000
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                       check=True, timeout=60)  # fmt: skip
        (first,) = tmp_path.glob("page*.png")
        assert len(set(_png_pixels(first, max_rows=200)[2])) > 10


# -- jsonl and verify ---------------------------------------------------------------------


def _jsonl(db: Path, tmp_path: Path, name: str = "journal.jsonl") -> Path:
    out = tmp_path / name
    export_run(db, None, "jsonl", out, force=True, now=EXPORTED)
    return out


def test_jsonl_is_the_journal_verbatim_and_verifies_with_no_database(live_db: Path, tmp_path: Path) -> None:
    out = _jsonl(live_db, tmp_path)
    lines = out.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert header["golive_export"] == "journal" and header["run"]["mode"] == "live"
    assert header["run"]["name"] == "demo-live-1" and header["events"] == len(lines) - 1 == 15
    stored = stored_rows(live_db)
    assert [json.loads(line) for line in lines[1:]] == stored  # every column, as stored
    assert header["head_hash"] == stored[-1]["hash"]

    moved = tmp_path / "elsewhere"
    moved.mkdir()
    copy = moved / "night.jsonl"
    shutil.copy(out, copy)
    close_all()
    live_db.unlink()
    result = golive("verify", str(copy), "--db", str(tmp_path / "no-such.db"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"{copy}: ok: 15 events of LIVE run demo-live-1 (runbook demo v1), chain head {header['head_hash']}"
    )


def _tampered(tmp_path: Path, source: Path, change: Callable[[list[bytes]], list[bytes]]) -> Path:
    lines = source.read_bytes().splitlines(keepends=True)
    out = tmp_path / "tampered.jsonl"
    out.write_bytes(b"".join(change(lines)))
    return out


def _edit_payload(lines: list[bytes], index: int, new: str) -> list[bytes]:
    row = json.loads(lines[index])
    row["payload"] = new
    return [*lines[:index], (json.dumps(row, separators=(",", ":")) + "\n").encode(), *lines[index + 1 :]]


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (lambda ls: _edit_payload(ls, 5, '{"comment":"all good"}'), 6, "was edited: its content does not match its hash"),
        (lambda ls: [*ls[:4], *ls[5:]], 5, "event #4 is missing (deleted?)"),
        (lambda ls: [*ls[:3], ls[4], ls[3], *ls[5:]], 4, "event #3 is missing"),
        (lambda ls: [*ls[:-1], ls[-1][: len(ls[-1]) // 2]], 16, "the line is cut short: the file was truncated"),
        (lambda ls: ls[:-3], 14, "the file ends after event #12 but its header says 15 events: truncated"),
        (lambda ls: [ls[0].replace(b'"mode":"live"', b'"mode":"rehearsal"'), *ls[1:]], 1,
         "the header says run mode 'rehearsal' but the journal's load event says 'live'"),
        (lambda ls: [*ls[:7], b"\n", *ls[7:]], 8, "a blank line where an event should be"),
        (lambda ls: [*ls[:2], ls[2].replace(b'"seq":2', b'"seq":2.0'), *ls[3:]], 3, "event #2.0"),
    ],
    ids=["edited-payload", "deleted-line", "reordered-lines", "cut-mid-line", "cut-at-a-line", "header-mode",
         "blank-line", "seq-retyped"],
)  # fmt: skip
def test_a_tampered_jsonl_export_is_caught_at_its_line(
    live_db: Path, tmp_path: Path, change: Callable[[list[bytes]], list[bytes]], line: int, message: str
) -> None:
    bad = _tampered(tmp_path, _jsonl(live_db, tmp_path), change)
    result = golive("verify", str(bad))
    error = one_line_error(result)
    assert error.startswith(f"golive: {bad}:{line}: "), error
    assert message in error


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", ": the file is empty"),
        (b"run,mode,seq\nx,live,1\n", ":1: not a golive journal export"),
        (
            b'{"golive_export": "journal", "format": 9, "run": {"uuid": "x"}, "events": 0}\n',
            ":1: made by a newer golive",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", ":1: not a golive journal export"),
        (b'{"some": "other jsonl"}\n{"a": 1}\n', ":1: not a golive journal export"),
    ],
    ids=["empty", "csv", "newer", "binary", "foreign-jsonl"],
)
def test_a_foreign_or_empty_file_is_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "thing.jsonl"
    path.write_bytes(content)
    error = one_line_error(golive("verify", str(path)))
    assert error.startswith(f"golive: {path}{message}"), error
    missing = one_line_error(golive("verify", str(tmp_path / "nope.jsonl")))
    assert missing == f"golive: {tmp_path / 'nope.jsonl'}: no such file"


def test_an_export_of_another_run_or_spliced_runs_does_not_verify(
    live_db: Path, rehearsal_db: Path, tmp_path: Path
) -> None:
    live = _jsonl(live_db, tmp_path, "live.jsonl").read_bytes().splitlines(keepends=True)
    rehearsal = _jsonl(rehearsal_db, tmp_path, "rehearsal.jsonl").read_bytes().splitlines(keepends=True)
    spliced = tmp_path / "spliced.jsonl"
    spliced.write_bytes(b"".join([live[0], *rehearsal[1:]]))
    error = one_line_error(golive("verify", str(spliced)))
    assert error.startswith(f"golive: {spliced}:2: event #1 (loaded, ") and "belongs to another run" in error


# -- trust, refusals, nothing written ---------------------------------------------------------


def test_a_journal_that_does_not_verify_is_refused_unless_allowed_then_bannered(live_db: Path, tmp_path: Path) -> None:
    break_chain(live_db, seq=4)
    out = tmp_path / "x.md"
    refused = golive("export", "demo-live-1", "--format", "md", "-o", str(out), "--db", str(live_db))
    error = one_line_error(refused)
    assert error.startswith("golive: demo-live-1: the journal does not verify (")
    assert "event #4" in error and "--allow-broken" in error
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("live.db")] == []

    for fmt, name in (("md", "x.md"), ("html", "x.html"), ("csv", "x.csv"), ("xlsx", "x.xlsx"), ("jsonl", "x.jsonl")):
        result = golive("export", "demo-live-1", "-f", fmt, "-o", str(tmp_path / name), "--db", str(live_db),
                        "--allow-broken")  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "warning" in result.stderr and "NOT VERIFIED" in result.stdout
    assert "UNVERIFIED EXPORT" in (tmp_path / "x.md").read_text(encoding="utf-8").splitlines()[2]
    assert 'class="banner" role="alert">UNVERIFIED EXPORT' in (tmp_path / "x.html").read_text(encoding="utf-8")
    for name in ("x.csv", "x-tasks.csv", "x-run.csv"):
        with open(tmp_path / name, encoding="utf-8", newline="") as fh:
            banner, header = next(csv.reader(fh)), next(csv.reader(fh))
        assert len(banner) == 1 and banner[0].startswith("UNVERIFIED EXPORT: the journal of run demo-live-1"), name
        assert header[:2] == ["run", "mode"] or header[:2] == ["run", "run_uuid"], name
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "x.xlsx")
    for ws in wb.worksheets:
        assert str(ws["A1"].value).startswith("UNVERIFIED EXPORT"), ws.title
    assert wb["Tasks"].freeze_panes == "A3"
    header = json.loads((tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert header["chain_verified"] is False and header["warning"].startswith("UNVERIFIED EXPORT")
    caught = one_line_error(golive("verify", str(tmp_path / "x.jsonl")))
    assert "x.jsonl:5: event #4 (signed_off, " in caught and "was edited" in caught


def test_bad_input_is_one_line_exit_1_and_writes_nothing(live_db: Path, tmp_path: Path) -> None:
    env = {"GOLIVE_DB": str(live_db)}
    out = tmp_path / "out" / "night.html"
    out.parent.mkdir()
    out.write_text("the PM's own file", encoding="utf-8")

    exists = one_line_error(golive("export", "demo-live-1", "-f", "html", "-o", str(out), env=env))
    assert exists == f"golive: {out}: already exists; add --force to replace it"
    assert out.read_text(encoding="utf-8") == "the PM's own file"
    sibling = out.parent / "night-tasks.csv"
    sibling.write_text("keep", encoding="utf-8")
    exists_csv = one_line_error(
        golive("export", "demo-live-1", "-f", "csv", "-o", str(out.parent / "night.csv"), env=env)
    )
    assert exists_csv == f"golive: {sibling}: already exists; add --force to replace it"
    assert not (out.parent / "night.csv").exists()

    unknown = one_line_error(golive("export", "nosuch", "-f", "md", "-o", str(out.parent / "n.md"), env=env))
    assert unknown == "golive: no run 'nosuch' in this database (runs: demo-live-1)"
    no_db = one_line_error(
        golive("export", "x", "-f", "md", "-o", str(out.parent / "n.md"), "--db", str(tmp_path / "no.db"))
    )
    assert no_db == (f"golive: {tmp_path / 'no.db'}: no such database (load a runbook first: golive load FILE)")
    foreign = tmp_path / "foreign.db"
    foreign.write_bytes(b"not a database at all" * 100)
    assert "not a usable golive database" in one_line_error(
        golive("export", "x", "-f", "md", "-o", str(out.parent / "n.md"), "--db", str(foreign))
    )
    no_dir = one_line_error(golive("export", "demo-live-1", "-f", "md", "-o", str(tmp_path / "no" / "n.md"), env=env))
    assert no_dir == f"golive: {tmp_path / 'no' / 'n.md'}: cannot write: no directory {tmp_path / 'no'}"
    assert sorted(p.name for p in out.parent.iterdir()) == ["night-tasks.csv", "night.html"]  # no temp files left

    usage = golive("export", "demo-live-1", "-f", "xlsx", "--bom", "-o", str(out.parent / "n.xlsx"), env=env)
    assert usage.returncode == 2 and "--bom applies to --format csv only" in usage.stderr
    usage = golive(
        "export", "demo-live-1", "-f", "jsonl", "--redact-people", "-o", str(out.parent / "n.jsonl"), env=env
    )
    assert usage.returncode == 2 and "--redact-people cannot apply to jsonl" in usage.stderr
    usage = golive("export", "demo-live-1", "-f", "pdf", "-o", str(out.parent / "n.pdf"), env=env)
    assert usage.returncode == 2

    forced = golive("export", "demo-live-1", "-f", "html", "-o", str(out), "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert forced.stdout.startswith(f"LIVE demo-live-1: wrote {out} (15 events, chain head ")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in out.parent.iterdir()) == ["night-tasks.csv", "night.html"]


def test_a_failing_writer_leaves_no_file_behind(live_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from golive.export import md_export

    def boom(*_: Any) -> None:
        raise GoliveError("disk on fire")

    monkeypatch.setattr(md_export, "write", boom)
    with pytest.raises(GoliveError, match="disk on fire"):
        export_run(live_db, None, "md", tmp_path / "x.md")
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("live.db")) == []


def test_no_credential_reaches_any_export(tmp_path: Path) -> None:
    """The runbook's device password is a reference (env:GOLIVE_SW1); its value is in the environment of
    every command of the run and of the exports. It must appear in no export, nor any reference."""
    env = {"GOLIVE_DB": str(tmp_path / "s.db"), "GOLIVE_SW1": SECRET, "GOLIVE_NAME": "Ana Ruiz", "GOLIVE_ROLE": "net"}
    runbook = tmp_path / "demo.yaml"
    runbook.write_text(VALID, encoding="utf-8")
    for args in (
        ("load", str(runbook)),
        ("start", "uplink", "--outside-window"),
        ("note", "sw1 creds from env"),
        ("override", "uplink", "-m", "checked by hand", "--approver-name", "Lee Chan", "--approver-initials", "LC"),
        ("signoff", "uplink"),
    ):
        assert golive(*args, env=env).returncode == 0
    outs = tmp_path / "exports"
    outs.mkdir()
    for fmt in ("csv", "xlsx", "jsonl", "html", "md"):
        result = golive("export", "demo-live-1", "-f", fmt, "-o", str(outs / f"run.{fmt}"), env=env)
        assert result.returncode == 0, result.stderr
    redacted = golive("export", "demo-live-1", "-f", "html", "--redact-people", "-o", str(outs / "r.html"), env=env)
    assert redacted.returncode == 0
    files = sorted(outs.iterdir())
    assert len(files) == 8
    for path in files:
        blobs = [path.read_bytes()]
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                blobs = [z.read(n) for n in z.namelist()]
        for blob in blobs:
            for needle in (SECRET, "GOLIVE_SW1", "keyring:sw1-snmp", "192.0.2.10"):
                assert needle.encode() not in blob, (path.name, needle)


def test_redact_people_leaves_initials_everywhere(live_db: Path, tmp_path: Path) -> None:
    texts = {}
    for fmt in ("csv", "xlsx", "html", "md"):
        out = tmp_path / f"r.{fmt}"
        export_run(live_db, None, fmt, out, redact_people=True, now=EXPORTED)
        if fmt == "xlsx":
            with zipfile.ZipFile(out) as z:
                texts[fmt] = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        elif fmt == "csv":
            texts[fmt] = "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("r*.csv"))
        else:
            texts[fmt] = out.read_text(encoding="utf-8")
    for fmt, text in texts.items():
        for name in ("Ana Ruiz", "Lee Chan", "Pat Moss", "laptop-1"):
            assert name not in text, (fmt, name)
    assert "closet B door jammed; LC called facilities" in texts["csv"]
    assert '\\"name\\":\\"LC\\"' in texts["csv"] or '""name"":""LC""' in texts["csv"]  # the approver, in the payload
    assert "approved by LC" in texts["md"]
    assert "names redacted" in golive("export", "demo-live-1", "-f", "md", "-o", str(tmp_path / "again.md"),
                                      "--redact-people", "--db", str(live_db)).stdout  # fmt: skip


def test_the_export_package_never_imports_the_ui() -> None:
    modules = ["model", "csv_export", "xlsx_export", "jsonl_export", "jsonl_verify", "html_export", "md_export",
               "redact", "exporter", "output"]  # fmt: skip
    probe = "\n".join(f"import golive.export.{m}" for m in modules) + "\nimport sys\nprint(sorted(sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    loaded = {name.split(".")[0].strip("'[] ") for name in out.stdout.split(",")}
    assert not loaded & {"textual", "netmiko", "pysnmp", "paramiko"}
    assert "openpyxl" not in loaded  # the tests' reader only: XlsxWriter writes the xlsx


def test_a_database_whose_triggers_were_dropped_does_not_export_cleanly(live_db: Path, tmp_path: Path) -> None:
    """The chain is intact, but what protects it is gone: refused, and a forced jsonl says so when verified."""
    close_all()
    conn = sqlite3.connect(live_db)
    conn.execute("DROP TRIGGER journal_no_delete")
    conn.commit()
    conn.close()
    out = tmp_path / "x.jsonl"
    error = one_line_error(golive("export", "demo-live-1", "-f", "jsonl", "-o", str(out), "--db", str(live_db)))
    assert "append-only triggers were removed: journal_no_delete" in error and not out.exists()
    forced = golive("export", "demo-live-1", "-f", "jsonl", "-o", str(out), "--db", str(live_db), "--allow-broken")
    assert forced.returncode == 0, forced.stderr
    caught = one_line_error(golive("verify", str(out)))
    assert caught.startswith(f"golive: {out}:1: exported from a journal that did not verify (--allow-broken)")
