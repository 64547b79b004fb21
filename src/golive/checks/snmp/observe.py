"""MIB tables turned into Facts: IF-MIB, EtherLike, BRIDGE/Q-BRIDGE, POWER-ETHERNET, LLDP, CDP, and
Cisco's VLAN membership and VTP tables where a switch keeps access VLANs and trunking only there.

Real agents differ (tests/corpus/snmp holds walks of real ones): a port is named by ifName, else
ifDescr; only FDB rows with status learned(3) are MACs seen on a port; a port with no row in a
table is reported without that field, so its check is an error naming the table, never a fail.

Numeric OIDs only (no MIB files needed on a laptop in a closet). Each kind of check names the
column groups it needs; a group is read once per device per batch and shared by every check
that needs it (see golive.checks.engine). The groups indexed by ifIndex (port status, error
counters) are read only for the ports the checks name, by GET once their ifIndexes are known.
What a kind cannot learn over SNMP is listed in SNMP_FIELDS so the engine can send that check
over SSH instead.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from golive.checks import normalize
from golive.checks.facts import Facts
from golive.checks.ifnames import canonical

if TYPE_CHECKING:
    from golive.checks.snmp.client import SnmpClient

IF_NAME = "1.3.6.1.2.1.31.1.1.1.1"
IF_DESCR = "1.3.6.1.2.1.2.2.1.2"
IF_SPEED = "1.3.6.1.2.1.2.2.1.5"
IF_HIGH_SPEED = "1.3.6.1.2.1.31.1.1.1.15"
IF_ALIAS = "1.3.6.1.2.1.31.1.1.1.18"
IF_ADMIN = "1.3.6.1.2.1.2.2.1.7"
IF_OPER = "1.3.6.1.2.1.2.2.1.8"
IF_IN_DISCARDS = "1.3.6.1.2.1.2.2.1.13"
IF_IN_ERRORS = "1.3.6.1.2.1.2.2.1.14"
IF_OUT_DISCARDS = "1.3.6.1.2.1.2.2.1.19"
IF_OUT_ERRORS = "1.3.6.1.2.1.2.2.1.20"
DOT3_FCS = "1.3.6.1.2.1.10.7.2.1.3"
DOT3_DUPLEX = "1.3.6.1.2.1.10.7.2.1.19"
BASE_PORT_IFINDEX = "1.3.6.1.2.1.17.1.4.1.2"
STP_PORT_STATE = "1.3.6.1.2.1.17.2.15.1.3"
FDB_PORT = "1.3.6.1.2.1.17.7.1.2.2.1.2"
FDB_STATUS = "1.3.6.1.2.1.17.7.1.2.2.1.3"
DOT1D_FDB_PORT = "1.3.6.1.2.1.17.4.3.1.2"
DOT1D_FDB_STATUS = "1.3.6.1.2.1.17.4.3.1.3"
PVID = "1.3.6.1.2.1.17.7.1.4.5.1.1"
VM_VLAN = "1.3.6.1.4.1.9.9.68.1.2.2.1.2"
VTP_TRUNK_STATUS = "1.3.6.1.4.1.9.9.46.1.6.1.1.14"
PETH_ADMIN = "1.3.6.1.2.1.105.1.1.1.3"
PETH_DETECTION = "1.3.6.1.2.1.105.1.1.1.6"
PETH_CLASS = "1.3.6.1.2.1.105.1.1.1.10"
CISCO_PSE_MILLIWATTS = "1.3.6.1.4.1.9.9.402.1.2.1.11"
LLDP_LOC_PORT_ID = "1.0.8802.1.1.2.1.3.7.1.3"
LLDP_LOC_PORT_DESC = "1.0.8802.1.1.2.1.3.7.1.4"
LLDP_REM_PORT_ID = "1.0.8802.1.1.2.1.4.1.1.7"
LLDP_REM_PORT_DESC = "1.0.8802.1.1.2.1.4.1.1.8"
LLDP_REM_SYS_NAME = "1.0.8802.1.1.2.1.4.1.1.9"
LLDP_REM_SYS_DESC = "1.0.8802.1.1.2.1.4.1.1.10"
CDP_DEVICE_ID = "1.3.6.1.4.1.9.9.23.1.2.1.1.6"
CDP_DEVICE_PORT = "1.3.6.1.4.1.9.9.23.1.2.1.1.7"
CDP_PLATFORM = "1.3.6.1.4.1.9.9.23.1.2.1.1.8"
CDP_CAPABILITIES = "1.3.6.1.4.1.9.9.23.1.2.1.1.9"
LLDP_REM_SYS_CAP_ENABLED = "1.0.8802.1.1.2.1.4.1.1.12"

# column groups, each walked in one series of GETBULKs
GROUPS: dict[str, tuple[str, ...]] = {
    "names": (IF_NAME,),
    "descr": (IF_DESCR,),  # read only when ifName does not name every port a check names
    "status": (IF_NAME, IF_ADMIN, IF_OPER, IF_HIGH_SPEED, IF_SPEED, IF_ALIAS, DOT3_DUPLEX),
    "counters": (IF_IN_ERRORS, IF_IN_DISCARDS, IF_OUT_ERRORS, IF_OUT_DISCARDS, DOT3_FCS),
    "bridge": (BASE_PORT_IFINDEX, PVID),
    "cisco_vlan": (VM_VLAN, VTP_TRUNK_STATUS),
    "stp": (STP_PORT_STATE,),
    "fdb": (FDB_PORT, FDB_STATUS),
    "fdb1d": (DOT1D_FDB_PORT, DOT1D_FDB_STATUS),
    "poe": (PETH_ADMIN, PETH_DETECTION, PETH_CLASS, CISCO_PSE_MILLIWATTS),
    "lldp": (
        LLDP_LOC_PORT_ID,
        LLDP_LOC_PORT_DESC,
        LLDP_REM_PORT_ID,
        LLDP_REM_PORT_DESC,
        LLDP_REM_SYS_NAME,
        LLDP_REM_SYS_DESC,
    ),
    "cdp": (CDP_DEVICE_ID, CDP_DEVICE_PORT, CDP_PLATFORM),
    "neighbor_caps": (LLDP_REM_SYS_CAP_ENABLED, CDP_CAPABILITIES),  # read by the port map only (is it a phone?)
}

# what each kind can learn over SNMP (anything else goes over SSH)
SNMP_FIELDS: dict[str, frozenset[str]] = {
    "port": frozenset({"status", "admin", "speed", "duplex", "description", "vlan"}),
    "vlan": frozenset({"access", "mode"}),
    "poe": frozenset({"powered", "class", "watts"}),
    "neighbor": frozenset({"device", "port", "platform"}),
    "mac": frozenset({"mac", "count", "port", "vlan"}),
    "errors": frozenset({"input", "crc", "output", "discards", "out_discards"}),
    "state": frozenset({"stp"}),
}

# platforms with CISCO-VTP-MIB, the only MIB golive reads a port's switchport mode from
VTP_PLATFORMS = frozenset({"cisco_ios", "cisco_xe", "cisco_nxos"})
PER_VLAN_FDB_PLATFORMS = frozenset({"cisco_ios", "cisco_xe"})  # BRIDGE-MIB per VLAN (community@vlan)


def snmp_fields(kind: str, platform: str) -> frozenset[str] | None:
    """What SNMP can report for a kind of check on a platform: SNMP_FIELDS, without `mode` where the
    platform has no CISCO-VTP-MIB (a check there is better sent over SSH than answered with an error);
    None for MACs on Catalyst IOS/IOS-XE, whose FDB this reader sees only in the default VLAN context."""
    if kind == "mac" and platform in PER_VLAN_FDB_PLATFORMS:
        return None
    fields = SNMP_FIELDS.get(kind, frozenset())
    return fields if platform in VTP_PLATFORMS else fields - {"mode"}


# the IF-MIB columns each field of a port check is read from (ifName always walks along)
PORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "status": (IF_ADMIN, IF_OPER), "admin": (IF_ADMIN,), "speed": (IF_HIGH_SPEED, IF_SPEED),
    "description": (IF_ALIAS,), "duplex": (DOT3_DUPLEX,),
}  # fmt: skip

Walk = Callable[[str], Awaitable[dict[str, dict[str, Any]]]]  # group name -> column -> index -> value


@dataclass(frozen=True)
class StatusWalk:
    """How to read an ifIndex-indexed group ("status" for port checks, "counters" for errors checks)
    for one device's batch: only the columns the checks expect, a first GETBULK as deep as the ports
    they name (plus one row), and an end as soon as every named port was seen. Decoding varbinds is
    most of the cost of a check over SNMP."""

    columns: tuple[str, ...]
    ports: frozenset[str]  # canonical names of the ports the checks name

    @property
    def first(self) -> int:
        return min(48, len(self.ports) + 1)

    def enough(self, result: dict[str, dict[str, Any]], active: Iterable[str]) -> bool:
        """Every named port found, and every column still walking gone at least as far as its row."""
        found = [index for index, name in result[IF_NAME].items() if canonical(str(name)) in self.ports]
        if not self.ports or len(found) < len(self.ports):
            return False
        deepest = max(_row(index) for index in found)
        return all(result[column] and _row(next(reversed(result[column]))) >= deepest for column in active)


def _row(index: str) -> tuple[int, ...]:
    return tuple(int(part) for part in index.split("."))


async def status_rows(
    client: SnmpClient, plan: StatusWalk, known: dict[str, str], evidence: list[str] | None = None
) -> dict[str, dict[str, Any]]:
    """An ifIndex-indexed group's rows for a batch. By GET when an earlier walk of this device (in this
    batch or an earlier run of the same Engine) told the ifIndex of every named port; ifName is read
    along, so a port renumbered since (a reload, a new stack member) falls back to the walk. `known`
    (canonical name -> ifIndex) learns from every walk."""
    ports = sorted(plan.ports)
    indexes = [known.get(port, "") for port in ports]
    if ports and all(indexes):
        rows = await client.get_columns(plan.columns, indexes, evidence)
        if all(
            canonical(str(rows[IF_NAME].get(index, ""))) == port for port, index in zip(ports, indexes, strict=True)
        ):
            return rows
    rows = await client.walk(plan.columns, first=plan.first, enough=plan.enough, evidence=evidence)
    known.update({canonical(str(name)): index for index, name in rows[IF_NAME].items()})
    if not plan.ports <= {canonical(str(name)) for name in rows[IF_NAME].values()}:
        # no ifXTable, or a port named as ifDescr spells it: the walk went to the end, so every row is here
        rows.update(await client.walk([IF_DESCR], evidence=evidence))
    return rows


def counter_walk(ports: Iterable[str]) -> StatusWalk:
    """The error counters of the ports the errors checks name, with ifName."""
    return StatusWalk((IF_NAME, *GROUPS["counters"]), frozenset(canonical(name) for name in ports))


def status_walk(checks: Iterable[tuple[set[str], list[str]]]) -> StatusWalk:
    """From (expected fields, ports) of each port check of a batch; a check that expects no field
    of its own gets every column."""
    columns: dict[str, None] = {IF_NAME: None}
    ports: set[str] = set()
    for fields, names in checks:
        wanted = fields & PORT_COLUMNS.keys() if fields else PORT_COLUMNS.keys()
        for field, needs in PORT_COLUMNS.items():
            if field in wanted:
                columns.update(dict.fromkeys(needs))
        ports.update(canonical(name) for name in names)
    return StatusWalk(tuple(columns), frozenset(ports))


def _text(value: Any) -> str:
    """An agent's string as a person reads it: NUL padding (some agents pad fixed-size fields) removed."""
    return str(value).replace("\x00", "").strip()


def _ifnames(tables: dict[str, dict[str, Any]], wanted: frozenset[str] = frozenset()) -> dict[str, str]:
    """ifIndex -> the port's name: its ifName, or its ifDescr when the agent has no ifXTable or when the
    runbook names the port as ifDescr spells it (`wanted`: canonical names the check uses)."""
    names, descrs = tables.get(IF_NAME, {}), tables.get(IF_DESCR, {})
    out: dict[str, str] = {}
    for index in {**descrs, **names}:
        name, descr = _text(names.get(index, "")), _text(descrs.get(index, ""))
        if descr and (not name or (canonical(descr) in wanted and canonical(name) not in wanted)):
            out[index] = descr
        elif name:
            out[index] = name
    return out


async def _port_names(walk: Walk, wanted: frozenset[str]) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """The name tables (ifName; ifDescr too when ifName is missing or does not name every port the check
    names) and ifIndex -> name (see _ifnames)."""
    tables = dict(await walk("names"))
    if not tables[IF_NAME] or not wanted <= {canonical(_text(name)) for name in tables[IF_NAME].values()}:
        tables.update(await walk("descr"))
    return tables, _ifnames(tables, wanted)


def _spellings(tables: dict[str, dict[str, Any]], names: dict[str, str]) -> dict[str, str]:
    """Every canonical spelling of a port (ifName and ifDescr) -> the name `names` gave it."""
    out: dict[str, str] = {}
    for column in (IF_DESCR, IF_NAME):
        for index, value in tables.get(column, {}).items():
            if index in names and _text(value):
                out[canonical(_text(value))] = names[index]
    return out


def _bridge_to_name(bridge: dict[str, dict[str, Any]], names: dict[str, str]) -> dict[str, str]:
    return {bp: names[str(ifx)] for bp, ifx in bridge[BASE_PORT_IFINDEX].items() if str(ifx) in names}


IF_SPEED_SATURATED = 4294967295  # ifSpeed's maximum: the speed is past what it can hold


def _speed(high: Any, low: Any) -> str | None:
    """ifHighSpeed (Mb/s) when the agent gives a non-zero one, else ifSpeed (b/s). RFC 2863 makes
    ifHighSpeed the speed of an interface faster than ifSpeed can hold (it saturates past 4 Gb/s),
    and the two agree below that on a sound agent; when one does not, ifHighSpeed is taken."""
    if high is not None and int(high) > 0:
        return normalize.speed_text(float(high))
    if low is not None and 0 < int(low) < IF_SPEED_SATURATED:
        return normalize.speed_text(int(low) / 1_000_000)
    if high is not None or low is not None:
        return "auto" if not int(high or 0) and not int(low or 0) else None
    return None


DUPLEX = {1: "unknown", 2: "half", 3: "full"}  # EtherLike-MIB dot3StatsDuplexStatus
STP_STATES = {1: "disabled", 2: "blocking", 3: "listening", 4: "learning", 5: "forwarding", 6: "broken"}
TRUNK_STATUS = {1: "trunk", 2: "access"}  # CISCO-VTP-MIB vlanTrunkPortDynamicStatus trunking(1), notTrunking(2)
FDB_LEARNED = 3  # dot1dTpFdbStatus / dot1qTpFdbStatus: other(1) invalid(2) learned(3) self(4) mgmt(5)

# where a field comes from, said in an error when a device has no row for a port
SOURCES: dict[str, dict[str, str]] = {
    "vlan": {"access": "Q-BRIDGE-MIB dot1qPvid and CISCO-VLAN-MEMBERSHIP-MIB vmVlan",
             "mode": "CISCO-VTP-MIB vlanTrunkPortDynamicStatus"},
    "port": {"vlan": "Q-BRIDGE-MIB dot1qPvid and CISCO-VLAN-MEMBERSHIP-MIB vmVlan",
             "speed": "IF-MIB ifHighSpeed and ifSpeed", "duplex": "EtherLike-MIB dot3StatsDuplexStatus",
             "description": "IF-MIB ifAlias", "status": "IF-MIB ifOperStatus", "admin": "IF-MIB ifAdminStatus"},
    "state": {"stp": "BRIDGE-MIB dot1dStpPortState"},
    "errors": {"crc": "EtherLike-MIB dot3StatsFCSErrors"},
}  # fmt: skip


async def _vlans(
    walk: Walk, names: dict[str, str], wanted: frozenset[str], need_mode: bool
) -> dict[str, dict[str, Any]]:
    """port name -> access VLAN (Q-BRIDGE dot1qPvid by bridge port, else Cisco vmVlan by ifIndex) and
    mode (CISCO-VTP-MIB), for the ports that have a row. The Cisco tables are read only when the
    mode is asked for or dot1qPvid leaves a named port without a VLAN."""
    bridge = await walk("bridge")
    out: dict[str, dict[str, Any]] = {}
    for bp, name in _bridge_to_name(bridge, names).items():
        if (pvid := bridge[PVID].get(bp)) is not None:
            out.setdefault(name, {})["access"] = int(pvid)
    if not need_mode and wanted and wanted <= {canonical(name) for name, values in out.items() if "access" in values}:
        return out
    cisco = await walk("cisco_vlan")
    for index, name in names.items():
        if (vlan := cisco[VM_VLAN].get(index)) is not None:
            out.setdefault(name, {}).setdefault("access", int(vlan))
        if (trunking := cisco[VTP_TRUNK_STATUS].get(index)) is not None:
            out.setdefault(name, {})["mode"] = TRUNK_STATUS.get(int(trunking), str(trunking))
    return out


async def port_facts(walk: Walk, need_vlan: bool, wanted: frozenset[str] = frozenset()) -> Facts:
    status = await walk("status")  # ifName walks along: one series of GETBULKs
    names = _ifnames(status, wanted)
    facts = Facts()
    none: dict[str, Any] = {}  # a column no check asked for
    admins, opers = status.get(IF_ADMIN, none), status.get(IF_OPER, none)
    highs, lows = status.get(IF_HIGH_SPEED, none), status.get(IF_SPEED, none)
    aliases, duplexes = status.get(IF_ALIAS, none), status.get(DOT3_DUPLEX, none)
    for index, name in names.items():
        port = facts.port(name)
        admin, oper = admins.get(index), opers.get(index)
        if admin is not None:
            port["admin"] = "up" if admin == 1 else "down"
        if oper is not None:
            port["status"] = "disabled" if admin == 2 else "up" if oper == 1 else "down"
        if (speed := _speed(highs.get(index), lows.get(index))) is not None:
            port["speed"] = speed
        if (alias := aliases.get(index)) is not None:
            port["description"] = _text(alias)
        if (duplex := duplexes.get(index)) is not None:
            port["duplex"] = DUPLEX.get(int(duplex), str(duplex))
    if need_vlan:
        for name, values in (await _vlans(walk, names, wanted, need_mode=False)).items():
            if "access" in values:
                facts.port(name)["vlan"] = values["access"]
    return facts


async def vlan_facts(walk: Walk, wanted: frozenset[str] = frozenset(), need_mode: bool = True) -> Facts:
    _tables, names = await _port_names(walk, wanted)
    vlans = await _vlans(walk, names, wanted, need_mode)
    facts = Facts()
    for name in names.values():  # a port with no row says so as an error, not as a missing port
        facts.port(name).update(vlans.get(name, {}))
    return facts


async def counter_facts(walk: Walk, wanted: frozenset[str] = frozenset()) -> Facts:
    counters = await walk("counters")  # ifName read along (see counter_walk)
    names = _ifnames(counters, wanted)
    facts = Facts()
    columns = {IF_IN_ERRORS: "input", IF_IN_DISCARDS: "discards", IF_OUT_ERRORS: "output",
               IF_OUT_DISCARDS: "out_discards", DOT3_FCS: "crc"}  # fmt: skip
    for index, name in names.items():
        port = facts.port(name)
        for column, field in columns.items():
            if (value := counters[column].get(index)) is not None:
                port[field] = int(value)
    return facts


async def poe_facts(walk: Walk, wanted: frozenset[str] = frozenset()) -> Facts:
    _tables, names = await _port_names(walk, wanted)
    poe = await walk("poe")
    facts = Facts()
    for index, detection in poe[PETH_DETECTION].items():
        ifindex = index.rsplit(".", 1)[-1]  # group.port, port == ifIndex
        name = names.get(ifindex)
        if name is None:
            continue
        port = facts.port(name)
        port["powered"] = int(detection) == 3
        klass = poe[PETH_CLASS].get(index)
        port["class"] = int(klass) - 1 if klass is not None else "n/a"
        milliwatts = poe[CISCO_PSE_MILLIWATTS].get(index)
        port["watts"] = round(int(milliwatts) / 1000, 1) if milliwatts is not None else 0.0
    return facts


def _lldp_local(
    lldp: dict[str, dict[str, Any]], tables: dict[str, dict[str, Any]], names: dict[str, str]
) -> dict[str, str]:
    """lldpRemLocalPortNum -> port name. lldpLocPortId names the port on most agents, but NX-OS sends
    the port's MAC there, so lldpLocPortDesc is tried too, then the number as an ifIndex (what many
    agents use it as), and an agent with no lldpLocPortTable still gets its neighbors placed."""
    spellings = _spellings(tables, names)
    numbers = {*lldp[LLDP_LOC_PORT_ID], *lldp[LLDP_LOC_PORT_DESC]}
    numbers.update(index.split(".")[1] for index in lldp[LLDP_REM_SYS_NAME] if index.count(".") >= 2)
    out: dict[str, str] = {}
    for number in numbers:
        for column in (LLDP_LOC_PORT_ID, LLDP_LOC_PORT_DESC):
            text = _text(lldp[column].get(number, ""))
            if text and canonical(text) in spellings:
                out[number] = spellings[canonical(text)]
                break
        else:
            if number in names:
                out[number] = names[number]
            elif (port_id := _text(lldp[LLDP_LOC_PORT_ID].get(number, ""))) and not _MAC.fullmatch(port_id):
                out[number] = port_id
    return out


_MAC = re.compile(r"[0-9a-f]{2}(:[0-9a-f]{2}){5}")


# LLDP-MIB LldpSystemCapabilitiesMap (BITS, bit 0 the first octet's high bit) and CDP's capability bits
# (cdpCacheCapabilities, four octets, the CDP message's own mask), named as `golive.checks.portmap.snaps.caps` reads
LLDP_CAPS = ("other", "repeater", "bridge", "wlan access point", "router", "telephone", "docsis", "station")
CDP_CAPS = {0x01: "router", 0x02: "trans-bridge", 0x04: "source-route-bridge", 0x08: "switch", 0x10: "host",
            0x20: "igmp", 0x40: "repeater", 0x80: "phone"}  # fmt: skip
_HEX = re.compile(r"[0-9a-f]{2}(?::[0-9a-f]{2})*")


def _octets(value: Any) -> bytes:
    """The octets of a BITS or OCTET STRING value as client.plain left it (text, or hex when not UTF-8)."""
    text = str(value)
    return bytes.fromhex(text.replace(":", "")) if _HEX.fullmatch(text) else text.encode("utf-8")


def lldp_caps(value: Any) -> str:
    octets = _octets(value)
    bits = [i * 8 + b for i, octet in enumerate(octets) for b in range(8) if octet & (0x80 >> b)]
    return ", ".join(LLDP_CAPS[bit] for bit in bits if bit < len(LLDP_CAPS))


def cdp_caps(value: Any) -> str:
    mask = int.from_bytes(_octets(value), "big")
    return ", ".join(word for bit, word in CDP_CAPS.items() if mask & bit)


async def neighbor_facts(walk: Walk, protocol: str, wanted: frozenset[str] = frozenset(), caps: bool = False) -> Facts:
    """Neighbors per port; with `caps`, each one's capabilities as words (LLDP enabled ones, CDP's) in `caps`."""
    facts = Facts()
    tables, names = await _port_names(walk, wanted)
    capabilities = await walk("neighbor_caps") if caps else {LLDP_REM_SYS_CAP_ENABLED: {}, CDP_CAPABILITIES: {}}
    if protocol in ("lldp", "any"):
        lldp = await walk("lldp")
        local = _lldp_local(lldp, tables, names)
        for index, sysname in lldp[LLDP_REM_SYS_NAME].items():
            parts = index.split(".")  # timeMark.localPortNum.remIndex
            if len(parts) < 3 or parts[1] not in local:
                continue
            port = _text(lldp[LLDP_REM_PORT_ID].get(index, "")) or _text(lldp[LLDP_REM_PORT_DESC].get(index, ""))
            extra = {}
            if (enabled := capabilities[LLDP_REM_SYS_CAP_ENABLED].get(index)) is not None:
                extra["caps"] = lldp_caps(enabled)
            facts.neighbor(
                local[parts[1]], protocol="lldp", device=_text(sysname), port=port,
                platform=_text(lldp[LLDP_REM_SYS_DESC].get(index, "")), **extra,
            )  # fmt: skip
    if protocol in ("cdp", "any"):
        cdp = await walk("cdp")
        for index, device in cdp[CDP_DEVICE_ID].items():
            ifindex = index.split(".")[0]
            if ifindex in names:
                extra = {}
                if (mask := capabilities[CDP_CAPABILITIES].get(index)) is not None:
                    extra["caps"] = cdp_caps(mask)
                facts.neighbor(
                    names[ifindex], protocol="cdp", device=_text(device),
                    port=_text(cdp[CDP_DEVICE_PORT].get(index, "")), platform=_text(cdp[CDP_PLATFORM].get(index, "")),
                    **extra,
                )  # fmt: skip
    return facts


def _learned(status: dict[str, Any], index: str) -> bool:
    """Only learned(3) is a MAC seen on a port: self(4) is the switch's own, mgmt(5) a configured entry,
    other/invalid nothing seen. An agent with no status column at all is taken at its word."""
    return not status or status.get(index) == FDB_LEARNED


async def mac_facts(walk: Walk, wanted: frozenset[str] = frozenset()) -> Facts:
    """Q-BRIDGE dot1qTpFdbTable (indexed by FDB id = VLAN, then MAC), else BRIDGE-MIB dot1dTpFdbTable
    (by MAC only: no VLAN; AOS-CX indexes it by VLAN and MAC) on switches without Q-BRIDGE."""
    _tables, names = await _port_names(walk, wanted)
    to_name = _bridge_to_name(await walk("bridge"), names)
    facts = Facts()
    fdb = await walk("fdb")
    rows: list[tuple[int | None, list[str], Any, bool]] = []
    if fdb[FDB_PORT]:
        for index, bridge_port in fdb[FDB_PORT].items():
            parts = index.split(".")  # fdbId (VLAN).six octets
            if len(parts) == 7:
                rows.append((int(parts[0]), parts[1:], bridge_port, _learned(fdb[FDB_STATUS], index)))
    else:
        fdb1d = await walk("fdb1d")
        for index, bridge_port in fdb1d[DOT1D_FDB_PORT].items():
            parts = index.split(".")  # the MAC; AOS-CX puts the VLAN before it
            if len(parts) in (6, 7):
                vlan = int(parts[0]) if len(parts) == 7 else None
                rows.append((vlan, parts[-6:], bridge_port, _learned(fdb1d[DOT1D_FDB_STATUS], index)))
    for vlan, octets, bridge_port, learned in rows:
        if learned and str(bridge_port) in to_name:
            mac = ":".join(f"{int(octet):02x}" for octet in octets)
            facts.macs.append({"mac": mac, "vlan": vlan, "port": to_name[str(bridge_port)]})
    return facts


async def stp_facts(walk: Walk, wanted: frozenset[str] = frozenset()) -> Facts:
    _tables, names = await _port_names(walk, wanted)
    bridge = await walk("bridge")
    stp = await walk("stp")
    facts = Facts()
    for name in names.values():  # a port with no row says so as an error, not as a missing port
        facts.port(name)
    for bp, name in _bridge_to_name(bridge, names).items():
        if (state := stp[STP_PORT_STATE].get(bp)) is not None:
            facts.port(name)["stp"] = STP_STATES.get(int(state), str(state))
    return facts
