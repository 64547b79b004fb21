"""Site time: the one clock every screen and export shows a run's times in.

A runbook is planned in the clock of the site: its window is written with a UTC offset
(`2026-12-05T22:00-05:00`). Showing the laptop's clock in one place and the site's in another
made the same event read two ways (the issue "two clocks"), so every time a person reads is
converted here, and the zone is named beside it (`UTC-05:00`). Machine data (the journal's
`ts_utc`, the jsonl export) stays UTC.

The zone is the window start's fixed offset: a runbook gives an offset, not a named zone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo


def offset_text(when: datetime) -> str:
    """`-05:00` for an aware time (`+00:00` for a naive one)."""
    delta = when.utcoffset() or timedelta(0)
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


def site_zone(window_start: datetime) -> tzinfo:
    """The site's zone: the fixed UTC offset the runbook's window starts in."""
    delta = window_start.utcoffset()
    return UTC if not delta else timezone(delta)


def zone_name(window_start: datetime) -> str:
    """What to print to say which clock a time is in: `UTC-05:00`."""
    return f"UTC{offset_text(window_start)}"


def site_time(when: datetime, window_start: datetime) -> datetime:
    """`when` (aware; naive is taken as UTC) on the site's clock."""
    aware = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    return aware.astimezone(site_zone(window_start))


def site_clock(when: datetime, window_start: datetime, fmt: str = "%H:%M:%S") -> str:
    """`when` on the site's clock as text, without the zone (print `zone_name` once beside it)."""
    return site_time(when, window_start).strftime(fmt)
