"""Which read-only command answers which check kind, per platform, and which parsed fields matter.

Every command the SSH driver may send is listed here and nowhere else; the driver refuses any
command not in this table (read-only by construction). Outputs are parsed by ntc-templates
(TextFSM); `FIELDS` names the template columns each command must yield, which is also the
contract the lab's simulated devices are rendered against.
"""

from __future__ import annotations

import re
from typing import Final

# (platform, kind) -> the commands whose outputs, together, answer that kind of check.
# The neighbor kind is split by protocol: "neighbor:cdp" and "neighbor:lldp". A cell is here only
# when ntc-templates has a template for its command and a real capture of it is in the corpus
# (tests/corpus/ssh). Absent for want of a template (ntc-templates 9.3): poe and spanning-tree
# outside IOS, errors on EOS (no EOS template has counters), state on AOS-CX.
COMMANDS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "cisco_ios": {
        "port": ("show interfaces status",),
        "vlan": ("show interfaces switchport",),
        "poe": ("show power inline",),
        "neighbor:cdp": ("show cdp neighbors detail",),
        "neighbor:lldp": ("show lldp neighbors detail",),
        "mac": ("show mac address-table",),
        "errors": ("show interfaces",),
        "state": ("show interfaces status", "show spanning-tree"),
    },
    "cisco_nxos": {
        "port": ("show interface status",),
        "vlan": ("show interface switchport",),
        "neighbor:cdp": ("show cdp neighbors detail",),
        "neighbor:lldp": ("show lldp neighbors detail",),
        "mac": ("show mac address-table",),
        "errors": ("show interface",),
        "state": ("show interface status",),
    },
    "arista_eos": {
        "port": ("show interfaces status",),
        "vlan": ("show vlan",),
        "neighbor:lldp": ("show lldp neighbors detail",),
        "mac": ("show mac address-table",),
        "state": ("show interfaces status",),
        # no errors: no ntc-templates template of EOS has the counters (`show interfaces` has none)
    },
    "hp_comware": {
        "port": ("display interface brief",),
        "vlan": ("display interface brief",),
        "neighbor:lldp": ("display lldp neighbor-information verbose",),
        "mac": ("display mac-address",),
        "errors": ("display counters inbound interface", "display counters outbound interface"),
    },
    "aruba_aoscx": {
        "port": ("show interface",),
        "vlan": ("show interface",),
        "neighbor:lldp": ("show lldp neighbors-info detail",),
        "mac": ("show mac-address-table",),
        "errors": ("show interface",),
    },
}
# cisco_xe speaks IOS
COMMANDS["cisco_xe"] = COMMANDS["cisco_ios"]

# (platform, command) -> template columns (lower case, as ntc-templates returns them) the driver reads.
FIELDS: Final[dict[tuple[str, str], tuple[str, ...]]] = {
    ("cisco_ios", "show interfaces status"): ("port", "name", "status", "vlan_id", "duplex", "speed"),
    ("cisco_ios", "show interfaces switchport"): (
        "interface",
        "admin_mode",
        "mode",
        "access_vlan",
        "native_vlan",
        "voice_vlan",
        "trunking_vlans",
    ),
    ("cisco_ios", "show power inline"): ("interface", "admin_status", "operational_status", "power", "device", "class"),
    ("cisco_ios", "show cdp neighbors detail"): (
        "neighbor_name",
        "platform",
        "neighbor_interface",
        "local_interface",
        "capabilities",
    ),
    ("cisco_ios", "show lldp neighbors detail"): (
        "local_interface",
        "neighbor_name",
        "neighbor_port_id",
        "neighbor_interface",
        "neighbor_description",
        "capabilities",
    ),
    ("cisco_ios", "show mac address-table"): ("destination_address", "vlan_id", "destination_port"),
    ("cisco_ios", "show interfaces"): (
        "interface",
        "link_status",
        "protocol_status",
        "input_errors",
        "crc",
        "output_errors",
        "queue_drops",
        "queue_output_drops",
    ),
    ("cisco_ios", "show spanning-tree"): ("vlan_id", "interface", "role", "status"),
    ("cisco_nxos", "show interface status"): ("port", "name", "status", "vlan_id", "duplex", "speed"),
    ("cisco_nxos", "show interface switchport"): (
        "interface",
        "mode",
        "access_vlan",
        "native_vlan",
        "trunking_vlans",
        "voice_vlan",
    ),
    ("cisco_nxos", "show cdp neighbors detail"): (
        "chassis_id",
        "neighbor_name",
        "platform",
        "neighbor_interface",
        "local_interface",
        "capabilities",
    ),
    ("cisco_nxos", "show lldp neighbors detail"): (
        "neighbor_name",
        "local_interface",
        "neighbor_interface",
        "neighbor_description",
        "capabilities",
    ),
    ("cisco_nxos", "show mac address-table"): ("vlan_id", "mac_address", "ports"),
    ("cisco_nxos", "show interface"): (
        "interface",
        "link_status",
        "admin_state",
        "input_errors",
        "output_errors",
        "crc",
        "input_discards",
        "output_discards",
    ),
    ("arista_eos", "show interfaces status"): ("port", "name", "status", "vlan_id", "duplex", "speed"),
    ("arista_eos", "show vlan"): ("vlan_id", "vlan_name", "status", "interfaces"),
    ("arista_eos", "show lldp neighbors detail"): (
        "neighbor_name",
        "neighbor_description",
        "neighbor_interface",
        "local_interface",
    ),
    ("arista_eos", "show mac address-table"): ("mac_address", "vlan_id", "destination_port"),
    ("hp_comware", "display interface brief"): (
        "interface",
        "link",
        "speed",
        "duplex",
        "type",
        "vlan_id",
        "description",
    ),
    ("hp_comware", "display lldp neighbor-information verbose"): (
        "local_interface",
        "neighbor_interface",
        "neighbor_name",
    ),
    ("hp_comware", "display mac-address"): ("mac_address", "vlan_id", "interface"),
    ("hp_comware", "display counters inbound interface"): ("interface", "packets_error"),
    ("hp_comware", "display counters outbound interface"): ("interface", "packets_error"),
    ("aruba_aoscx", "show interface"): (
        "interface",
        "link_status",
        "link_admin",
        "interface_desc",
        "speed",
        "duplex",
        "vlan_mode",
        "vlan_access",
        "vlan_native",
        "vlan_trunk",
        "rx_errors",
        "rx_crc_fcs",
        "rx_dropped",
        "tx_errors",
        "tx_dropped",
    ),
    ("aruba_aoscx", "show lldp neighbors-info detail"): (
        "local_interface",
        "neighbor_name",
        "neighbor_port_id",
        "neighbor_interface",
        "neighbor_description",
        "capabilities",
    ),
    ("aruba_aoscx", "show mac-address-table"): ("mac_address", "vlan_id", "port"),
}

# (platform, command) -> a pattern every genuine answer of that command contains (a header, a
# keyword of its layout), matched case-insensitively line by line. Many ntc-templates read text they
# do not recognise as "no rows" rather than failing, so a device that answers garbage (a crashed
# process, a banner, another command's output) would look like a switch with no ports, no MACs, no
# neighbors: a fail where the truth is "we could not tell". An answer without its signature is an
# error, "not parseable", with the raw output kept. Checked against the lab's renderers and the
# ntc-templates test outputs of each command. Blank answers are judged elsewhere (no neighbors).
SIGNATURES: Final[dict[tuple[str, str], str]] = {
    ("cisco_ios", "show interfaces status"): r"^\s*Port\s+Name\s+Status",
    ("cisco_ios", "show interfaces switchport"): r"^\s*Name:\s*\S",
    ("cisco_ios", "show power inline"): r"\bAdmin\b.*\bOper\b|\bAvailable\b|inline power",
    ("cisco_ios", "show cdp neighbors detail"): r"Device ID|cdp entries",
    ("cisco_ios", "show lldp neighbors detail"): r"Local Intf|Chassis id|Total entries",
    ("cisco_ios", "show mac address-table"): r"Mac Address",
    ("cisco_ios", "show interfaces"): r"line protocol is",
    ("cisco_ios", "show spanning-tree"): r"spanning tree|^VLAN\d+|^MST\d+",
    ("cisco_nxos", "show interface status"): r"^\s*Port\s+Name\s+Status",
    ("cisco_nxos", "show interface switchport"): r"^\s*Name:\s*\S",
    ("cisco_nxos", "show cdp neighbors detail"): r"Device ID|cdp entries",
    ("cisco_nxos", "show lldp neighbors detail"): r"Chassis id|Local Port id|Capability codes|Total entries",
    ("cisco_nxos", "show mac address-table"): r"MAC Address",
    ("cisco_nxos", "show interface"): r"^\S+ is (?:up|down)|admin state is",
    ("arista_eos", "show interfaces status"): r"^\s*Port\s+Name\s+Status",
    ("arista_eos", "show vlan"): r"^\s*VLAN\s+Name\s+Status",
    ("arista_eos", "show lldp neighbors detail"): r"LLDP neighbor",
    ("arista_eos", "show mac address-table"): r"Mac Address",
    ("hp_comware", "display interface brief"): r"Brief information|^\s*Interface\s+Link",
    ("hp_comware", "display lldp neighbor-information verbose"): r"LLDP neighbor",
    ("hp_comware", "display mac-address"): r"MAC ADDR|MAC Address",
    ("hp_comware", "display counters inbound interface"): r"^\s*Interface\s+Total \(pkts\)",
    ("hp_comware", "display counters outbound interface"): r"^\s*Interface\s+Total \(pkts\)",
    ("aruba_aoscx", "show interface"): r"^\s*Interface \S+ is|Admin state",
    ("aruba_aoscx", "show lldp neighbors-info detail"): r"LLDP Neighbor",
    ("aruba_aoscx", "show mac-address-table"): r"MAC Address",
}
for (_platform, _command), _pattern in list(SIGNATURES.items()):
    if _platform == "cisco_ios":
        SIGNATURES["cisco_xe", _command] = _pattern

ALLOWED: Final[frozenset[str]] = frozenset(
    cmd for kinds in COMMANDS.values() for cmds in kinds.values() for cmd in cmds
)


def commands_for(platform: str, kind: str) -> tuple[str, ...] | None:
    """The commands for a check kind on a platform, or None when the platform cannot answer it over SSH."""
    return COMMANDS.get(platform, {}).get(kind)


def looks_like(platform: str, command: str, output: str) -> bool:
    """True when `output` carries the signature of `command`'s answer (or no signature is known)."""
    pattern = SIGNATURES.get((platform, command))
    return pattern is None or re.search(pattern, output, re.IGNORECASE | re.MULTILINE) is not None
