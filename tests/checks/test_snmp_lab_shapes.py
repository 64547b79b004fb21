"""golive's SNMP checks against the lab's own walks where they take a real device's shape (see
golive.lab.snmprec): NX-OS's MAC in lldpLocPortId, Cisco IOS's VLANs in vmVlan and
vlanTrunkPortDynamicStatus, a NUL-padded lldpRemSysName (as some agents pad a fixed-size
field). The corpus of real walks (test_snmp_corpus) has neither an NX-OS
LLDP neighbor nor a VTP trunking column nor a padded string, so these shapes are proven here."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from golive.checks.results import Status
from golive.checks.snmp import observe
from golive.lab import snmprec
from golive.lab.world import DeviceWorld, LearnedMac, Neighbor, Port, SnmpValue

from .test_snmp_corpus import run_checks, serving

WORLDS = {
    "nxos": DeviceWorld(
        platform="cisco_nxos", hostname="core-1",
        ports={
            "Eth1/12": Port(ifindex=436207616, mode="trunk", neighbors=[
                Neighbor(protocol="lldp", device="idf3b-sw1", port="Te1/1/1", platform="Cisco IOS-XE")]),
            "Eth1/13": Port(ifindex=436211712, mode="trunk", neighbors=[
                Neighbor(protocol="lldp", device="idf3c-sw1\x00\x00\x00", port="Te1/1/1", platform="Cisco IOS-XE")]),
        },
    ),
    "ios": DeviceWorld(
        platform="cisco_ios", hostname="idf3b-sw1",
        ports={
            "Gi1/0/1": Port(ifindex=1, access_vlan=120, macs=[LearnedMac(mac="001b.4f00.0001", vlan=120)]),
            "Te1/1/1": Port(ifindex=1001, speed_mbps=10000, mode="trunk", native_vlan=999),
        },
        # the switch's own MAC and a configured one, on bridge port 1 with status self(4) and mgmt(5): the
        # real walks of the corpus put such rows on bridge port 0, where no port would take them anyway
        extra_oids={
            f"{snmprec.DOT1Q_TP_FDB_PORT}.120.0.27.79.0.0.240": SnmpValue(tag=2, value="1"),
            f"{snmprec.DOT1Q_TP_FDB_STATUS}.120.0.27.79.0.0.240": SnmpValue(tag=2, value="4"),
            f"{snmprec.DOT1Q_TP_FDB_PORT}.120.0.27.79.0.0.241": SnmpValue(tag=2, value="1"),
            f"{snmprec.DOT1Q_TP_FDB_STATUS}.120.0.27.79.0.0.241": SnmpValue(tag=2, value="5"),
        },
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def lab_agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    data = tmp_path_factory.mktemp("lab-shapes") / "data"
    data.mkdir()
    for name, world in WORLDS.items():
        (data / f"{name}.snmprec").write_text(snmprec.render(world, now=time.time()))
    with serving(data, "ios") as port:
        yield port


def test_an_nxos_neighbor_lands_on_its_port_though_lldplocportid_is_a_mac(
    lab_agent: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered = snmprec.render(WORLDS["nxos"], now=0)
    assert "|4x|02001a000000" in rendered  # the shape: a MAC, not a name
    assert "2d737731000000\n" in rendered  # "-sw1" and its NUL padding
    checks = [
        {
            "kind": "neighbor",
            "port": "Eth1/12",
            "protocol": "lldp",
            "expect": {"device": "idf3b-sw1", "port": "Te1/1/1"},
        },
        {"kind": "neighbor", "port": "Ethernet1/13", "protocol": "lldp", "expect": {"device": "idf3c-sw1"}},
        {"kind": "neighbor", "port": "Eth1/12", "protocol": "lldp", "expect": {"device": "idf3c-sw1"}},
    ]
    right, other_port, wrong = run_checks("nxos", lab_agent, checks, monkeypatch, platform="cisco_nxos")
    assert (right.status, other_port.status) == (Status.PASS, Status.PASS), (right.reason, other_port.reason)
    assert wrong.status is Status.FAIL and "device idf3b-sw1; expected idf3c-sw1" in wrong.reason


def test_cisco_ios_vlans_and_mode_come_from_the_cisco_vlan_mibs(
    lab_agent: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks = [
        {"kind": "vlan", "port": "Gi1/0/1", "expect": {"access": 120, "mode": "access"}},
        {"kind": "vlan", "port": "Te1/1/1", "expect": {"mode": "trunk"}},
        {"kind": "vlan", "port": "Gi1/0/1", "expect": {"mode": "trunk"}},
        {"kind": "vlan", "port": "Te1/1/1", "expect": {"access": 999}},  # a trunk has no vmVlan row
    ]
    access, trunk, wrong_mode, trunk_access = run_checks("ios", lab_agent, checks, monkeypatch, "cisco_ios")
    # golive refuses MAC checks over SNMP on cisco_ios (per-VLAN FDB): the same agent read as SNMP-only
    mac_check = {"kind": "mac", "port": "Gi1/0/1", "expect": {"mac": "00:1b:4f:00:00:01", "vlan": 120}}
    (mac,) = run_checks("ios", lab_agent, [mac_check], monkeypatch)
    assert [r.status for r in (access, trunk, mac)] == [Status.PASS] * 3, [access.reason, trunk.reason, mac.reason]
    assert wrong_mode.status is Status.FAIL and "mode access; expected trunk" in wrong_mode.reason
    assert trunk_access.status is Status.ERROR
    assert "access: nothing for Te1/1/1 in Q-BRIDGE-MIB dot1qPvid and CISCO-VLAN-MEMBERSHIP-MIB vmVlan" in (
        trunk_access.reason
    )


def test_only_learned_fdb_rows_count(lab_agent: int, monkeypatch: pytest.MonkeyPatch) -> None:
    checks = [
        {"kind": "mac", "mac": "00:1b:4f:00:00:f0", "expect": {"count": {"ge": 1}}},  # self(4)
        {"kind": "mac", "mac": "00:1b:4f:00:00:f1", "expect": {"count": {"ge": 1}}},  # mgmt(5)
        {"kind": "mac", "port": "Gi1/0/1", "expect": {"count": 1}},  # the one learned(3) row
    ]
    own, configured, count = run_checks("ios", lab_agent, checks, monkeypatch)  # SNMP-only: see above
    assert own.status is Status.FAIL and "00:1b:4f:00:00:f0 is not learned on any port" in own.reason
    assert configured.status is Status.FAIL
    assert count.status is Status.PASS, count.reason


def test_mode_is_offered_over_snmp_only_where_cisco_vtp_mib_is() -> None:
    assert {"access", "mode"} <= observe.snmp_fields("vlan", "cisco_ios")
    assert observe.snmp_fields("vlan", "arista_eos") == {"access"}
    assert observe.snmp_fields("port", "arista_eos") == observe.SNMP_FIELDS["port"]
