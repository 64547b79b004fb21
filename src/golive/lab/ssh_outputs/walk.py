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
