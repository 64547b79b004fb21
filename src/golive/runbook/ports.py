"""Interface names and ranges (`Gi1/0/1-24`, `Eth1/12`, `ge-0/0/3`), validated before any device.

A port name from a runbook ends up inside a `show` command, so this is also a security
boundary: only letters, digits, `/`, `.`, `-` and `:` in a fixed shape ever pass; no spaces,
newlines, `;` or `|` can reach a device.
"""

from __future__ import annotations

import re

# prefix (letters, may contain hyphens, e.g. "ge-", "Port-channel"), then slot/module/port numbers
_NAME = re.compile(r"^(?P<prefix>[A-Za-z][A-Za-z-]*)?(?P<nums>\d+(?:/\d+)*)(?P<sub>[.:]\d+)?$", re.ASCII)
_RANGE = re.compile(r"^(?P<head>(?:[A-Za-z][A-Za-z-]*)?(?:\d+/)*)(?P<lo>\d+)-(?P<hi>\d+)$", re.ASCII)
MAX_PORTS_PER_SPEC = 4096


class PortSpecError(ValueError):
    """A malformed port name or range; its message names the offending text."""


def check_port_name(name: str) -> str:
    """`name` if it is one well-formed interface name, else PortSpecError."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise PortSpecError(f"malformed port name {name!r}: expected an interface like Gi1/0/1, Eth1/12 or ge-0/0/3")
    return name


def expand_ports(spec: str | list[str]) -> list[str]:
    """Every port a spec names, in order: `Gi1/0/1-3,Gi1/0/10` -> four names.

    A spec is a name, a range whose last number runs `lo-hi`, a comma-separated string of those,
    or a list of those. Duplicates are refused: they are always a typo in a runbook.
    """
    items: list[str] = []
    for part in [spec] if isinstance(spec, str) else list(spec):
        if not isinstance(part, str):
            raise PortSpecError(f"malformed port {part!r}: expected text like Gi1/0/1")
        items.extend(p.strip() for p in part.split(","))
    ports: list[str] = []
    for item in items:
        ports.extend(_expand_one(item))
        if len(ports) > MAX_PORTS_PER_SPEC:
            raise PortSpecError(f"too many ports in one check (more than {MAX_PORTS_PER_SPEC})")
    seen: set[str] = set()
    for port in ports:
        if port in seen:
            raise PortSpecError(f"port {port} is named twice")
        seen.add(port)
    if not ports:
        raise PortSpecError("no ports named")
    return ports


def _expand_one(item: str) -> list[str]:
    if not item:
        raise PortSpecError("malformed port range: an empty entry (a stray comma?)")
    match = _RANGE.fullmatch(item)
    if match is None:
        if "-" in item and not _NAME.fullmatch(item):
            raise PortSpecError(
                f"malformed port range {item!r}: write it like Gi1/0/1-24 (first-last of the last number)"
            )
        return [check_port_name(item)]
    lo, hi = int(match["lo"]), int(match["hi"])
    if lo > hi:
        raise PortSpecError(f"malformed port range {item!r}: it runs backwards ({lo} > {hi})")
    head = match["head"]
    if hi - lo >= MAX_PORTS_PER_SPEC:
        raise PortSpecError(f"port range {item!r} is too large")
    return [f"{head}{n}" for n in range(lo, hi + 1)]  # each a well-formed name: `head` matched _RANGE
