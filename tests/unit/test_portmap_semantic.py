"""The port map against the rest of the runbook: an inline list read like the CSV, problems pointing into
the YAML, and the snapshot and jacks checks held to the map they read (a baseline that is a snapshot,
labels and old devices that exist, a device that can read its MAC table on a transport it has)."""

from __future__ import annotations

import textwrap

import pytest

from golive.problems import ProblemsFound
from golive.runbook.jsonschema import runbook_schema
from golive.runbook.load import parse_runbook

HEAD = textwrap.dedent(
    """\
    runbook:
      id: idf
      title: IDF 2B switch swap
      version: 1
      window: {start: "2026-12-05T22:00-05:00", end: "2026-12-06T02:00-05:00"}
    roles: {net: Network engineer}
    inventory:
      old: {host: 192.0.2.10, platform: hp_comware, credentials: env:X, ports: GE1/0/1-48}
      new: {host: 192.0.2.11, platform: cisco_ios, credentials: env:X, ports: Gi1/0/1-48}
      mx: {host: 192.0.2.12, platform: juniper_junos, credentials: env:X}
    """
)
MAP = textwrap.dedent(
    """\
    portmap:
      - {jack: 2-230-A, old_device: old, old_port: GE1/0/10, new_device: new, new_port: Gi1/0/10, critical: true}
      - {jack: 2-207-B, old_device: old, old_port: GE1/0/17, new_device: new, new_port: Gi1/0/17, mac: 001B.4411.3AB7}
    """
)


def runbook(checks: str, portmap: str = MAP) -> str:
    return (
        HEAD
        + portmap
        + textwrap.dedent(
            f"""\
        phases:
          - id: cut
            title: Cut
            tasks:
              - id: patch
                title: Re-patch
                owner: net
                duration: 30m
                checks: {checks}
        """
        )
    )


def problems(text: str) -> list[str]:
    with pytest.raises(ProblemsFound) as caught:
        parse_runbook(text, "rb.yaml")
    return [str(p) for p in caught.value.problems]


def test_an_inline_list_loads_as_the_port_map() -> None:
    portmap = parse_runbook(runbook("[{kind: snapshot, id: before}, {kind: jacks}]"), "rb.yaml").runbook.portmap
    assert portmap is not None and portmap.file is None
    assert [j.jack for j in portmap.jacks] == ["2-230-A", "2-207-B"]
    assert portmap.jacks[1].mac == "00:1b:44:11:3a:b7" and portmap.jacks[0].critical


def test_inline_problems_point_into_the_yaml() -> None:
    bad = textwrap.dedent(
        """\
        portmap:
          - {jack: 2-230-A, old_device: old, old_port: GE1/0/10, new_device: new, new_port: Gi1/0/99}
          - {jack: 2-230-A, old_port: GE1/0/11, new_device: nwe, new_port: Gi1/0/11, vlan: 5000, colour: red}
        """
    )
    assert problems(runbook("[]", bad)) == [
        "rb.yaml:12:85: new_port 'Gi1/0/99' is not a port of new",
        "rb.yaml:13:5: old_port 'GE1/0/11' has no old_device (merged cells in Excel export as blanks: write the "
        "device on every row)",
        "rb.yaml:13:12: duplicate jack '2-230-A' (first at line 12)",
        "rb.yaml:13:53: new_device 'nwe' is not in the inventory (did you mean new?)",
        "rb.yaml:13:84: vlan: input should be less than or equal to 4094, got 5000",
        "rb.yaml:13:90: unknown key 'colour'",
    ]


def test_the_mapping_form_still_reads() -> None:
    form = "portmap:\n  jacks:\n    - {jack: 2-230-A, new_device: new, new_port: Gi1/0/10, mac: '00:1b:44:*'}\n"
    portmap = parse_runbook(runbook("[{kind: jacks}]", form), "rb.yaml").runbook.portmap
    assert portmap is not None and portmap.jacks[0].mac == "00:1b:44"


def test_map_checks_need_a_port_map() -> None:
    assert problems(runbook("[{kind: snapshot}, {kind: jacks}]", "")) == [
        "rb.yaml:19:25: a snapshot check reads the port map, and this runbook names no portmap",
        "rb.yaml:19:43: a jacks check reads the port map, and this runbook names no portmap",
    ]


def test_the_baseline_must_be_a_snapshot_check() -> None:
    checks = (
        "[{kind: snapshot, id: before}, {kind: tcp, id: web, host: 192.0.2.1, port: 443},"
        " {kind: jacks, baseline: web}, {kind: jacks, baseline: befor}]"
    )
    assert problems(runbook(checks)) == [
        "rb.yaml:22:122: baseline 'web' is a tcp check, not a snapshot check",
        "rb.yaml:22:152: baseline names unknown check 'befor' (did you mean before?)",
    ]


def test_two_snapshots_need_a_named_baseline_and_none_needs_macs() -> None:
    two = "[{kind: snapshot, id: a}, {kind: snapshot, id: b}, {kind: jacks}]"
    assert problems(runbook(two)) == [
        "rb.yaml:22:68: the runbook has 2 snapshot checks: say which with baseline: (a, b)"
    ]
    assert problems(runbook("[{kind: jacks}]")) == [
        "rb.yaml:22:18: no snapshot check to compare with: add a kind: snapshot check before the cut, or give "
        "every jack a mac (1 with an old port have none, e.g. '2-230-A')"
    ]
    parse_runbook(runbook("[{kind: jacks, jacks: [2-207-B]}]"), "rb.yaml")  # its one jack has a mac
    new_build = "portmap:\n  - {jack: 2-230-A, new_device: new, new_port: Gi1/0/10}\n"
    parse_runbook(runbook("[{kind: jacks}]", new_build), "rb.yaml")  # nothing to prove it by: "not seen"


def test_labels_and_devices_a_check_names_must_be_in_the_map() -> None:
    checks = "[{kind: snapshot, devices: [new]}, {kind: jacks, jacks: [2-230-A, 2-203-A]}]"
    assert problems(runbook(checks)) == [
        "rb.yaml:22:45: 'new' is not an old_device of the port map",
        "rb.yaml:22:83: jack '2-203-A' is not in the port map (did you mean 2-230-A?)",
    ]


def test_a_device_must_read_its_mac_table_on_a_transport_it_has() -> None:
    on_mx = "portmap:\n  - {jack: 2-230-A, old_device: mx, old_port: ge-0/0/1, new_device: new, new_port: Gi1/0/10}\n"
    assert problems(runbook("[{kind: snapshot}, {kind: jacks}]", on_mx)) == [
        "rb.yaml:12:33: mx cannot read a MAC table for the port map: mac checks are not supported on juniper_junos "
        "over ssh (give the device snmp: settings and use via: snmp)"
    ]
    assert problems(runbook("[{kind: snapshot}, {kind: jacks, via: snmp}]")) == [
        "rb.yaml:22:55: new cannot read its MAC table via snmp: via: snmp, but the device has no snmp: settings in "
        "the inventory",
        "rb.yaml:22:55: old cannot read its MAC table via snmp: via: snmp, but the device has no snmp: settings in "
        "the inventory",
    ]


def test_a_device_ports_spec_is_checked() -> None:
    text = runbook("[]").replace("ports: Gi1/0/1-48", "ports: Gi1/0/48-1")
    assert problems(text) == ["rb.yaml:9:75: malformed port range 'Gi1/0/48-1': it runs backwards (48 > 1)"]


def test_the_json_schema_says_a_file_name_or_a_list_of_jacks() -> None:
    schema = runbook_schema()
    kinds = [alt.get("type") for alt in schema["properties"]["portmap"]["anyOf"]]
    assert kinds == ["string", "array", "null"]
    assert "PortMap" not in schema["$defs"] and "line" not in schema["$defs"]["Jack"]["properties"]
    assert "ports" in schema["$defs"]["Device"]["properties"]


@pytest.mark.parametrize(("written", "got"), [("5", "5"), ("[]", "an empty list"), ("true", "true")])
def test_a_portmap_that_is_neither_a_file_nor_jacks_is_one_line(written: str, got: str) -> None:
    text = runbook("[{kind: snapshot}, {kind: jacks}]", f"portmap: {written}\n")
    assert problems(text) == [f"rb.yaml:11:10: portmap: name a CSV beside the runbook or list the jacks, got {got}"]


def test_a_numeric_jack_label_is_a_label() -> None:
    text = runbook("[{kind: jacks}]", "portmap:\n  - {jack: 101, new_device: new, new_port: Gi1/0/1, mac: 001b44}\n")
    portmap = parse_runbook(text, "rb.yaml").runbook.portmap
    assert portmap is not None and portmap.jacks[0].jack == "101"
