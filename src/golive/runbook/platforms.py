"""Which check golive can answer on which platform over which transport: the one matrix.

`golive validate` refuses a check no transport can answer, the engine picks its transport by the
same rule (`choose`), and `golive platforms` and the README print this table, so what the author is
told at the desk is what happens at 2 a.m. The SSH side must agree with the commands the driver
sends and the template columns it reads (golive.checks.ssh.commands), the SNMP side with what the
SNMP reader reports (golive.checks.snmp.observe.SNMP_FIELDS); tests/unit/test_platforms.py fails
when they drift. It lives in the runbook layer so validation needs no network code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# the SSH platforms golive has commands for; every other Netmiko platform is SNMP-only
SSH_PLATFORMS: Final = ("cisco_ios", "cisco_xe", "cisco_nxos", "arista_eos", "hp_comware", "aruba_aoscx")

# a check kind as the matrix splits it: neighbor checks by protocol ("any" asks LLDP over SSH)
KINDS: Final = ("port", "vlan", "poe", "neighbor:cdp", "neighbor:lldp", "mac", "errors", "state")

# every expectation field of each kind (the schema's names; "class" for poe)
FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "port": ("status", "admin", "speed", "duplex", "description", "vlan"),
    "vlan": ("mode", "access", "voice", "native", "trunk_allowed"),
    "poe": ("powered", "class", "watts"),
    "neighbor:cdp": ("device", "port", "platform"),
    "neighbor:lldp": ("device", "port", "platform"),
    "mac": ("mac", "count", "port", "vlan"),
    "errors": ("input", "crc", "output", "discards", "out_discards"),
    "state": ("err_disabled", "stp"),
}

_PORT: Final = frozenset(FIELDS["port"])
_VLAN: Final = frozenset(FIELDS["vlan"])
_NEIGHBOR: Final = frozenset(FIELDS["neighbor:lldp"])
_MAC: Final = frozenset(FIELDS["mac"])
_IOS: Final[dict[str, frozenset[str]]] = {
    "port": _PORT,
    "vlan": _VLAN,
    "poe": frozenset(FIELDS["poe"]),
    "neighbor:cdp": _NEIGHBOR,
    "neighbor:lldp": _NEIGHBOR,
    "mac": _MAC,
    "errors": frozenset(FIELDS["errors"]),  # discards: the input queue drops and the output drops
    "state": frozenset({"err_disabled", "stp"}),
}

# platform -> kind -> the expectation fields SSH can answer there; a kind absent is not supported
SSH: Final[dict[str, dict[str, frozenset[str]]]] = {
    "cisco_ios": _IOS,
    "cisco_xe": _IOS,
    "cisco_nxos": {
        "port": _PORT,
        "vlan": _VLAN,
        "neighbor:cdp": _NEIGHBOR,
        "neighbor:lldp": _NEIGHBOR,
        "mac": _MAC,
        "errors": frozenset(FIELDS["errors"]),
        "state": frozenset({"err_disabled"}),
    },
    "arista_eos": {
        # `show vlan` lists access ports only: a trunk's mode and VLANs are not in it
        "port": _PORT,
        "vlan": frozenset({"access"}),
        "neighbor:lldp": _NEIGHBOR,
        "mac": _MAC,
        "state": frozenset({"err_disabled"}),
    },
    "hp_comware": {
        "port": _PORT,
        "vlan": frozenset({"mode", "access", "native"}),
        "neighbor:lldp": frozenset({"device", "port"}),
        "mac": _MAC,
        "errors": frozenset({"input", "output"}),  # `display counters inbound|outbound`: no CRC or drop column
    },
    "aruba_aoscx": {
        "port": _PORT,
        "vlan": frozenset({"mode", "access", "native", "trunk_allowed"}),
        "neighbor:lldp": _NEIGHBOR,
        "mac": _MAC,
        "errors": frozenset(FIELDS["errors"]),
    },
}

# kind -> the expectation fields SNMP can answer (standard MIBs, and vendor MIBs where they are absent);
# on every platform but for SNMP_VENDOR's: an agent that lacks a table says so as an error at run time
SNMP: Final[dict[str, frozenset[str]]] = {
    "port": _PORT,
    "vlan": frozenset({"mode", "access"}),
    "poe": frozenset(FIELDS["poe"]),
    "neighbor:cdp": _NEIGHBOR,
    "neighbor:lldp": _NEIGHBOR,
    "mac": _MAC,
    "errors": frozenset(FIELDS["errors"]),
    "state": frozenset({"stp"}),
}

# kind -> field -> (the vendor MIB SNMP reads it from, the platforms that have that MIB): elsewhere
# SNMP cannot answer that field
CISCO_VTP: Final = frozenset({"cisco_ios", "cisco_xe", "cisco_nxos"})
SNMP_VENDOR: Final[dict[str, dict[str, tuple[str, frozenset[str]]]]] = {
    "vlan": {"mode": ("CISCO-VTP-MIB", CISCO_VTP)},
}


def matrix_kind(kind: str, protocol: str | None = None) -> str:
    """The matrix's name for a check kind: neighbor checks split by protocol, "any" asking LLDP."""
    if kind == "neighbor":
        return "neighbor:cdp" if protocol == "cdp" else "neighbor:lldp"
    return kind


def label(kind: str) -> str:
    """How a matrix kind reads in a message: "neighbor (cdp)"."""
    base, _, protocol = kind.partition(":")
    return f"{base} ({protocol})" if protocol else base


def ssh_fields(platform: str, kind: str) -> frozenset[str] | None:
    """What SSH can answer for `kind` on `platform`, or None when it cannot answer that kind at all."""
    return SSH.get(platform, {}).get(kind)


# kind -> (why, the platforms where SNMP cannot answer that kind at all)
SNMP_NOT_ON: Final[dict[str, tuple[str, frozenset[str]]]] = {
    # Catalyst IOS/IOS-XE keep one BRIDGE-MIB per VLAN (read with community@vlan) and no Q-BRIDGE FDB:
    # the default context shows VLAN 1's MACs only, so a MAC elsewhere would read "not learned"
    "mac": ("its MAC table is per VLAN over SNMP", frozenset({"cisco_ios", "cisco_xe"})),
}


def snmp_fields(kind: str, platform: str) -> frozenset[str] | None:
    """What SNMP can answer for `kind` on `platform` (SNMP, less the vendor fields it lacks), or None."""
    fields = SNMP.get(kind)
    if fields is None or platform in SNMP_NOT_ON.get(kind, ("", frozenset()))[1]:
        return None
    lacking = {f for f, (_, where) in SNMP_VENDOR.get(kind, {}).items() if platform not in where}
    return fields - lacking


@dataclass(frozen=True)
class Choice:
    """The transport a check goes over, and why it cannot (empty when it can); `field` names the
    expectation field at fault when one is."""

    transport: str
    problem: str = ""
    field: str | None = None


def _first(fields: set[str], able: frozenset[str] | None, kind: str) -> str | None:
    missing = fields - (able or frozenset())
    return next((f for f in FIELDS.get(kind, ()) if f in missing), min(missing) if missing else None)


def snmp_can(kind: str, platform: str, fields: set[str], interval: bool = False) -> bool:
    """SNMP answers every expected field (a sampled errors check reads its counters however named)."""
    able = snmp_fields(kind, platform)
    return able is not None and (interval or fields <= able)


def choose(
    kind: str, platform: str, fields: set[str], *, via: str | None, has_snmp: bool, interval: bool = False
) -> Choice:
    """The transport for a device check (`kind` as the matrix names it) and, when it cannot run, the
    reason with a hint. SNMP when asked for, or when nothing is asked and the device has SNMP settings
    and SNMP answers every expected field; SSH otherwise."""
    snmp_ok = snmp_can(kind, platform, fields, interval)
    ssh_able = ssh_fields(platform, kind)
    ssh_ok = ssh_able is not None and fields <= ssh_able
    what = label(kind)
    if via == "snmp":
        if not has_snmp:
            return Choice("snmp", "via: snmp, but the device has no snmp: settings in the inventory")
        if not snmp_ok:
            able = snmp_fields(kind, platform)
            field = _first(fields, able, kind)
            hint = " (use via: ssh)" if ssh_ok else ""
            if able is None and platform in SNMP_NOT_ON.get(kind, ("", frozenset()))[1]:
                why = SNMP_NOT_ON[kind][0]
                return Choice("snmp", f"{what} checks are not supported on {platform} over snmp ({why}){hint}")
            if able is None:
                return Choice("snmp", f"{what} checks are not supported over snmp{hint}")
            where = f" on {platform}" if field in SNMP_VENDOR.get(kind, {}) else ""
            return Choice("snmp", f"snmp cannot report {field} for {what} checks{where}{hint}", field)
        return Choice("snmp")
    if via is None and has_snmp and snmp_ok:
        return Choice("snmp")
    if ssh_ok:
        return Choice("ssh")
    if snmp_ok:
        hint = " (use via: snmp)" if has_snmp else " (give the device snmp: settings and use via: snmp)"
    else:
        hint = ""
    if ssh_able is None:
        return Choice("ssh", f"{what} checks are not supported on {platform} over ssh{hint}")
    field = _first(fields, ssh_able, kind)
    return Choice("ssh", f"ssh cannot report {field} for {what} checks on {platform}{hint}", field)
