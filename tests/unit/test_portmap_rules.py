"""`golive portmap draft`'s pure parts: the port mapping rules and the rows drafted from one device's tables."""

from __future__ import annotations

import csv
import io

import pytest

from golive.checks.portmap.tables import DeviceTables, MacRow
from golive.export.portmap_draft import EDIT_LABEL, HEADER, csv_text, draft_rows
from golive.export.portmap_rules import MappedPort, RuleError, Rules, is_physical, map_port, parse_rules


@pytest.mark.parametrize(
    ("old", "old_platform", "new_platform", "new"),
    [
        ("GE1/0/10", "hp_comware", "cisco_ios", "Gi1/0/10"),
        ("GigabitEthernet1/0/10", "hp_comware", "cisco_ios", "Gi1/0/10"),
        ("XGE1/0/49", "hp_comware", "cisco_xe", "Te1/0/49"),
        ("Ten-GigabitEthernet1/0/50", "hp_comware", "cisco_ios", "Te1/0/50"),
        ("FGE1/0/53", "hp_comware", "cisco_ios", "Fo1/0/53"),
        ("Ethernet1/0/3", "hp_comware", "cisco_ios", "Fa1/0/3"),  # Comware's plain Ethernet is 100 Mb/s
        ("Gi1/0/7", "cisco_ios", "hp_comware", "GE1/0/7"),
        ("TenGigabitEthernet1/1/1", "cisco_ios", "hp_comware", "XGE1/1/1"),
        ("Fa0/5", "cisco_ios", "hp_comware", "Eth0/5"),
        ("Tw1/0/2", "cisco_xe", "cisco_ios", "Tw1/0/2"),
        ("Gi1/0/7", "cisco_ios", "cisco_nxos", "Eth1/0/7"),
        ("Gi1/0/7", "cisco_ios", "arista_eos", "Et1/0/7"),
        ("GE1/0/7", "hp_comware", "aruba_aoscx", "1/0/7"),
        ("ge-0/0/3", "juniper_junos", "cisco_ios", "Gi0/0/3"),
        ("Gi0/0/3", "cisco_ios", "juniper_junos", "ge-0/0/3"),
    ],
)
def test_same_numbering_respells_the_type_for_the_same_speed(
    old: str, old_platform: str, new_platform: str, new: str
) -> None:
    assert map_port(old, old_platform, new_platform, parse_rules(["same"])) == MappedPort(new, "")


def test_a_name_with_no_speed_maps_to_gigabit_with_a_note() -> None:
    mapped = map_port("Ethernet1/12", "cisco_nxos", "cisco_ios", Rules())
    assert mapped.port == "Gi1/12"
    assert "gives no speed" in mapped.note
    aoscx = map_port("1/1/12", "aruba_aoscx", "hp_comware", Rules())
    assert aoscx.port == "GE1/1/12" and "gives no speed" in aoscx.note


def test_a_speed_the_new_platform_does_not_spell_is_assumed_gigabit_with_a_note() -> None:
    mapped = map_port("Tw1/0/2", "cisco_xe", "hp_comware", Rules())
    assert mapped.port == "GE1/0/2"
    assert "no 2.5g port type" in mapped.note


def test_a_platform_golive_does_not_spell_keeps_the_old_type_with_a_note() -> None:
    mapped = map_port("GigabitEthernet1/0/4", "cisco_ios", "extreme_exos", Rules())
    assert mapped.port == "Gi1/0/4"
    assert "check extreme_exos's port names" in mapped.note


def test_offset_shifts_the_port_number() -> None:
    rules = parse_rules(["offset:24"])
    assert map_port("GE1/0/10", "hp_comware", "cisco_ios", rules).port == "Gi1/0/34"
    down = parse_rules(["offset:-8"])
    assert map_port("Gi1/0/10", "cisco_ios", "cisco_ios", down).port == "Gi1/0/2"
    below = map_port("Gi1/0/3", "cisco_ios", "cisco_ios", down)
    assert below.port is None and "below the first port" in below.note


def test_member_moves_one_stack_member_and_leaves_the_others() -> None:
    rules = parse_rules(["member:1=3"])
    assert map_port("GE1/0/10", "hp_comware", "cisco_ios", rules).port == "Gi3/0/10"
    assert map_port("GE2/0/10", "hp_comware", "cisco_ios", rules).port == "Gi2/0/10"


def test_member_rules_apply_at_once_so_two_members_can_swap() -> None:
    rules = parse_rules(["member:1=2", "member:2=1"])
    assert map_port("Gi1/0/5", "cisco_ios", "cisco_ios", rules).port == "Gi2/0/5"
    assert map_port("Gi2/0/5", "cisco_ios", "cisco_ios", rules).port == "Gi1/0/5"


def test_rules_compose_member_then_offset() -> None:
    rules = parse_rules(["member:1=3", "offset:2", "same", "offset:1"])
    assert rules == Rules(offset=3, members={1: 3})
    assert map_port("GE1/0/10", "hp_comware", "cisco_ios", rules).port == "Gi3/0/13"
    assert rules.describe() == "member:1=3 offset:+3"


def test_member_rule_on_a_port_with_no_member_number_is_noted() -> None:
    mapped = map_port("Ethernet7", "arista_eos", "arista_eos", parse_rules(["member:1=2"]))
    assert mapped.port == "Et7" and "no stack member" in mapped.note


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("offset:x", "offset:N"),
        ("offset", "offset:N"),
        ("member:1", "member:A=B"),
        ("member:a=2", "member:A=B"),
        ("swap", "unknown rule"),
        ("same:1", "unknown rule"),
    ],
)
def test_a_bad_rule_says_how_to_write_it(text: str, words: str) -> None:
    with pytest.raises(RuleError, match=words):
        parse_rules([text])


def test_conflicting_member_rules_are_refused() -> None:
    with pytest.raises(RuleError, match="already mapped"):
        parse_rules(["member:1=3", "member:1=4"])
    with pytest.raises(RuleError, match="two stack members are mapped to member 3"):
        parse_rules(["member:1=3", "member:2=3"])


@pytest.mark.parametrize(
    ("name", "platform", "physical"),
    [
        ("GE1/0/1", "hp_comware", True),
        ("Vlan-interface120", "hp_comware", False),
        ("Bridge-Aggregation1", "hp_comware", False),
        ("M-GigabitEthernet0/0/0", "hp_comware", False),
        ("Port-channel1", "cisco_ios", False),
        ("Vlan1", "cisco_ios", False),
        ("AppGigabitEthernet1/0/1", "cisco_xe", False),
        ("Gi1/0/1.100", "cisco_ios", False),
        ("1/1/1", "aruba_aoscx", True),
        ("Ethernet1/1", "cisco_nxos", True),
        ("mgmt0", "cisco_nxos", False),
    ],
)
def test_only_front_panel_ports_are_physical(name: str, platform: str, physical: bool) -> None:
    assert is_physical(name, platform) is physical


def _tables() -> DeviceTables:
    return DeviceTables(
        device="idf2b-old",
        transport="ssh",
        ports={
            "gi1/0/1": {
                "port": "GigabitEthernet1/0/1",
                "mode": "access",
                "access": 120,
                "voice": 121,
                "description": "2-207-B",
                "neighbor": {"name": "SEP001122334455", "caps": ["bridge", "phone"]},
                "poe": {"powered": True, "watts": 5.1},
            },
            "gi1/0/2": {
                "port": "GigabitEthernet1/0/2",
                "mode": "access",
                "access": 120,
                "description": "GigabitEthernet1/0/2 Interface",
            },
            "gi1/0/3": {"port": "GigabitEthernet1/0/3", "mode": "access", "access": 120},  # nothing on it
            "gi1/0/4": {
                "port": "GigabitEthernet1/0/4",
                "mode": "access",
                "access": 130,
                "neighbor": {"name": "ap-2-east", "caps": ["ap"]},
                "poe": {"powered": True},
            },
            "gi1/0/10": {
                "port": "GigabitEthernet1/0/10",
                "mode": "access",
                "access": 120,
                "description": '=HYPERLINK("http://x")',
            },
            "gi1/0/11": {"port": "GigabitEthernet1/0/11", "mode": "access", "access": 120, "description": "spare"},
            "gi1/0/12": {"port": "GigabitEthernet1/0/12", "mode": "access", "access": 120, "description": "spare"},
            "te1/0/49": {
                "port": "Ten-GigabitEthernet1/0/49",
                "mode": "trunk",
                "neighbor": {"name": "core1", "caps": ["bridge", "router"]},
            },
            "vl120": {"port": "Vlan-interface120"},
        },
        macs=[
            MacRow("00:11:22:33:44:55", 121, "GE1/0/1"),
            MacRow("02:00:00:00:00:01", 120, "GE1/0/1"),
            MacRow("02:00:00:00:00:02", 120, "GE1/0/2"),
            MacRow("02:00:00:00:00:10", 120, "GE1/0/10"),
            MacRow("02:00:00:00:00:11", 120, "GE1/0/11"),
            MacRow("02:00:00:00:00:12", 120, "GE1/0/12"),
            MacRow("02:00:00:00:00:20", 120, "GE1/0/20"),  # in the MAC table only (its port not read)
            *(MacRow(f"02:00:00:00:01:{n:02x}", 120, "XGE1/0/49") for n in range(30)),
            MacRow("02:00:00:00:02:01", 120, "Vlan-interface120"),
        ],
    )


def test_draft_rows_from_one_device() -> None:
    draft = draft_rows(
        _tables(), old_platform="hp_comware", new_device="idf2b-new", new_platform="cisco_ios",
        rules=parse_rules(["member:1=3"]),
    )  # fmt: skip
    by_port = {row.old_port: row for row in draft.rows}
    assert list(by_port) == ["GE1/0/1", "GE1/0/2", "GE1/0/4", "GE1/0/10", "GE1/0/11", "GE1/0/12", "GE1/0/20"]
    assert draft.uplinks == ["Ten-GigabitEthernet1/0/49"]
    phone = by_port["GE1/0/1"]
    assert (phone.jack, phone.new_port, phone.endpoint, phone.kind) == (
        "2-207-B",
        "Gi3/0/1",
        "SEP001122334455",
        "phone",
    )
    assert (phone.vlan, phone.voice_vlan, phone.mac, phone.needs_label) == (120, 121, "", False)
    pc = by_port["GE1/0/2"]  # Comware's default description is no label
    assert (pc.jack, pc.mac, pc.needs_label, pc.notes[0]) == (
        "idf2b-old-GE1/0/2",
        "02:00:00:00:00:02",
        True,
        EDIT_LABEL,
    )
    ap = by_port["GE1/0/4"]
    assert (ap.kind, ap.endpoint, ap.vlan) == ("ap", "ap-2-east", 130)
    assert "no MAC learned" in ap.notes[-1]
    spares = [by_port["GE1/0/11"].jack, by_port["GE1/0/12"].jack]
    assert spares == ["spare (GE1/0/11)", "spare (GE1/0/12)"]
    assert draft.need_label == 5  # GE1/0/2, GE1/0/4, GE1/0/20 and the two spares
    assert draft.need_port == 0


def test_only_the_ports_asked_are_drafted() -> None:
    draft = draft_rows(
        _tables(), old_platform="hp_comware", new_device="idf2b-new", new_platform="cisco_ios", rules=Rules(),
        only={"gi1/0/1", "gi1/0/2", "gi1/0/3"},
    )  # fmt: skip
    assert [row.new_port for row in draft.rows] == ["Gi1/0/1", "Gi1/0/2"]


def test_csv_has_the_readers_header_and_guards_formulas() -> None:
    draft = draft_rows(
        _tables(), old_platform="hp_comware", new_device="idf2b-new", new_platform="cisco_ios", rules=Rules()
    )
    text = csv_text(draft)
    assert text.startswith("\ufeffjack,old_device,old_port,")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert tuple(rows[0]) == HEADER
    formula = next(row for row in rows if row[2] == "GE1/0/10")
    assert formula[0] == '\'=HYPERLINK("http://x")'
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows[1:] for cell in row)
    assert {row[7] for row in rows[1:]} == {"false"}


def test_control_characters_in_a_description_never_reach_the_csv() -> None:
    tables = DeviceTables(
        device="sw1", transport="ssh",
        ports={"gi1/0/1": {"port": "Gi1/0/1", "description": "room\x1b[31m 5", "neighbor": {"name": "x\ny"}}},
    )  # fmt: skip
    draft = draft_rows(tables, old_platform="cisco_ios", new_device="sw2", new_platform="cisco_ios", rules=Rules())
    assert draft.rows[0].jack == "room\\u001b[31m 5"
    assert draft.rows[0].endpoint == "x y"


def test_every_drafted_row_is_a_valid_jack_of_a_port_map() -> None:
    from golive.runbook.portmap import Jack, PortMap

    draft = draft_rows(
        _tables(), old_platform="hp_comware", new_device="idf2b-new", new_platform="cisco_ios", rules=Rules()
    )
    jacks = []
    for row in draft.rows:
        cells = dict(zip(HEADER, row.values(), strict=True))
        cells.pop("notes")
        values = {key: value for key, value in cells.items() if value}
        values["critical"] = values["critical"] == "true"
        jacks.append(Jack.model_validate(values))
    by_label = PortMap(jacks=jacks).by_label()
    assert len(by_label) == len(draft.rows)  # labels unique
    assert by_label["2-207-B"].new == ("idf2b-new", "Gi1/0/1")


@pytest.mark.parametrize(
    ("neighbor", "kind"),
    [
        ({"name": "x", "caps": ["bridge", "phone"]}, "phone"),
        ({"name": "x", "caps": ["ap", "bridge"]}, "ap"),
        ({"name": "SEP020CCDDAF455", "caps": ["station"]}, None),  # capabilities say: not a phone
        ({"name": "SEP020CCDDAF455"}, "phone"),  # Comware over SSH: no capabilities read, a Cisco phone's name
        ({"name": "desk-7", "platform": "Cisco IP Phone 8845"}, "phone"),
        ({"name": "x", "platform": "Cisco AP Software, C9120AXI-B, Version 17.9.4"}, "ap"),
        ({"name": "AP-2-203-C"}, "ap"),
        ({"name": "idf2-ap01"}, "ap"),
        ({"name": "laptop-12"}, None),
        ({"name": "apple-tv"}, None),
    ],
)
def test_kind_from_capabilities_else_from_what_the_neighbor_calls_itself(
    neighbor: dict[str, object], kind: str | None
) -> None:
    tables = DeviceTables(device="sw1", transport="ssh", ports={"gi1/0/1": {"port": "Gi1/0/1", "neighbor": neighbor}})  # type: ignore[typeddict-item]
    (row,) = draft_rows(
        tables, old_platform="cisco_ios", new_device="sw2", new_platform="cisco_ios", rules=Rules()
    ).rows
    assert (row.kind or None) == kind


def test_a_phones_voice_vlan_comes_from_its_mac_when_the_switch_does_not_say() -> None:
    port = {"port": "GE1/0/1", "mode": "access", "access": 120, "neighbor": {"name": "SEP020CCDDAF455"}}
    macs = [MacRow("02:0c:cd:da:f4:55", 121, "GE1/0/1"), MacRow("06:74:e2:73:f3:54", 120, "GE1/0/1")]
    tables = DeviceTables(device="old", transport="ssh", ports={"gi1/0/1": port}, macs=macs)  # type: ignore[dict-item]
    (row,) = draft_rows(
        tables, old_platform="hp_comware", new_device="new", new_platform="cisco_ios", rules=Rules()
    ).rows
    assert (row.kind, row.vlan, row.voice_vlan) == ("phone", 120, 121)
    assert "voice VLAN from the phone's MAC" in "; ".join(row.notes)
