"""One simulated device's SNMP data, as an snmpsim `.snmprec` text, generated from the lab world.

The lab's SNMP agents (snmpsim) answer from these files, and golive's SNMP check driver reads
exactly the OIDs below, so this module is the contract between the two. Numeric OIDs only; one
`OID|tag|value` line each, sorted by OID numerically (snmpsim searches the file in that order).
Tags: 2 INTEGER, 4 OCTET STRING (4x = hex), 65 Counter32, 66 Gauge32, 67 TimeTicks.

    system      1.3.6.1.2.1.1.1.0   sysDescr             device.sys_descr
                1.3.6.1.2.1.1.2.0   sysObjectID          by platform (Cisco catalyst, Nexus, ...)
                1.3.6.1.2.1.1.3.0   sysUpTime            TimeTicks, ticking (see `render`)
                1.3.6.1.2.1.1.5.0   sysName              device.hostname
    ifTable     1.3.6.1.2.1.2.2.1.X.<ifindex>
                X = 1 ifIndex, 2 ifDescr (long name: GigabitEthernet1/0/1), 3 ifType (6),
                    5 ifSpeed (Gauge32 bps, capped at 4294967295),
                    7 ifAdminStatus (1 up, 2 down: status disabled),
                    8 ifOperStatus (1 up only when status is up, else 2),
                    13 ifInDiscards, 14 ifInErrors, 19 ifOutDiscards, 20 ifOutErrors (Counter32)
    ifXTable    1.3.6.1.2.1.31.1.1.1.X.<ifindex>
                X = 1 ifName (the runbook's spelling: Gi1/0/1), 15 ifHighSpeed (Gauge32 Mbps),
                    18 ifAlias (description)
    EtherLike   1.3.6.1.2.1.10.7.2.1.3.<ifindex>    dot3StatsFCSErrors (Counter32, errors.crc)
                1.3.6.1.2.1.10.7.2.1.19.<ifindex>   dot3StatsDuplexStatus (1 unknown/auto, 2 half, 3 full)
    BRIDGE      1.3.6.1.2.1.17.1.4.1.2.<bp>         dot1dBasePortIfIndex (bridge port bp == ifindex)
                1.3.6.1.2.1.17.2.15.1.3.<bp>        dot1dStpPortState (1 disabled, 2 blocking,
                                                    3 listening, 4 learning, 5 forwarding)
    Q-BRIDGE    1.3.6.1.2.1.17.7.1.2.2.1.X.<vlan>.<m1>.<m2>.<m3>.<m4>.<m5>.<m6>
                X = 2 dot1qTpFdbPort = bp (MAC octets in decimal), 3 dot1qTpFdbStatus (3 learned)
                1.3.6.1.2.1.17.7.1.4.5.1.1.<bp>     dot1qPvid (access VLAN; native VLAN on trunks),
                                                    not on cisco_ios/cisco_xe, which have none (below)
    Cisco VLAN  1.3.6.1.4.1.9.9.68.1.2.2.1.2.<ifindex>   vmVlan (access ports only), cisco_ios/cisco_xe
                1.3.6.1.4.1.9.9.46.1.6.1.1.14.<ifindex>  vlanTrunkPortDynamicStatus (1 trunking,
                                                    2 notTrunking), cisco_ios/cisco_xe
    PoE         1.3.6.1.2.1.105.1.1.1.X.1.<ifindex> pethPsePortTable, group 1, only ports with poe
                X = 3 pethPsePortAdminEnable (1 true, 2 false: port disabled),
                    6 pethPsePortDetectionStatus (3 deliveringPower, 2 searching, 1 disabled),
                    10 pethPsePortPowerClassifications (class0=1 .. class4=5; classes 5-8 read 5)
                1.3.6.1.4.1.9.9.402.1.2.1.11.1.<ifindex>
                                                    cpeExtPsePortPwrConsumption (Gauge32 milliwatts,
                                                    0 unless delivering power)
    LLDP        1.0.8802.1.1.2.1.3.7.1.3.<ifindex>  lldpLocPortId (port name; localPortNum == ifindex);
                                                    on cisco_nxos the port's MAC (subtype .2 = 3,
                                                    macAddress) and the name in lldpLocPortDesc (.4)
                1.0.8802.1.1.2.1.4.1.1.X.0.<ifindex>.<n>   n = 1.. per port, timeMark 0
                X = 7 lldpRemPortId (neighbor port), 8 lldpRemPortDesc (neighbor port),
                    9 lldpRemSysName (neighbor device), 10 lldpRemSysDesc (neighbor platform),
                    11/12 lldpRemSysCapSupported/Enabled (only for a neighbor with caps: a port-map endpoint)
    CDP         1.3.6.1.4.1.9.9.23.1.2.1.1.X.<ifindex>.<n>  n = 1.. per port
                X = 6 cdpCacheDeviceId, 7 cdpCacheDevicePort, 8 cdpCachePlatform,
                    9 cdpCacheCapabilities (only for a neighbor with caps)
    extra       device.extra_oids, verbatim (they win over a generated OID of the same name)

The world is taken literally: a port that is down keeps the MACs, neighbors and STP state the
world gives it (a fault that removes them edits the world), so SSH and SNMP views agree.
"""

from __future__ import annotations

import re

from golive.lab.world import DeviceWorld, Port, SnmpValue

INTEGER, STRING, OID, COUNTER32, GAUGE32, TIMETICKS = 2, 4, 6, 65, 66, 67
GAUGE32_MAX = 4294967295
COUNTER32_MODULUS = 2**32

SYS_DESCR = "1.3.6.1.2.1.1.1.0"
SYS_OBJECT_ID = "1.3.6.1.2.1.1.2.0"
SYS_UPTIME = "1.3.6.1.2.1.1.3.0"
SYS_NAME = "1.3.6.1.2.1.1.5.0"
IF_ENTRY = "1.3.6.1.2.1.2.2.1"
IFX_ENTRY = "1.3.6.1.2.1.31.1.1.1"
DOT3_STATS_ENTRY = "1.3.6.1.2.1.10.7.2.1"
DOT1D_BASE_PORT_IFINDEX = "1.3.6.1.2.1.17.1.4.1.2"
DOT1D_STP_PORT_STATE = "1.3.6.1.2.1.17.2.15.1.3"
DOT1Q_TP_FDB_PORT = "1.3.6.1.2.1.17.7.1.2.2.1.2"
DOT1Q_TP_FDB_STATUS = "1.3.6.1.2.1.17.7.1.2.2.1.3"
VM_VLAN = "1.3.6.1.4.1.9.9.68.1.2.2.1.2"
VLAN_TRUNK_PORT_DYNAMIC_STATUS = "1.3.6.1.4.1.9.9.46.1.6.1.1.14"
DOT1Q_PVID = "1.3.6.1.2.1.17.7.1.4.5.1.1"
PETH_PSE_PORT_ENTRY = "1.3.6.1.2.1.105.1.1.1"
CPE_EXT_PSE_PORT_PWR_CONSUMPTION = "1.3.6.1.4.1.9.9.402.1.2.1.11"  # .<group 1>.<ifindex>
LLDP_LOC_PORT_ID_SUBTYPE = "1.0.8802.1.1.2.1.3.7.1.2"
LLDP_LOC_PORT_ID = "1.0.8802.1.1.2.1.3.7.1.3"
LLDP_LOC_PORT_DESC = "1.0.8802.1.1.2.1.3.7.1.4"
LLDP_REM_ENTRY = "1.0.8802.1.1.2.1.4.1.1"
CDP_CACHE_ENTRY = "1.3.6.1.4.1.9.9.23.1.2.1.1"

# sysObjectID per platform: a plausible product OID under each vendor's enterprise number.
SYS_OBJECT_IDS = {
    "cisco_ios": "1.3.6.1.4.1.9.1.2494",  # Catalyst 9300-48P
    "cisco_xe": "1.3.6.1.4.1.9.1.2494",
    "cisco_nxos": "1.3.6.1.4.1.9.12.3.1.3.1812",  # Nexus 93180YC-FX
    "arista_eos": "1.3.6.1.4.1.30065.1.3011.7050.3741.48",
    "juniper_junos": "1.3.6.1.4.1.2636.1.1.1.2.82",
    "hp_comware": "1.3.6.1.4.1.25506.11.1.136",
    "hp_procurve": "1.3.6.1.4.1.11.2.3.7.11.160",
    "aruba_os": "1.3.6.1.4.1.14823.1.1.32",
}
UNKNOWN_PLATFORM_OBJECT_ID = "1.3.6.1.4.1.8072.3.2.10"  # net-snmp's linux

# The abbreviations runbooks use, longest first so "Tw" does not swallow "TwentyFive".
LONG_PORT_NAMES = (
    ("TwentyFiveGigE", "TwentyFiveGigE"),
    ("Twe", "TwentyFiveGigE"),
    ("Tw", "TwoGigabitEthernet"),
    ("Fo", "FortyGigabitEthernet"),
    ("Hu", "HundredGigE"),
    ("Te", "TenGigabitEthernet"),
    ("Gi", "GigabitEthernet"),
    ("Fa", "FastEthernet"),
    ("Eth", "Ethernet"),
    ("Et", "Ethernet"),
    ("Po", "Port-channel"),
    ("Vl", "Vlan"),
)
STP_STATES = {"disabled": 1, "blocking": 2, "listening": 3, "learning": 4, "forwarding": 5}
DUPLEX_STATUS = {"auto": 1, "half": 2, "full": 3}
UP, DOWN = 1, 2
ETHERNET_CSMACD = 6
PETH_TRUE, PETH_FALSE = 1, 2
DELIVERING_POWER, SEARCHING, DETECTION_DISABLED = 3, 2, 1
PSE_GROUP = 1
FDB_LEARNED = 3
TRUNKING, NOT_TRUNKING = 1, 2
LLDP_PORT_ID_MAC = 3
# platforms whose access VLANs and trunking are only in Cisco's VLAN MIBs (a real IOS switch has no dot1qPvid)
CISCO_VLAN_MIBS = frozenset({"cisco_ios", "cisco_xe"})

_NUMERIC_OID = re.compile(r"[0-9]+(\.[0-9]+)+")
_PLAIN_TEXT = re.compile(r"[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?")
_MAC_HEX = re.compile(r"[0-9a-fA-F]{12}")

Records = dict[str, tuple[int | str, str]]


def render(device: DeviceWorld, *, now: float) -> str:
    """The `.snmprec` text for one device.

    `now` is the wall-clock moment (Unix seconds) at which sysUpTime reads `device.uptime_s`;
    afterwards it ticks 100 per second (snmpsim's `numeric` variation with `atime`). Pass the
    lab's start time on every render so the clock stays continuous across refreshes.
    """
    records: Records = {}
    _system(records, device, now)
    for name, port in device.ports.items():
        _interface(records, name, port)
        _bridge(records, port, cisco_vlans=device.platform in CISCO_VLAN_MIBS)
        _poe(records, port)
        _neighbors(records, name, port, mac_port_ids=device.platform == "cisco_nxos")
    for oid, extra in device.extra_oids.items():
        records[_checked_oid(oid)] = _extra(oid, extra)
    lines = [f"{oid}|{tag}|{value}\n" for oid, (tag, value) in sorted(records.items(), key=_oid_key)]
    return "".join(lines)


def long_port_name(name: str) -> str:
    """ifDescr for a runbook port name: Gi1/0/1 -> GigabitEthernet1/0/1 (long names unchanged)."""
    for short, long in LONG_PORT_NAMES:
        rest = name[len(short) :]
        if name.startswith(short) and rest[:1].isdigit():
            return long + rest
    return name


def mac_octets(mac: str) -> list[int]:
    """001b.4f00.0001, 00:1B:4F:00:00:01 or 00-1b-4f-00-00-01 -> six integers."""
    digits = re.sub(r"[.:\-]", "", mac)
    if not _MAC_HEX.fullmatch(digits):
        raise ValueError(f"not a MAC address: {mac!r}")
    return [int(digits[i : i + 2], 16) for i in range(0, 12, 2)]


def _system(records: Records, device: DeviceWorld, now: float) -> None:
    records[SYS_DESCR] = _string(device.sys_descr)
    object_id = SYS_OBJECT_IDS.get(device.platform, UNKNOWN_PLATFORM_OBJECT_ID)
    records[SYS_OBJECT_ID] = (OID, object_id)
    # numeric with atime: value = initial + rate * time.time(), so initial is shifted by `now`.
    initial = device.uptime_s * 100 - round(now * 100)
    records[SYS_UPTIME] = ("67:numeric", f"rate=100,atime=1,initial={initial}")
    records[SYS_NAME] = _string(device.hostname)


def _interface(records: Records, name: str, port: Port) -> None:
    index = port.ifindex
    admin = DOWN if port.status == "disabled" else UP
    oper = UP if port.status == "up" else DOWN
    speed_bps = min(port.speed_mbps * 1_000_000, GAUGE32_MAX)
    errors = port.errors
    records[f"{IF_ENTRY}.1.{index}"] = (INTEGER, str(index))
    records[f"{IF_ENTRY}.2.{index}"] = _string(long_port_name(name))
    records[f"{IF_ENTRY}.3.{index}"] = (INTEGER, str(ETHERNET_CSMACD))
    records[f"{IF_ENTRY}.5.{index}"] = (GAUGE32, str(speed_bps))
    records[f"{IF_ENTRY}.7.{index}"] = (INTEGER, str(admin))
    records[f"{IF_ENTRY}.8.{index}"] = (INTEGER, str(oper))
    records[f"{IF_ENTRY}.13.{index}"] = _counter(errors.discards)
    records[f"{IF_ENTRY}.14.{index}"] = _counter(errors.input)
    records[f"{IF_ENTRY}.19.{index}"] = _counter(errors.out_discards)
    records[f"{IF_ENTRY}.20.{index}"] = _counter(errors.output)
    records[f"{IFX_ENTRY}.1.{index}"] = _string(name)
    records[f"{IFX_ENTRY}.15.{index}"] = (GAUGE32, str(min(port.speed_mbps, GAUGE32_MAX)))
    records[f"{IFX_ENTRY}.18.{index}"] = _string(port.description)
    records[f"{DOT3_STATS_ENTRY}.3.{index}"] = _counter(errors.crc)
    records[f"{DOT3_STATS_ENTRY}.19.{index}"] = (INTEGER, str(DUPLEX_STATUS[port.duplex]))


def _bridge(records: Records, port: Port, *, cisco_vlans: bool) -> None:
    bridge_port = port.ifindex
    records[f"{DOT1D_BASE_PORT_IFINDEX}.{bridge_port}"] = (INTEGER, str(port.ifindex))
    records[f"{DOT1D_STP_PORT_STATE}.{bridge_port}"] = (INTEGER, str(STP_STATES[port.stp]))
    if cisco_vlans:
        if port.mode == "access":
            records[f"{VM_VLAN}.{port.ifindex}"] = (INTEGER, str(port.access_vlan))
        trunking = TRUNKING if port.mode == "trunk" else NOT_TRUNKING
        records[f"{VLAN_TRUNK_PORT_DYNAMIC_STATUS}.{port.ifindex}"] = (INTEGER, str(trunking))
    else:
        pvid = port.access_vlan if port.mode == "access" else port.native_vlan
        records[f"{DOT1Q_PVID}.{bridge_port}"] = (GAUGE32, str(pvid))
    for learned in port.macs:
        octets = ".".join(str(octet) for octet in mac_octets(learned.mac))
        records[f"{DOT1Q_TP_FDB_PORT}.{learned.vlan}.{octets}"] = (INTEGER, str(bridge_port))
        records[f"{DOT1Q_TP_FDB_STATUS}.{learned.vlan}.{octets}"] = (INTEGER, str(FDB_LEARNED))


def _poe(records: Records, port: Port) -> None:
    poe = port.poe
    if poe is None:
        return
    index = f"{PSE_GROUP}.{port.ifindex}"
    if port.status == "disabled":
        admin, detection = PETH_FALSE, DETECTION_DISABLED
    elif poe.powered:
        admin, detection = PETH_TRUE, DELIVERING_POWER
    else:
        admin, detection = PETH_TRUE, SEARCHING
    milliwatts = round(poe.watts * 1000) if detection == DELIVERING_POWER else 0
    records[f"{PETH_PSE_PORT_ENTRY}.3.{index}"] = (INTEGER, str(admin))
    records[f"{PETH_PSE_PORT_ENTRY}.6.{index}"] = (INTEGER, str(detection))
    records[f"{PETH_PSE_PORT_ENTRY}.10.{index}"] = (INTEGER, str(min(poe.class_, 4) + 1))
    records[f"{CPE_EXT_PSE_PORT_PWR_CONSUMPTION}.{index}"] = (GAUGE32, str(min(milliwatts, GAUGE32_MAX)))


# LLDP-MIB LldpSystemCapabilitiesMap (bit 0 is the first octet's high bit) and CISCO-CDP-MIB's mask
_LLDP_CAP_BITS = {"bridge": 0x20, "ap": 0x10, "router": 0x08, "phone": 0x04, "host": 0x01}
_CDP_CAP_BITS = {"router": 0x01, "bridge": 0x02, "ap": 0x02, "switch": 0x08, "host": 0x10, "phone": 0x80}


def _neighbors(records: Records, name: str, port: Port, *, mac_port_ids: bool) -> None:
    index = port.ifindex
    if mac_port_ids:  # NX-OS: the port's MAC (made from its ifIndex here), its name in the description
        records[f"{LLDP_LOC_PORT_ID_SUBTYPE}.{index}"] = (INTEGER, str(LLDP_PORT_ID_MAC))
        records[f"{LLDP_LOC_PORT_ID}.{index}"] = ("4x", f"02{index:010x}"[-12:])
        records[f"{LLDP_LOC_PORT_DESC}.{index}"] = _string(long_port_name(name))
    else:
        records[f"{LLDP_LOC_PORT_ID}.{index}"] = _string(name)
    lldp = [neighbor for neighbor in port.neighbors if neighbor.protocol == "lldp"]
    for number, neighbor in enumerate(lldp, start=1):
        row = f"0.{index}.{number}"
        records[f"{LLDP_REM_ENTRY}.7.{row}"] = _string(neighbor.port)
        records[f"{LLDP_REM_ENTRY}.8.{row}"] = _string(neighbor.port)
        records[f"{LLDP_REM_ENTRY}.9.{row}"] = _string(neighbor.device)
        records[f"{LLDP_REM_ENTRY}.10.{row}"] = _string(neighbor.platform)
        if neighbor.caps:  # lldpRemSysCapSupported/Enabled (BITS); a switch neighbor's stay unset, as before
            bits = sum(_LLDP_CAP_BITS.get(cap, 0) for cap in neighbor.caps)
            records[f"{LLDP_REM_ENTRY}.11.{row}"] = ("4x", f"{bits:02x}")
            records[f"{LLDP_REM_ENTRY}.12.{row}"] = ("4x", f"{bits:02x}")
    cdp = [neighbor for neighbor in port.neighbors if neighbor.protocol == "cdp"]
    for number, neighbor in enumerate(cdp, start=1):
        row = f"{index}.{number}"
        records[f"{CDP_CACHE_ENTRY}.6.{row}"] = _string(neighbor.device)
        records[f"{CDP_CACHE_ENTRY}.7.{row}"] = _string(neighbor.port)
        records[f"{CDP_CACHE_ENTRY}.8.{row}"] = _string(neighbor.platform)
        if neighbor.caps:  # cdpCacheCapabilities: a 4-octet bit mask
            bits = sum(_CDP_CAP_BITS.get(cap, 0) for cap in neighbor.caps)
            records[f"{CDP_CACHE_ENTRY}.9.{row}"] = ("4x", f"{bits:08x}")


def _extra(oid: str, extra: SnmpValue) -> tuple[int | str, str]:
    if extra.tag == STRING:
        return _string(extra.value)
    if not _PLAIN_TEXT.fullmatch(extra.value):
        raise ValueError(f"extra OID {oid}: tag {extra.tag} value must be one line of ASCII")
    return (extra.tag, extra.value)


def _string(text: str) -> tuple[int | str, str]:
    """Plain when snmpsim reads it back unchanged (it strips lines, decodes latin-1), else hex."""
    if text == "" or _PLAIN_TEXT.fullmatch(text):
        return (STRING, text)
    return ("4x", text.encode("utf-8").hex())


def _counter(value: int) -> tuple[int | str, str]:
    return (COUNTER32, str(value % COUNTER32_MODULUS))


def _checked_oid(oid: str) -> str:
    if not _NUMERIC_OID.fullmatch(oid):
        raise ValueError(f"extra OID is not numeric: {oid!r}")
    return oid


def _oid_key(item: tuple[str, tuple[int | str, str]]) -> tuple[int, ...]:
    return tuple(map(int, item[0].split(".")))
