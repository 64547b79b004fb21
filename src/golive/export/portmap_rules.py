"""How an old switch's port becomes the new switch's port: the rules of `golive portmap draft`.

Why a module of its own: a closet swap keeps its cabling plan in a few words ("same numbering",
"everything moves up 24", "stack member 1 is now member 3"), and each must give a port name the
new switch really has. The numbers follow the rules the technician gives; the interface TYPE is
always re-spelled the way the new platform spells the same speed class (Comware `GE1/0/10` is
Catalyst `Gi1/0/10`; Catalyst `Te1/1/1` is Comware `XGE1/1/1`; NX-OS, EOS and AOS-CX ports carry
no speed in their names). Where the new platform has no spelling for a speed, or the old name
carried no speed, the port is still mapped and a note says what to check. Pure: names in, names out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["MappedPort", "RuleError", "Rules", "is_physical", "map_port", "parse_rules", "split_port"]

_NAME = re.compile(r"^(?P<stem>[A-Za-z][A-Za-z-]*?)?[\s-]*(?P<nums>\d+(?:/\d+)*)$", re.ASCII)

# every spelling of a physical port type -> its speed class ("" = the name says no speed)
_SPEED = {
    "fastethernet": "100m", "fa": "100m", "fe": "100m",
    "gigabitethernet": "1g", "gi": "1g", "ge": "1g", "gig": "1g",
    "twogigabitethernet": "2.5g", "tw": "2.5g",
    "fivegigabitethernet": "5g", "fi": "5g",
    "tengigabitethernet": "10g", "ten-gigabitethernet": "10g", "te": "10g", "xge": "10g", "xe": "10g",
    "xgigabitethernet": "10g",
    "twentyfivegige": "25g", "twentyfivegigabitethernet": "25g", "twenty-fivegige": "25g", "twe": "25g",
    "wge": "25g",
    "fortygigabitethernet": "40g", "fortygige": "40g", "fo": "40g", "fge": "40g",
    "hundredgige": "100g", "hundredgigabitethernet": "100g", "hu": "100g", "hge": "100g",
    "ethernet": "", "eth": "", "et": "", "e": "", "": "",
}  # fmt: skip
# Comware and IOS name their 100 Mb/s ports plain "Ethernet"
_PLAIN_ETHERNET_IS_100M = frozenset({"hp_comware", "cisco_ios"})

_CISCO = {"100m": "Fa", "1g": "Gi", "2.5g": "Tw", "5g": "Fi", "10g": "Te", "25g": "Twe", "40g": "Fo", "100g": "Hu"}
_COMWARE = {"100m": "Eth", "1g": "GE", "10g": "XGE", "25g": "WGE", "40g": "FGE", "100g": "HGE"}
_JUNOS = {"100m": "fe-", "1g": "ge-", "10g": "xe-", "25g": "et-", "40g": "et-", "100g": "et-"}
# platform -> speed class -> prefix; a str: one prefix whatever the speed
_SPELLING: dict[str, dict[str, str] | str] = {
    "cisco_ios": _CISCO, "cisco_xe": _CISCO, "hp_comware": _COMWARE, "juniper_junos": _JUNOS,
    "cisco_nxos": "Eth", "arista_eos": "Et", "dell_os10": "ethernet", "aruba_aoscx": "",
}  # fmt: skip
_FALLBACK_SPEED = "1g"  # an access port whose name says no speed: most closets are gigabit


class RuleError(ValueError):
    """A rule the technician typed cannot be read; the message quotes it and says how to write it."""


@dataclass(frozen=True)
class Rules:
    """The composed rules: stack members renumbered, then the port number shifted."""

    offset: int = 0
    members: dict[int, int] = field(default_factory=dict)

    def describe(self) -> str:
        parts = [f"member:{a}={b}" for a, b in sorted(self.members.items())]
        if self.offset:
            parts.append(f"offset:{self.offset:+d}")
        return " ".join(parts) or "same"


@dataclass(frozen=True)
class MappedPort:
    port: str | None  # None: no new port could be named (the note says why)
    note: str = ""


def parse_rules(texts: list[str] | tuple[str, ...]) -> Rules:
    """`same`, `offset:N` (N may be negative), `member:A=B`, several composing: member renumbering is one
    table applied at once (so `member:1=2 member:2=1` swaps two members), offsets add up."""
    offset = 0
    members: dict[int, int] = {}
    for text in texts:
        word, _, arg = text.strip().partition(":")
        word = word.lower()
        if word == "same" and not arg:
            continue
        if word == "offset":
            try:
                offset += int(arg)
            except ValueError:
                raise RuleError(f"rule {text!r}: write offset:N with N a whole number, e.g. offset:24") from None
            continue
        if word == "member":
            old, sep, new = arg.partition("=")
            if not (sep and old.strip().isdigit() and new.strip().isdigit()):
                raise RuleError(f"rule {text!r}: write member:A=B with stack member numbers, e.g. member:1=3")
            a, b = int(old), int(new)
            if a in members and members[a] != b:
                raise RuleError(f"rule {text!r}: member {a} is already mapped to {members[a]}")
            members[a] = b
            continue
        raise RuleError(f"unknown rule {text!r}: use same, offset:N or member:A=B")
    targets = list(members.values())
    if len(set(targets)) != len(targets):
        twice = next(b for b in targets if targets.count(b) > 1)
        raise RuleError(f"two stack members are mapped to member {twice}")
    return Rules(offset=offset, members=members)


def split_port(name: str) -> tuple[str, list[int]] | None:
    """(type stem in lower case, its numbers) of a port name, or None when it is no interface name."""
    match = _NAME.match(name.strip())
    if match is None:
        return None
    return (match["stem"] or "").lower(), [int(n) for n in match["nums"].split("/")]


def _speed(stem: str, platform: str) -> str | None:
    if stem == "ethernet" and platform in _PLAIN_ETHERNET_IS_100M:
        return "100m"
    return _SPEED.get(stem)


def is_physical(name: str, platform: str) -> bool:
    """A front-panel port (a cord can be plugged into it), not a VLAN, aggregate, loopback or management port."""
    parts = split_port(name)
    return parts is not None and _speed(parts[0], platform) is not None


def map_port(name: str, old_platform: str, new_platform: str, rules: Rules) -> MappedPort:
    """The new switch's port for an old port: its numbers by the rules, its type as the new platform spells it."""
    parts = split_port(name)
    if parts is None or (speed := _speed(parts[0], old_platform)) is None:
        return MappedPort(None, f"{name} is not a front-panel port")
    stem, numbers = parts
    numbers = list(numbers)
    notes: list[str] = []
    if rules.members:
        if len(numbers) < 2:
            notes.append("no stack member in the name: member rule not applied")
        elif numbers[0] in rules.members:
            numbers[0] = rules.members[numbers[0]]
    if rules.offset:
        shifted = numbers[-1] + rules.offset
        if shifted < 0 or (shifted == 0 and numbers[-1] > 0):
            return MappedPort(None, f"offset {rules.offset:+d} takes port {numbers[-1]} below the first port")
        numbers[-1] = shifted
    prefix, why = _prefix(stem, speed, old_platform, new_platform)
    if why:
        notes.append(why)
    return MappedPort(prefix + "/".join(str(n) for n in numbers), "; ".join(notes))


def _prefix(stem: str, speed: str, old_platform: str, new_platform: str) -> tuple[str, str]:
    """(the new platform's prefix for this speed class, a note when it is a guess)."""
    spelling = _SPELLING.get(new_platform)
    if spelling is None:  # a platform golive does not spell: keep the old name's type
        kept = _SPELLING.get(old_platform)
        old_prefix = (kept.get(speed, "") if isinstance(kept, dict) else kept) if kept is not None else stem
        return old_prefix or stem, f"port type kept as on {old_platform}: check {new_platform}'s port names"
    if isinstance(spelling, str):
        return spelling, ""
    note = ""
    if not speed:
        speed = _FALLBACK_SPEED
        note = f"the old port's name gives no speed: {spelling[speed]} (gigabit) assumed"
    if speed not in spelling:
        note = f"{new_platform} has no {speed} port type name here: {spelling[_FALLBACK_SPEED]} assumed"
        speed = _FALLBACK_SPEED
    return spelling[speed], note
