"""HPE Comware 7 (5130 style) outputs, shaped like the ntc-templates test data."""

from __future__ import annotations

from collections.abc import Callable

from golive.lab.ssh_outputs import PlatformShell
from golive.lab.ssh_outputs.names import dashed_mac, long_name, short_name
from golive.lab.ssh_outputs.walk import capabilities, ports_in_order, up_ports
from golive.lab.world import DeviceWorld, Port

P = "hp_comware"


def _link(port: Port) -> str:
    return {"up": "UP", "down": "DOWN", "disabled": "ADM", "err-disabled": "DOWN"}[port.status]


def _speed(port: Port) -> str:
    if port.status != "up":
        return "auto"
    mbps = port.speed_mbps
    return f"{mbps // 1000}G(a)" if mbps >= 1000 else f"{mbps}M(a)"


def interface_brief(device: DeviceWorld) -> str:
    lines = [
        "Brief information on interfaces in bridge mode:",
        "Link: ADM - administratively down; Stby - standby",
        "Speed: (a) - auto",
        "Duplex: (a)/A - auto; H - half; F - full",
        "Type: A - access; T - trunk; H - hybrid",
        "Interface            Link Speed   Duplex Type PVID Description",
    ]
    for name, port in ports_in_order(device):
        duplex = "F(a)" if port.status == "up" else "A"
        kind = "T" if port.mode == "trunk" else "A"
        pvid = port.native_vlan if port.mode == "trunk" else port.access_vlan
        lines.append(
            f"{short_name(P, name):<20} {_link(port):<4} {_speed(port):<7} {duplex:<6} {kind:<4} {pvid:<4} "
            f"{port.description}".rstrip()
        )
    return "\n".join(lines) + "\n"


def lldp_verbose(device: DeviceWorld) -> str:
    blocks = []
    for name, port in up_ports(device):
        for index, n in enumerate((n for n in port.neighbors if n.protocol == "lldp"), start=1):
            blocks.append(
                f"LLDP neighbor-information of port {port.ifindex}[{long_name(P, name)}]:\n"
                "LLDP agent nearest-bridge:\n"
                f" LLDP neighbor index : {index}\n"
                " Update time         : 10 days, 1 hours, 1 minutes, 46 seconds\n"
                " Chassis type        : MAC address\n"
                " Chassis ID          : 0000-5e00-53ad\n"
                " Port ID type        : Interface name\n"
                f" Port ID             : {n.port}\n"
                " Time to live        : 120\n"
                f" Port description    : {n.port}\n"
                f" System name         : {n.device}\n"
                f" System description  : {n.platform or 'unknown'}\n"
                f" System capabilities supported : {capabilities(n, 'words')}\n"
                f" System capabilities enabled   : {capabilities(n, 'words')}\n"
                " Management address type           : IPv4\n"
                " Management address                : 192.0.2.252\n"
                " Maximum frame size         : 9216\n"
            )
    return "\n".join(blocks)


def mac_address(device: DeviceWorld) -> str:
    lines = ["MAC ADDR       VLAN ID  STATE          PORT INDEX               AGING TIME(s)"]
    for name, port in up_ports(device):
        for mac in port.macs:
            lines.append(f"{dashed_mac(mac.mac)} {mac.vlan:<8} Learned        {long_name(P, name):<24} AGING")
    return "\n".join(lines) + "\n"


def _counters(direction: str) -> Callable[[DeviceWorld], str]:
    """`display counters inbound|outbound interface`, columns as in the capture (Err is the errors)."""

    def render(device: DeviceWorld) -> str:
        lines = ["Interface         Total (pkts)   Broadcast (pkts)   Multicast (pkts)  Err (pkts)"]
        for name, port in ports_in_order(device):
            errors = port.errors.input if direction == "inbound" else port.errors.output
            total = 5540021 + port.ifindex if port.status == "up" else 0
            broadcast, multicast = (1270, 2399754) if total else (0, 0)
            lines.append(f"{short_name(P, name):<18}{total:>12}{broadcast:>19}{multicast:>19}{errors:>12}")
        lines += ["", ' Overflow: More than 14 digits (7 digits for column "Err").', "       --: Not supported."]
        return "\n".join(lines) + "\n"

    return render


SHELL = PlatformShell(
    prompt="<{base_prompt}>",
    session={"screen-length disable": ""},
    outputs={
        "display interface brief": interface_brief,
        "display lldp neighbor-information verbose": lldp_verbose,
        "display mac-address": mac_address,
        "display counters inbound interface": _counters("inbound"),
        "display counters outbound interface": _counters("outbound"),
    },
)
