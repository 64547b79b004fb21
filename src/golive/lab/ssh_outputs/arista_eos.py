"""Arista EOS (720XP style) outputs, shaped like the ntc-templates test data."""

from __future__ import annotations

from golive.lab.ssh_outputs import PlatformShell
from golive.lab.ssh_outputs.names import dotted_mac, long_name, short_name, speed_text
from golive.lab.ssh_outputs.walk import ports_in_order, up_ports
from golive.lab.world import DeviceWorld

P = "arista_eos"
_STATUS = {"up": "connected", "down": "notconnect", "disabled": "disabled", "err-disabled": "errdisabled"}


def interfaces_status(device: DeviceWorld) -> str:
    lines = ["Port       Name                   Status       Vlan        Duplex  Speed Type"]
    for name, port in ports_in_order(device):
        vlan = "trunk" if port.mode == "trunk" else str(port.access_vlan)
        up = port.status == "up"
        mbps = port.speed_mbps
        speed = f"{mbps // 1000}G" if mbps >= 1000 else f"{mbps}M"
        duplex, speed = (f"a-{port.duplex}", f"a-{speed}") if up else ("unconf", "unconf")
        kind = "10GBASE-SR" if port.speed_mbps >= 10000 else "1000BASE-T"
        lines.append(
            f"{short_name(P, name):<10} {port.description[:22]:<22} {_STATUS[port.status]:<12} "
            f"{vlan:<11} {duplex:<7} {speed:<5} {kind}"
        )
    return "\n".join(lines) + "\n"


def vlan(device: DeviceWorld) -> str:
    members: dict[int, list[str]] = {1: []}
    up = [(name, port) for name, port in ports_in_order(device) if port.status == "up"]
    for name, port in up:
        if port.mode == "access":
            for v in [port.access_vlan] + ([port.voice_vlan] if port.voice_vlan is not None else []):
                members.setdefault(v, []).append(short_name(P, name))
    known = set(members)
    for name, port in up:
        if port.mode == "trunk":
            allowed = vlan_numbers(port.trunk_allowed)
            for v in sorted((allowed & known) | (allowed if len(allowed) <= 64 else set()) | {port.native_vlan}):
                members.setdefault(v, []).append(short_name(P, name))
    lines = [
        "VLAN  Name                             Status    Ports",
        "----- -------------------------------- --------- -------------------------------",
    ]
    for v in sorted(members):
        vname = "default" if v == 1 else f"VLAN{v:04d}"
        ports = members[v]
        first, rest = ports[:4], ports[4:]
        lines.append(f"{v:<5} {vname:<32} active    {', '.join(first)}" + ("," if rest else ""))
        while rest:
            chunk, rest = rest[:4], rest[4:]
            lines.append(f"{'':<49}{', '.join(chunk)}" + ("," if rest else ""))
    return "\n".join(lines) + "\n"


def lldp_neighbors_detail(device: DeviceWorld) -> str:
    blocks = []
    for name, port in ports_in_order(device):
        neighbors = [n for n in port.neighbors if n.protocol == "lldp"] if port.status == "up" else []
        head = f"Interface {long_name(P, name)} detected {len(neighbors)} LLDP neighbors:\n"
        body = ""
        for n in neighbors:
            body += (
                "\n"
                f'  Neighbor 0000.5e00.53ac/"{n.port}", age 12 seconds\n'
                "  Discovered 10 days, 1:01:11 ago; Last changed 10 days, 1:01:11 ago\n"
                "  - Chassis ID type: MAC address (4)\n"
                "    Chassis ID     : 0000.5e00.53ac\n"
                "  - Port ID type: Interface name (5)\n"
                f'    Port ID     : "{n.port}"\n'
                "  - Time To Live: 120 seconds\n"
                f'  - System Name: "{n.device}"\n'
                f'  - System Description: "{n.platform or "unknown"}"\n'
                "  - System Capabilities : Bridge, Router\n"
                "    Enabled Capabilities: Bridge, Router\n"
                "  - IEEE802.1 Port VLAN ID: 1\n"
                "  - IEEE802.3 Maximum Frame Size: 9236 bytes\n"
            )
        blocks.append(head + body)
    return "\n".join(blocks)


def vlan_numbers(text: str) -> set[int]:
    """`1,120,130-131` -> {1, 120, 130, 131}; `ALL` -> 1-4094."""
    if text.strip().upper() in ("ALL", ""):
        text = "1-4094"
    numbers: set[int] = set()
    for part in text.split(","):
        low, _, high = part.strip().partition("-")
        if low.isdigit():
            numbers.update(range(int(low), int(high or low) + 1))
    return numbers


def mac_address_table(device: DeviceWorld) -> str:
    lines = [
        "          mac Address Table",
        "------------------------------------------------------------------",
        "",
        "Vlan    mac Address       Type        Ports      Moves   Last Move",
        "----    -----------       ----        -----      -----   ---------",
    ]
    count = 0
    for name, port in up_ports(device):
        for mac in port.macs:
            count += 1
            lines.append(
                f"{mac.vlan:>4}    {dotted_mac(mac.mac)}    DYNAMIC     {short_name(P, name):<10} 1       0:05:05 ago"
            )
    lines.append(f"Total mac Addresses for this criterion: {count}")
    return "\n".join(lines) + "\n"


def interfaces(device: DeviceWorld) -> str:
    blocks = []
    for name, port in ports_in_order(device):
        e = port.errors
        if port.status == "up":
            head = "is up, line protocol is up (connected)"
        elif port.status == "disabled":
            head = "is administratively down, line protocol is down (disabled)"
        elif port.status == "err-disabled":
            head = "is down, line protocol is down (errdisabled)"
        else:
            head = "is down, line protocol is down (notconnect)"
        desc = f"  Description: {port.description}\n" if port.description else ""
        blocks.append(
            f"{long_name(P, name)} {head}\n"
            f"  Hardware is Ethernet, address is 0000.5e00.{port.ifindex % 0x10000:04x}\n"
            f"{desc}"
            "  Ethernet MTU 9214 bytes , BW "
            f"{port.speed_mbps * 1000} kbit\n"
            f"  Full-duplex, {speed_text(port.speed_mbps)}b/s, auto negotiation: off, uni-link: n/a\n"
            "  Up 10 days, 1 hour, 1 minute, 11 seconds\n"
            "  1 link status changes since last clear\n"
            '  Last clearing of "show interface" counters never\n'
            "  5 minutes input rate 1.2 kbps (0.0% with framing overhead), 1 packets/sec\n"
            "  5 minutes output rate 2.3 kbps (0.0% with framing overhead), 2 packets/sec\n"
            "     1234567 packets input, 234567890 bytes\n"
            "     Received 1234 broadcasts, 567 multicast\n"
            "     0 runts, 0 giants\n"
            f"     {e.input} input errors, {e.crc} CRC, 0 alignment, 0 symbol, {e.discards} input discards\n"
            "     0 PAUSE input\n"
            "     2345678 packets output, 345678901 bytes\n"
            "     Sent 2345 broadcasts, 678 multicast\n"
            f"     {e.output} output errors, 0 collisions\n"
            f"     0 late collision, 0 deferred, {e.out_discards} output discards\n"
            "     0 PAUSE output\n"
        )
    return "".join(blocks)


SHELL = PlatformShell(
    prompt="{base_prompt}#",
    session={"terminal width 511": "Width set to 511 columns.", "terminal length 0": "Pagination disabled."},
    outputs={
        "show interfaces status": interfaces_status,
        "show vlan": vlan,
        "show lldp neighbors detail": lldp_neighbors_detail,
        "show mac address-table": mac_address_table,
        "show interfaces": interfaces,
    },
)
