"""The port map played by the lab: one endpoint per jack, on its old port before the patch, its new one after.

Why endpoints and not port values: a re-patch moves things, not settings. A phone carries its MACs,
its CDP/LLDP identity and its power draw from the old switch to the new one; the ports keep their
configuration (VLANs). So the lab keeps each jack's endpoint in the world (World.jacks) with the
port its cord is on, and `place` lays every mapped port out from that: a port with an endpoint is
up, learns its MACs in the port's VLANs (the phone's own in the voice VLAN), shows its neighbor and
powers it; a mapped port with none is down and empty. The SSH and SNMP peers render the result,
so both transports agree. A patch, a crossed pair of cords or a forgotten jack is a change of `at`;
a port left in the wrong VLAN or without power is a change of the port (undone by `--clear`).

Identities are deterministic: the map's MAC, else a MAC the runbook's checks expect on the new port,
else a locally administered one derived from the jack label; a neighbor or a power draw a check
expects on the new port is the endpoint's own, so the runbook's checks pass after the patch.
A modality is silent (no MAC learned) unless a check expects its MAC.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable

from golive.checks.ifnames import canonical
from golive.checks.portmap.judge import mac_key
from golive.lab.ssh_outputs.names import dotted_mac
from golive.lab.world import JackWorld, LearnedMac, Neighbor, Poe, Port, World
from golive.problems import GoliveError
from golive.runbook.portmap import PortMap

FILLER_OUI = "00005e00"  # the generator's own MACs for count checks (golive.lab.generate.LAB_OUI)
DATA_VLAN = {"ap": 130, "printer": 150, "modality": 140}  # else 120; voice 121 (when the map and checks say nothing)
DEFAULT_DATA, DEFAULT_VOICE = 120, 121
WRONG_VLAN = 1  # the `vlan` fault: a new port left in the default VLAN (its config never applied)
PATCH_FAULTS = ("swap", "forget", "vlan", "nopower")
KINDS = {"workstation": "pc", "computer": "pc", "pc": "pc", "phone": "phone", "ap": "ap", "printer": "printer",
         "modality": "modality"}  # fmt: skip


class PatchError(GoliveError):
    """A patch fault that does not fit this lab's port map (exit 2: a usage mistake)."""

    exit_code = 2


def endpoints_for(portmap: PortMap, world: World, decided: set[tuple[str, str, str]]) -> dict[str, JackWorld]:
    """Each jack's endpoint, at its old port (or unplugged for a new build). Ports are created when
    missing and configured (mode, VLANs) unless a check decided them; `decided` holds the
    generator's (device, port, field) choices."""
    jacks: dict[str, JackWorld] = {}
    used: set[str] = set()
    for jack in portmap.jacks:
        kind = KINDS.get((jack.kind or "pc").strip().lower(), "pc")
        new = (jack.new_device, _port_name(world, *jack.new))
        new_port = _port(world, *new)
        old = (jack.old[0], _port_name(world, *jack.old)) if jack.old is not None else None
        data = jack.vlan or (new_port.access_vlan if (*new, "access") in decided else DATA_VLAN.get(kind, DEFAULT_DATA))
        voice = jack.voice_vlan or (new_port.voice_vlan if (*new, "voice") in decided else None)
        if kind == "phone" and voice is None:
            voice = DEFAULT_VOICE
        for device, port in [new, *([old] if old else [])]:
            _configure(_port(world, device, port), device, port, decided, data, voice)
        if old is not None and (*old, "description") not in decided:
            _port(world, *old).description = jack.jack[:40]  # a tidy closet labels the port as the plate
        expected = [m.mac for m in new_port.macs if not mac_key(m.mac).startswith(FILLER_OUI)]
        primary = jack.mac if jack.mac and len(mac_key(jack.mac)) == 12 else (expected[0] if expected else None)
        first = dotted_mac(primary) if primary else _derived(jack.jack, jack.mac, 0x02, used)
        used.add(mac_key(first))
        macs = [(first, "voice" if kind == "phone" else "data")]
        if kind == "phone":
            behind = _derived(jack.jack, None, 0x06, used)
            used.add(mac_key(behind))
            macs.append((behind, "data"))
        jacks[jack.jack] = JackWorld(
            kind=kind, old=old, new=new, at=old, macs=macs, silent=kind == "modality" and not expected,
            neighbor=_neighbor(kind, jack.jack, first, new_port), poe=_poe(kind, new_port),
        )  # fmt: skip
    return jacks


def place(world: World) -> World:
    """Lay out every mapped port from where the endpoints are (in place; returns `world`)."""
    mapped = {(d, p) for j in world.jacks.values() for d, p in [j.new, *([j.old] if j.old else [])]}
    for device, name in mapped:
        _empty(world.devices[device].ports[name])
    for jack in world.jacks.values():
        if jack.at is not None:
            _plug(world, jack)
    return world


def patch(world: World, faults: Iterable[str] = ()) -> tuple[World, list[str]]:
    """A copy of `world` with every endpoint on its new port, then the faults: `swap[:A,B]`,
    `forget[:A]`, `vlan[:A]`, `nopower[:A]`. Returns the world and one line per fault saying which
    jacks it hit."""
    if not world.jacks:
        raise PatchError("this lab has no port map: its runbook names no `portmap`")
    new = world.model_copy(deep=True)
    for jack in new.jacks.values():
        jack.at = jack.new
    said: list[str] = []
    taken: set[str] = set()  # jacks an earlier fault hit: a default pick goes elsewhere
    for text in faults:
        kind, _, arg = text.partition(":")
        labels = [a.strip() for a in arg.split(",") if a.strip()]
        if kind not in PATCH_FAULTS:
            raise PatchError(f"unknown patch fault {text!r}: one of {', '.join(PATCH_FAULTS)} (e.g. swap:A,B)")
        for label in labels:
            if label not in new.jacks:
                known = ", ".join(list(new.jacks)[:6]) + (" ..." if len(new.jacks) > 6 else "")
                raise PatchError(f"no jack {label!r} in the port map; jacks: {known}")
        said.append(_fault(new, kind, labels, taken))
    return place(new), said


def unpatch(world: World) -> World:
    """A copy of `world` with every endpoint back on its old port (unplugged for a new build)."""
    new = world.model_copy(deep=True)
    for jack in new.jacks.values():
        jack.at = jack.old
    return place(new)


def _fault(world: World, kind: str, labels: list[str], taken: set[str]) -> str:
    jacks = world.jacks
    if kind == "swap":
        if not labels:
            labels = _pick_pair(world, taken)
        if len(labels) != 2 or labels[0] == labels[1]:
            raise PatchError("swap takes two different jacks: swap:A,B")
        taken.update(labels)
        a, b = jacks[labels[0]], jacks[labels[1]]
        a.at, b.at = b.new, a.new
        return (
            f"swap: the cords of jacks {labels[0]} and {labels[1]} are crossed "
            f"({labels[0]} is on {a.at[0]} {a.at[1]}, {labels[1]} on {b.at[0]} {b.at[1]})"
        )
    label = _one(world, kind, labels, taken)
    taken.add(label)
    jack = jacks[label]
    if kind == "forget":
        if jack.old is None:
            raise PatchError(f"jack {label} has no old port to be left on")
        jack.at = jack.old
        return f"forget: jack {label} left on the old switch ({jack.old[0]} {jack.old[1]})"
    port = world.devices[jack.new[0]].ports[jack.new[1]]
    if kind == "vlan":
        port.access_vlan = WRONG_VLAN if port.access_vlan != WRONG_VLAN else WRONG_VLAN + 1
        return f"vlan: jack {label}'s new port {jack.new[0]} {jack.new[1]} is in VLAN {port.access_vlan}"
    if jack.poe is None:
        raise PatchError(f"jack {label} ({jack.kind}) draws no power: nopower needs a phone or an AP")
    port.no_power = True
    return f"nopower: jack {label}'s new port {jack.new[0]} {jack.new[1]} delivers no PoE"


def _pick_pair(world: World, taken: set[str]) -> list[str]:
    """Two neighbouring jacks of one kind on one new switch, each with a MAC to see: the first such pair."""
    talking = [
        (label, j) for label, j in world.jacks.items() if not j.silent and j.old is not None and label not in taken
    ]
    for (la, a), (lb, b) in itertools.pairwise(talking):
        if a.kind == b.kind and a.new[0] == b.new[0]:
            return [la, lb]
    if len(talking) < 2:
        raise PatchError("swap needs two jacks with an endpoint that talks")
    return [talking[0][0], talking[1][0]]


def _one(world: World, kind: str, labels: list[str], taken: set[str]) -> str:
    if len(labels) > 1:
        raise PatchError(f"{kind} takes one jack: {kind}:A")
    if labels:
        return labels[0]
    fits = [
        label for label, jack in world.jacks.items()
        if not jack.silent and label not in taken and (kind != "forget" or jack.old is not None)
        and (kind != "nopower" or jack.poe is not None)
    ]  # fmt: skip
    plain = [label for label in fits if world.jacks[label].kind not in ("phone", "ap")]
    if kind != "nopower" and plain:  # a forgotten or mis-VLANed PC or printer; power is for phones and APs
        return plain[0]
    if fits:
        return fits[0]
    raise PatchError(f"no jack in the port map fits the {kind} fault")


def _empty(port: Port) -> None:
    port.status = "down"
    port.macs = []
    port.neighbors = []
    if port.poe is not None:
        port.poe = port.poe.model_copy(update={"powered": False, "watts": 0.0, "class_": 0})


def _plug(world: World, jack: JackWorld) -> None:
    assert jack.at is not None
    device = world.devices[jack.at[0]]
    port = device.ports[jack.at[1]]
    port.status = "up"
    if jack.poe is not None:
        port.poe = jack.poe.model_copy(deep=True) if not port.no_power else Poe.model_validate(
            {"powered": False, "class": 0, "watts": 0.0}
        )  # fmt: skip
    dark = jack.poe is not None and port.no_power  # a phone or AP without power does not boot
    if not jack.silent:
        for mac, role in jack.macs:
            if dark and role == "voice":
                continue
            vlan = port.voice_vlan if role == "voice" and port.voice_vlan is not None else port.access_vlan
            if port.mode == "trunk":
                vlan = port.native_vlan
            if not any(m.mac == mac for m in port.macs):
                port.macs.append(LearnedMac(mac=mac, vlan=vlan))
    if jack.neighbor is not None and not dark:
        protocols = ["cdp", "lldp"] if device.platform.startswith("cisco") else ["lldp"]
        for protocol in protocols:
            port.neighbors.append(jack.neighbor.model_copy(update={"protocol": protocol}))


def _configure(port: Port, device: str, name: str, decided: set[tuple[str, str, str]], data: int,
               voice: int | None) -> None:  # fmt: skip
    if (device, name, "mode") not in decided:
        port.mode = "access"
    if (device, name, "access") not in decided:
        port.access_vlan = data
    if (device, name, "voice") not in decided and voice is not None:
        port.voice_vlan = voice


def _neighbor(kind: str, label: str, mac: str, new_port: Port) -> Neighbor | None:
    if kind not in ("phone", "ap"):
        return None
    caps = ["phone", "host"] if kind == "phone" else ["ap", "bridge"]
    checked = next((n for n in new_port.neighbors if not n.device.startswith("SEP00005E")), None)
    if checked is not None:  # a neighbor check on the new port says who should be there
        return checked.model_copy(update={"caps": caps})
    if kind == "phone":
        return Neighbor(protocol="lldp", device=f"SEP{mac_key(mac).upper()}", port="Port 1",
                        platform="Cisco IP Phone 8845", caps=caps)  # fmt: skip
    name = "AP-" + "".join(ch if ch.isalnum() else "-" for ch in label.upper())
    return Neighbor(protocol="lldp", device=name, port="GigabitEthernet0",
                    platform="Cisco AP Software, C9120AXI-B, Version 17.9.4", caps=caps)  # fmt: skip


def _poe(kind: str, new_port: Port) -> Poe | None:
    if kind not in ("phone", "ap"):
        return None
    if new_port.poe is not None and new_port.poe.powered:
        return new_port.poe.model_copy(deep=True)  # what a poe check expects there
    draw = {"phone": (2, 6.3), "ap": (4, 18.6)}[kind]
    return Poe.model_validate({"powered": True, "class": draw[0], "watts": draw[1]})


def _port_name(world: World, device: str, port: str) -> str:
    """The world's spelling of a mapped port (a check may have spelled it another way first)."""
    if device not in world.devices:
        raise PatchError(f"the port map names {device}, which is not in the inventory")
    ports = world.devices[device].ports
    key = canonical(port)
    return next((name for name in ports if canonical(name) == key), port)


def _port(world: World, device: str, name: str) -> Port:
    from golive.lab.generate import new_port

    ports = world.devices[device].ports
    if name not in ports:
        ports[name] = new_port(world.devices[device].platform, name, ports)
    return ports[name]


def _derived(label: str, prefix: str | None, first_octet: int, used: set[str]) -> str:
    """A MAC from the jack label: the map's OUI prefix when given, else locally administered (02:..)."""
    head = mac_key(prefix or "")[:10] if prefix else f"{first_octet:02x}"
    salt = 0
    while True:
        digest = hashlib.sha256(f"{label}/{first_octet}/{salt}".encode()).hexdigest()
        candidate = (head + digest)[:12]
        if candidate not in used:
            return dotted_mac(candidate)
        salt += 1
