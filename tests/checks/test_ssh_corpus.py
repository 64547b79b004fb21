"""golive's SSH checks on real switches' answers: captures from ntc-templates' test data, served by FakeNOS.

Each capture under tests/corpus/ssh (README.md there: source, commit, licence) is what a real
device printed. The expectations below were written by reading those captures, not by running
golive: every one must pass. Each has a twin with one thing wrong, which must fail, and say why
(the text it must contain). Some twins stand alone: a check that must not pass on the capture
(a switch's own MAC in its table is not a learned MAC).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from golive.checks.engine import Engine
from golive.checks.plan import items_for
from golive.checks.results import CheckResult, Status
from golive.runbook.load import parse_runbook

from .capture_peer import capture, serve

IOS, NXOS, EOS, COMWARE, CX = "cisco_ios", "cisco_nxos", "arista_eos", "hp_comware", "aruba_aoscx"

# device -> (platform, command -> capture file)
DEVICES: dict[str, tuple[str, dict[str, str]]] = {
    "ios": (IOS, {
        "show interfaces status": "cisco_ios_show_interfaces_status.raw",
        "show interfaces switchport": "cisco_ios_show_interfaces_switchport4.raw",
        "show power inline": "cisco_ios_show_power_inline.raw",
        "show cdp neighbors detail": "cisco_ios_show_cdp_neighbors_detail2.raw",
        "show lldp neighbors detail": "cisco_ios_show_lldp_neighbors_detail3.raw",
        "show mac address-table": "cisco_ios_show_mac-address-table2.raw",
        "show interfaces": "cisco_ios_show_interfaces3.raw",
        "show spanning-tree": "cisco_ios_show_spanning_tree.raw",
    }),
    "ios2": (IOS, {
        "show interfaces switchport": "cisco_ios_show_interfaces_switchport.raw",
        "show cdp neighbors detail": "cisco_ios_show_cdp_neighbors_detail.raw",
        "show mac address-table": "cisco_ios_show_mac-address-table4.raw",
    }),
    "xe": ("cisco_xe", {
        "show lldp neighbors detail": "cisco_ios_show_lldp_neighbors_detail_02.raw",
    }),
    "nxos": (NXOS, {
        "show interface status": "cisco_nxos_show_interface_status5.raw",
        "show interface switchport": "cisco_nxos_show_interface_switchport.raw",
        "show cdp neighbors detail": "cisco_nxos_show_cdp_neighbors_detail2.raw",
        "show lldp neighbors detail": "cisco_nxos_show_lldp_neighbors_detail2.raw",
        "show mac address-table": "cisco_nxos_show_mac_address-table.raw",
        "show interface": "cisco_nxos_show_interface8.raw",
    }),
    "nxos2": (NXOS, {
        "show interface status": "cisco_nxos_show_interface_status4.raw",
        "show interface": "cisco_nxos_show_interface.raw",
        "show cdp neighbors detail": "cisco_nxos_show_cdp_neighbors_detail1.raw",
    }),
    "eos": (EOS, {
        "show interfaces status": "arista_eos_show_interfaces_status.raw",
        "show vlan": "arista_eos_show_vlan.raw",
        "show lldp neighbors detail": "arista_eos_show_lldp_neighbors_detail.raw",
        "show mac address-table": "arista_eos_show_mac_address-table.raw",
    }),
    "comware": (COMWARE, {
        "display interface brief": "hp_comware_display_interface_brief_release_9119P17.raw",
        "display lldp neighbor-information verbose": "hp_comware_display_lldp_neighbor-information_verbose.raw",
        "display mac-address": "hp_comware_display_mac-address.raw",
        # the capture does not say its direction: served for both
        "display counters inbound interface": "hp_comware_display_counters_bound_interface.raw",
        "display counters outbound interface": "hp_comware_display_counters_bound_interface.raw",
    }),
    "comware2": (COMWARE, {"display interface brief": "hp_comware_display_interface_brief_fullauto.raw"}),
    "cx": (CX, {
        "show interface": "show_interface2.raw",
        "show lldp neighbors-info detail": "show_lldp_neighbors-info_detail.raw",
        "show mac-address-table": "show_mac-address-table.raw",
    }),
}  # fmt: skip


@dataclass(frozen=True)
class Case:
    """A check (right: must pass) and its twin's expectation (wrong: must fail, its reason containing `why`)."""

    check: dict[str, Any]
    wrong: dict[str, Any] | None
    why: str = ""
    right: bool = True  # False: only the twin (the check must not pass on this capture)


def c(device: str, kind: str, where: dict[str, Any], expect: dict[str, Any], wrong: dict[str, Any], why: str) -> Case:
    return Case({"kind": kind, "via": "ssh", "device": device, **where, "expect": expect}, wrong, why)


P = "port"
CASES: list[Case] = [
    # IOS `show interfaces status`: the words the device prints, copied into a runbook, mean what they say
    c("ios", "port", {P: "Gi1/0/2"}, {"status": "connected", "vlan": 8, "speed": "1G", "duplex": "full",
      "description": "AccessPoint"}, {"status": "notconnect"}, "Gi1/0/2 connected"),
    c("ios", "port", {P: "Gi1/0/1"}, {"status": "notconnect", "speed": "auto", "duplex": "auto", "vlan": 1},
      {"status": "connected"}, "Gi1/0/1 notconnect"),
    c("ios", "port", {P: "GigabitEthernet1/0/4"}, {"speed": "100M", "duplex": "full"}, {"speed": "1G"}, "100M"),
    c("ios", "port", {P: "Gi1/0/11"}, {"duplex": "half"}, {"duplex": "full"}, "half"),
    c("ios", "port", {P: "Gi1/0/16"}, {"status": "err-disabled"}, {"status": "up"}, "err-disabled"),
    c("ios", "port", {P: "Gi1/0/17"}, {"status": "disabled"}, {"status": "connected"}, "disabled"),
    c("ios", "port", {P: "Gi1/0/18"}, {"status": "monitoring"}, {"status": "connected"}, "monitoring"),
    c("ios", "port", {P: "Gi1/0/7"}, {"status": "suspended"}, {"status": "connected"}, "suspended"),
    c("ios", "state", {P: "Gi1/0/16"}, {"err_disabled": True}, {"err_disabled": False}, "err_disabled"),
    # IOS `show interfaces switchport`: DTP ports by their operational mode; Wlan-GigabitEthernet is Wl
    c("ios", "vlan", {P: "Wlan-GigabitEthernet0/1/4"}, {"mode": "access", "access": 41}, {"mode": "trunk"},
      "access"),
    c("ios", "vlan", {P: "Wl0/1/4"}, {"mode": "access"}, {"mode": "dynamic auto"}, "access"),
    c("ios", "vlan", {P: "Gi0/1/3"}, {"access": 1}, {"access": 41}, "access"),
    # IOS `show power inline`
    c("ios", "poe", {P: "Gi1/0/1"}, {"powered": True, "watts": 30.0, "class": 4}, {"powered": False}, "powered"),
    c("ios", "poe", {P: "Gi1/0/4"}, {"powered": False}, {"powered": True}, "powered"),
    c("ios", "poe", {P: "Gi1/0/5"}, {"powered": False}, {"powered": True}, "powered"),
    c("ios", "poe", {P: "Gi1/0/10"}, {"watts": {"ge": 20, "le": 25}}, {"watts": {"ge": 25}}, "23.2"),
    # IOS CDP and LLDP: the neighbor's port is its port id, not its description
    c("ios", "neighbor", {"protocol": "cdp", P: "Gi0/3"}, {"device": "switchxxxxx", "port": "Gi0/8",
      "platform": {"contains": "WS-C3560X-24P"}}, {"port": "Gi0/3"}, "GigabitEthernet0/8"),
    c("ios", "neighbor", {"protocol": "lldp", P: "Gi0/1/7"}, {"device": "SEPC8F9F9D61BC2",
      "port": "C8F9F9D61BC2:P1"}, {"device": "SEP000000000000"}, "SEPC8F9F9D61BC2"),
    c("xe", "neighbor", {"protocol": "lldp", P: "Ethernet0/0"}, {"device": "SW-MGMT.cisco.com", "port": "Et0/1"},
      {"port": "Et0/2"}, "Et0/1"),
    # IOS MAC table: a MAC in two VLANs is two entries, each judged; the switch's own (Router) is not learned
    Case({"kind": "mac", "via": "ssh", "device": "ios", "mac": "30a3.30a3.5a22",
          "expect": {"vlan": 2000, "port": "Te3/20"}}, {"vlan": 3000}, "3000"),
    c("ios", "mac", {P: "Te1/30"}, {"mac": "30a3.30a3.a1c3", "vlan": 666}, {"vlan": 60}, "666"),
    c("ios", "mac", {P: "Po6"}, {"count": 2}, {"count": 1}, "count"),
    Case({"kind": "mac", "via": "ssh", "device": "ios", "mac": "0000.30a3.0167", "expect": {"count": {"ge": 1}}}, {}, "not learned",
         right=False),
    c("ios2", "vlan", {P: "Gi0/1"}, {"mode": "trunk", "trunk_allowed": "ALL"}, {"mode": "access"}, "trunk"),
    c("ios2", "vlan", {P: "Gi0/2"}, {"mode": "access", "access": 100, "voice": "none"}, {"access": 101}, "100"),
    c("ios2", "neighbor", {"protocol": "cdp", P: "Gi1/0/19"}, {"device": "server", "port": "eth0",
      "platform": "VMware"}, {"device": "desktop-switch"}, "server"),
    Case({"kind": "mac", "via": "ssh", "device": "ios2", "mac": "30a3.30a3.a1cd",
          "expect": {"port": "Po6", "vlan": 2000}}, {"port": "Vl99"}, "Po6"),
    c("ios2", "mac", {P: "Te1/1/3"}, {"count": 5}, {"count": 4}, "count 5"),
    # the switch's own MAC on its VLAN 99 interface (STATIC Vl99) is not a learned MAC
    Case({"kind": "mac", "via": "ssh", "device": "ios2", "mac": "30a3.30a3.a1cc", "expect": {"count": {"ge": 1}}},
         {}, "not learned", right=False),
    # IOS `show interfaces`: errors, CRC and the input/output drops (discards)
    c("ios", "errors", {P: "Fa0/1/0"}, {"input": 0, "crc": 0, "output": 0, "discards": 0, "out_discards": 1063},
      {"out_discards": 0}, "1063"),
    # IOS `show spanning-tree`: blocking in every VLAN is blocking
    c("ios", "state", {P: "Gi1/0"}, {"stp": "blocking"}, {"stp": "forwarding"}, "blocking"),
    c("ios", "state", {P: "Gi0/3"}, {"stp": "FWD"}, {"stp": "blocking"}, "forwarding"),
    # NX-OS `show interface status`: truncated words (notconnec, xcvrAbsen) and sfpAbsent
    c("nxos", "port", {P: "Eth1/35"}, {"status": "sfpAbsent"}, {"status": "up"}, "sfpAbsent"),
    c("nxos", "port", {P: "Eth105/1/1"}, {"status": "notconnect"}, {"status": "connected"}, "notconnec"),
    c("nxos", "port", {P: "Ethernet1/1"}, {"status": "up", "speed": "10G", "duplex": "full"}, {"speed": "1G"},
      "10G"),
    c("nxos", "port", {P: "Eth101/1/1"}, {"speed": "1G", "vlan": 101}, {"vlan": 102}, "101"),
    c("nxos2", "port", {P: "Eth1/3"}, {"status": "xcvrAbsen"}, {"status": "up"}, "xcvrAbsen"),
    c("nxos2", "port", {P: "Eth1/1"}, {"status": "disabled"}, {"status": "up"}, "disabled"),
    c("nxos2", "port", {P: "mgmt0"}, {"status": "connected", "speed": "100M"}, {"speed": "1G"}, "100M"),
    c("nxos2", "errors", {P: "Ethernet1/1"}, {"input": 0, "crc": 0, "output": 0, "discards": 0}, {"crc": 1}, "crc 0"),
    c("nxos2", "neighbor", {"protocol": "cdp", P: "Eth1/1"}, {"device": "DC3TESTW01-55", "port": "Eth1/31",
      "platform": {"contains": "N5K-C5548UP"}}, {"port": "Eth1/1"}, "Ethernet1/31"),
    # NX-OS switchport, CDP (a Device ID and no System Name), LLDP, MAC (a gateway entry is not learned)
    c("nxos", "vlan", {P: "Ethernet1/1"}, {"mode": "access", "access": 3}, {"mode": "trunk"}, "access"),
    c("nxos", "vlan", {P: "Ethernet1/2"}, {"mode": "trunk", "native": 5}, {"native": 1}, "5"),
    c("nxos", "neighbor", {"protocol": "cdp", P: "Ethernet1/1"}, {"device": "MKT1", "port": "ether1"},
      {"device": "MKT2"}, "MKT1"),
    c("nxos", "neighbor", {"protocol": "lldp", P: "Eth1/52"}, {"device": "SW-NEXUS", "port": "Ethernet1/52"},
      {"device": "SW-NEXUS-2"}, "SW-NEXUS"),
    c("nxos", "neighbor", {"protocol": "lldp", P: "Eth101/1/10"}, {"device": "pure-storage"}, {"device": "x"},
      "pure-storage"),
    Case({"kind": "mac", "via": "ssh", "device": "nxos", "mac": "000e.000e.000e",
          "expect": {"port": "Po10", "vlan": 145}}, {"vlan": 100}, "145"),
    Case({"kind": "mac", "via": "ssh", "device": "nxos", "mac": "5087.89a1.de75", "expect": {"count": {"ge": 1}}}, {}, "not learned",
         right=False),
    c("nxos", "errors", {P: "port-channel5"}, {"input": 0, "discards": 10586}, {"discards": 0}, "10586"),
    # EOS
    c("eos", "port", {P: "Et3/1/1"}, {"status": "up", "speed": "40G", "duplex": "full",
      "description": "I am a 40G port !! Hi"}, {"speed": "10G"}, "40G"),
    c("eos", "port", {P: "Ethernet3/1/4"}, {"status": "inactive"}, {"status": "up"}, "inactive"),
    c("eos", "port", {P: "Et3/2/2"}, {"status": "errdisabled"}, {"status": "up"}, "errdisabled"),
    c("eos", "port", {P: "Et3/2/1"}, {"status": "down"}, {"status": "up"}, "notconnect"),
    c("eos", "vlan", {P: "Et2"}, {"access": 10}, {"access": 20}, "10"),
    c("eos", "neighbor", {"protocol": "lldp", P: "Ethernet1"}, {"device": "spine2.company.com", "port": "Ethernet1"},
      {"device": "spine1.company.com"}, "spine2"),
    c("eos", "neighbor", {"protocol": "lldp", P: "Management1"}, {"device": "test-host.domain.com"},
      {"port": "Ethernet1"}, "Management1"),
    c("eos", "mac", {P: "Et11"}, {"mac": "001c.822b.033e", "vlan": 3912}, {"vlan": 3913}, "3912"),
    Case({"kind": "mac", "via": "ssh", "device": "eos", "mac": "001c.822b.033e",
          "expect": {"port": "Po1", "vlan": 3913}}, {"port": "Et11", "vlan": 3000}, "3000"),
    # Comware: its legend's A (auto) duplex, M-GigabitEthernet and Ten-GigabitEthernet (XGE)
    c("comware", "port", {P: "GigabitEthernet0/0/3"}, {"status": "up", "speed": "1G", "duplex": "full", "vlan": 1},
      {"duplex": "half"}, "full"),
    c("comware", "port", {P: "GE0/0/2"}, {"status": "down", "duplex": "auto", "speed": "auto"}, {"duplex": "full"},
      "auto"),
    c("comware", "vlan", {P: "GE0/0/3"}, {"mode": "access", "access": 1}, {"mode": "trunk"}, "access"),
    c("comware", "port", {P: "Ten-GigabitEthernet0/0/10"}, {"status": "down"}, {"status": "up"}, "down"),
    c("comware", "port", {P: "GE0/0/0"}, {"status": "disabled"}, {"status": "up"}, "disabled"),
    c("comware2", "port", {P: "M-GigabitEthernet0/0/0"}, {"status": "disabled"}, {"status": "up"}, "disabled"),
    c("comware2", "port", {P: "Bridge-Aggregation10"}, {"status": "up", "speed": "20G", "duplex": "full"},
      {"speed": "10G"}, "20G"),
    c("comware2", "vlan", {P: "BAGG11"}, {"mode": "trunk", "native": 4094}, {"native": 1}, "4094"),
    c("comware", "neighbor", {"protocol": "lldp", P: "XGE1/0/0/1"}, {"device": "SW1", "port": "GE0/0/1"},
      {"device": "SW2"}, "SW1"),
    Case({"kind": "mac", "via": "ssh", "device": "comware", "mac": "0000-1111-2222",
          "expect": {"port": "Bridge-Aggregation1", "vlan": 1}}, {"vlan": 10}, "10"),
    c("comware", "mac", {P: "GigabitEthernet1/0/20"}, {"mac": "fedc-ba09-8765", "vlan": 10}, {"vlan": 20}, "20"),
    c("comware", "errors", {P: "GE1/0/2"}, {"input": 30}, {"input": 0}, "30"),
    c("comware", "errors", {P: "Ten-GigabitEthernet1/0/50"}, {"input": 19, "output": 19}, {"output": 0}, "19"),
    # AOS-CX
    c("cx", "port", {P: "1/1/1"}, {"status": "up", "speed": "1G", "duplex": "full", "description": "PORT-ACCESS"},
      {"speed": "10G"}, "1G"),
    c("cx", "vlan", {P: "1/1/1"}, {"mode": "access", "access": 3077}, {"access": 3078}, "3077"),
    c("cx", "errors", {P: "1/1/51"}, {"input": 0, "crc": 0, "out_discards": 4}, {"out_discards": 0}, "4"),
    c("cx", "neighbor", {"protocol": "lldp", P: "1/1/1"}, {"device": "ap-9999-335-fe", "port": "70:3a:0e:cd:41:fe"},
      {"port": "eth1"}, "70:3a:0e:cd:41:fe"),
    c("cx", "neighbor", {"protocol": "lldp", P: "1/1/52"}, {"device": "rtr-agg-0620-a", "port": "1/1/1"},
      {"device": "rtr-agg-0620-b"}, "rtr-agg-0620-a"),
    Case({"kind": "mac", "via": "ssh", "device": "cx", "mac": "88:3a:30:a3:86:80",
          "expect": {"port": "lag100", "vlan": 3590}}, {"vlan": 10}, "10"),
    c("cx", "mac", {P: "1/1/30"}, {"mac": "80:5e:0c:76:ed:bb"}, {"mac": "80:5e:0c:76:ed:bc"},
      "(learned: 80:5e:0c:76:ed:bb)"),
]  # fmt: skip


# task -> (check, status, text its reason must contain)
EXTRA: dict[str, tuple[dict[str, Any], Status, str]] = {
    "missing": (
        {"kind": "port", "via": "ssh", "device": "ios", "port": "Gi9/0/1", "expect": {"status": "up"}},
        Status.ERROR, "Gi9/0/1 is not in the device's output (no row for it in `show interfaces status`",
    ),
    # Et1 is listed under VLANs 1 and 10: a trunk or a phone port, `show vlan` cannot say (it said access 1)
    "several-vlans": (
        {"kind": "vlan", "via": "ssh", "device": "eos", "port": "Et1", "expect": {"access": 1}},
        Status.ERROR, "Et1: the device did not report access",
    ),
    "order": (
        {"kind": "port", "via": "ssh", "device": "ios", "ports": ["Gi1/0/2", "Gi1/0/1", "Gi1/0/4"],
         "expect": {"status": "connected"}},
        Status.FAIL, "Gi1/0/1 notconnect; expected connected",
    ),
}  # fmt: skip


def _runbook() -> str:
    inventory = "".join(
        f"  {name}: {{host: 192.0.2.{10 + i}, platform: {platform}, credentials: env:GOLIVE_TEST_SSH}}\n"
        for i, (name, (platform, _)) in enumerate(DEVICES.items())
    )
    tasks = ""
    for i, case in enumerate(CASES):
        if case.right:
            tasks += f"      - {{id: r{i}, title: r{i}, duration: 1m, checks: [{json.dumps(case.check)}]}}\n"
        if case.wrong is not None:
            twin = {**case.check, "expect": {**case.check["expect"], **case.wrong}}
            tasks += f"      - {{id: w{i}, title: w{i}, duration: 1m, checks: [{json.dumps(twin)}]}}\n"
    for task, (check, _, _) in EXTRA.items():
        tasks += f"      - {{id: {task}, title: {task}, duration: 1m, checks: [{json.dumps(check)}]}}\n"
    return (
        "runbook: {id: corpus, title: Real captures, version: 1,"
        ' window: {start: "2026-12-05T22:00-05:00", end: "2026-12-06T02:00-05:00"}}\n'
        "roles: {net: Network engineer}\n"
        f"inventory:\n{inventory}"
        f"phases:\n  - id: all\n    title: All\n    tasks:\n{tasks}"
    )


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, CheckResult]]:
    loaded = parse_runbook(_runbook(), "corpus.yaml")
    devices = {
        name: (
            platform,
            {command: capture(platform if platform != "cisco_xe" else IOS, f) for command, f in cmds.items()},
        )
        for name, (platform, cmds) in DEVICES.items()
    }
    with serve(devices, Path(tmp_path_factory.mktemp("corpus"))) as endpoints:
        engine = Engine(loaded.runbook, rehearsal=False, lab=endpoints)
        try:
            found = asyncio.run(engine.run_all(items_for(loaded.runbook)))
        finally:
            engine.close()
    yield {r.key.partition("#")[0]: r for r in found}


def _show(result: CheckResult) -> str:
    return f"{result.status}: {result.reason}"


@pytest.mark.parametrize("index", [i for i, case in enumerate(CASES) if case.right])
def test_what_the_capture_says_passes(results: dict[str, CheckResult], index: int) -> None:
    result = results[f"r{index}"]
    assert result.status is Status.PASS, f"{CASES[index].check}: {_show(result)}"


@pytest.mark.parametrize("index", [i for i, case in enumerate(CASES) if case.wrong is not None])
def test_one_wrong_expectation_fails_for_the_right_reason(results: dict[str, CheckResult], index: int) -> None:
    result = results[f"w{index}"]
    assert result.status is Status.FAIL, f"{CASES[index].check} + {CASES[index].wrong}: {_show(result)}"
    assert CASES[index].why in result.reason, result.reason


@pytest.mark.parametrize("task", EXTRA)
def test_reasons_name_what_was_read_and_what_was_seen(results: dict[str, CheckResult], task: str) -> None:
    _, status, why = EXTRA[task]
    assert results[task].status is status and why in results[task].reason, _show(results[task])


def test_the_ports_that_fell_short_come_first(results: dict[str, CheckResult]) -> None:
    result = results["order"]
    assert list(result.ports) == ["Gi1/0/1", "Gi1/0/2", "Gi1/0/4"]
    first, line = result.evidence.splitlines()[:2]
    assert first.startswith("ports that fell short") and line.split()[0] == "Gi1/0/1" and "notconnect" in line
