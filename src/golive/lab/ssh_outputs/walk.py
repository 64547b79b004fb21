"""The walks over a device's ports that every platform's outputs share, so each module keeps only its text.

A down port shows no neighbor and has learned no MAC on any platform; the order is the ifIndex
order a switch prints its interfaces in.
"""

from __future__ import annotations

from collections.abc import Iterator

from golive.lab.world import DeviceWorld, Neighbor, Port


def ports_in_order(device: DeviceWorld) -> list[tuple[str, Port]]:
    return sorted(device.ports.items(), key=lambda item: item[1].ifindex)


def up_ports(device: DeviceWorld) -> Iterator[tuple[str, Port]]:
    return ((name, port) for name, port in ports_in_order(device) if port.status == "up")


def neighbors_seen(device: DeviceWorld, protocol: str) -> Iterator[tuple[str, Port, Neighbor]]:
    """(port name, port, neighbor) for every neighbor heard over `protocol` (cdp, lldp) on an up port."""
    for name, port in up_ports(device):
        for neighbor in port.neighbors:
            if neighbor.protocol == protocol:
                yield name, port, neighbor


# A neighbor's capabilities as each output spells them; a neighbor with none listed is a switch (bridge, router).
_CDP_WORDS = {"router": "Router", "bridge": "Trans-Bridge", "switch": "Switch", "host": "Host", "phone": "Phone",
              "ap": "Trans-Bridge"}  # fmt: skip
_LLDP_LETTERS = {"bridge": "B", "router": "R", "phone": "T", "ap": "W", "host": "S"}
_LLDP_WORDS = {"bridge": "Bridge", "router": "Router", "phone": "Telephone", "ap": "WLAN access point",
               "host": "Station only"}  # fmt: skip


def capabilities(neighbor: Neighbor, style: str) -> str:
    """`cdp` (Router Switch IGMP), `letters` (B,R) or `words` (Bridge, Router), from Neighbor.caps."""
    caps = neighbor.caps or ["bridge", "router"]
    if style == "cdp":
        if not neighbor.caps:
            return "Router Switch IGMP"
        words = dict.fromkeys(_CDP_WORDS[c] for c in caps if c in _CDP_WORDS)
        extra = " Two-port Mac Relay" if "phone" in caps else " Source-Route-Bridge IGMP" if "ap" in caps else ""
        return " ".join(words) + extra
    table = _LLDP_LETTERS if style == "letters" else _LLDP_WORDS
    return ("," if style == "letters" else ", ").join(dict.fromkeys(table[c] for c in caps if c in table))
