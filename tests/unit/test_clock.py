"""Site time: one clock, the runbook window's offset, named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from golive.runbook.clock import offset_text, site_clock, site_time, site_zone, zone_name

EAST = datetime(2026, 12, 5, 22, 0, tzinfo=timezone(timedelta(hours=-5)))
HALF = datetime(2026, 12, 5, 22, 0, tzinfo=timezone(timedelta(hours=5, minutes=30)))


def test_an_event_in_utc_reads_in_the_windows_offset() -> None:
    event = datetime(2026, 12, 6, 3, 14, 3, tzinfo=UTC)
    assert site_time(event, EAST) == event
    assert site_time(event, EAST).utcoffset() == timedelta(hours=-5)
    assert site_clock(event, EAST) == "22:14:03"
    assert site_clock(event, HALF, "%H:%M") == "08:44"


def test_the_zone_is_named_with_its_sign() -> None:
    assert zone_name(EAST) == "UTC-05:00"
    assert zone_name(HALF) == "UTC+05:30"
    assert offset_text(datetime(2026, 1, 1, tzinfo=UTC)) == "+00:00"
    assert site_zone(datetime(2026, 1, 1, tzinfo=UTC)) is UTC


def test_a_naive_time_is_taken_as_utc() -> None:
    assert site_clock(datetime(2026, 12, 6, 3, 0), EAST, "%H:%M") == "22:00"
