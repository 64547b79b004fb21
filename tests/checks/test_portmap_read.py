"""read_tables against real devices' answers: ntc-templates captures over SSH (FakeNOS), recorded walks over
SNMP (snmpsim). Every expectation was written by reading the capture or walk named beside it (the SNMP
rows are those tests/corpus/snmp/*.yaml cite), never by running golive.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from golive.checks.portmap.read import read_tables, transport
from golive.checks.portmap.snaps import caps
from golive.checks.portmap.tables import DeviceTables, MacRow
from golive.runbook.load import parse_runbook

from .portmap_peers import SNMP_DEVICES, SSH_DEVICES, engine_for, peers, runbook_text


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, DeviceTables]]:
    with peers(Path(tmp_path_factory.mktemp("portmap-read"))) as lab:
        engine = engine_for(runbook_text(), lab)

        async def read_all() -> list[DeviceTables]:
            names = [*SSH_DEVICES, *SNMP_DEVICES]
            every = await asyncio.gather(*(read_tables(engine, name) for name in names))
            some = await read_tables(engine, "cx", ["1/1/1", "1/1/52"])  # only these ports; every MAC
            return [*every, dataclasses.replace(some, device="cx-two-ports")]

        try:
            yield {t.device: t for t in asyncio.run(read_all())}
        finally:
            engine.close()


def test_each_device_is_read_over_the_transport_its_platform_allows(tables: dict[str, DeviceTables]) -> None:
    assert {name: t.transport for name, t in tables.items()} == {
        "ios": "ssh", "comware": "ssh", "cx": "ssh", "eos-snmp": "snmp", "cx-snmp": "snmp", "a5500-snmp": "snmp",
        "cx-two-ports": "ssh",
    }  # fmt: skip
    assert all(not t.error for t in tables.values()), {n: t.error for n, t in tables.items() if t.error}


# -- cisco_ios over SSH -------------------------------------------------------------------------------


def test_ios_ports_from_status_switchport_and_power_inline(tables: dict[str, DeviceTables]) -> None:
    ports = tables["ios"].ports
    # show interfaces status: "Gi1/0/2   AccessPoint        connected    8"; show power inline:
    # "Gi1/0/2   auto   on         30.0    AIR-AP1562I-E-K9    4"
    assert ports["gi1/0/2"] == {
        "device": "ios", "port": "Gi1/0/2", "status": "connected", "description": "AccessPoint", "up": True,
        "mode": None, "access": 8,
        "poe": {"powered": True, "watts": 30.0, "class_": "4"}, "neighbor": None,
    }  # fmt: skip
    # "Gi1/0/4   SingleName         connected    1"; "Gi1/0/4   auto   off        0.0"
    assert ports["gi1/0/4"]["poe"] == {"powered": False, "watts": 0.0}
    assert ports["gi1/0/1"]["up"] is False and ports["gi1/0/1"]["status"] == "notconnect"
    # "Gi1/0/7   Trunk Example      suspended    trunk": a trunk, no access VLAN
    assert ports["gi1/0/7"]["mode"] == "trunk" and ports["gi1/0/7"]["access"] is None
    # show interfaces switchport: Name: Wl0/1/4, Operational Mode: static access, Access Mode VLAN: 41, Voice: none
    assert ports["wl0/1/4"]["mode"] == "access" and ports["wl0/1/4"]["access"] == 41
    assert ports["wl0/1/4"]["voice"] is None


def test_ios_neighbors_carry_their_capabilities(tables: dict[str, DeviceTables]) -> None:
    ports = tables["ios"].ports
    # LLDP: Local Intf: Gi0/1/7, Port id: C8F9F9D61BC2:P1, System Name: SEPC8F9F9D61BC2, Enabled Capabilities: B,T
    phone = ports["gi0/1/7"]["neighbor"]
    assert phone is not None
    assert (phone["name"], phone.get("port"), phone.get("caps")) == (
        "SEPC8F9F9D61BC2",
        "C8F9F9D61BC2:P1",
        ["bridge", "phone"],
    )
    assert "7962G" in phone.get("platform", "")
    # CDP: Device ID: switchxxxxx, Capabilities: Switch IGMP, Interface: GigabitEthernet0/3
    switch = ports["gi0/3"]["neighbor"]
    assert switch is not None and switch["name"] == "switchxxxxx" and switch.get("caps") == ["switch"]


def test_ios_mac_table_has_learned_entries_only(tables: dict[str, DeviceTables]) -> None:
    macs = tables["ios"].macs
    # "666  30a3.30a3.a1c3   dynamic  Yes       1200   Te1/30"
    assert MacRow("30:a3:30:a3:a1:c3", 666, "Te1/30") in macs
    # the same MAC in VLANs 669 and 2000 on Te3/20: two rows
    assert [m.vlan for m in macs if m.mac == "30:a3:30:a3:5a:22"] == [669, 2000]
    # "*  777  0000.30a3.0167    static  No           -   Router": the switch's own, never learned
    assert all(m.mac != "00:00:30:a3:01:67" for m in macs)
    assert len(macs) == 8


# -- hp_comware over SSH ------------------------------------------------------------------------------


def test_comware_bridge_ports_macs_and_lldp(tables: dict[str, DeviceTables]) -> None:
    comware = tables["comware"]
    # display interface brief (bridge mode): "GE0/0/3  UP   1G(a)     F(a)   A    1"
    assert comware.ports["gi0/0/3"] == {
        "device": "comware", "port": "GE0/0/3", "status": "up", "description": None, "up": True, "mode": "access",
        "access": 1,
        "neighbor": None,
    }  # fmt: skip
    # no PoE and no voice VLAN command on Comware: the fields are absent, not None
    assert "poe" not in comware.ports["gi0/0/3"] and "voice" not in comware.ports["gi0/0/3"]
    # display mac-address: "dead-beef-0042 20       Learned        GigabitEthernet1/0/10"
    assert MacRow("de:ad:be:ef:00:42", 20, "GigabitEthernet1/0/10") in comware.macs
    assert len(comware.macs) == 4
    # LLDP neighbor-information of port 1[Ten-GigabitEthernet1/0/0/1]: System name SW1, Port ID GigabitEthernet0/0/1
    sw1 = comware.ports["te1/0/0/1"]["neighbor"]
    assert sw1 is not None and sw1["name"] == "SW1" and sw1.get("port") == "GigabitEthernet0/0/1"
    assert "caps" not in sw1  # the Comware template has no capabilities column


# -- aruba_aoscx over SSH ----------------------------------------------------------------------------


def test_aoscx_access_port_with_an_ap(tables: dict[str, DeviceTables]) -> None:
    cx = tables["cx"]
    # show interface: "Interface 1/1/1 is up", "VLAN Mode: access", "Access VLAN: 3077"
    one = cx.ports["1/1/1"]
    assert (one["status"], one["up"], one["mode"], one["access"]) == ("up", True, "access", 3077)
    # LLDP Port 1/1/1: Neighbor Port-ID 70:3a:0e:cd:41:fe, Chassis Capabilities Enabled: WLAN
    assert one["neighbor"] is not None and one["neighbor"]["name"] == "ap-9999-335-fe"
    assert one["neighbor"].get("caps") == ["ap"]
    # Port 1/1/52: Chassis Capabilities Enabled: Bridge, Router (an uplink)
    assert cx.ports["1/1/52"]["neighbor"]["caps"] == ["bridge", "router"]  # type: ignore[index]
    # show mac-address-table: 5 dynamic rows on lag100, and a port-access-security row on 1/1/30
    assert MacRow("88:3a:30:a3:86:80", 3590, "lag100") in cx.macs
    assert MacRow("80:5e:0c:76:ed:bb", 2015, "1/1/30") in cx.macs
    assert len(cx.macs) == 6


# -- SNMP (rows as tests/corpus/snmp/<walk>.yaml cites them) ------------------------------------------


def test_arista_over_snmp(tables: dict[str, DeviceTables]) -> None:
    eos = tables["eos-snmp"]
    # ifOperStatus.1=1, dot1qPvid.1=31; ifAdminStatus.9=2
    assert (eos.ports["eth1"]["status"], eos.ports["eth1"]["up"], eos.ports["eth1"]["access"]) == ("up", True, 31)
    assert eos.ports["eth9"]["status"] == "disabled"
    # no CISCO-VTP-MIB, no POWER-ETHERNET-MIB rows, no voice VLAN over SNMP: absent
    assert not {"mode", "poe", "voice"} & set(eos.ports["eth1"])
    # lldpRem*.0.48.1: 4900M-CORE.example.net, port Te1/3
    neighbor = eos.ports["eth48"]["neighbor"]
    assert neighbor is not None and (neighbor["name"], neighbor.get("port")) == ("4900M-CORE.example.net", "Te1/3")
    # dot1qTpFdbPort.10.0.1.92.59.238.1 = 48
    assert any(m.mac == "00:01:5c:3b:ee:01" and m.vlan == 10 and m.port == "Ethernet48" for m in eos.macs)


def test_aoscx_over_snmp(tables: dict[str, DeviceTables]) -> None:
    cx = tables["cx-snmp"]
    # dot1dTpFdbPort.6.0.80.86.81.61.114 = 45 (indexed by VLAN and MAC)
    assert any(m.mac == "00:50:56:51:3d:72" and m.vlan == 6 and m.port == "1/1/45" for m in cx.macs)
    # ifAdminStatus.1=2; no dot1qPvid, no vmVlan: read, nothing (None)
    assert cx.ports["1/1/1"]["status"] == "disabled" and cx.ports["1/1/45"]["access"] is None
    # lldpRemSysName.5.10.19 = vmhost-20 (several neighbors on 1/1/10: one is kept)
    assert cx.ports["1/1/53"]["neighbor"] is not None and cx.ports["1/1/53"]["neighbor"]["name"] == "aruba-iscsi-2"


def test_comware_a5500_over_snmp(tables: dict[str, DeviceTables]) -> None:
    a5500 = tables["a5500-snmp"]
    # dot1qPvid.16=20; ifAdminStatus.24=2; dot1qTpFdbPort.10.0.41.194.240.84.70 = 15
    assert a5500.ports["gi1/0/16"]["access"] == 20 and a5500.ports["gi1/0/24"]["status"] == "disabled"
    assert any(
        m.mac == "00:29:c2:f0:54:46" and m.vlan == 10 and canonical_port(m.port) == "gi1/0/15" for m in a5500.macs
    )


def canonical_port(name: str) -> str:
    from golive.checks.ifnames import canonical

    return canonical(name)


# -- which transport, and what goes wrong ---------------------------------------------------------------


def test_transport_rule() -> None:
    runbook = parse_runbook(runbook_text(), "t.yaml").runbook
    inv = runbook.inventory
    assert transport(inv["eos-snmp"]) == ("snmp", "")
    assert transport(inv["eos-snmp"], "ssh") == ("ssh", "")
    assert transport(inv["ios"]) == ("ssh", "")
    assert transport(inv["ios"], "snmp")[1].startswith("via: snmp, but the device has no snmp")


def test_capability_words() -> None:
    assert caps("B,T") == ["bridge", "phone"]
    assert caps("Host Phone Two-port Mac Relay") == ["host", "phone"]
    assert caps("Bridge, WLAN Access Point") == ["bridge", "ap"]
    assert caps("R S I") == ["router", "station"]


def test_an_unreachable_device_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    from golive.checks.endpoints import DeviceEndpoints, LabEndpoints, SshEndpoint
    from golive.lab.services import reserve_port

    sock = reserve_port()
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there
    known = tmp_path / "known_hosts"
    known.write_text("")
    lab = LabEndpoints(
        known_hosts=str(known), devices={"ios": DeviceEndpoints(ssh=SshEndpoint(port=port, username="u", password="p"))}
    )
    engine = engine_for(runbook_text(), lab)
    try:
        read = asyncio.run(read_tables(engine, "ios", timeout=5))
    finally:
        engine.close()
    assert read.error and read.transport == "ssh" and not read.macs
    rehearsal = engine_for(runbook_text(), lab)
    rehearsal.rehearsal, rehearsal.lab = True, None
    assert "rehearsal" in asyncio.run(read_tables(rehearsal, "ios")).error
    rehearsal.close()


def test_snmp_capability_bits_as_the_agent_sends_them() -> None:
    from pysnmp.proto.rfc1902 import OctetString

    from golive.checks.snmp.client import plain
    from golive.checks.snmp.observe import cdp_caps, lldp_caps

    # LLDP-MIB BITS: bridge(2) and telephone(5) -> 0x24 (a valid UTF-8 byte: plain() gives text)
    assert caps(lldp_caps(plain(OctetString(b"\x24\x00")))) == ["bridge", "phone"]
    # wlanAccessPoint(3) and router(4) -> 0x18; other(0) alone -> 0x80 (not UTF-8: plain() gives hex)
    assert caps(lldp_caps(plain(OctetString(b"\x18")))) == ["ap", "router"]
    assert lldp_caps(plain(OctetString(b"\x80"))) == "other"
    # CDP: host(0x10) + phone(0x80) + two-port MAC relay(0x400) in four octets
    assert caps(cdp_caps(plain(OctetString(b"\x00\x00\x04\x90")))) == ["host", "phone"]
    assert caps(cdp_caps(plain(OctetString(b"\x00\x00\x00\x28")))) == ["switch"]


def test_ports_asked_narrow_the_ports_never_the_macs(tables: dict[str, DeviceTables]) -> None:
    two = tables["cx-two-ports"]
    assert sorted(two.ports) == ["1/1/1", "1/1/52"] and two.macs == tables["cx"].macs
