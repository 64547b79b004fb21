"""Cisco IOS / IOS-XE (Catalyst 9300 style) outputs, shaped like the ntc-templates test data."""

from __future__ import annotations

from golive.lab.ssh_outputs import PlatformShell
from golive.lab.ssh_outputs.names import dotted_mac, long_name, short_name, speed_text
from golive.lab.ssh_outputs.walk import capabilities, neighbors_seen, ports_in_order, up_ports
from golive.lab.world import DeviceWorld, Port

P = "cisco_ios"
_STATUS = {"up": "connected", "down": "notconnect", "disabled": "disabled", "err-disabled": "err-disabled"}


def _speed(port: Port) -> str:
    if port.status != "up":
        return "auto"
    text = speed_text(port.speed_mbps)
    return text if text.endswith("G") else f"a-{text}"


def _duplex(port: Port) -> str:
    return "auto" if port.status != "up" else ("a-full" if port.duplex != "half" else "a-half")


def interfaces_status(device: DeviceWorld) -> str:
    # the columns of a real switch's answer (tests/corpus/ssh/cisco_ios): Port 10, Name 19, Status 13, Vlan 11
    lines = ["Port      Name               Status       Vlan       Duplex  Speed Type"]
    for name, port in ports_in_order(device):
        vlan = "trunk" if port.mode == "trunk" else str(port.access_vlan)
        kind = "SFP-10GBase-SR" if port.speed_mbps >= 10000 else "10/100/1000BaseTX"
        lines.append(
            f"{short_name(P, name):<9} {port.description[:18]:<18} {_STATUS[port.status]:<12} "
            f"{vlan:<10} {_duplex(port):>6} {_speed(port):>6} {kind}"
        )
    return "\n".join(lines) + "\n"


def interfaces_switchport(device: DeviceWorld) -> str:
    blocks = []
    for name, port in ports_in_order(device):
        if port.mode == "trunk":
            admin, oper = "trunk", "trunk" if port.status == "up" else "down"
        else:
            admin, oper = "static access", "static access" if port.status == "up" else "down"
        voice = "none" if port.voice_vlan is None else f"{port.voice_vlan} (VLAN{port.voice_vlan:04d})"
        trunk = "ALL" if port.trunk_allowed in ("1-4094", "ALL") else port.trunk_allowed
        blocks.append(
            f"Name: {short_name(P, name)}\n"
            "Switchport: Enabled\n"
            f"Administrative Mode: {admin}\n"
            f"Operational Mode: {oper}\n"
            "Administrative Trunking Encapsulation: dot1q\n"
            f"Operational Trunking Encapsulation: {'dot1q' if port.mode == 'trunk' else 'native'}\n"
            "Negotiation of Trunking: Off\n"
            f"Access Mode VLAN: {port.access_vlan} (VLAN{port.access_vlan:04d})\n"
            f"Trunking Native Mode VLAN: {port.native_vlan} (VLAN{port.native_vlan:04d})\n"
            "Administrative Native VLAN tagging: enabled\n"
            f"Voice VLAN: {voice}\n"
            "Administrative private-vlan host-association: none\n"
            "Administrative private-vlan mapping: none\n"
            "Operational private-vlan: none\n"
            f"Trunking VLANs Enabled: {trunk}\n"
            "Pruning VLANs Enabled: 2-1001\n"
            "Capture Mode Disabled\n"
            "Capture VLANs Allowed: ALL\n"
            "\n"
            "Protected: false\n"
            "Unknown unicast blocked: disabled\n"
            "Unknown multicast blocked: disabled\n"
            "Appliance trust: none\n"
        )
    return "\n".join(blocks)


def power_inline(device: DeviceWorld) -> str:
    poe_ports = [(n, p) for n, p in ports_in_order(device) if p.poe is not None]
    used = sum(p.poe.watts for _, p in poe_ports if p.poe is not None and p.poe.powered and p.status == "up")
    lines = [
        "",
        "Module   Available     Used     Remaining",
        "          (Watts)     (Watts)    (Watts)",
        "------   ---------   --------   ---------",
        f"1           740.0  {used:>9.1f}   {740.0 - used:>9.1f}",
        "Interface Admin  Oper       Power   Device              Class Max",
        "                            (Watts)",
        "--------- ------ ---------- ------- ------------------- ----- ----",
    ]
    for name, port in poe_ports:
        poe = port.poe
        assert poe is not None
        if poe.powered and port.status == "up":
            model = next((n.platform.split()[-1] for n in port.neighbors if n.platform), "Ieee PD")[:19]
            lines.append(
                f"{short_name(P, name):<9} auto   on         {poe.watts:<7.1f} {model:<19} {poe.class_:<5} 30.0"
            )
        else:
            lines.append(f"{short_name(P, name):<9} auto   off        0.0     n/a                 n/a   30.0")
    lines.append("")
    return "\n".join(lines)


def cdp_neighbors_detail(device: DeviceWorld) -> str:
    blocks = []
    for name, _port, n in neighbors_seen(device, "cdp"):
        blocks.append(
            "-------------------------\n"
            f"Device ID: {n.device}\n"
            "Entry address(es): \n"
            "  IP address: 192.0.2.250\n"
            f"Platform: {n.platform or 'cisco'},  Capabilities: {capabilities(n, 'cdp')} \n"
            f"Interface: {long_name(P, name)},  Port ID (outgoing port): {n.port}\n"
            "Holdtime : 142 sec\n"
            "\n"
            "Version :\n"
            "Cisco Nexus Operating System (NX-OS) Software, Version 9.3(10)\n"
            "\n"
            "advertisement version: 2\n"
            "Native VLAN: 1\n"
            "Duplex: full\n"
            "Management address(es): \n"
            "  IP address: 192.0.2.250\n"
        )
    return "\n".join(blocks) + ("\n" if blocks else "")


def lldp_neighbors_detail(device: DeviceWorld) -> str:
    blocks = []
    for name, _port, n in neighbors_seen(device, "lldp"):
        blocks.append(
            "------------------------------------------------\n"
            f"Local Intf: {short_name(P, name)}\n"
            "Chassis id: 0000.5e00.53aa\n"
            f"Port id: {n.port}\n"
            f"Port Description: {n.port}\n"
            f"System Name: {n.device}\n"
            "\n"
            "System Description: \n"
            f"{n.platform or 'unknown'}\n"
            "\n"
            "Time remaining: 103 seconds\n"
            f"System Capabilities: {capabilities(n, 'letters')}\n"
            f"Enabled Capabilities: {capabilities(n, 'letters')}\n"
            "Management Addresses:\n"
            "    IP: 192.0.2.250\n"
            "Auto Negotiation - supported, enabled\n"
            "Physical media capabilities:\n"
            "    1000baseT(FD)\n"
            "Media Attachment Unit type - not advertised\n"
            "Vlan ID: - not advertised\n"
        )
    total = len(blocks)
    return "\n".join(blocks) + f"\n\nTotal entries displayed: {total}\n"


def mac_address_table(device: DeviceWorld) -> str:
    lines = [
        "          Mac Address Table",
        "-------------------------------------------",
        "",
        "Vlan    Mac Address       Type        Ports",
        "----    -----------       --------    -----",
        " All    0100.0ccc.cccc    STATIC      CPU",
    ]
    count = 0
    for name, port in up_ports(device):
        for mac in port.macs:
            lines.append(f"{mac.vlan:>4}    {dotted_mac(mac.mac)}    DYNAMIC     {short_name(P, name)}")
            count += 1
    lines.append(f"Total Mac Addresses for this criterion: {count}")
    return "\n".join(lines) + "\n"


def interfaces(device: DeviceWorld) -> str:
    blocks = []
    for name, port in ports_in_order(device):
        if port.status == "disabled":
            state, proto = "administratively down", "down"
        elif port.status == "err-disabled":
            state, proto = "down", "down (err-disabled)"
        else:
            state = proto = port.status
        e = port.errors
        bw = port.speed_mbps * 1000
        desc = f"  Description: {port.description}\n" if port.description else ""
        blocks.append(
            f"{long_name(P, name)} is {state}, line protocol is {proto} \n"
            f"  Hardware is Gigabit Ethernet, address is 0000.5e00.{port.ifindex % 0x10000:04x} "
            f"(bia 0000.5e00.{port.ifindex % 0x10000:04x})\n"
            f"{desc}"
            f"  MTU 1500 bytes, BW {bw} Kbit/sec, DLY 10 usec, \n"
            "     reliability 255/255, txload 1/255, rxload 1/255\n"
            "  Encapsulation ARPA, loopback not set\n"
            "  Keepalive set (10 sec)\n"
            f"  Full-duplex, {speed_text(port.speed_mbps)}b/s, media type is 10/100/1000BaseTX\n"
            '  Last clearing of "show interface" counters never\n'
            f"  Input queue: 0/2000/{e.discards}/0 (size/max/drops/flushes); Total output drops: {e.out_discards}\n"
            "  5 minute input rate 1000 bits/sec, 1 packets/sec\n"
            "  5 minute output rate 2000 bits/sec, 2 packets/sec\n"
            "     1234567 packets input, 234567890 bytes, 0 no buffer\n"
            "     Received 1234 broadcasts (567 multicasts)\n"
            "     0 runts, 0 giants, 0 throttles \n"
            f"     {e.input} input errors, {e.crc} CRC, 0 frame, 0 overrun, 0 ignored\n"
            "     0 watchdog, 567 multicast, 0 pause input\n"
            "     2345678 packets output, 345678901 bytes, 0 underruns\n"
            f"     {e.output} output errors, 0 collisions, 1 interface resets\n"
            "     0 unknown protocol drops\n"
            "     0 babbles, 0 late collision, 0 deferred\n"
            "     0 lost carrier, 0 no carrier, 0 pause output\n"
            "     0 output buffer failures, 0 output buffers swapped out\n"
        )
    return "".join(blocks)


_STP = {"forwarding": "FWD", "blocking": "BLK", "listening": "LIS", "learning": "LRN", "disabled": "DIS"}


def spanning_tree(device: DeviceWorld) -> str:
    by_vlan: dict[int, list[tuple[str, Port]]] = {}
    for name, port in up_ports(device):
        vlans = [port.native_vlan] if port.mode == "trunk" else [port.access_vlan]
        for vlan in vlans:
            by_vlan.setdefault(vlan, []).append((name, port))
    blocks = []
    for vlan in sorted(by_vlan):
        lines = [
            f"VLAN{vlan:04d}",
            "  Spanning tree enabled protocol ieee",
            f"  Root ID    Priority    {4096 + vlan}",
            "             Address     0000.5e00.5301",
            "             Cost        2",
            "             Port        1 (TenGigabitEthernet1/1/1)",
            "             Hello Time   2 sec  Max Age 20 sec  Forward Delay 15 sec",
            "",
            f"  Bridge ID  Priority    {32768 + vlan}  (priority 32768 sys-id-ext {vlan})",
            "             Address     0000.5e00.5302",
            "             Hello Time   2 sec  Max Age 20 sec  Forward Delay 15 sec",
            "             Aging Time  300 sec",
            "",
            "Interface           Role Sts Cost      Prio.Nbr Type",
            "------------------- ---- --- --------- -------- --------------------------------",
        ]
        for name, port in by_vlan[vlan]:
            role = "Root" if port.mode == "trunk" else "Desg"
            lines.append(
                f"{short_name(P, name):<19} {role} {_STP[port.stp]} 4         128.{port.ifindex % 1000:<4} P2p"
            )
        blocks.append("\n".join(lines) + "\n")
    return "\n\n".join(blocks)


SHELL = PlatformShell(
    prompt="{base_prompt}#",
    session={"terminal width 511": "", "terminal length 0": ""},
    outputs={
        "show interfaces status": interfaces_status,
        "show interfaces switchport": interfaces_switchport,
        "show power inline": power_inline,
        "show cdp neighbors detail": cdp_neighbors_detail,
        "show lldp neighbors detail": lldp_neighbors_detail,
        "show mac address-table": mac_address_table,
        "show interfaces": interfaces,
        "show spanning-tree": spanning_tree,
    },
)
