"""Planned durations as people write them (`45m`, `1h30m`, `90s`), held as whole seconds.

A bare number is refused on purpose: `duration: 10` could mean minutes or seconds, and a
runbook that guesses wrong projects the night wrong.
"""

from __future__ import annotations

import functools
import re

_PART = re.compile(r"(\d+)\s*([hms])", re.ASCII)
_WHOLE = re.compile(r"^\s*(?:\d+\s*[hms]\s*)+$", re.ASCII)
_UNIT = {"h": 3600, "m": 60, "s": 1}
MAX_SECONDS = 7 * 24 * 3600


def parse_duration(text: object) -> int:
    """Seconds in `text`, or ValueError with a message fit to show the runbook's author."""
    if isinstance(text, bool) or not isinstance(text, str | int):
        raise ValueError(f"bad duration {text!r}: write it like 45m, 1h30m or 90s")
    if isinstance(text, int):
        raise ValueError(f"bad duration {text}: give a unit, like {text}m or {text}s")
    return _parse_text(text)


@functools.lru_cache(maxsize=1024)
def _parse_text(text: str) -> int:
    """The seconds of a duration text (a runbook repeats a few dozen of them thousands of times)."""
    if not _WHOLE.fullmatch(text):
        raise ValueError(f"bad duration {text!r}: write it like 45m, 1h30m or 90s")
    units = [unit for _, unit in _PART.findall(text)]
    if len(set(units)) != len(units) or units != sorted(units, key="hms".index):
        raise ValueError(f"bad duration {text!r}: give hours, minutes, seconds once each, in order")
    seconds = sum(int(n) * _UNIT[u] for n, u in _PART.findall(text))
    if seconds > MAX_SECONDS:
        raise ValueError(f"bad duration {text!r}: longer than a week")
    return seconds


def format_duration(seconds: float) -> str:
    """The shortest way people write `seconds`: 5400 -> `1h30m`, 90 -> `1m30s`, 0 -> `0m`."""
    total = round(seconds)
    sign = "-" if total < 0 else ""
    total = abs(total)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    out = ""
    if hours:
        out += f"{hours}h"
    if minutes:
        out += f"{minutes}m"
    if secs:
        out += f"{secs}s"
    return sign + (out or "0m")
