"""Aruba AOS-CX (6300 style) outputs, shaped like the ntc-templates test data."""

from __future__ import annotations

from golive.lab.ssh_outputs import PlatformShell
from golive.lab.ssh_outputs.names import colon_mac
from golive.lab.ssh_outputs.walk import ports_in_order
from golive.lab.world import DeviceWorld


def interface(device: DeviceWorld) -> str:
    blocks = []
    for name, port in ports_in_order(device):
        e = port.errors
        link = "up" if port.status == "up" else "down"
        admin = "down" if port.status == "disabled" else "up"
        if port.mode == "trunk":
            vlan = (
                " VLAN Mode: native-untagged\n"
                f" Native VLAN: {port.native_vlan}\n"
                f" Allowed VLAN List: {port.trunk_allowed}\n"
            )
        else:
            vlan = f" VLAN Mode: access\n Access VLAN: {port.access_vlan}\n"
        blocks.append(
            f"Interface {name} is {link} \n"
            f" Admin state is {admin}\n"
            + (" State information: Administratively down\n" if admin == "down" else "")
            + f" Link state: {link} for 10 days (since Mon Jan 04 07:00:00 UTC 2027)\n"
            " Link transitions: 1\n"
            f" Description: {port.description}\n"
            f" Hardware: Ethernet, MAC Address: 00:00:5e:00:{port.ifindex // 256 % 256:02x}:{port.ifindex % 256:02x} \n"
            " MTU 1500 \n"
            " Type 1GbT\n"
            f" {'Full' if port.duplex != 'half' else 'Half'}-duplex \n"
            " qos trust none\n"
            f" Speed {port.speed_mbps if port.status == 'up' else 0} Mb/s \n"
            " Auto-negotiation is on\n"
            " Energy-Efficient Ethernet is disabled\n"
            " Flow-control: off \n"
            " Error-control: off \n"
            " MDI mode: MDIX \n"
            f"{vlan}"
            " Rate collection interval: 300 seconds\n"
            "\n"
            " Rate                               RX                   TX        Total (RX+TX)\n"
            " ---------------- -------------------- -------------------- --------------------\n"
            " Mbits / sec                      0.01                 0.02                 0.03\n"
            " KPkts / sec                      0.00                 0.00                 0.00\n"
            "   Unicast                        0.00                 0.00                 0.00\n"
            "   Multicast                      0.00                 0.00                 0.00\n"
            "   Broadcast                      0.00                 0.00                 0.00\n"
            " Utilization                      0.00                 0.00                 0.00\n"
            "\n"
            " Statistic                          RX                   TX                Total\n"
            " ---------------- -------------------- -------------------- --------------------\n"
            " Packets                       1234567              2345678              3580245\n"
            "   Unicast                     1230000              2340000              3570000\n"
            "   Multicast                      4000                 5000                 9000\n"
            "   Broadcast                       567                  678                 1245\n"
            " Bytes                       234567890            345678901            580246791\n"
            " Jumbos                              0                    0                    0\n"
            f" Dropped                  {e.discards:>12} {e.out_discards:>20} {e.discards + e.out_discards:>20}\n"
            " Pause Frames                        0                    0                    0\n"
            f" Errors                   {e.input:>12} {e.output:>20} {e.input + e.output:>20}\n"
            f"   CRC/FCS                {e.crc:>12}                  n/a {e.crc:>20}\n"
            "   Collision                       n/a                    0                    0\n"
            "   Runts                             0                  n/a                    0\n"
            "   Giants                            0                  n/a                    0\n"
            "\n"
        )
    return "".join(blocks)


def lldp_neighbors_detail(device: DeviceWorld) -> str:
    entries = [
        (name, n)
        for name, port in ports_in_order(device)
        if port.status == "up"
        for n in port.neighbors
        if n.protocol == "lldp"
    ]
    rule = "-" * 80
    out = [  # as the capture of a real switch lays it out (tests/corpus/ssh/aruba_aoscx)
        "LLDP Neighbor Information ",
        "=========================",
        f"Total Neighbor Entries          : {len(entries)}",
        "Total Neighbor Entries Deleted  : 0",
        "Total Neighbor Entries Dropped  : 0",
        "Total Neighbor Entries Aged-Out : 0",
        rule,
    ]
    for name, n in entries:
        out += [
            f"Port                           : {name}",
            "Neighbor Entries               : 1",
            "Neighbor Entries Deleted       : 0",
            "Neighbor Entries Dropped       : 0",
            "Neighbor Entries Aged-Out      : 0",
            f"Neighbor Chassis-Name          : {n.device}",
            f"Neighbor Chassis-Description   : {n.platform or 'unknown'}",
            "Neighbor Chassis-ID            : 00:00:5e:00:53:ae",
            "Neighbor Management-Address    : 192.0.2.253",
            "Chassis Capabilities Available : Bridge, Router",
            "Chassis Capabilities Enabled   : Bridge, Router",
            f"Neighbor Port-ID               : {n.port}",
            f"Neighbor Port-Desc             : {n.port}",
            "Neighbor Port VLAN ID          : 1",
            "TTL                            : 120",
            rule,
        ]
    return "\n".join(out) + "\n"


def mac_address_table(device: DeviceWorld) -> str:
    rows = [
        f"{colon_mac(mac.mac):<20} {mac.vlan:<8} dynamic                   {name}"
        for name, port in ports_in_order(device)
        if port.status == "up"
        for mac in port.macs
    ]
    head = [
        "MAC age-time            : 300 seconds",
        f"Number of MAC addresses : {len(rows)}",
        "",
        "MAC Address          VLAN     Type                      Port",
        "--------------------------------------------------------------",
    ]
    return "\n".join(head + rows) + "\n"


SHELL = PlatformShell(
    prompt="{base_prompt}#",
    session={"no page": ""},
    outputs={
        "show interface": interface,
        "show lldp neighbors-info detail": lldp_neighbors_detail,
        "show mac-address-table": mac_address_table,
    },
)
