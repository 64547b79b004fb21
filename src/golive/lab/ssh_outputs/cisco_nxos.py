"""Cisco NX-OS (Nexus 9000 style) outputs, shaped like the ntc-templates test data."""

from __future__ import annotations

from golive.lab.ssh_outputs import PlatformShell
from golive.lab.ssh_outputs.names import dotted_mac, long_name, short_name, speed_text
from golive.lab.ssh_outputs.walk import neighbors_seen, ports_in_order, up_ports
from golive.lab.world import DeviceWorld

P = "cisco_nxos"
_STATUS = {"up": "connected", "down": "notconnec", "disabled": "disabled", "err-disabled": "err-disab"}


def interface_status(device: DeviceWorld) -> str:
    lines = [
        "",
        "--------------------------------------------------------------------------------",
        "Port          Name               Status    Vlan      Duplex  Speed   Type",
        "--------------------------------------------------------------------------------",
        "mgmt0         --                 connected routed    full    1000    --",
    ]
    for name, port in ports_in_order(device):
        vlan = "trunk" if port.mode == "trunk" else str(port.access_vlan)
        up = port.status == "up"
        duplex, speed = (port.duplex, speed_text(port.speed_mbps)) if up else ("auto", "auto")
        kind = "10Gbase-SR" if port.speed_mbps >= 10000 else "1000base-T"
        lines.append(
            f"{short_name(P, name):<13} {(port.description or '--')[:18]:<18} {_STATUS[port.status]:<9} "
            f"{vlan:<9} {duplex:<7} {speed:<7} {kind}"
        )
    return "\n".join(lines) + "\n"


def interface_switchport(device: DeviceWorld) -> str:
    blocks = []
    for name, port in ports_in_order(device):
        voice = "none" if port.voice_vlan is None else str(port.voice_vlan)
        blocks.append(
            f"Name: {long_name(P, name)}\n"
            "  Switchport: Enabled\n"
            "  Switchport Monitor: Not enabled\n"
            f"  Operational Mode: {port.mode}\n"
            f"  Access Mode VLAN: {port.access_vlan} (VLAN{port.access_vlan:04d})\n"
            f"  Trunking Native Mode VLAN: {port.native_vlan} (VLAN{port.native_vlan:04d})\n"
            f"  Trunking VLANs Allowed: {port.trunk_allowed}\n"
            f"  Voice VLAN: {voice}\n"
            "  Extended Trust State : not trusted [COS = 0]\n"
            "  Administrative private-vlan primary host-association: none\n"
            "  Administrative private-vlan secondary host-association: none\n"
            "  Operational private-vlan: none\n"
        )
    return "".join(blocks)


def cdp_neighbors_detail(device: DeviceWorld) -> str:
    blocks = []
    for name, _port, n in neighbors_seen(device, "cdp"):
        blocks.append(
            "----------------------------------------\n"
            f"Device ID:{n.device}\n"
            f"System Name: {n.device}\n"
            "\n"
            "Interface address(es):\n"
            "    IPv4 Address: 192.0.2.251\n"
            f"Platform: {n.platform or 'cisco'}, Capabilities: Switch IGMP Filtering\n"
            f"Interface: {long_name(P, name)}, Port ID (outgoing port): {n.port}\n"
            "Holdtime: 151 sec\n"
            "\n"
            "Version:\n"
            "Cisco IOS Software [Cupertino], Catalyst L3 Switch Software, Version 17.9.4\n"
            "\n"
            "Advertisement Version: 2\n"
            "\n"
            "Native VLAN: 1\n"
            "Duplex: full\n"
            "\n"
            "Mgmt address(es):\n"
            "    IPv4 Address: 192.0.2.251\n"
        )
    return "".join(blocks)


def lldp_neighbors_detail(device: DeviceWorld) -> str:
    lines = [
        "Capability codes:",
        "  (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device",
        "  (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other",
        "Device ID            Local Intf      Hold-time  Capability  Port ID  ",
        "",
    ]
    count = 0
    for name, _port, n in neighbors_seen(device, "lldp"):
        count += 1
        lines += [
            "Chassis id: 0000.5e00.53ab",
            f"Port id: {n.port}",
            f"Local Port id: {short_name(P, name)}",
            f"Port Description: {n.port}",
            f"System Name: {n.device}",
            f"System Description: {n.platform or 'unknown'}",
            "Time remaining: 97 seconds",
            "System Capabilities: B, R",
            "Enabled Capabilities: B, R",
            "Management Address: 192.0.2.251",
            "Management Address IPV6: not advertised",
            "Vlan ID: not advertised",
            "",
        ]
    lines.append(f"Total entries displayed: {count}")
    return "\n".join(lines) + "\n"


def mac_address_table(device: DeviceWorld) -> str:
    lines = [
        "Legend:",
        "        * - primary entry, G - Gateway MAC, (R) - Routed MAC, O - Overlay MAC",
        "        age - seconds since last seen,+ - primary entry using vPC Peer-Link,",
        "        (T) - True, (F) - False",
        "     VLAN       MAC Address       Type     age    Secure  NTFY     Ports",  # as a real switch prints
        "------------+-----------------+----------+-------+------+------+------------------",
    ]
    for name, port in up_ports(device):
        for mac in port.macs:
            lines.append(
                f"*  {mac.vlan:>6}      {dotted_mac(mac.mac)}   dynamic     0        F      F    {short_name(P, name)}"
            )
    return "\n".join(lines) + "\n"


def interface(device: DeviceWorld) -> str:
    blocks = []
    for name, port in ports_in_order(device):
        e = port.errors
        if port.status == "disabled":
            head, admin = f"{long_name(P, name)} is down (Administratively down)", "down"
        elif port.status == "err-disabled":
            head, admin = f"{long_name(P, name)} is down (errDisabled)", "up"
        else:
            head, admin = f"{long_name(P, name)} is {port.status}", "up"
        desc = f"  Description: {port.description}\n" if port.description else ""
        blocks.append(
            f"{head}\n"
            f"admin state is {admin}, Dedicated Interface\n"
            f"  Hardware: 1000/10000/25000 Ethernet, address: 0000.5e00.{port.ifindex % 0x10000:04x} "
            f"(bia 0000.5e00.{port.ifindex % 0x10000:04x})\n"
            f"{desc}"
            f"  MTU 1500 bytes, BW {port.speed_mbps * 1000} Kbit, DLY 10 usec\n"
            "  reliability 255/255, txload 1/255, rxload 1/255\n"
            "  Encapsulation ARPA, medium is broadcast\n"
            f"  Port mode is {port.mode}\n"
            f"  full-duplex, {port.speed_mbps // 1000} Gb/s, media type is 10G\n"
            "  Beacon is turned off\n"
            "  Auto-Negotiation is turned on\n"
            "  Input flow-control is off, output flow-control is off\n"
            "  Auto-mdix is turned off\n"
            "  Rate mode is dedicated\n"
            "  Switchport monitor is off\n"
            "  EtherType is 0x8100\n"
            "  EEE (efficient-ethernet) : n/a\n"
            "  Last link flapped 10week(s) 2day(s)\n"
            '  Last clearing of "show interface" counters never\n'
            "  1 interface resets\n"
            "  30 seconds input rate 8000 bits/sec, 10 packets/sec\n"
            "  30 seconds output rate 9000 bits/sec, 11 packets/sec\n"
            "  RX\n"
            "    123456 unicast packets  6844 multicast packets  12 broadcast packets\n"
            "    130312 input packets  19188106 bytes\n"
            "    0 jumbo packets  0 storm suppression packets\n"
            "    0 runts  0 giants  {crc} CRC  0 no buffer\n"
            "    {inp} input error  0 short frame  0 overrun   0 underrun  0 ignored\n"
            "    0 watchdog  0 bad etype drop  0 bad proto drop  0 if down drop\n"
            "    0 input with dribble  {disc} input discard\n"
            "    0 Rx pause\n"
            "  TX\n"
            "    223456 unicast packets  7844 multicast packets  22 broadcast packets\n"
            "    231322 output packets  29188106 bytes\n"
            "    0 jumbo packets\n"
            "    {out} output error  0 collision  0 deferred  0 late collision\n"
            "    0 lost carrier  0 no carrier  0 babble  {odisc} output discard\n"
            "    0 Tx pause\n"
            "\n".replace("{crc}", str(e.crc))
            .replace("{inp}", str(e.input))
            .replace("{disc}", str(e.discards))
            .replace("{out}", str(e.output))
            .replace("{odisc}", str(e.out_discards))
        )
    return "".join(blocks)


SHELL = PlatformShell(
    prompt="{base_prompt}#",
    session={"terminal length 0": "", "terminal width 511": ""},
    outputs={
        "show interface status": interface_status,
        "show interface switchport": interface_switchport,
        "show cdp neighbors detail": cdp_neighbors_detail,
        "show lldp neighbors detail": lldp_neighbors_detail,
        "show mac address-table": mac_address_table,
        "show interface": interface,
    },
)
