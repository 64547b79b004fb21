"""Interface names as each platform prints them: short in tables, long in detail outputs.

The world keys ports by the runbook's spelling (`Gi1/0/1`, `Eth1/47`, `Ethernet49/1`, `1/1/12`).
A real switch prints `Gi1/0/1` in `show interfaces status` but `GigabitEthernet1/0/1` in
`show interfaces`; the lab does the same so the driver meets the names it will meet in a closet.
"""

from __future__ import annotations

import re

# platform -> (short prefix, long prefix), longest short prefix first where they overlap
_PREFIXES: dict[str, tuple[tuple[str, str], ...]] = {
    "cisco_ios": (
        ("Twe", "TwentyFiveGigE"),
        ("Tw", "TwoGigabitEthernet"),
        ("Gi", "GigabitEthernet"),
        ("Te", "TenGigabitEthernet"),
        ("Fo", "FortyGigabitEthernet"),
        ("Hu", "HundredGigE"),
        ("Fa", "FastEthernet"),
        ("Po", "Port-channel"),
        ("Vl", "Vlan"),
    ),
    "cisco_nxos": (("Eth", "Ethernet"), ("Po", "port-channel"), ("Vlan", "Vlan")),
    "arista_eos": (("Et", "Ethernet"), ("Po", "Port-Channel"), ("Vl", "Vlan")),
    "hp_comware": (
        ("XGE", "Ten-GigabitEthernet"),
        ("FGE", "FortyGigE"),
        ("GE", "GigabitEthernet"),
        ("BAGG", "Bridge-Aggregation"),
    ),
    "aruba_aoscx": (),
}
_PREFIXES["cisco_xe"] = _PREFIXES["cisco_ios"]
_SPLIT = re.compile(r"^(?P<prefix>[A-Za-z][A-Za-z-]*)?(?P<rest>\d.*)$")


def _split(name: str) -> tuple[str, str]:
    match = _SPLIT.match(name)
    if match is None:
        return name, ""
    return match["prefix"] or "", match["rest"]


def long_name(platform: str, name: str) -> str:
    """`Gi1/0/1` -> `GigabitEthernet1/0/1` on IOS; names already long, or unknown, are kept."""
    prefix, rest = _split(name)
    for short, long in _PREFIXES.get(platform, ()):
        if prefix.lower() in (short.lower(), long.lower()):
            return long + rest
    return name


def short_name(platform: str, name: str) -> str:
    """`GigabitEthernet1/0/1` -> `Gi1/0/1` on IOS; names already short, or unknown, are kept."""
    prefix, rest = _split(name)
    for short, long in _PREFIXES.get(platform, ()):
        if prefix.lower() in (short.lower(), long.lower()):
            return short + rest
    return name


def dotted_mac(mac: str) -> str:
    """Any MAC spelling -> `001b.4f00.0001` (Cisco, Arista)."""
    digits = re.sub(r"[^0-9a-fA-F]", "", mac).lower()
    return f"{digits[0:4]}.{digits[4:8]}.{digits[8:12]}"


def dashed_mac(mac: str) -> str:
    """Any MAC spelling -> `001b-4f00-0001` (Comware)."""
    return dotted_mac(mac).replace(".", "-")


def colon_mac(mac: str) -> str:
    """Any MAC spelling -> `00:1b:4f:00:00:01` (AOS-CX)."""
    digits = dotted_mac(mac).replace(".", "")
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def speed_text(mbps: int) -> str:
    """1000 -> `1000`, 10000 -> `10G`, 100 -> `100` (the status-table spelling)."""
    return f"{mbps // 1000}G" if mbps >= 10000 and mbps % 1000 == 0 else str(mbps)
