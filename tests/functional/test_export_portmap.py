"""The port map as executed in every export: a real run in a real SQLite file (a snapshot, two jacks
results, a confirmation by hand), exported as csv, xlsx, html, md and jsonl, and each file read back.

The run: jack 2-230-A (the X-ray PC, critical) stays silent and is confirmed by hand; the phone is
back; the printer and a PC swapped cords; jack `=1+1` (a label that looks like a formula, its
endpoint like markup) is in the wrong VLAN; 2-240-A (a new build, critical) is not seen and not
confirmed; 2-250-A was left out of the jacks check: "not checked", its snapshot still shown.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from golive.checks.ifnames import canonical
from golive.checks.portmap.judge import judge_jacks, overall, snapshot_outcomes, snapshot_summary
from golive.checks.portmap.tables import DeviceTables, MacRow
from golive.export.csv_export import MAP_COLUMNS, RESULT_COLUMNS
from golive.export.exporter import export_run
from golive.export.jsonl_verify import verify_file
from golive.problems import GoliveError
from golive.progress.events import Actor
from golive.progress.jacks import PortSnap
from golive.progress.payloads import Checked, PortResult
from golive.runbook.load import parse_runbook, read_runbook
from golive.runbook.portmap import PortMap
from golive.store import runs
from golive.store.cutover import Cutover
from golive.store.db import open_engine

from ..conftest import VALID, passed
from .test_export import EXPORTED, Clock, clock, golden, golive  # noqa: F401  (clock: the pinned journal clock, a fixture)

ANA = Actor("Ana Ruiz", "AR", "net")
LEE = Actor("Lee Chan", "LC", "lead")
XRAY, PHONE, PRINTER, PC, ODD, NEW, SPARE = (
    "00:1b:44:22:00:07", "00:1b:44:11:3a:b7", "00:80:77:31:00:09", "3c:52:82:00:00:12", "aa:bb:cc:00:00:13",
    "00:11:22:33:44:55", "00:aa:00:00:00:20",
)  # fmt: skip
WHY = "X-ray tech sent a test image to PACS at 02:41"


def _swap(text: str, old: str, new: str) -> str:
    assert old in text, old  # a replace that matches nothing would test another runbook
    return text.replace(old, new)


MAPPED = (
    _swap(
        _swap(
            _swap(
                VALID,
                "    snmp: {version: 3, user: golive, credentials: keyring:sw1-snmp}\n",
                "    snmp: {version: 3, user: golive, credentials: keyring:sw1-snmp}\n"
                "  sw0: {host: 192.0.2.9, platform: cisco_ios, credentials: env:GOLIVE_SW0}\n",
            ),
            "          - {kind: port, device: sw1, port: Gi1/0/48, expect: {status: up, speed: 10G}}\n",
            "          - {kind: port, device: sw1, port: Gi1/0/48, expect: {status: up, speed: 10G}}\n"
            "          - {kind: snapshot, id: before}\n",
        ),
        "          - {kind: vlan, device: sw1, ports: Gi1/0/1-24, expect: {access: 120}}\n",
        "          - {kind: jacks, baseline: before}\n",
    )
    + "portmap:\n  jacks:\n"
    "  - {jack: 2-230-A, old_device: sw0, old_port: Gi1/0/10, new_device: sw1, new_port: Gi1/0/10,"
    " endpoint: DR X-ray acquisition PC, kind: modality, critical: true}\n"
    "  - {jack: 2-207-B, old_device: sw0, old_port: Gi1/0/17, new_device: sw1, new_port: Gi1/0/17,"
    " endpoint: Room 207 phone, kind: phone}\n"
    "  - {jack: 2-231-B, old_device: sw0, old_port: Gi1/0/11, new_device: sw1, new_port: Gi1/0/11,"
    " endpoint: Ward printer, kind: printer}\n"
    "  - {jack: 2-232-C, old_device: sw0, old_port: Gi1/0/12, new_device: sw1, new_port: Gi1/0/12,"
    " endpoint: Nurse station PC, kind: pc}\n"
    "  - {jack: '=1+1', old_device: sw0, old_port: Gi1/0/13, new_device: sw1, new_port: Gi1/0/13,"
    " endpoint: '<script>alert(1)</script>', kind: pc, vlan: 130}\n"
    f"  - {{jack: 2-240-A, new_device: sw1, new_port: Gi1/0/40, mac: '{NEW}', kind: modality, critical: true}}\n"
    "  - {jack: 2-250-A, old_device: sw0, old_port: Gi1/0/20, new_device: sw1, new_port: Gi1/0/20, kind: pc}\n"
)


def _port(device: str, port: str, access: int, **more: object) -> tuple[str, PortSnap]:
    snap: PortSnap = {"device": device, "port": port, "status": "connected", "up": True, "mode": "access"}
    snap["access"] = access
    snap.update(more)  # type: ignore[typeddict-item]
    return canonical(port), snap


PHONE_NEIGHBOR = {"name": "SEP001B44113AB7", "platform": "Cisco IP Phone 8845", "port": "Port 1", "caps": ["phone"]}
PHONE_POE = {"powered": True, "watts": 6.5, "class_": "2"}

BEFORE = {
    "sw0": DeviceTables(
        "sw0", "ssh",
        ports=dict([
            _port("sw0", "Gi1/0/10", 130), _port("sw0", "Gi1/0/11", 120), _port("sw0", "Gi1/0/12", 120),
            _port("sw0", "Gi1/0/13", 120), _port("sw0", "Gi1/0/20", 120),
            _port("sw0", "Gi1/0/17", 120, voice=121, neighbor=PHONE_NEIGHBOR, poe=PHONE_POE),
        ]),
        macs=[MacRow(PHONE, 121, "Gi1/0/17"), MacRow(PRINTER, 120, "Gi1/0/11"), MacRow(PC, 120, "Gi1/0/12"),
              MacRow(ODD, 120, "Gi1/0/13"), MacRow(SPARE, 120, "Gi1/0/20")],
    ),
}  # fmt: skip

AFTER = {
    "sw0": DeviceTables("sw0", "ssh"),
    "sw1": DeviceTables(
        "sw1", "ssh",
        ports=dict([_port("sw1", "Gi1/0/17", 120, voice=121, neighbor=PHONE_NEIGHBOR, poe=PHONE_POE)]),
        macs=[MacRow(PHONE, 121, "Gi1/0/17"), MacRow(PRINTER, 120, "Gi1/0/12"), MacRow(PC, 120, "Gi1/0/11"),
              MacRow(ODD, 120, "Gi1/0/13")],
    ),
}  # fmt: skip


def _result(key: str, kind: str, outcomes: dict[str, object], status: str, reason: str) -> Checked:
    return Checked(
        check=key, index=int(key.rsplit("#", 1)[1]), kind=kind, transport="ssh", status=status, reason=reason,
        ports={label: PortResult(status=o.status.value, observed=o.observed, reason=o.reason)  # type: ignore[attr-defined]
               for label, o in outcomes.items()},
    )  # fmt: skip


def build(db: Path, clock: Clock) -> Cutover:  # noqa: F811
    """The night: snapshot, cut, a first jacks check (nothing seen yet), a second, a confirmation by hand."""
    clock.at("2026-11-28T14:00")
    engine, machine = open_engine(db), "laptop-1/0a1b2c3d"
    loaded = runs.load(engine, parse_runbook(MAPPED, "rb.yaml"), rehearsal=True, actor=ANA, machine=machine)
    c = Cutover(engine, loaded.run, machine=machine)  # every event from one named laptop: reproducible
    portmap = c.runbook.portmap
    assert portmap is not None
    clock.at("2026-11-28T14:05")
    c.start("uplink", ANA)
    c.record_check("uplink", ANA, passed("uplink"))
    snap = snapshot_outcomes(portmap.jacks, BEFORE)
    status, reason = snapshot_summary(snap)
    clock.at("2026-11-28T14:07")
    c.record_check("uplink", ANA, _result("uplink#2", "snapshot", dict(snap), status.value, reason))
    c.sign_off("uplink", ANA)
    clock.at("2026-11-28T14:10")
    c.start("patch", ANA)
    baseline = {label: o.observed for label, o in snap.items() if o.status.value == "pass"}
    checked = [j for j in portmap.jacks if j.jack != "2-250-A"]
    silent = {"sw0": DeviceTables("sw0", "ssh"), "sw1": DeviceTables("sw1", "ssh")}
    first = judge_jacks(checked, baseline, silent)  # before the cords were moved: nothing seen anywhere
    clock.at("2026-11-28T14:30")
    c.record_check("patch", ANA, _result("patch#1", "jacks", dict(first), *_overall(first)))
    second = judge_jacks(checked, baseline, AFTER)
    clock.at("2026-11-28T14:41")
    c.record_check("patch", ANA, _result("patch#1", "jacks", dict(second), *_overall(second)))
    clock.at("2026-11-28T14:45")
    c.confirm_jack("patch", "patch#1", "2-230-A", LEE, WHY)
    return c


def _overall(outcomes: dict[str, object]) -> tuple[str, str]:
    status, reason = overall(outcomes)  # type: ignore[arg-type]
    return status.value, reason


@pytest.fixture
def db(tmp_path: Path, clock: Clock) -> Path:  # noqa: F811
    path = tmp_path / "state.db"
    build(path, clock)
    return path


def _export(db: Path, fmt: str, out: Path) -> list[Path]:
    return export_run(db, None, fmt, out).files


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_csv_export_writes_the_port_map_as_executed_beside_the_journal(db: Path, tmp_path: Path) -> None:
    files = _export(db, "csv", tmp_path / "out.csv")
    assert [p.name for p in files] == ["out.csv", "out-tasks.csv", "out-run.csv", "out-portmap.csv"]
    header = (tmp_path / "out-portmap.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == [*MAP_COLUMNS, *RESULT_COLUMNS]
    rows = {r["jack"]: r for r in _csv(tmp_path / "out-portmap.csv")}
    assert list(rows) == ["2-230-A", "2-207-B", "2-231-B", "2-232-C", "'=1+1", "2-240-A", "2-250-A"]  # map order
    assert {label: r["result"] for label, r in rows.items()} == {
        "2-230-A": "confirmed by hand", "2-207-B": "back", "2-231-B": "misplugged", "2-232-C": "misplugged",
        "'=1+1": "wrong VLAN", "2-240-A": "not seen", "2-250-A": "not checked",
    }  # fmt: skip
    xray = rows["2-230-A"]
    assert (xray["critical"], xray["old_device"], xray["old_port"], xray["new_port"]) == (
        "true",
        "sw0",
        "Gi1/0/10",
        "Gi1/0/10",
    )
    assert xray["confirmed_by"] == "Lee Chan (LC)"
    assert xray["confirmed_at"] == "2026-11-28T14:45:00-05:00"  # site time, as every export's times
    assert xray["confirmed_why"] == WHY
    assert (xray["checked_at"], xray["checked_by"], xray["check"]) == (
        "2026-11-28T14:41:00-05:00",
        "Ana Ruiz (AR)",
        "patch#1",
    )
    assert xray["vlan_expected"] == "130"  # as before: the old port's access VLAN
    phone = rows["2-207-B"]
    assert phone["where_seen"] == "sw1 Gi1/0/17"
    assert (phone["vlan_expected"], phone["vlan_seen"]) == ("120, voice 121", "121")
    assert phone["before_macs"] == f"{PHONE} (VLAN 121)"
    assert (phone["before_vlan"], phone["before_voice_vlan"]) == ("120", "121")
    assert phone["before_neighbor"] == "SEP001B44113AB7 (Cisco IP Phone 8845, Port 1, phone)"
    assert phone["before_poe"] == "powered (6.5 W, class 2)"
    assert phone["confirmed_by"] == ""
    printer = rows["2-231-B"]
    assert "swapped with jack 2-232-C" in printer["reason"]
    assert printer["where_seen"] == "sw1 Gi1/0/12"
    odd = rows["'=1+1"]  # the formula guard: a spreadsheet shows it as text
    assert odd["endpoint"] == "<script>alert(1)</script>"
    assert (odd["vlan"], odd["vlan_expected"], odd["vlan_seen"]) == ("130", "130", "120")
    new = rows["2-240-A"]
    assert (new["old_device"], new["mac"], new["before_macs"]) == ("", NEW, "")
    spare = rows["2-250-A"]
    assert (spare["checked_at"], spare["reason"]) == ("", "")
    assert spare["before_macs"] == f"{SPARE} (VLAN 120)"  # the snapshot is shown even for a jack never checked


def test_a_run_without_a_port_map_writes_no_portmap_csv(tmp_path: Path, clock: Clock) -> None:  # noqa: F811
    runs.load(open_engine(tmp_path / "s.db"), parse_runbook(VALID, "rb.yaml"), rehearsal=True, actor=ANA, machine="t")
    files = export_run(tmp_path / "s.db", None, "csv", tmp_path / "out.csv").files
    assert [p.name for p in files] == ["out.csv", "out-tasks.csv", "out-run.csv"]
    assert not (tmp_path / "out-portmap.csv").exists()
    for fmt in ("md", "html"):
        export_run(tmp_path / "s.db", None, fmt, tmp_path / f"out.{fmt}")
        assert "Port map" not in (tmp_path / f"out.{fmt}").read_text(encoding="utf-8")


def test_an_existing_portmap_csv_needs_force(db: Path, tmp_path: Path) -> None:
    (tmp_path / "out-portmap.csv").write_text("mine\n", encoding="utf-8")
    with pytest.raises(GoliveError, match=r"out-portmap\.csv: already exists; add --force"):
        _export(db, "csv", tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()  # nothing written
    export_run(db, None, "csv", tmp_path / "out.csv", force=True)
    assert (tmp_path / "out-portmap.csv").read_text(encoding="utf-8").startswith("jack,")


def test_the_xlsx_has_a_port_map_sheet_with_text_cells(db: Path, tmp_path: Path) -> None:
    _export(db, "xlsx", tmp_path / "out.xlsx")
    book = load_workbook(tmp_path / "out.xlsx")
    assert book.sheetnames == ["Summary", "Tasks", "Checks", "Sign-offs", "Port map", "Journal"]
    ws = book["Port map"]
    header = [c.value for c in ws[1]]
    assert header[:7] == ["Jack", "Endpoint", "Kind", "Critical", "Old (device port)", "New (device port)", "Result"]
    rows = {r[0].value: dict(zip(header, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)}
    assert list(rows) == ["2-230-A", "2-207-B", "2-231-B", "2-232-C", "=1+1", "2-240-A", "2-250-A"]
    odd = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "=1+1")[0]
    assert odd.data_type == "s"  # a text cell, never a formula
    xray = rows["2-230-A"]
    assert (xray["Result"], xray["Critical"], xray["Confirmed by"], xray["Confirmed why"]) == (
        "✔ confirmed by hand", "CRITICAL", "Lee Chan (LC)", WHY,
    )  # fmt: skip
    assert str(xray["Confirmed at (site, UTC-05:00)"]) == "2026-11-28 14:45:00"
    assert rows["2-231-B"]["Result"] == "✘ misplugged"
    assert rows["2-250-A"]["Result"] == "– not checked"
    assert rows["2-207-B"]["Before: PoE"] == "powered (6.5 W, class 2)"
    summary = {r[0].value: r[1].value for r in book["Summary"].iter_rows() if r[0].value}
    assert summary["Port map (as executed)"].startswith(
        "7 jacks: 2 misplugged, 1 wrong VLAN, 1 not seen, 1 not checked, 1 confirmed by hand, 1 back"
    )
    assert summary["Critical jacks not proven"] == "2-240-A (not seen)"


def test_the_html_lists_problems_and_critical_jacks_first_in_safe_text(db: Path, tmp_path: Path) -> None:
    _export(db, "html", tmp_path / "out.html")
    page = (tmp_path / "out.html").read_text(encoding="utf-8")
    section = page[page.index("<h2>Port map as executed</h2>") :]
    section = section[: section.index("</section>")]
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section
    labels = re.findall(r"<td><b>([^<]+)</b>", section)
    assert labels == ["2-231-B", "2-232-C", "=1+1", "2-240-A", "2-250-A", "2-230-A", "2-207-B"]
    results = re.findall(r"<span class=(?:flag|ok)>(. [^<]+)</span>", section)
    assert results == ["✘ misplugged", "✘ misplugged", "✘ wrong VLAN", "? not seen", "– not checked",
                       "✔ confirmed by hand", "✔ back"]  # fmt: skip
    assert "Critical jacks not proven: 2-240-A (not seen)" in section
    assert "<span class=ok>✔ back</span>" in section  # green, not the problems' red
    assert '<div class="card warn"><b>2/7</b><span>jacks back or confirmed</span></div>' in page
    assert '<div class="card warn"><b>3</b><span>jacks misplugged or wrong</span></div>' in page
    assert f"<b>confirmed by hand</b> by Lee Chan (LC) at 2026-11-28 14:45: {WHY}" in section


def test_the_md_has_the_port_map_with_formula_guarded_cells(db: Path, tmp_path: Path) -> None:
    _export(db, "md", tmp_path / "out.md")
    text = (tmp_path / "out.md").read_text(encoding="utf-8")
    section = text[text.index("## Port map as executed") : text.index("## Exceptions")]
    assert "7 jacks: 2 misplugged, 1 wrong VLAN, 1 not seen, 1 not checked, 1 confirmed by hand, 1 back" in section
    assert "Critical jacks not proven: **2-240-A (not seen)**." in section
    assert "| '=1+1 |" in section
    assert "\\<script\\>" in section and "<script>" not in section
    lines = [line for line in section.splitlines() if line.startswith("| ") and "Result" not in line]
    assert [line.split(" | ")[1] for line in lines] == [
        "2-231-B",
        "2-232-C",
        "'=1+1",
        "2-240-A",
        "2-250-A",
        "2-230-A",
        "2-207-B",
    ]
    assert f"Lee Chan (LC), 2026-11-28 14:45: {WHY}" in section
    # the failed jacks check in the test results names its problem jacks, not every jack's snapshots
    tests = text[text.index("## Test results") : text.index("## Port map as executed")]
    assert "2-231-B (misplugged): swapped with jack 2-232-C" in tests
    assert "2-240-A (not seen): not seen on any switch" in tests
    assert "; 1 back |" in tests
    assert "SEP001B44113AB7" not in tests


def test_the_jsonl_header_counts_the_jacks_and_still_verifies(db: Path, tmp_path: Path) -> None:
    _export(db, "jsonl", tmp_path / "out.jsonl")
    with open(tmp_path / "out.jsonl", encoding="utf-8") as fh:
        header = json.loads(fh.readline())
    assert header["jacks"] == {
        "total": 7,
        "by_result": {"misplugged": 2, "wrong VLAN": 1, "not seen": 1, "not checked": 1, "confirmed by hand": 1, "back": 1},
        "critical_not_proven": ["2-240-A"],
    }  # fmt: skip
    verify_file(tmp_path / "out.jsonl")  # raises on a problem


def test_names_are_redacted_in_the_port_map_too(db: Path, tmp_path: Path) -> None:
    export_run(db, None, "csv", tmp_path / "out.csv", redact_people=True)
    rows = {r["jack"]: r for r in _csv(tmp_path / "out-portmap.csv")}
    assert (rows["2-230-A"]["confirmed_by"], rows["2-230-A"]["checked_by"]) == ("LC", "AR")


def test_the_cli_names_the_portmap_file_it_wrote(db: Path, tmp_path: Path) -> None:
    result = golive("export", "--format", "csv", "-o", str(tmp_path / "night.csv"), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert f"{tmp_path / 'night-run.csv'}, {tmp_path / 'night-portmap.csv'} (" in result.stdout
    assert (tmp_path / "night-portmap.csv").read_text(encoding="utf-8").startswith(",".join(MAP_COLUMNS) + ",")


def _reloaded(tmp_path: Path, csv_name: str) -> PortMap:
    """A runbook naming the exported CSV as its port map, read and validated as `golive validate` does."""
    text = MAPPED[: MAPPED.index("portmap:")] + f"portmap: {csv_name}\n"
    path = tmp_path / "again.yaml"
    path.write_text(text, encoding="utf-8")
    portmap = read_runbook(path).runbook.portmap
    assert portmap is not None
    return portmap


def test_the_portmap_csv_reloads_as_a_port_map(db: Path, tmp_path: Path, clock: Clock) -> None:  # noqa: F811
    _export(db, "csv", tmp_path / "night.csv")
    original = Cutover.open(db).runbook.portmap
    assert original is not None
    again = _reloaded(tmp_path, "night-portmap.csv")
    assert again.columns == list(RESULT_COLUMNS)  # the results came back as extra columns, nothing else
    by_label = again.by_label()
    assert list(by_label) == [jack.jack for jack in original.jacks]  # `=1+1` too: the guard's mark is taken off
    for jack in original.jacks:
        label = jack.jack
        back = by_label[label]
        mapped = ("old_device", "old_port", "new_device", "new_port", "endpoint", "kind", "critical", "vlan",
                  "voice_vlan", "mac")  # fmt: skip
        assert {f: getattr(back, f) for f in mapped} == {f: getattr(jack, f) for f in mapped}, label
    assert by_label["2-230-A"].extra["confirmed_why"] == WHY
    assert by_label["2-231-B"].extra["result"] == "misplugged"
    # a run of the reloaded map exports its own results in those columns, not a second set of them
    db2 = tmp_path / "again.db"
    runs.load(open_engine(db2), read_runbook(tmp_path / "again.yaml"), rehearsal=True, actor=ANA, machine="t")
    _export(db2, "csv", tmp_path / "second.csv")
    header = (tmp_path / "second-portmap.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == [*MAP_COLUMNS, *RESULT_COLUMNS]
    assert {r["result"] for r in _csv(tmp_path / "second-portmap.csv")} == {"not checked"}


def test_the_portmap_csv_and_md_match_the_golden_files(db: Path, tmp_path: Path) -> None:
    export_run(db, None, "csv", tmp_path / "night.csv", now=EXPORTED)
    golden("rehearsal-portmap.csv", (tmp_path / "night-portmap.csv").read_bytes())
    export_run(db, None, "md", tmp_path / "night.md", now=EXPORTED)
    golden("rehearsal-portmap.md", (tmp_path / "night.md").read_bytes())


def test_each_jack_reads_the_latest_result_that_holds_it(db: Path, tmp_path: Path, clock: Clock) -> None:  # noqa: F811
    c = Cutover.open(db)
    portmap = c.runbook.portmap
    assert portmap is not None
    phone = [j for j in portmap.jacks if j.jack == "2-207-B"]
    unplugged = judge_jacks(phone, None, {"sw1": DeviceTables("sw1", "ssh")})  # a re-check of the phone alone
    clock.at("2026-11-28T15:02")
    c.record_check("patch", LEE, _result("patch#1", "jacks", dict(unplugged), *_overall(unplugged)))
    _export(db, "csv", tmp_path / "out.csv")
    rows = {r["jack"]: r for r in _csv(tmp_path / "out-portmap.csv")}
    assert (rows["2-207-B"]["result"], rows["2-207-B"]["checked_at"]) == ("not seen", "2026-11-28T15:02:00-05:00")
    assert rows["2-207-B"]["checked_by"] == "Lee Chan (LC)"
    assert rows["2-231-B"]["checked_at"] == "2026-11-28T14:41:00-05:00"  # not in the re-check: its own latest
    assert rows["2-230-A"]["result"] == "confirmed by hand"  # a confirmation holds for its check's later runs


def test_a_jack_proven_by_the_lab_says_so_in_every_format(db: Path, tmp_path: Path, clock: Clock) -> None:  # noqa: F811
    c = Cutover.open(db)
    portmap = c.runbook.portmap
    assert portmap is not None
    phone = [j for j in portmap.jacks if j.jack == "2-207-B"]
    again = judge_jacks(phone, None, AFTER)
    clock.at("2026-11-28T15:02")
    from_lab = _result("patch#1", "jacks", dict(again), *_overall(again)).model_copy(update={"lab": True})
    c.record_check("patch", LEE, from_lab)  # the lab's simulated switches answered, not the site's
    _export(db, "csv", tmp_path / "out.csv")
    rows = {r["jack"]: r for r in _csv(tmp_path / "out-portmap.csv")}
    assert {label: r["lab"] for label, r in rows.items()} == {label: "" for label in rows} | {"2-207-B": "yes"}
    _export(db, "md", tmp_path / "out.md")
    marked = [line for line in (tmp_path / "out.md").read_text(encoding="utf-8").splitlines() if "(LAB)" in line]
    assert len(marked) == 1 and "| 2-207-B |" in marked[0] and "Lee Chan (LC) (LAB)" in marked[0]
    _export(db, "html", tmp_path / "out.html")
    assert (tmp_path / "out.html").read_text(encoding="utf-8").count("Lee Chan (LC) <b>LAB</b>") == 1


def test_a_maps_own_extra_columns_come_between_the_map_and_the_results(db: Path, tmp_path: Path) -> None:
    _export(db, "csv", tmp_path / "night.csv")
    with open(tmp_path / "night-portmap.csv", encoding="utf-8", newline="") as fh:
        table = list(csv.reader(fh))
    with open(tmp_path / "rooms.csv", "w", encoding="utf-8", newline="") as fh:  # a PM adds two columns in Excel
        csv.writer(fh).writerows(
            [[*row, *extra] for row, extra in zip(table, [["Room", "=Owner"]] + [["207", "ward"]] * 7, strict=True)]
        )
    again = _reloaded(tmp_path, "rooms.csv")
    assert again.columns == [*RESULT_COLUMNS, "Room", "=Owner"]
    db2 = tmp_path / "again.db"
    runs.load(open_engine(db2), read_runbook(tmp_path / "again.yaml"), rehearsal=True, actor=ANA, machine="t")
    _export(db2, "csv", tmp_path / "second.csv")
    with open(tmp_path / "second-portmap.csv", encoding="utf-8", newline="") as fh:
        header, first, *_ = list(csv.reader(fh))
    assert header == [*MAP_COLUMNS, "Room", "'=Owner", *RESULT_COLUMNS]  # a column name is a cell too: guarded
    assert first[len(MAP_COLUMNS) : len(MAP_COLUMNS) + 2] == ["207", "ward"]
    export_run(db2, None, "xlsx", tmp_path / "second.xlsx")
    sheet = load_workbook(tmp_path / "second.xlsx")["Port map"]
    header = [c.value for c in sheet[1]]
    assert header[-3:] == ["Before: PoE", "Room", "=Owner"]  # text cells after the results, stale results dropped
