"""MIB tables turned into Facts: IF-MIB, EtherLike, BRIDGE/Q-BRIDGE, POWER-ETHERNET, LLDP, CDP.

Numeric OIDs only (no MIB files needed on a laptop in a closet). Each kind of check names the
column groups it needs; a group is read once per device per batch and shared by every check
that needs it (see golive.checks.engine). The groups indexed by ifIndex (port status, error
counters) are read only for the ports the checks name, by GET once their ifIndexes are known.
What a kind cannot learn over SNMP is listed in SNMP_FIELDS so the engine can send that check
over SSH instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from golive.checks import normalize
from golive.checks.facts import Facts
from golive.checks.ifnames import canonical

if TYPE_CHECKING:
    from golive.checks.snmp.client import SnmpClient

IF_NAME = "1.3.6.1.2.1.31.1.1.1.1"
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
PVID = "1.3.6.1.2.1.17.7.1.4.5.1.1"
PETH_ADMIN = "1.3.6.1.2.1.105.1.1.1.3"
PETH_DETECTION = "1.3.6.1.2.1.105.1.1.1.6"
PETH_CLASS = "1.3.6.1.2.1.105.1.1.1.10"
CISCO_PSE_MILLIWATTS = "1.3.6.1.4.1.9.9.402.1.2.1.11"
LLDP_LOC_PORT_ID = "1.0.8802.1.1.2.1.3.7.1.3"
LLDP_REM_PORT_ID = "1.0.8802.1.1.2.1.4.1.1.7"
LLDP_REM_PORT_DESC = "1.0.8802.1.1.2.1.4.1.1.8"
LLDP_REM_SYS_NAME = "1.0.8802.1.1.2.1.4.1.1.9"
LLDP_REM_SYS_DESC = "1.0.8802.1.1.2.1.4.1.1.10"
CDP_DEVICE_ID = "1.3.6.1.4.1.9.9.23.1.2.1.1.6"
CDP_DEVICE_PORT = "1.3.6.1.4.1.9.9.23.1.2.1.1.7"
CDP_PLATFORM = "1.3.6.1.4.1.9.9.23.1.2.1.1.8"

# column groups, each walked in one series of GETBULKs
GROUPS: dict[str, tuple[str, ...]] = {
    "names": (IF_NAME,),
    "status": (IF_NAME, IF_ADMIN, IF_OPER, IF_HIGH_SPEED, IF_ALIAS, DOT3_DUPLEX),
    "counters": (IF_IN_ERRORS, IF_IN_DISCARDS, IF_OUT_ERRORS, IF_OUT_DISCARDS, DOT3_FCS),
    "bridge": (BASE_PORT_IFINDEX, PVID),
    "stp": (STP_PORT_STATE,),
    "fdb": (FDB_PORT,),
    "poe": (PETH_ADMIN, PETH_DETECTION, PETH_CLASS, CISCO_PSE_MILLIWATTS),
    "lldp": (LLDP_LOC_PORT_ID, LLDP_REM_PORT_ID, LLDP_REM_PORT_DESC, LLDP_REM_SYS_NAME, LLDP_REM_SYS_DESC),
    "cdp": (CDP_DEVICE_ID, CDP_DEVICE_PORT, CDP_PLATFORM),
}

# what each kind can learn over SNMP (anything else goes over SSH)
SNMP_FIELDS: dict[str, frozenset[str]] = {
    "port": frozenset({"status", "admin", "speed", "duplex", "description", "vlan"}),
    "vlan": frozenset({"access"}),
    "poe": frozenset({"powered", "class", "watts"}),
    "neighbor": frozenset({"device", "port", "platform"}),
    "mac": frozenset({"mac", "count", "port", "vlan"}),
    "errors": frozenset({"input", "crc", "output", "discards", "out_discards"}),
    "state": frozenset({"stp"}),
}

# the IF-MIB columns each field of a port check is read from (ifName always walks along)
PORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "status": (IF_ADMIN, IF_OPER), "admin": (IF_ADMIN,), "speed": (IF_HIGH_SPEED,),
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


def _ifnames(tables: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {index: str(name) for index, name in tables[IF_NAME].items()}


def _bridge_to_name(bridge: dict[str, dict[str, Any]], names: dict[str, str]) -> dict[str, str]:
    return {bp: names[str(ifx)] for bp, ifx in bridge[BASE_PORT_IFINDEX].items() if str(ifx) in names}


async def port_facts(walk: Walk, need_vlan: bool) -> Facts:
    status = await walk("status")  # ifName walks along: one series of GETBULKs
    names = _ifnames(status)
    facts = Facts()
    none: dict[str, Any] = {}  # a column no check asked for
    admins, opers = status.get(IF_ADMIN, none), status.get(IF_OPER, none)
    speeds, aliases, duplexes = (
        status.get(IF_HIGH_SPEED, none),
        status.get(IF_ALIAS, none),
        status.get(DOT3_DUPLEX, none),
    )
    for index, name in names.items():
        port = facts.port(name)
        admin, oper = admins.get(index), opers.get(index)
        if admin is not None:
            port["admin"] = "up" if admin == 1 else "down"
        if oper is not None:
            port["status"] = "disabled" if admin == 2 else "up" if oper == 1 else "down"
        if (mbps := speeds.get(index)) is not None:
            port["speed"] = normalize.speed_text(float(mbps)) if mbps else "auto"
        if (alias := aliases.get(index)) is not None:
            port["description"] = str(alias)
        if (duplex := duplexes.get(index)) is not None:
            port["duplex"] = {1: "unknown", 2: "half", 3: "full"}.get(int(duplex), str(duplex))
    if need_vlan:
        bridge = await walk("bridge")
        for bp, name in _bridge_to_name(bridge, names).items():
            if (pvid := bridge[PVID].get(bp)) is not None:
                facts.port(name)["vlan"] = facts.port(name)["access"] = int(pvid)
    return facts


async def vlan_facts(walk: Walk) -> Facts:
    names = _ifnames(await walk("names"))
    bridge = await walk("bridge")
    facts = Facts()
    for bp, name in _bridge_to_name(bridge, names).items():
        if (pvid := bridge[PVID].get(bp)) is not None:
            facts.port(name)["access"] = int(pvid)
    return facts


async def counter_facts(walk: Walk) -> Facts:
    counters = await walk("counters")  # ifName read along (see counter_walk)
    names = _ifnames(counters)
    facts = Facts()
    columns = {IF_IN_ERRORS: "input", IF_IN_DISCARDS: "discards", IF_OUT_ERRORS: "output",
               IF_OUT_DISCARDS: "out_discards", DOT3_FCS: "crc"}  # fmt: skip
    for index, name in names.items():
        port = facts.port(name)
        for column, field in columns.items():
            if (value := counters[column].get(index)) is not None:
                port[field] = int(value)
    return facts


async def poe_facts(walk: Walk) -> Facts:
    names = _ifnames(await walk("names"))
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


async def neighbor_facts(walk: Walk, protocol: str) -> Facts:
    facts = Facts()
    if protocol in ("lldp", "any"):
        lldp = await walk("lldp")
        local = {num: str(name) for num, name in lldp[LLDP_LOC_PORT_ID].items()}
        for index, sysname in lldp[LLDP_REM_SYS_NAME].items():
            parts = index.split(".")  # timeMark.localPortNum.remIndex
            if len(parts) < 3 or parts[1] not in local:
                continue
            facts.neighbor(
                local[parts[1]], protocol="lldp", device=str(sysname),
                port=str(lldp[LLDP_REM_PORT_ID].get(index) or lldp[LLDP_REM_PORT_DESC].get(index) or ""),
                platform=str(lldp[LLDP_REM_SYS_DESC].get(index) or ""),
            )  # fmt: skip
    if protocol in ("cdp", "any"):
        names = _ifnames(await walk("names"))
        cdp = await walk("cdp")
        for index, device in cdp[CDP_DEVICE_ID].items():
            ifindex = index.split(".")[0]
            if ifindex in names:
                facts.neighbor(
                    names[ifindex], protocol="cdp", device=str(device),
                    port=str(cdp[CDP_DEVICE_PORT].get(index) or ""), platform=str(cdp[CDP_PLATFORM].get(index) or ""),
                )  # fmt: skip
    return facts


async def mac_facts(walk: Walk) -> Facts:
    names = _ifnames(await walk("names"))
    bridge = await walk("bridge")
    fdb = await walk("fdb")
    to_name = _bridge_to_name(bridge, names)
    facts = Facts()
    for index, bridge_port in fdb[FDB_PORT].items():
        parts = index.split(".")  # fdbId (VLAN).six octets
        if len(parts) != 7 or str(bridge_port) not in to_name:
            continue
        mac = ":".join(f"{int(octet):02x}" for octet in parts[1:])
        facts.macs.append({"mac": mac, "vlan": int(parts[0]), "port": to_name[str(bridge_port)]})
    return facts


async def stp_facts(walk: Walk) -> Facts:
    names = _ifnames(await walk("names"))
    bridge = await walk("bridge")
    stp = await walk("stp")
    facts = Facts()
    for bp, name in _bridge_to_name(bridge, names).items():
        if (state := stp[STP_PORT_STATE].get(bp)) is not None:
            facts.port(name)["stp"] = normalize.stp(str(state))
    return facts
