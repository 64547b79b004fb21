"""`golive portmap draft` as a user runs it: against the lab's old switch (real FakeNOS over SSH), the
CSV it writes, and every refusal as one line with the right exit code."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from golive.export.portmap_draft import EDIT_LABEL, HEADER
from golive.lab.lab import Lab
from golive.runbook.load import read_runbook
from tests.peers.lab import running_lab

RUNBOOK = textwrap.dedent(
    """\
    runbook:
      id: draft-idf
      title: IDF 2B swap
      version: 1
      window: {start: "2026-12-05T22:00-05:00", end: "2026-12-06T02:00-05:00"}
    roles: {net: Network engineer}
    inventory:
      idf2b-old: {host: 192.0.2.10, platform: hp_comware, credentials: env:GOLIVE_OLD}
      idf2b-new: {host: 192.0.2.11, platform: cisco_ios, credentials: env:GOLIVE_NEW}
    phases:
      - id: pre
        title: Before
        tasks:
          - id: look
            title: What is on the old switch
            owner: net
            duration: 10m
            checks:
              - {kind: port, device: idf2b-old, port: GE1/0/7, expect: {status: up, description: 2-207-B}}
              - {kind: vlan, device: idf2b-old, ports: GE1/0/7-9, expect: {access: 120}}
              - {kind: mac, device: idf2b-old, port: GE1/0/7, expect: {count: 1}}
              - {kind: mac, device: idf2b-old, port: GE1/0/9, expect: {count: 2}}
              - {kind: port, device: idf2b-old, port: GE2/0/3, expect: {status: up, description: "+1 nurse station"}}
              - {kind: mac, device: idf2b-old, port: GE2/0/3, expect: {count: 1}}
              - {kind: port, device: idf2b-old, port: GE1/0/12, expect: {status: down}}
    """
)


def golive(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "golive", *args], capture_output=True, text=True, env=dict(os.environ), cwd=cwd,
        timeout=120,
    )  # fmt: skip


@pytest.fixture
def runbook(tmp_path: Path) -> Path:
    path = tmp_path / "idf.yaml"
    path.write_text(RUNBOOK, encoding="utf-8")
    return path


@pytest.fixture
def lab(runbook: Path) -> Iterator[Lab]:
    with running_lab(runbook) as running:
        yield running


def rows_of(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff") and text.endswith("\r\n")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_draft_from_the_labs_old_switch_with_the_type_respelled_and_member_moved(
    lab: Lab, runbook: Path, tmp_path: Path
) -> None:
    out = tmp_path / "rooms.csv"
    result = golive(
        "portmap", "draft", str(runbook), "--from", "idf2b-old", "--to", "idf2b-new",
        "--rule", "member:2=3", "-o", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {out}: 3 jacks (1 need a label)"
    assert "reading idf2b-old (the lab, pid" in result.stderr
    rows = rows_of(out)
    assert tuple(rows[0]) == HEADER
    by_old = {row["old_port"]: row for row in rows}
    assert list(by_old) == ["GE1/0/7", "GE1/0/9", "GE2/0/3"]
    jack = by_old["GE1/0/7"]
    assert (jack["jack"], jack["old_device"], jack["new_device"], jack["new_port"]) == (
        "2-207-B", "idf2b-old", "idf2b-new", "Gi1/0/7",
    )  # fmt: skip
    assert (jack["vlan"], jack["critical"], jack["notes"]) == ("120", "false", "")
    assert len(jack["mac"]) == 17
    unlabelled = by_old["GE1/0/9"]
    assert (unlabelled["jack"], unlabelled["new_port"], unlabelled["mac"]) == ("idf2b-old-GE1/0/9", "Gi1/0/9", "")
    assert unlabelled["notes"].startswith(EDIT_LABEL)
    nurse = by_old["GE2/0/3"]
    assert (nurse["jack"], nurse["new_port"]) == ("'+1 nurse station", "Gi3/0/3")  # never a formula in Excel

    mapped = tmp_path / "idf-mapped.yaml"  # the written CSV, named by a runbook, loads back as its port map
    mapped.write_text(RUNBOOK + "portmap: rooms.csv\n", encoding="utf-8")
    valid = golive("validate", str(mapped))
    assert valid.returncode == 0, valid.stderr
    assert "3 jacks (rooms.csv)" in valid.stdout
    portmap = read_runbook(mapped).runbook.portmap
    assert portmap is not None and portmap.columns == ["notes"]
    assert [(j.jack, j.old_port, j.new_port, j.vlan, j.critical) for j in portmap.jacks] == [
        ("2-207-B", "GE1/0/7", "Gi1/0/7", 120, False),
        ("idf2b-old-GE1/0/9", "GE1/0/9", "Gi1/0/9", 120, False),
        ("+1 nurse station", "GE2/0/3", "Gi3/0/3", 1, False),  # the guard's mark is golive's, not the label's
    ]
    assert portmap.jacks[0].mac == jack["mac"]


def test_draft_to_stdout_with_ports_and_json(lab: Lab, runbook: Path) -> None:
    result = golive(
        "portmap", "draft", str(runbook), "--from", "idf2b-old", "--to", "idf2b-new", "--ports", "GE1/0/1-9"
    )
    assert result.returncode == 0, result.stderr
    assert [row["old_port"] for row in csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff")))] == [
        "GE1/0/7", "GE1/0/9",
    ]  # fmt: skip
    assert result.stderr.splitlines()[-1] == "2 jacks (1 need a label)"
    as_json = golive(
        "portmap", "draft", str(runbook), "--from", "idf2b-old", "--to", "idf2b-new", "--rule", "offset:24", "--json"
    )  # fmt: skip
    assert as_json.returncode == 0, as_json.stderr
    import json

    document = json.loads(as_json.stdout)
    assert (document["jacks"], document["need_label"], document["rules"]) == (3, 1, "offset:+24")
    assert [row["new_port"] for row in document["rows"]] == ["Gi1/0/31", "Gi1/0/33", "Gi2/0/27"]
    assert document["rows"][2]["jack"] == "+1 nurse station"  # JSON is no spreadsheet: the text as it is
    assert document["csv"].startswith("\ufeffjack,")


def test_refusals_are_one_line_with_the_right_exit_code(runbook: Path, tmp_path: Path) -> None:
    unknown = golive("portmap", "draft", str(runbook), "--from", "idf2b-olde", "--to", "idf2b-new")
    assert (unknown.returncode, unknown.stderr) == (
        1, f"golive: {runbook}: --from 'idf2b-olde' is not a device in the inventory (did you mean idf2b-old?)\n",
    )  # fmt: skip
    bad_rule = golive("portmap", "draft", str(runbook), "--from", "idf2b-old", "--to", "idf2b-new", "--rule", "shift:2")
    assert (bad_rule.returncode, bad_rule.stderr) == (
        2, "golive: --rule: unknown rule 'shift:2': use same, offset:N or member:A=B\n",
    )  # fmt: skip
    bad_ports = golive("portmap", "draft", str(runbook), "--from", "idf2b-old", "--to", "idf2b-new", "--ports", "x;y")
    assert bad_ports.returncode == 2 and bad_ports.stderr.startswith("golive: --ports: malformed port")
    existing = tmp_path / "rooms.csv"
    existing.write_text("keep me", encoding="utf-8")
    kept = golive("portmap", "draft", str(runbook), "--from", "idf2b-old", "--to", "idf2b-new", "-o", str(existing))
    assert kept.returncode == 1 and len(kept.stderr.splitlines()) == 1 and "--force" in kept.stderr
    assert existing.read_text(encoding="utf-8") == "keep me"
    no_lab = golive("portmap", "draft", str(runbook), "--from", "idf2b-old", "--to", "idf2b-new", "--rehearsal")
    assert (no_lab.returncode, no_lab.stderr) == (
        1, f"golive: a rehearsal reads the lab, and none runs for draft-idf: start `golive lab {runbook}`\n",
    )  # fmt: skip
    live = golive("portmap", "draft", str(runbook), "--from", "idf2b-old", "--to", "idf2b-new")
    assert live.returncode == 1, live.stderr
    assert live.stderr.splitlines()[-1].startswith("golive: idf2b-old could not be read: ")
    assert "documentation address" in live.stderr
    for result in (unknown, bad_rule, bad_ports, kept, no_lab, live):
        assert "Traceback" not in result.stderr + result.stdout


MAPPED = textwrap.dedent(
    """\
    runbook:
      id: draft-mapped
      title: IDF 2B swap, with its map
      version: 1
      window: {start: "2026-12-05T22:00-05:00", end: "2026-12-06T02:00-05:00"}
    roles: {net: Network engineer}
    inventory:
      idf2b-old: {host: 192.0.2.10, platform: hp_comware, credentials: env:GOLIVE_OLD}
      idf2b-new: {host: 192.0.2.11, platform: cisco_ios, credentials: env:GOLIVE_NEW}
    portmap: planned.csv
    phases:
      - id: pre
        title: Before
        tasks:
          - {id: snap, title: Snapshot, owner: net, duration: 5m, checks: [{kind: snapshot, id: snap-old}]}
    """
)
PLANNED = (
    "jack,old_device,old_port,new_device,new_port,endpoint,kind,critical\r\n"
    "2-201-A,idf2b-old,GE1/0/1,idf2b-new,Gi2/0/1,Room 201 phone,phone,false\r\n"
    "2-201-B,idf2b-old,GE1/0/2,idf2b-new,Gi2/0/2,Room 201 PC,pc,false\r\n"
    "2-202-A,idf2b-old,GE1/0/3,idf2b-new,Gi2/0/3,Printer 2B,printer,false\r\n"
    "2-203-C,idf2b-old,GE1/0/4,idf2b-new,Gi2/0/4,AP 2 east,ap,false\r\n"
    "2-230-A,idf2b-old,GE1/0/5,idf2b-new,Gi2/0/5,DR X-ray acquisition PC,modality,true\r\n"
)


def test_draft_of_a_labs_port_map_finds_every_endpoint_but_the_silent_one(tmp_path: Path) -> None:
    """The lab plays a map's endpoints on the old switch: the draft (member 1 -> 2) gives back each jack's
    ports, the phone and the AP by their neighbor names and kinds, a PC's MAC; the silent modality shows
    nothing a switch could see, so it is not drafted."""
    runbook = tmp_path / "mapped.yaml"
    runbook.write_text(MAPPED, encoding="utf-8")
    (tmp_path / "planned.csv").write_text(PLANNED, encoding="utf-8", newline="")
    out = tmp_path / "drafted.csv"
    with running_lab(runbook):
        result = golive(
            "portmap", "draft", str(runbook), "--from", "idf2b-old", "--to", "idf2b-new", "--rule", "member:1=2",
            "-o", str(out),
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {out}: 4 jacks"  # the lab labels each old port as its plate
    rows = {row["old_port"]: row for row in rows_of(out)}
    portmap = read_runbook(runbook).runbook.portmap
    assert portmap is not None
    planned = {jack.old_port: jack for jack in portmap.jacks}
    assert sorted(rows) == ["GE1/0/1", "GE1/0/2", "GE1/0/3", "GE1/0/4"]
    for port, row in rows.items():
        assert (row["jack"], row["new_device"], row["new_port"]) == (planned[port].jack, *planned[port].new)
    assert rows["GE1/0/1"]["kind"] == "phone" and rows["GE1/0/1"]["endpoint"]
    assert rows["GE1/0/4"]["kind"] == "ap" and rows["GE1/0/4"]["endpoint"]
    assert rows["GE1/0/2"]["kind"] == "" and len(rows["GE1/0/2"]["mac"]) == 17
    assert rows["GE1/0/1"]["voice_vlan"] and rows["GE1/0/1"]["vlan"]


def test_the_draft_never_writes_over_the_database_named_by_db(runbook: Path, tmp_path: Path) -> None:
    night = tmp_path / "night.db-wal"  # the -wal file of the --db database: writing it would wreck the run
    result = golive(
        "portmap", "draft", str(runbook), "--from", "idf2b-old", "--to", "idf2b-new",
        "--db", str(tmp_path / "night.db"), "-o", str(night), "--force",
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "the wal file of golive's state database" in result.stderr and "Traceback" not in result.stderr
    assert not night.exists()
