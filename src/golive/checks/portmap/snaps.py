"""What a device read gave (Facts per command or MIB group) turned into DeviceTables, in one place.

Why one place: SSH and SNMP fill Facts with the same field names (golive.checks.ssh.observe,
golive.checks.snmp.observe), so a port reads the same whichever transport read it. A field is
absent from a PortSnap when its table was not read on this platform or transport (the judge then
does not compare it), None when the table was read and says nothing for the port.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from golive.checks import normalize
from golive.checks.facts import Facts
from golive.checks.portmap.tables import DeviceTables, MacRow
from golive.progress.jacks import Neighbor, Poe, PortSnap


@dataclass
class PortSnapshot:
    """A device read before it becomes tables: Facts by source (an SSH command or an SNMP kind), the
    sources each kind needs, why a source could not be read, the raw reads, or why nothing was read."""

    read: dict[str, Facts] = field(default_factory=dict)
    unread: dict[str, str] = field(default_factory=dict)
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict)  # kind -> sources (all needed)
    evidence: list[str] = field(default_factory=list)
    error: str = ""
    unreadable: frozenset[str] = frozenset()  # PortSnap fields this transport cannot read on this platform

    def has(self, kind: str) -> bool:
        sources = self.sources.get(kind, ())
        return bool(sources) and all(source in self.read for source in sources)


# LLDP capability codes (IOS, NX-OS) and words (AOS-CX, CDP) -> the words the judge knows
_CAPS = {
    "t": "phone", "telephone": "phone", "phone": "phone", "w": "ap", "wlan": "ap", "wlan access point": "ap",
    "wlanaccesspoint": "ap", "b": "bridge", "bridge": "bridge", "trans-bridge": "bridge",
    "source-route-bridge": "bridge", "switch": "switch", "r": "router", "router": "router", "s": "station",
    "station": "station", "station only": "station", "host": "host", "p": "repeater", "repeater": "repeater",
    "c": "docsis", "docsis": "docsis", "o": "other", "other": "other",
}  # fmt: skip


def caps(text: str) -> list[str]:
    """`B,T` / `Bridge, Router` / `Router Switch IGMP` / `Host Phone Port-Mac-Relay` -> ["bridge", "phone"]."""
    words: list[str] = []
    raw = text.replace(",", " ").split()
    for token in raw:
        word = _CAPS.get(token.strip().lower())
        if word is not None and word not in words:
            words.append(word)
    if "wlan access point" in text.lower() and "ap" not in words:
        words.append("ap")
    return words


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def _neighbor(found: list[dict[str, Any]]) -> Neighbor | None:
    """The port's endpoint as CDP/LLDP announce it: a phone or AP first (a phone's PC behind it says nothing)."""
    if not found:
        return None
    ranked = sorted(found, key=lambda n: not ({"phone", "ap"} & set(caps(str(n.get("caps") or "")))))
    best = ranked[0]
    neighbor = Neighbor(name=str(best.get("device") or ""))
    if best.get("platform"):
        neighbor["platform"] = str(best["platform"])
    if best.get("port"):
        neighbor["port"] = str(best["port"])
    if "caps" in best:
        neighbor["caps"] = caps(str(best.get("caps") or ""))
    return neighbor


def tables_from(device: str, transport: str, snap: PortSnapshot) -> DeviceTables:
    tables = DeviceTables(device, transport, evidence="\n".join(part for part in snap.evidence if part))
    if snap.error:
        tables.error = snap.error
        return tables
    if not snap.has("mac"):
        why = "; ".join(f"{source}: {reason}" for source, reason in snap.unread.items()) or "not read"
        tables.error = f"its MAC table could not be read ({why})"
        return tables
    facts = Facts()
    for part in snap.read.values():
        facts.merge(part)
    read = {kind: snap.has(kind) for kind in ("port", "vlan", "poe")}
    read["neighbor"] = any(snap.has(kind) for kind in ("neighbor", "neighbor:cdp", "neighbor:lldp"))
    for key in dict.fromkeys([*facts.ports, *facts.neighbors]):  # every port a table names
        values = facts.ports.get(key, {})
        tables.ports[key] = _snap(device, facts.names.get(key, key), values, facts, key, read, snap.unreadable)
    for row in facts.macs:
        tables.macs.append(MacRow(normalize.mac(row.get("mac", "")), _int(row.get("vlan")), str(row.get("port", ""))))
    return tables


def _snap(
    device: str, name: str, values: dict[str, Any], facts: Facts, key: str, read: dict[str, bool],
    unreadable: frozenset[str],
) -> PortSnap:  # fmt: skip
    snap = PortSnap(device=device, port=name)
    if read["port"]:
        status = values.get("status")
        snap["status"] = str(status) if status is not None else None
        snap["up"] = normalize.status(status) == "up" if status is not None else None
    if "description" in values:
        snap["description"] = str(values["description"] or "") or None
    mode = values.get("mode")
    if not mode and str(values.get("vlan", "")).lower() == "trunk":
        mode = "trunk"  # `show interfaces status` says trunk where the switchport table was not read
    if mode or (read["vlan"] and "mode" not in unreadable):
        snap["mode"] = str(mode) if mode else None
    access = _int(values.get("access"))
    if access is None and mode != "trunk":
        access = _int(values.get("vlan"))
    if read["vlan"] or read["port"]:
        snap["access"] = access if mode != "trunk" else None
    if "voice" in values:
        snap["voice"] = _int(values.get("voice"))
    if read["poe"]:
        if "powered" in values:
            poe = Poe(powered=bool(values["powered"]))
            if isinstance(values.get("watts"), int | float):
                poe["watts"] = float(values["watts"])
            if values.get("class") not in (None, "", "n/a"):
                poe["class_"] = str(values["class"])
            snap["poe"] = poe
        else:
            snap["poe"] = None
    if read["neighbor"]:
        snap["neighbor"] = _neighbor(facts.neighbors.get(key, []))
    return snap
