"""The lab's world, generated from a runbook so that every check it holds passes by default.

A rehearsal against the lab should show green until someone injects a fault; so for each check
the generator reads the expectation and picks a value that satisfies it (verified with the same
evaluator the checks use), falling back to a sensible default, logged, when it cannot. Names,
descriptions and system descriptions look like the real thing, per platform.
Phase checks are applied before rollback checks, and the first value set for a field wins, so a
rollback step that expects the opposite of the plan (a port shut) does not undo the plan's world.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

from golive.checks.evaluate import holds
from golive.checks.normalize import speed_mbps
from golive.lab.jacks import endpoints_for, place
from golive.lab.regex_sample import sample
from golive.lab.world import DeviceWorld, Errors, LearnedMac, Neighbor, Poe, Port, Service, SnmpValue, World
from golive.runbook.checks import (
    Check,
    ErrorsCheck,
    JacksCheck,
    MacCheck,
    NeighborCheck,
    PoeCheck,
    PortCheck,
    SnapshotCheck,
    SnmpCheck,
    StateCheck,
    TcpCheck,
    VlanCheck,
)
from golive.runbook.expectations import Expectation
from golive.runbook.ports import expand_ports
from golive.runbook.schema import Device, Runbook

log = logging.getLogger(__name__)

SYS_DESCR = "1.3.6.1.2.1.1.1.0"
SYS_UPTIME = "1.3.6.1.2.1.1.3.0"
SYS_NAME = "1.3.6.1.2.1.1.5.0"
IF_TABLES = ("1.3.6.1.2.1.2.2.1.", "1.3.6.1.2.1.31.1.1.1.")
CDP_CACHE = "1.3.6.1.4.1.9.9.23.1.2.1.1."
LAB_OUI = "0000.5e00"  # IANA's documentation OUI (RFC 7042)

_DESCR = {
    "cisco_ios": "Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.4, "
    "RELEASE SOFTWARE (fc5)\r\nTechnical Support: http://www.cisco.com/techsupport\r\n{model}",
    "cisco_nxos": "Cisco NX-OS(tm) Nexus9000 C93180YC-FX, Software (NXOS 32-bit), Version 10.3(4a), "
    "RELEASE SOFTWARE {model}",
    "arista_eos": "Arista Networks EOS version 4.31.2F running on an Arista Networks {model}",
    "hp_comware": "HPE Comware Platform Software, Software Version 7.1.070, Release 6340 {model}",
    "aruba_aoscx": "Aruba {model} FL.10.13.1010",
}
_MODEL = {
    "cisco_ios": "C9300-48P",
    "cisco_nxos": "N9K-C93180YC-FX",
    "arista_eos": "DCS-720XP-48ZC2",
    "hp_comware": "HPE 5130-48G-PoE+",
    "aruba_aoscx": "JL661A 6300M",
}
_SPEED_BY_PREFIX = {
    "gi": 1000, "ge": 1000, "fa": 100, "tw": 2500, "te": 10000, "xge": 10000, "twe": 25000,
    "fo": 40000, "fge": 40000, "hu": 100000, "po": 20000, "port-channel": 20000, "bagg": 20000,
    "twentyfivegige": 25000, "tengigabitethernet": 10000, "gigabitethernet": 1000,
}  # fmt: skip


def world_for(runbook: Runbook) -> World:
    """Every inventory device, every port a check names, values that make the checks pass."""
    builder = _Builder(runbook)
    checks = [c for phase in runbook.phases for task in phase.tasks for c in task.checks]
    rollback = [c for plan in runbook.rollback.values() for step in plan.steps for c in step.checks]
    ordered = checks + rollback
    for check in ordered:
        if not isinstance(check, MacCheck | TcpCheck):
            builder.apply(check)
    for check in ordered:  # MACs last: their VLAN defaults to the port's access VLAN
        if isinstance(check, MacCheck | TcpCheck):
            builder.apply(check)
    builder.finish()
    if runbook.portmap is not None:
        builder.world.jacks = endpoints_for(runbook.portmap, builder.world, builder.set_fields)
        place(builder.world)
    return builder.world


def new_port(platform: str, name: str, existing: dict[str, Port]) -> Port:
    """A port as the generator makes one: a stable ifIndex, the speed its name says."""
    return Port(ifindex=_ifindex(platform, name, existing), speed_mbps=_speed(name))


def hostname_for(name: str, device: Device) -> str:
    """The hostname a real device would print: the description's first word when it looks like one."""
    if device.description:
        first = re.split(r"[\s,;(]", device.description.strip(), maxsplit=1)[0]
        if re.fullmatch(r"[A-Za-z][A-Za-z0-9-]{1,62}", first) and any(ch.isdigit() for ch in first):
            return first
    return name.upper()


def sys_descr_for(platform: str, device: Device) -> str:
    model = _MODEL.get(platform, platform)
    if device.description:
        found = re.search(r"\b(C9\d{3}[A-Z0-9-]*|N9K-\S+|\d{4}[A-Z]?[-\w+]*|DCS-\S+|720XP\S*)", device.description)
        if found:
            model = found.group(1).rstrip(",")
    template = _DESCR.get(platform, "{model}")
    return template.format(model=model)


class _Builder:
    def __init__(self, runbook: Runbook) -> None:
        self.runbook = runbook
        self.world = World(runbook_id=runbook.runbook.id)
        self.set_fields: set[tuple[str, str, str]] = set()  # (device, port, field) already decided
        self.mac_serial = 0
        self.hostnames = {name: hostname_for(name, dev) for name, dev in runbook.inventory.items()}
        for name, dev in runbook.inventory.items():
            self.world.devices[name] = DeviceWorld(
                platform=dev.platform, hostname=self.hostnames[name], sys_descr=sys_descr_for(dev.platform, dev)
            )

    # ---- helpers
    def port(self, device: str, name: str) -> Port:
        ports = self.world.devices[device].ports
        if name not in ports:
            ports[name] = new_port(self.world.devices[device].platform, name, ports)
        return ports[name]

    def first(self, device: str, port: str, field: str) -> bool:
        """True the first time a field of a port is decided; later checks do not override it."""
        key = (device, port, field)
        if key in self.set_fields:
            return False
        self.set_fields.add(key)
        return True

    def pick(self, exp: Expectation | None, field: str, candidates: Iterable[Any], what: str) -> Any:
        options = list(candidates)
        if exp is None:
            return options[0]
        extra = [*_literals(exp), *_numbers_near(exp)]
        if exp.regex is not None:
            extra += [sample(exp.regex, i) for i in range(3)]
        for value in [*options, *extra]:
            if value is None and field not in ("voice",):
                continue
            try:
                if holds(exp, value, field, baseline=value):
                    return value
            except (TypeError, ValueError):
                continue
        log.warning("lab: no value satisfies %s for %s; using %r", _show(exp), what, options[0])
        return options[0]

    # ---- per kind
    def apply(self, check: Check) -> None:
        handler: dict[type, Callable[[Any], None]] = {
            PortCheck: self._port,
            VlanCheck: self._vlan,
            PoeCheck: self._poe,
            NeighborCheck: self._neighbor,
            ErrorsCheck: self._errors,
            StateCheck: self._state,
            MacCheck: self._mac,
            SnmpCheck: self._snmp,
            TcpCheck: self._tcp,
            SnapshotCheck: _nothing,  # the port map's checks read what the endpoints (golive.lab.jacks) make
            JacksCheck: _nothing,
        }
        handler[type(check)](check)

    def _port(self, check: PortCheck) -> None:
        e = check.expect
        for index, name in enumerate(check.port_list()):
            p = self.port(check.device, name)
            what = f"{check.device} {name}"
            if e.admin is not None and self.first(check.device, name, "admin"):
                down = self.pick(e.admin, "admin", ["up", "down"], what) == "down"
                # a status decided earlier (the plan's, before a rollback step's shut) wins
                if down and self.first(check.device, name, "status"):
                    p.status = "disabled"
            if e.status is not None and self.first(check.device, name, "status"):
                status = self.pick(e.status, "status", ["up", "connected", "down", "notconnect", "disabled"], what)
                p.status = {"connected": "up", "notconnect": "down"}.get(status, status)
            if e.speed is not None and self.first(check.device, name, "speed"):
                speeds = [p.speed_mbps, 1000, 10000, 25000, 100, 40000, 100000]
                value = self.pick(e.speed, "speed", speeds, what)
                p.speed_mbps = int(speed_mbps(value) or p.speed_mbps)
            if e.duplex is not None and self.first(check.device, name, "duplex"):
                p.duplex = self.pick(e.duplex, "duplex", ["full", "half", "auto"], what)
            if e.description is not None and self.first(check.device, name, "description"):
                p.description = str(self.pick(e.description, "description", [], what) or "")[:40]
                if e.description.regex is not None:
                    p.description = _first_matching(e.description.regex, index, p.description)
            if e.vlan is not None and self.first(check.device, name, "access"):
                p.access_vlan = int(self.pick(e.vlan, "vlan", [p.access_vlan, 1, 10, 100], what))

    def _vlan(self, check: VlanCheck) -> None:
        e = check.expect
        for name in check.port_list():
            p = self.port(check.device, name)
            what = f"{check.device} {name}"
            if e.mode is not None and self.first(check.device, name, "mode"):
                p.mode = self.pick(e.mode, "mode", ["access", "trunk"], what)
            if (e.trunk_allowed is not None or e.native is not None) and (
                check.device,
                name,
                "mode",
            ) not in self.set_fields:
                p.mode = "trunk"
                self.set_fields.add((check.device, name, "mode"))
            if e.access is not None and self.first(check.device, name, "access"):
                p.access_vlan = int(self.pick(e.access, "access", [p.access_vlan, 1, 10, 100], what))
            if e.voice is not None and self.first(check.device, name, "voice"):
                p.voice_vlan = self.pick(e.voice, "voice", [None, 100, 120], what)
            if e.native is not None and self.first(check.device, name, "native"):
                p.native_vlan = int(self.pick(e.native, "native", [1, 999], what))
            if e.trunk_allowed is not None:
                p.trunk_allowed = _trunk_allowed(p.trunk_allowed, e.trunk_allowed, what)

    def _poe(self, check: PoeCheck) -> None:
        e = check.expect
        for name in check.port_list():
            p = self.port(check.device, name)
            what = f"{check.device} {name}"
            poe = p.poe or Poe()
            if e.powered is not None and self.first(check.device, name, "powered"):
                poe.powered = bool(self.pick(e.powered, "powered", [True, False], what))
            if e.class_ is not None and self.first(check.device, name, "class"):
                poe.class_ = int(self.pick(e.class_, "class", [4, 3, 2, 1, 0, 5, 6, 7, 8], what))
            if e.watts is not None and self.first(check.device, name, "watts"):
                typical = {0: 12.95, 1: 3.8, 2: 6.5, 3: 12.95, 4: 25.5}.get(poe.class_, 30.0)
                poe.watts = float(self.pick(e.watts, "watts", [typical, 15.4, 6.5, 13.9, 25.5, 30.0, 4.0], what))
            elif poe.powered and self.first(check.device, name, "watts"):
                poe.watts = {1: 3.8, 2: 6.5, 3: 12.95}.get(poe.class_, 15.4)
            p.poe = poe

    def _neighbor(self, check: NeighborCheck) -> None:
        e = check.expect
        platform = self.world.devices[check.device].platform
        protocols = ["lldp"] if check.protocol == "lldp" or not platform.startswith("cisco") else ["cdp"]
        if check.protocol == "any" and platform.startswith("cisco"):
            protocols = ["cdp", "lldp"]
        for index, name in enumerate(check.port_list()):
            p = self.port(check.device, name)
            what = f"{check.device} {name} neighbor"
            candidates = list(self.hostnames.values())
            if e.device is not None and e.device.regex is not None:
                candidates.append(sample(e.device.regex, index))
            device = str(self.pick(e.device, "device", [*candidates, "SW-NEIGHBOR-01"], what))
            peer = next((n for n, h in self.hostnames.items() if h == device), None)
            peer_port = self._peer_port(peer, check.device)
            port = str(self.pick(e.port, "port", [peer_port, "GigabitEthernet0", "Ethernet1/1"], what + " port"))
            descr = self.world.devices[peer].sys_descr if peer else _endpoint_descr(device)
            extra = [descr, *(f"Cisco AP {x}" for x in [_literal_text(e.platform)] if x)]
            plat = str(self.pick(e.platform, "platform", extra, what + " platform"))
            for protocol in protocols:
                if not any(n.protocol == protocol for n in p.neighbors):
                    p.neighbors.append(Neighbor(protocol=protocol, device=device, port=port, platform=plat))

    def _peer_port(self, peer: str | None, local: str) -> str:
        if peer is None:
            return "GigabitEthernet0"
        platform = self.world.devices[peer].platform
        return {"cisco_nxos": "Ethernet1/1", "arista_eos": "Ethernet1", "aruba_aoscx": "1/1/49"}.get(
            platform, "TenGigabitEthernet1/1/1"
        )

    def _errors(self, check: ErrorsCheck) -> None:
        e = check.expect
        for name in check.port_list():
            p = self.port(check.device, name)
            counters: dict[str, int] = p.errors.model_dump()
            for field in Errors.model_fields:
                exp = getattr(e, field)
                if exp is not None and self.first(check.device, name, f"errors.{field}"):
                    counters[field] = int(self.pick(exp, field, [0, 1, 5, 10, 100], f"{check.device} {name} {field}"))
            p.errors = Errors(**counters)

    def _state(self, check: StateCheck) -> None:
        e = check.expect
        for name in check.port_list():
            p = self.port(check.device, name)
            what = f"{check.device} {name}"
            if (
                e.err_disabled is not None
                and self.first(check.device, name, "err_disabled")
                and self.pick(e.err_disabled, "err_disabled", [False, True], what) is True
            ):
                p.status = "err-disabled"
            if e.stp is not None and self.first(check.device, name, "stp"):
                p.stp = self.pick(e.stp, "stp", ["forwarding", "blocking", "disabled", "learning", "listening"], what)

    def _mac(self, check: MacCheck) -> None:
        e = check.expect
        if check.mac is not None:  # where is this MAC learned?
            where = _literal_text(e.port) if e.port is not None else None
            if where is None:
                log.warning("lab: no port given for MAC %s on %s; not placed", check.mac, check.device)
                return
            p = self.port(check.device, where)
            vlan = int(self.pick(e.vlan, "vlan", [p.access_vlan], f"{check.device} {where} vlan"))
            self._learn(p, _concrete_mac(check.mac, self._serial()), vlan)
            return
        names = [check.port] if check.port else expand_ports(check.ports) if check.ports else []
        for name in names:
            p = self.port(check.device, name)
            what = f"{check.device} {name} MAC"
            vlan = int(self.pick(e.vlan, "vlan", [p.access_vlan, 1], what))
            if e.mac is not None:
                pattern = _literal_text(e.mac) or f"{LAB_OUI}.0000"
                self._learn(p, _concrete_mac(pattern, self._serial()), vlan)
            want = int(self.pick(e.count, "count", [max(1, len(p.macs)), 1, 2, 0, 3, 5], what + " count"))
            while len(p.macs) < want:
                self._learn(p, _concrete_mac(LAB_OUI, self._serial()), vlan)
            if p.macs and p.status == "down" and (check.device, name, "status") not in self.set_fields:
                p.status = "up"  # a switch learns MACs on a port with link only (no check decided otherwise)

    def _serial(self) -> int:
        self.mac_serial += 1
        return self.mac_serial

    @staticmethod
    def _learn(port: Port, mac: str, vlan: int) -> None:
        if not any(m.mac == mac for m in port.macs):
            port.macs.append(LearnedMac(mac=mac, vlan=vlan))

    def _snmp(self, check: SnmpCheck) -> None:
        device = self.world.devices[check.device]
        oid = check.oid
        what = f"{check.device} {oid}"
        if oid == SYS_DESCR and check.expect is not None:
            descr = self.pick(check.expect, "", [device.sys_descr], what)
            device.sys_descr = str(descr)
        elif oid == SYS_NAME and check.expect is not None:
            name = self.pick(check.expect, "", [device.hostname, device.hostname.lower()], what)
            if str(name) != device.hostname:
                device.extra_oids[oid] = SnmpValue(tag=4, value=str(name))
        elif oid == SYS_UPTIME and check.expect is not None:
            ticks = self.pick(check.expect, "", [device.uptime_s * 100, 864000000, 360000, 6000, 100], what)
            device.uptime_s = max(1, int(ticks) // 100)
        elif (check.walk and oid.startswith(IF_TABLES)) or oid + "." in IF_TABLES:
            want = int(self.pick(check.count, "count", [len(device.ports), 48, 52, 24, 1], what))
            self._pad_ports(check.device, want)
        elif check.walk and (oid + ".").startswith(CDP_CACHE):
            want = int(self.pick(check.count, "count", [self._cdp_count(device), 1, 30, 48], what))
            self._pad_cdp(check.device, want)
        elif check.walk:
            rows = int(self.pick(check.count, "count", [1, 2, 3, 4, 8], what)) if check.count else 1
            value = self.pick(check.expect, "", [4, 1, 0, 100, "up"], what) if check.expect else 1
            for row in range(1, rows + 1):
                suffix = f"{1000 * row + 1}" if oid.startswith("1.3.6.1.4.1.9.9.500") else str(row)
                device.extra_oids[f"{oid}.{suffix}"] = _snmp_value(value)
        elif check.expect is not None:
            device.extra_oids[oid] = _snmp_value(self.pick(check.expect, "", [1, 0, 4, 100, "up"], what))

    def _pad_ports(self, device: str, want: int) -> None:
        ports = self.world.devices[device].ports
        head = _common_head(ports) or {"cisco_nxos": "Eth1/", "arista_eos": "Ethernet"}.get(
            self.world.devices[device].platform, "Gi1/0/"
        )
        number = 1
        while len(ports) < want:
            name = f"{head}{number}"
            if name not in ports:
                self.port(device, name).status = "down"
            number += 1

    @staticmethod
    def _cdp_count(device: DeviceWorld) -> int:
        return sum(1 for p in device.ports.values() for n in p.neighbors if n.protocol == "cdp")

    def _pad_cdp(self, device: str, want: int) -> None:
        """Phones on voice ports (or any access port) announce themselves over CDP, as they do."""
        dev = self.world.devices[device]
        ranked = sorted(dev.ports.items(), key=lambda kv: (kv[1].voice_vlan is None, kv[1].ifindex))
        for _name, port in ranked:
            if self._cdp_count(dev) >= want:
                return
            if port.status == "up" and not any(n.protocol == "cdp" for n in port.neighbors):
                serial = f"{port.ifindex:06X}"
                port.neighbors.append(
                    Neighbor(protocol="cdp", device=f"SEP00005E{serial}", port="Port 1", platform="Cisco IP Phone 8845")
                )
        if self._cdp_count(dev) < want:
            log.warning("lab: only %d CDP neighbors on %s (a check wants %d)", self._cdp_count(dev), device, want)

    def _tcp(self, check: TcpCheck) -> None:
        host = check.host or self.runbook.inventory[check.device or ""].host
        key = f"{host}:{check.port}"
        if key not in self.world.services:
            self.world.services[key] = Service(up=check.expect.reachable)

    def finish(self) -> None:
        """Powered ports carry a device; a powered voice port shows its phone over CDP."""
        for name, dev in self.world.devices.items():
            if dev.platform.startswith("cisco"):
                for port in dev.ports.values():
                    if port.voice_vlan is not None and port.poe and port.poe.powered and not port.neighbors:
                        serial = f"{port.ifindex:06X}"
                        port.neighbors.append(
                            Neighbor(protocol="cdp", device=f"SEP00005E{serial}", port="Port 1",
                                     platform="Cisco IP Phone 8845")
                        )  # fmt: skip
            log.debug("lab: %s has %d ports", name, len(dev.ports))


# ---- value helpers


def _nothing(_check: Check) -> None:
    return None


def _ifindex(platform: str, name: str, existing: dict[str, Port]) -> int:
    """Stable: derived from the name's numbers (Gi2/0/10 -> 20010), unique within the device."""
    numbers = [int(n) for n in re.findall(r"\d+", name)]
    base = 0
    for n in numbers:
        base = base * 100 + n
    prefix = re.match(r"[A-Za-z-]*", name)
    offset = {"po": 500000, "port-channel": 500000, "bagg": 500000, "lag": 500000}.get(
        prefix.group(0).lower() if prefix else "", 0
    )
    index = (base % 1_000_000 or 1) + offset + (1_000_000 if platform == "cisco_nxos" and not offset else 0)
    used = {p.ifindex for p in existing.values()}
    while index in used:
        index += 1_000_000
    return index


def _speed(name: str) -> int:
    prefix = (re.match(r"[A-Za-z-]*", name) or re.match("", "")).group(0).lower()  # type: ignore[union-attr]
    if prefix in _SPEED_BY_PREFIX:
        return _SPEED_BY_PREFIX[prefix]
    if prefix in ("eth", "ethernet", "et"):
        return 10000
    return 1000


def _literals(exp: Expectation) -> list[Any]:
    values: list[Any] = []
    if exp.equals is not None:
        values.append(exp.equals)
    values += list(exp.in_ or [])
    if exp.contains is not None:
        values.append(exp.contains)
    return values


def _literal_text(exp: Expectation | None) -> str | None:
    if exp is None:
        return None
    for value in _literals(exp):
        return str(value)
    return sample(exp.regex, 0) if exp.regex else None


def _numbers_near(exp: Expectation) -> list[float]:
    numbers: list[float] = []
    for bound, step in ((exp.ge, 0.0), (exp.gt, 1.0), (exp.le, 0.0), (exp.lt, -1.0)):
        if bound is not None:
            numbers.append(bound + step)
    if exp.range is not None:
        numbers += [(exp.range[0] + exp.range[1]) / 2, exp.range[0]]
    return numbers


def _trunk_allowed(current: str, exp: Expectation, what: str) -> str:
    if exp.equals is not None:
        return str(exp.equals)
    vlans = set() if current in ("1-4094", "ALL") else {int(v) for v in current.split(",") if v.isdigit()}
    for value in [exp.contains, *(exp.in_ or [])]:
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            vlans.add(int(value))
    if not vlans:
        log.warning("lab: trunk_allowed for %s kept at %s", what, current)
        return current
    return ",".join(str(v) for v in sorted(vlans | {1}))


def _concrete_mac(pattern: str, serial: int) -> str:
    """A full MAC for `pattern` (a MAC, or an OUI like 00:1b:44 / 00:1b:44:*), dotted."""
    digits = re.sub(r"[^0-9a-fA-F]", "", pattern.replace("*", "")).lower()
    digits = digits[:12] if len(digits) >= 12 else (digits[:6] + f"{serial:06x}")[:12]
    return f"{digits[0:4]}.{digits[4:8]}.{digits[8:12]}"


def _snmp_value(value: Any) -> SnmpValue:
    if isinstance(value, bool):
        return SnmpValue(tag=2, value="1" if value else "2")
    if isinstance(value, int | float):
        return SnmpValue(tag=2, value=str(int(value)))
    return SnmpValue(tag=4, value=str(value))


def _endpoint_descr(device: str) -> str:
    if device.upper().startswith("AP"):
        return "Cisco AP Software, C9120AXI-B, Version 17.9.4"
    if device.upper().startswith("SEP"):
        return "Cisco IP Phone 8845"
    return "Cisco IOS Software, Version 17.9.4"


def _common_head(ports: dict[str, Port]) -> str:
    heads: dict[str, int] = {}
    for name in ports:
        match = re.match(r"^(.*?)(\d+)$", name)
        if match:
            heads[match.group(1)] = heads.get(match.group(1), 0) + 1
    return max(heads, key=lambda h: heads[h]) if heads else ""


def _first_matching(regex: str, index: int, fallback: str) -> str:
    for seed in (index, 0):
        text = sample(regex, seed, fill="A")
        if re.fullmatch(regex, text):
            return text
    return fallback


def _show(exp: Expectation) -> str:
    return exp.model_dump_json(exclude_none=True, by_alias=True)
