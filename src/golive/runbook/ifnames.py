"""One key for an interface however a device or a runbook spells it.

`Gi1/0/1`, `GigabitEthernet1/0/1` and `gi1/0/1` are the same port; `Eth1/12` and `Ethernet1/12`
too. Comparing canonical keys (never substrings) keeps Gi1/0/1 from matching Gi1/0/10. It lives
in the runbook layer because validation compares a port map with a device's declared ports by it.
"""

from __future__ import annotations

import re

_SPLIT = re.compile(r"^([A-Za-z][A-Za-z-]*?)[\s-]*(\d.*)$", re.ASCII)

# long and short spellings -> one short stem (lower case)
_STEMS = {
    "gigabitethernet": "gi", "gi": "gi", "ge": "gi", "gig": "gi",
    "tengigabitethernet": "te", "te": "te", "ten-gigabitethernet": "te", "xge": "te", "xe": "te",
    "twentyfivegige": "twe", "twe": "twe", "twentyfivegigabitethernet": "twe",
    "fortygigabitethernet": "fo", "fo": "fo", "fortygige": "fo",
    "hundredgige": "hu", "hu": "hu", "hundredgigabitethernet": "hu",
    "fastethernet": "fa", "fa": "fa",
    "twogigabitethernet": "tw", "tw": "tw", "fivegigabitethernet": "fi", "fi": "fi",
    "appgigabitethernet": "ap", "ap": "ap",
    "ethernet": "eth", "eth": "eth", "et": "eth", "e": "eth",
    "port-channel": "po", "portchannel": "po", "po": "po", "bridge-aggregation": "bagg", "bagg": "bagg",
    "vlan": "vl", "vl": "vl", "vlan-interface": "vl",
    "mgmt": "mgmt", "management": "ma", "ma": "ma", "loopback": "lo", "lo": "lo",
    "lag": "lag",
    # IOS ISR ports wired to an embedded access point; Comware's management port; Huawei's 10G
    "wlan-gigabitethernet": "wl", "wl": "wl", "wlan-gi": "wl",
    "m-gigabitethernet": "mge", "m-ge": "mge", "meth": "meth",
    "xgigabitethernet": "te", "route-aggregation": "ragg", "ragg": "ragg",
}  # fmt: skip


def canonical(name: str) -> str:
    """A comparison key: short stem + numbers, lower case; bare numbers (1/1/1, 12) stay as they are."""
    text = name.strip()
    match = _SPLIT.match(text)
    if not match:
        return text.lower()
    stem, rest = match[1].lower(), match[2]
    return _STEMS.get(stem, stem) + rest.lower()


def same_port(a: str, b: str) -> bool:
    return canonical(a) == canonical(b)
