"""Device vocabularies brought to one: what `connected`, `a-1000`, `FWD` or `Full` mean.

Switches disagree on spelling (IOS says `connected`, SNMP says up(1), Comware says `UP`); a
runbook should not care. Each observed field is normalized before the expectation is tried, and
so are the expectation's own literals for the same field, so `status: connected` and
`status: up` mean the same thing.
"""

from __future__ import annotations

import re
from typing import Any

# Every spelling a device prints (lower case; IOS/NX-OS truncate to 9-10 columns) -> one word.
_STATUS = {
    "up": "up", "connected": "up", "connect": "up", "1": "up", "link-up": "up",
    "down": "down", "notconnect": "down", "notconnec": "down", "notconnected": "down", "not connected": "down",
    "2": "down", "link-down": "down", "lowerlayerdown": "down", "notpresent": "down",
    "sfpabsent": "down", "sfp-absent": "down", "xcvrabsen": "down", "xcvrabsent": "down",
    "noopermem": "down", "noopermembers": "down", "inactive": "down", "stby": "down", "standby": "down",
    "disabled": "disabled", "admin down": "disabled", "administratively down": "disabled", "adm": "disabled",
    "err-disabled": "err-disabled", "errdisabled": "err-disabled", "err-disable": "err-disabled",
    "err-disabl": "err-disabled", "errdisable": "err-disabled",
    "monitoring": "monitoring", "monitor": "monitoring", "suspended": "suspended", "suspnd": "suspended",
}  # fmt: skip
_STP = {
    "fwd": "forwarding", "forwarding": "forwarding", "5": "forwarding", "blk": "blocking", "blocking": "blocking",
    "2": "blocking", "discarding": "blocking", "lrn": "learning", "learning": "learning", "4": "learning",
    "lis": "listening", "listening": "listening", "3": "listening", "dis": "disabled", "disabled": "disabled",
    "1": "disabled", "bkn": "broken", "broken": "broken", "6": "broken", "bkn*": "broken",
}  # fmt: skip
_SPEED = re.compile(r"^(?:a-|auto-?)?(\d+(?:\.\d+)?)\s*([kmgt]?)(?:b(?:ps|/s|it/s)?)?(?:\(a\))?$", re.IGNORECASE)
_FACTOR = {"": 1.0, "k": 0.001, "m": 1.0, "g": 1000.0, "t": 1_000_000.0}


def speed_mbps(value: Any) -> float | None:
    """Mbps from `1G`, `10G`, `a-1000`, `1000`, `1000Mb/s`, `100M`, `1G(a)`; None for auto/unknown."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    match = _SPEED.match(str(value).strip())
    if not match:
        return None
    return float(match[1]) * _FACTOR[match[2].lower()]


def speed_text(mbps: float) -> str:
    if mbps >= 1000 and (mbps / 1000 * 10) % 1 == 0:  # 1G, 2.5G, 10G
        return f"{mbps / 1000:g}G"
    return f"{mbps:g}M"


def speed(value: Any) -> Any:
    mbps = speed_mbps(value)
    if mbps is None:
        text = str(value).strip().lower()
        return "auto" if text.startswith("auto") or text in ("a", "") else text
    return speed_text(mbps)


def status(value: Any) -> str:
    """up, down, disabled, err-disabled (or the device's own word: monitoring, suspended, ...).
    IOS marks a port under a cable test `notconnect:` or `connected: TDR`: the word before the colon."""
    text = str(value).strip().lower().partition(":")[0].strip()
    return _STATUS.get(text, text)


def stp(value: Any) -> str:
    text = str(value).strip().lower()
    return _STP.get(text, text)


_DUPLEX = {
    "f": "full", "h": "half", "3": "full", "2": "half", "fdx": "full", "hdx": "half", "a": "auto", "1": "auto",
    "full-duplex": "full", "half-duplex": "half", "full duplex": "full", "half duplex": "half",
}  # fmt: skip


def duplex(value: Any) -> str:
    """full, half or auto: IOS `a-full`, Comware `F(a)` / `A` (its legend: (a)/A - auto), AOS-CX `Full-duplex`."""
    text = str(value).strip().lower().removeprefix("a-").removeprefix("auto-").removesuffix("(a)").strip()
    return _DUPLEX.get(text, text)


def boolean(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "on", "1", "enabled"):
        return True
    if text in ("false", "no", "off", "0", "disabled"):
        return False
    return value


def integer(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    return value


def mac(value: Any) -> str:
    """00:1b:44:11:3a:b7 from any of 001b.4411.3ab7, 00-1B-44-11-3A-B7, 001b44113ab7."""
    digits = re.sub(r"[^0-9a-fA-F]", "", str(value)).lower()
    if len(digits) != 12:
        return str(value).strip().lower()
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def mac_matches(pattern: str, value: str) -> bool:
    """A full MAC equals; an OUI (`00:1b:44` or `00:1b:44:*`) matches by its first three octets."""
    want = re.sub(r"[^0-9a-fA-F]", "", pattern).lower()
    have = re.sub(r"[^0-9a-fA-F]", "", value).lower()
    return have == want if len(want) == 12 else have.startswith(want)


def vlan_list(value: Any) -> list[int]:
    """1,120,130-131 -> [1, 120, 130, 131]; `all`/`ALL` -> 1-4094; `none` -> []."""
    text = str(value).strip().lower().replace(" ", "")
    if text in ("all", "1-4094", "1-4095"):
        return list(range(1, 4095))
    if text in ("", "none", "--"):
        return []
    out: list[int] = []
    for part in text.split(","):
        if "-" in part:
            low, _, high = part.partition("-")
            if low.isdigit() and high.isdigit():
                out.extend(range(int(low), int(high) + 1))
        elif part.isdigit():
            out.append(int(part))
    return out


# field name -> normalizer applied to both the observed value and the expectation's literals
FIELD_NORMALIZERS = {
    "status": status,
    "admin": status,
    "speed": speed,
    "duplex": duplex,
    "stp": stp,
    "powered": boolean,
    "err_disabled": boolean,
    "reachable": boolean,
    "vlan": integer,
    "access": integer,
    "voice": integer,
    "native": integer,
    "class": integer,
    "count": integer,
}
