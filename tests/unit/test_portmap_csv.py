"""The port-map CSV as Excel writes it: each quirk of the issue read right, and each problem one exact
`file:line:col` line that points into the CSV (the line of the file, the column's number)."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from golive.problems import ProblemsFound
from golive.runbook import portmap_csv
from golive.runbook.load import LoadedRunbook, read_runbook
from golive.runbook.portmap import normalize_mac
from golive.runbook.portmap_file import file_digest

RUNBOOK = textwrap.dedent(
    """\
    runbook:
      id: idf
      title: IDF 2B switch swap
      version: 1
      window: {start: "2026-12-05T22:00-05:00", end: "2026-12-06T02:00-05:00"}
    roles: {net: Network engineer}
    inventory:
      idf2b-old: {host: 192.0.2.10, platform: hp_comware, credentials: env:X, ports: GE1/0/1-48}
      idf2b-new: {host: 192.0.2.11, platform: cisco_ios, credentials: env:X, ports: "Gi1/0/1-48,Gi3/0/1-48"}
    portmap: rooms.csv
    phases:
      - id: cut
        title: Cut
        tasks:
          - id: snap
            title: Snapshot the old ports
            owner: net
            duration: 5m
            checks: [{kind: snapshot, id: before}]
          - id: patch
            title: Re-patch
            owner: net
            duration: 30m
            after: [snap]
            checks: [{kind: jacks, id: after}]
    """
)
GOOD = (
    "jack,old_device,old_port,new_device,new_port,endpoint,kind,critical\n"
    "2-230-A,idf2b-old,GE1/0/10,idf2b-new,Gi3/0/10,DR X-ray acquisition PC,modality,true\n"
    "2-207-B,idf2b-old,GE1/0/17,idf2b-new,Gi1/0/17,Room 207 phone,phone,false\n"
)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rb.yaml").write_text(RUNBOOK, encoding="utf-8")
    return tmp_path


def load(here: Path, csv: bytes | str) -> LoadedRunbook:
    (here / "rooms.csv").write_bytes(csv.encode("utf-8") if isinstance(csv, str) else csv)
    return read_runbook("rb.yaml")


def problems(here: Path, csv: bytes | str) -> list[str]:
    with pytest.raises(ProblemsFound) as caught:
        load(here, csv)
    return [str(p) for p in caught.value.problems]


def test_the_design_example_loads(here: Path) -> None:
    portmap = load(here, GOOD).runbook.portmap
    assert portmap is not None and portmap.file == "rooms.csv"
    xray, phone = portmap.jacks
    assert (xray.jack, xray.old, xray.new, xray.kind, xray.critical) == (
        "2-230-A", ("idf2b-old", "GE1/0/10"), ("idf2b-new", "Gi3/0/10"), "modality", True,
    )  # fmt: skip
    assert (phone.line, phone.critical, phone.endpoint) == (3, False, "Room 207 phone")


def test_excel_bom_semicolons_crlf_empty_rows_and_quoted_delimiters(here: Path) -> None:
    csv = (
        b"\xef\xbb\xbfWall plate;Old switch;Old Port;New Switch;New port;Endpoint;Type;Critical;Room;;\r\n"
        b";;;;;;;;;;\r\n"
        b'2-230-A;idf2b-old;GE1/0/10;idf2b-new;Gi3/0/10;"DR X-ray; acquisition";modality;x;230;;\r\n'
        b"\r\n"
        b"2-207-B;idf2b-old;GE1/0/17;idf2b-new;Gi1/0/17;Room 207 phone;phone;;207;;\r\n"
    )
    portmap = load(here, csv).runbook.portmap
    assert portmap is not None
    xray, phone = portmap.jacks
    assert xray.endpoint == "DR X-ray; acquisition" and xray.critical and xray.line == 3
    assert xray.extra == {"Room": "230"} and portmap.columns == ["Room"]
    assert phone.line == 5 and not phone.critical


def test_a_bom_and_crlf_do_not_shift_the_line_or_column(here: Path) -> None:
    csv = b"\xef\xbb\xbfjack;old_device;old_port;new_device;new_port\r\n\r\n2-230-A;idf2b-old;GE1/0/77;idf2b-new;Gi3/0/10\r\n"
    assert problems(here, csv) == ["rooms.csv:3:3: old_port 'GE1/0/77' is not a port of idf2b-old"]


def test_a_quoted_comma_stays_in_its_cell_and_later_columns_keep_their_number(here: Path) -> None:
    csv = 'jack,endpoint,new_device,new_port,vlan\n2-230-A,"X-ray, room 230",idf2b-new,Gi3/0/10,5000\n'
    assert problems(here, csv) == ["rooms.csv:2:5: vlan: '5000' is not a VLAN number (1-4094)"]


def test_merged_looking_blanks_name_the_cell_and_say_why(here: Path) -> None:
    csv = (
        "jack,old_device,old_port,new_device,new_port\n"
        "2-230-A,idf2b-old,GE1/0/10,idf2b-new,Gi3/0/10\n"
        "2-231-A,,GE1/0/11,,Gi3/0/11\n"
    )
    merged = "(merged cells in Excel export as blanks: write the device on every row)"
    assert problems(here, csv) == [
        f"rooms.csv:3:2: old_port 'GE1/0/11' has no old_device {merged}",
        f"rooms.csv:3:4: new_device is empty {merged}",
    ]


def test_every_problem_in_one_pass(here: Path) -> None:
    csv = (
        "jack,old_device,old_port,new_device,new_port,critical,mac,voice vlan\n"
        "2-230-A,idf2b-old,GE1/0/10,idf2b-new,Gi3/0/10,maybe,zz,0\n"
        "2-230-A,idf2b-old,GE1/0/10,idf2b-nw,Gi3/0/10,,,\n"
        ",idf2b-old,GE1/0/12,idf2b-new,Gi3/0/10,,,\n"
        "2-232-A,idf2b-old,GE1/0/13,idf2b-new,Gi1/0/99,,,\n"
        "2-233-A,idf2b-old,GE 1/0/14,idf2b-new,Gi1/0/14,,,\n"
    )
    assert problems(here, csv) == [
        "rooms.csv:2:6: critical: 'maybe' is not yes or no (yes/no, true/false, y/n, x, 1/0 or blank)",
        "rooms.csv:2:7: bad MAC 'zz': expected a MAC like 00:1b:44:11:3a:b7, 001b.4411.3ab7 or 001B44113AB7, "
        "or an OUI like 00:1b:44",
        "rooms.csv:2:8: voice_vlan: '0' is not a VLAN number (1-4094)",
        "rooms.csv:3:1: duplicate jack '2-230-A' (first at line 2)",
        "rooms.csv:3:3: old port idf2b-old GE1/0/10 is mapped twice (first by jack '2-230-A' at line 2)",
        "rooms.csv:3:4: new_device 'idf2b-nw' is not in the inventory (did you mean idf2b-new?)",
        "rooms.csv:4:1: empty jack label",
        "rooms.csv:4:5: new port idf2b-new Gi3/0/10 is mapped twice (first by jack '2-230-A' at line 2)",
        "rooms.csv:5:5: new_port 'Gi1/0/99' is not a port of idf2b-new",
        "rooms.csv:6:3: old_port: malformed port name 'GE 1/0/14': expected an interface like Gi1/0/1, "
        "Eth1/12 or ge-0/0/3",
    ]


def test_header_names_as_a_pm_writes_them(here: Path) -> None:
    csv = (
        "Jack ID,OLD-SWITCH,Old Port:,New switch,new  port,Device Type,Critical?,Data VLAN,Voice VLAN,MAC Address,"
        "Notes,Device\n"
        "2-207-B,idf2b-old,GE1/0/17,idf2b-new,Gi1/0/17,phone,Y,20,120,001B.4411.3AB7,by the door,Cisco 8845\n"
    )
    portmap = load(here, csv).runbook.portmap
    assert portmap is not None
    (jack,) = portmap.jacks
    assert (jack.kind, jack.critical, jack.vlan, jack.voice_vlan, jack.mac) == (
        "phone",
        True,
        20,
        120,
        "00:1b:44:11:3a:b7",
    )
    assert jack.extra == {"Notes": "by the door", "Device": "Cisco 8845"}
    assert portmap.columns == ["Notes", "Device"]


def test_a_missing_required_column_is_named_at_line_1(here: Path) -> None:
    csv = "jack,old_device,old_port,new_device\n2-207-B,idf2b-old,GE1/0/17,idf2b-new\n"
    assert problems(here, csv) == [
        "rooms.csv:1:1: missing required column 'new_port' (the header names 'jack', 'old_device', 'old_port', "
        "'new_device')"
    ]


def test_a_column_named_twice_is_refused(here: Path) -> None:
    csv = "jack,new_device,new_port,New Port\n2-207-B,idf2b-new,Gi1/0/17,Gi1/0/18\n"
    assert problems(here, csv) == ["rooms.csv:1:4: column 'New Port' repeats column 3 (new_port)"]


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("00-1B-44-11-3A-B7", "00:1b:44:11:3a:b7"),
        ("001b.4411.3ab7", "00:1b:44:11:3a:b7"),
        ("001B44113AB7", "00:1b:44:11:3a:b7"),
        ("001b-4411-3ab7", "00:1b:44:11:3a:b7"),
        ("00:1b:44", "00:1b:44"),
        ("00:1B:44:*", "00:1b:44"),
        ("001B44", "00:1b:44"),
    ],
)
def test_a_mac_in_any_common_spelling_is_stored_one_way(here: Path, written: str, stored: str) -> None:
    assert normalize_mac(written) == stored
    portmap = load(here, f"jack,new_device,new_port,mac\n2-207-B,idf2b-new,Gi1/0/17,{written}\n").runbook.portmap
    assert portmap is not None and portmap.jacks[0].mac == stored


def test_a_formula_looking_cell_is_text_and_a_control_character_is_refused(here: Path) -> None:
    csv = 'jack,new_device,new_port,endpoint\n=HYPERLINK("x"),idf2b-new,Gi1/0/17,+1 nurse station\n'
    portmap = load(here, csv).runbook.portmap
    assert portmap is not None and portmap.jacks[0].jack == '=HYPERLINK("x")'
    assert portmap.jacks[0].endpoint == "+1 nurse station"
    bad = "jack,new_device,new_port,endpoint\n2-207-B,idf2b-new,Gi1/0/17,phone\x1b[31m\n"
    assert problems(here, bad) == ["rooms.csv:2:4: a control character in endpoint: 'phone\\x1b[31m'"]


def test_a_value_under_no_header_is_refused(here: Path) -> None:
    csv = "jack,new_device,new_port,,\n2-207-B,idf2b-new,Gi1/0/17,,stray\n"
    assert problems(here, csv) == ["rooms.csv:2:5: a value 'stray' under a column with no header"]


def test_not_utf8_names_the_first_bad_byte_and_how_to_save_it(here: Path) -> None:
    csv = "jack,new_device,new_port,endpoint\n2-207-B,idf2b-new,Gi1/0/17,Caf\xe9\n".encode("cp1252")
    assert problems(here, csv) == ['rooms.csv:2:31: not UTF-8 text: in Excel, save it as "CSV UTF-8 (Comma delimited)"']


def test_a_broken_quote_is_one_line(here: Path) -> None:
    csv = 'jack,new_device,new_port\n"2-207-B"x,idf2b-new,Gi1/0/17\n'
    (line,) = problems(here, csv)
    assert line.startswith("rooms.csv:2:1: not a readable CSV line: ")
    unclosed = 'jack,new_device,new_port\n"2-207-B,idf2b-new,Gi1/0/17\n2-208-B,idf2b-new,Gi1/0/18\n'
    assert problems(here, unclosed) == [
        "rooms.csv:2:1: not a readable CSV line: a quote opened in this row is never closed"
    ]
    huge = "jack,new_device,new_port\n2-207-B,idf2b-new,Gi1/0/17\n" + "x" * 200_000 + ",idf2b-new,Gi1/0/18\n"
    assert problems(here, huge) == ["rooms.csv:3:1: not a readable CSV line: field larger than field limit (131072)"]


def test_empty_and_header_only_files(here: Path) -> None:
    assert problems(here, b"\xef\xbb\xbf\r\n\r\n") == [
        "rooms.csv:1:1: the port map is empty: write a header (jack, new_device, new_port, ...) and a row per jack"
    ]
    assert problems(here, "jack,new_device,new_port\r\n,,\r\n") == [
        "rooms.csv:2:1: the port map has a header but no jacks"
    ]


def test_limits_stop_a_wrong_file_early(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(portmap_csv, "MAX_ROWS", 2)
    rows = "".join(f"j{n},idf2b-new,Gi1/0/{n}\n" for n in range(1, 6))
    assert problems(here, "jack,new_device,new_port\n" + rows) == [
        "rooms.csv:4:1: more than 2 jacks: is this a port map?"
    ]
    wide = "jack,new_device,new_port" + ",x" * portmap_csv.MAX_COLUMNS + "\n"
    assert problems(here, wide) == [
        f"rooms.csv:1:{portmap_csv.MAX_COLUMNS + 1}: more than 100 columns: is this a port map?"
    ]
    monkeypatch.setattr(portmap_csv, "MAX_CSV_BYTES", 100)
    assert problems(here, GOOD + "x" * 100) == ["rooms.csv: port map is larger than 0 MiB"]


def test_a_missing_csv_points_at_the_runbook(here: Path) -> None:
    with pytest.raises(ProblemsFound) as caught:
        read_runbook("rb.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "rb.yaml:10:10: portmap file 'rooms.csv' not found (a path relative to the runbook)"
    ]


def test_the_csv_is_found_beside_the_runbook_and_named_so(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (here / "site").mkdir()
    (here / "site" / "rb.yaml").write_text(RUNBOOK, encoding="utf-8")
    (here / "site" / "rooms.csv").write_text(GOOD.replace("GE1/0/17", "GE1/0/77"), encoding="utf-8")
    with pytest.raises(ProblemsFound) as caught:
        read_runbook("site/rb.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "site/rooms.csv:3:3: old_port 'GE1/0/77' is not a port of idf2b-old"
    ]


def test_ports_compare_however_they_are_spelled(here: Path) -> None:
    csv = (
        "jack,new_device,new_port\n"
        "2-230-A,idf2b-new,GigabitEthernet3/0/10\n"  # declared as Gi3/0/1-48: the same port
        "2-231-A,idf2b-new,gi3/0/10\n"
    )
    assert problems(here, csv) == [
        "rooms.csv:3:3: new port idf2b-new gi3/0/10 is mapped twice (first by jack '2-230-A' at line 2)"
    ]


@pytest.mark.parametrize(
    "spelled", ["portmap: rooms.csv", "portmap: 'rooms.csv'  # the PM's file", 'portmap: "rooms.csv"\r']
)
def test_the_fast_digest_is_the_loaded_digest(here: Path, spelled: str) -> None:
    (here / "rb.yaml").write_text(RUNBOOK.replace("portmap: rooms.csv", spelled), encoding="utf-8")
    loaded = load(here, GOOD)
    assert file_digest(here / "rb.yaml") == loaded.sha256
    assert loaded.source.startswith(RUNBOOK[:20]) and GOOD in loaded.source  # the CSV is in the stored text


def test_the_fast_digest_never_matches_another_map(here: Path) -> None:
    loaded = load(here, GOOD)
    (here / "rooms.csv").write_text(GOOD.replace("true", "false"), encoding="utf-8")
    assert file_digest(here / "rb.yaml") not in (None, loaded.sha256)
    (here / "rooms.csv").unlink()
    assert file_digest(here / "rb.yaml") is None


def test_a_fifo_or_a_device_is_refused_without_reading_it(here: Path) -> None:
    os.mkfifo(here / "rooms.csv")  # opening it would wait for a writer forever
    with pytest.raises(ProblemsFound) as caught:
        read_runbook("rb.yaml")
    assert [str(p) for p in caught.value.problems] == ["rb.yaml:10:10: portmap 'rooms.csv' is not a regular file"]
