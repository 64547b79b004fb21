"""TextFSM records (ntc-templates) turned into Facts, per platform and command.

Each function takes the records of one command's output. Only the columns listed in
golive.checks.ssh.commands.FIELDS are read; a value a platform does not report is simply absent,
and the judge says so rather than guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from golive.checks import normalize
from golive.checks.facts import Facts

Records = list[dict[str, Any]]


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value or "").strip()


def _vlan(value: Any) -> Any:
    text = _text(value)
    return int(text) if text.isdigit() else text


def _status_table(records: Records, facts: Facts) -> None:
    """`show interfaces status` (IOS, NX-OS, EOS): status, speed, duplex, description, access VLAN.

    The status is kept as the device printed it (`notconnect`, `sfpAbsent`, `xcvrAbsen`): the
    judge compares it through normalize.status, and a failure shows the technician the word the
    switch shows."""
    for row in records:
        port = facts.port(_text(row.get("port")))
        raw = _text(row.get("status"))
        status = normalize.status(raw)
        port["status"] = raw or status
        port["admin"] = "down" if status == "disabled" else "up"
        port["err_disabled"] = status == "err-disabled"
        port["speed"] = normalize.speed(_text(row.get("speed")))
        port["duplex"] = normalize.duplex(_text(row.get("duplex")))
        port["description"] = _text(row.get("name"))
        port["vlan"] = _vlan(row.get("vlan_id"))


def _mode(operational: str, administrative: str) -> str:
    """access or trunk, from the mode the port runs in (a DTP port's admin mode is `dynamic auto`).
    A port whose operational mode is `down` runs in its admin mode only when that is a static one."""
    for mode in (operational.lower(), administrative.lower()):
        if "trunk" in mode and "dynamic" not in mode:
            return "trunk"
        if "access" in mode and "dynamic" not in mode:
            return "access"
        if mode not in ("", "down"):
            return mode
    return operational.lower() or administrative.lower()


def _switchport(records: Records, facts: Facts) -> None:
    """`show interface(s) switchport` (IOS, NX-OS)."""
    for row in records:
        port = facts.port(_text(row.get("interface")))
        port["mode"] = _mode(_text(row.get("mode")), _text(row.get("admin_mode")))
        port["access"] = _vlan(row.get("access_vlan"))
        voice = _text(row.get("voice_vlan")).lower()
        port["voice"] = int(voice) if voice.isdigit() else "none"
        port["native"] = _vlan(row.get("native_vlan"))
        port["trunk_allowed"] = _text(row.get("trunking_vlans"))


def _power_inline(records: Records, facts: Facts) -> None:
    for row in records:
        port = facts.port(_text(row.get("interface")))
        port["powered"] = _text(row.get("operational_status")).lower() == "on"
        klass = _text(row.get("class"))
        port["class"] = int(klass) if klass.isdigit() else klass
        try:
            port["watts"] = float(_text(row.get("power")) or 0)
        except ValueError:
            port["watts"] = _text(row.get("power"))


def _device_id(value: Any) -> str:
    """A CDP Device ID without the serial number NX-OS appends: `dc-lf03(SAL1906XXXX)` -> dc-lf03."""
    text = _text(value)
    return re.sub(r"\([^()]*\)$", "", text).strip() or text


def _neighbors(protocol: str) -> Callable[[Records, Facts], None]:
    def parse(records: Records, facts: Facts) -> None:
        for row in records:
            local = _text(row.get("local_interface"))
            if not local:
                continue
            # the neighbor's port is its LLDP port id (what it calls the port); its description is
            # free text (`SW PORT`, `eth0`) and only stands in when no id was parsed
            port = _text(row.get("neighbor_port_id")) or _text(row.get("neighbor_interface"))
            values: dict[str, Any] = {
                "protocol": protocol,
                "device": _text(row.get("neighbor_name")) or _device_id(row.get("chassis_id")),
                "port": port,
                "platform": _text(row.get("platform")) or _text(row.get("neighbor_description")),
            }
            if "capabilities" in row:  # CDP capabilities / LLDP enabled capabilities, where the template has them
                values["caps"] = _text(row.get("capabilities"))
            facts.neighbor(local, **values)

    return parse


# Table rows that are the switch itself, not a station it learned: its CPU, router, supervisor or
# VLAN interface MAC (NX-OS `sup-eth1(R)`, IOS `CPU`/`Router`/`Vl99`), or a drop entry. Never learned.
_NOT_LEARNED = re.compile(r"^(?:cpu|router|switch|drop|sup-eth\S*|vl(?:an)?\d+)$|\(R\)$", re.IGNORECASE)


def _macs(mac_col: str, vlan_col: str, port_col: str) -> Callable[[Records, Facts], None]:
    def parse(records: Records, facts: Facts) -> None:
        for row in records:
            ports = row.get(port_col)
            for port in ports if isinstance(ports, list) else [ports]:
                if port and not _NOT_LEARNED.search(str(port)):
                    facts.macs.append(
                        {
                            "mac": normalize.mac(_text(row.get(mac_col))),
                            "vlan": _vlan(row.get(vlan_col)),
                            "port": str(port),
                        }
                    )

    return parse


def _counters(records: Records, facts: Facts) -> None:
    """`show interface(s)` counters (IOS, NX-OS, AOS-CX): errors, CRC, and drops where the template has them."""
    for row in records:
        port = facts.port(_text(row.get("interface")))
        for column, name in (
            ("input_errors", "input"), ("crc", "crc"), ("output_errors", "output"),
            ("input_discards", "discards"), ("output_discards", "out_discards"),
            ("queue_drops", "discards"), ("queue_output_drops", "out_discards"),  # IOS input queue, output drops
            ("rx_errors", "input"), ("tx_errors", "output"), ("rx_crc_fcs", "crc"),
            ("rx_dropped", "discards"), ("tx_dropped", "out_discards"),  # AOS-CX
        ):  # fmt: skip
            value = _text(row.get(column))
            if value.isdigit():
                port[name] = int(value)


def _spanning_tree(records: Records, facts: Facts) -> None:
    for row in records:
        port = facts.port(_text(row.get("interface")))
        state = normalize.stp(_text(row.get("status")))
        # a port in several VLANs: forwarding only if forwarding in all of them
        if port.get("stp") not in (None, "forwarding") and state == "forwarding":
            continue
        port["stp"] = state


def _eos_vlans(records: Records, facts: Facts) -> None:
    """`show vlan` (EOS): a port listed under one VLAN is an access port of it. A port listed under
    several is a trunk or a phone port (`switchport mode trunk phone`): this table cannot tell which,
    nor its native or voice VLAN, so nothing is said about its mode (the judge reports an error)."""
    member: dict[str, list[Any]] = {}
    for row in records:
        vlan = _vlan(row.get("vlan_id"))
        for name in row.get("interfaces") or []:
            member.setdefault(str(name), []).append(vlan)
    for name, vlans in member.items():
        port = facts.port(name)
        if len(vlans) == 1:
            port["mode"], port["access"] = "access", vlans[0]


def _comware_brief(records: Records, facts: Facts) -> None:
    for row in records:
        port = facts.port(_text(row.get("interface")))
        link = _text(row.get("link")).lower()
        port["status"] = {"up": "up", "down": "down", "adm": "disabled", "stby": "down"}.get(link, link)
        port["admin"] = "down" if link == "adm" else "up"
        port["speed"] = normalize.speed(_text(row.get("speed")))
        port["duplex"] = normalize.duplex(_text(row.get("duplex")))
        port["description"] = _text(row.get("description"))
        kind = _text(row.get("type")).upper()
        port["mode"] = {"A": "access", "T": "trunk", "H": "hybrid"}.get(kind, kind.lower())
        pvid = _vlan(row.get("vlan_id"))
        port["vlan"] = pvid
        port["access" if kind == "A" else "native"] = pvid


def _comware_counters(field: str) -> Callable[[Records, Facts], None]:
    """`display counters inbound|outbound interface` (Comware): the Err (pkts) column per port."""

    def parse(records: Records, facts: Facts) -> None:
        for row in records:
            value = _text(row.get("packets_error"))
            if value.isdigit():
                facts.port(_text(row.get("interface")))[field] = int(value)

    return parse


def _aoscx_interface(records: Records, facts: Facts) -> None:
    for row in records:
        port = facts.port(_text(row.get("interface")))
        admin = _text(row.get("link_admin")).lower()
        link = _text(row.get("link_status")).lower()
        port["admin"] = "down" if admin == "down" else "up"
        port["status"] = "disabled" if admin == "down" else normalize.status(link)
        port["speed"] = normalize.speed(_text(row.get("speed")).replace(" ", ""))
        port["duplex"] = normalize.duplex(_text(row.get("duplex")))
        port["description"] = _text(row.get("interface_desc"))
        mode = _text(row.get("vlan_mode")).lower()
        port["mode"] = "access" if mode == "access" else "trunk" if "trunk" in mode or "native" in mode else mode
        port["access"] = _vlan(row.get("vlan_access"))
        port["vlan"] = port["access"]
        port["native"] = _vlan(row.get("vlan_native"))
        port["trunk_allowed"] = _text(row.get("vlan_trunk"))
    _counters(records, facts)


PARSERS: dict[tuple[str, str], Callable[[Records, Facts], None]] = {
    ("cisco_ios", "show interfaces status"): _status_table,
    ("cisco_ios", "show interfaces switchport"): _switchport,
    ("cisco_ios", "show power inline"): _power_inline,
    ("cisco_ios", "show cdp neighbors detail"): _neighbors("cdp"),
    ("cisco_ios", "show lldp neighbors detail"): _neighbors("lldp"),
    ("cisco_ios", "show mac address-table"): _macs("destination_address", "vlan_id", "destination_port"),
    ("cisco_ios", "show interfaces"): _counters,
    ("cisco_ios", "show spanning-tree"): _spanning_tree,
    ("cisco_nxos", "show interface status"): _status_table,
    ("cisco_nxos", "show interface switchport"): _switchport,
    ("cisco_nxos", "show cdp neighbors detail"): _neighbors("cdp"),
    ("cisco_nxos", "show lldp neighbors detail"): _neighbors("lldp"),
    ("cisco_nxos", "show mac address-table"): _macs("mac_address", "vlan_id", "ports"),
    ("cisco_nxos", "show interface"): _counters,
    ("arista_eos", "show interfaces status"): _status_table,
    ("arista_eos", "show vlan"): _eos_vlans,
    ("arista_eos", "show lldp neighbors detail"): _neighbors("lldp"),
    ("arista_eos", "show mac address-table"): _macs("mac_address", "vlan_id", "destination_port"),
    ("hp_comware", "display interface brief"): _comware_brief,
    ("hp_comware", "display lldp neighbor-information verbose"): _neighbors("lldp"),
    ("hp_comware", "display mac-address"): _macs("mac_address", "vlan_id", "interface"),
    ("hp_comware", "display counters inbound interface"): _comware_counters("input"),
    ("hp_comware", "display counters outbound interface"): _comware_counters("output"),
    ("aruba_aoscx", "show interface"): _aoscx_interface,
    ("aruba_aoscx", "show lldp neighbors-info detail"): _neighbors("lldp"),
    ("aruba_aoscx", "show mac-address-table"): _macs("mac_address", "vlan_id", "port"),
}
for (_platform, _command), _parser in list(PARSERS.items()):
    if _platform == "cisco_ios":
        PARSERS[("cisco_xe", _command)] = _parser


def template_platform(platform: str) -> str:
    """The ntc-templates platform name for a Netmiko device type."""
    return "cisco_ios" if platform == "cisco_xe" else platform
