"""HPE Comware 7 (5130 style) outputs, shaped like the ntc-templates test data."""

from __future__ import annotations

from golive.lab.ssh_outputs import PlatformShell
from golive.lab.ssh_outputs.names import dashed_mac, long_name, short_name
from golive.lab.ssh_outputs.walk import ports_in_order, up_ports
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
                " System capabilities supported : Bridge, Router\n"
                " System capabilities enabled   : Bridge, Router\n"
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


def interface(device: DeviceWorld) -> str:
    blocks = []
    for name, port in ports_in_order(device):
        e = port.errors
        state = {"up": "UP", "down": "DOWN", "disabled": "Administratively DOWN", "err-disabled": "DOWN"}
        speed = port.speed_mbps
        blocks.append(
            f"{long_name(P, name)}\n"
            f"Current state: {state[port.status]}\n"
            f"Line protocol state: {'UP' if port.status == 'up' else 'DOWN'}\n"
            f"IP packet frame type: Ethernet II, hardware address: 0000-5e00-{port.ifindex % 0x10000:04x}\n"
            f"Description: {port.description or long_name(P, name) + ' Interface'}\n"
            f"Bandwidth: {speed * 1000} kbps\n"
            "Loopback is not set\n"
            f"{speed // 1000 if speed >= 1000 else speed}{'Gbps' if speed >= 1000 else 'Mbps'}-speed mode, "
            "full-duplex mode\n"
            "Link speed type is autonegotiation, link duplex type is autonegotiation\n"
            f"PVID: {port.native_vlan if port.mode == 'trunk' else port.access_vlan}\n"
            f"Port link-type: {'Trunk' if port.mode == 'trunk' else 'Access'}\n"
            f" Tagged VLANs:   {port.trunk_allowed if port.mode == 'trunk' else 'None'}\n"
            f" Untagged VLANs: {port.native_vlan if port.mode == 'trunk' else port.access_vlan}\n"
            "Last clearing of counters: Never\n"
            "Last 300 seconds input:  1 packets/sec 495 bytes/sec 0%\n"
            "Last 300 seconds output:  4 packets/sec 606 bytes/sec 0%\n"
            "Input (total):  5540021 packets, 1395572601 bytes\n"
            "\t3138997 unicasts, 1270 broadcasts, 2399754 multicasts, 0 pauses\n"
            "Input (normal):  5540021 packets, - bytes\n"
            "\t3138997 unicasts, 1270 broadcasts, 2399754 multicasts, 0 pauses\n"
            f"Input:  {e.input} input errors, 0 runts, 0 giants, 0 throttles\n"
            f"\t{e.crc} CRC, 0 frame, - overruns, 0 aborts\n"
            "\t- ignored, - parity errors\n"
            "Output (total): 18114817 packets, 5095908012 bytes\n"
            "\t4250899 unicasts, 2347877 broadcasts, 11516041 multicasts, 0 pauses\n"
            "Output (normal): 18114817 packets, - bytes\n"
            "\t4250899 unicasts, 2347877 broadcasts, 11516041 multicasts, 0 pauses\n"
            f"Output: {e.output} output errors, - underruns, - buffer failures\n"
            "\t0 aborts, 0 deferred, 0 collisions, 0 late collisions\n"
            "\t0 lost carrier, - no carrier\n"
            "\n"
        )
    return "".join(blocks)


SHELL = PlatformShell(
    prompt="<{base_prompt}>",
    session={"screen-length disable": ""},
    outputs={
        "display interface brief": interface_brief,
        "display lldp neighbor-information verbose": lldp_verbose,
        "display mac-address": mac_address,
        "display interface": interface,
    },
)
