"""What stops the night: held tasks on the live critical path turn the projection red, overdue ones amber."""

from __future__ import annotations

from datetime import timedelta

import pytest

from golive.progress.events import Kind
from golive.progress.schedule import Risk, Stop, project
from golive.progress.state import fold
from golive.runbook.load import parse_runbook
from golive.runbook.schema import Runbook

from ..conftest import VALID
from .test_progress import T0, Journal


@pytest.fixture
def rb() -> Runbook:
    return parse_runbook(VALID, "rb.yaml").runbook


def with_side_branch() -> Runbook:
    """VALID plus `side` (1h, beside uplink and patch, 55m): uplink has 5m of slack."""
    text = VALID.replace("        after: [patch]\n", "        after: [patch, side]\n", 1).replace(
        "      - id: gate\n",
        "      - id: side\n        title: Label the patch panel\n        owner: net\n        duration: 1h\n"
        "      - id: gate\n",
        1,
    )
    return parse_runbook(text, "rb.yaml").runbook


def test_a_fresh_night_is_on_track(rb: Runbook) -> None:
    proj = project(rb, fold(rb, []), T0)
    assert proj.risk is Risk.ON_TRACK
    assert proj.stops == []
    assert proj.live_path == ["uplink", "patch", "gate", "close"]


def test_a_failed_task_on_the_critical_path_stops_the_night_whatever_is_to_spare(rb: Runbook) -> None:
    j = Journal()
    j.add(Kind.STARTED, "uplink")
    j.add(Kind.FAILED, "uplink", minutes=5, reason="Te3/1/1 notconnect")
    proj = project(rb, fold(rb, j.events), T0 + timedelta(minutes=6))
    assert proj.slack_seconds > 2 * 3600  # the arithmetic alone would say "2h39m to spare"
    assert proj.blocked == [Stop("uplink", "failed: Te3/1/1 notconnect", held=True, critical=True)]
    assert proj.risk is Risk.OFF_TRACK


def test_a_blocked_task_off_the_critical_path_stops_it_once_its_slack_is_used_up() -> None:
    side = with_side_branch()
    j = Journal()
    j.add(Kind.STARTED, "side")
    j.add(Kind.BLOCKED, "uplink", reason="no fibre patch lead")
    state = fold(side, j.events)
    early = project(side, state, T0 + timedelta(minutes=1))  # uplink 1-11, patch 11-56: side's 60 decides
    assert early.live_path == ["side", "gate", "close"]
    assert early.stops == [Stop("uplink", "blocked: no fibre patch lead", held=True, critical=False)]
    assert early.risk is Risk.ON_TRACK
    later = project(side, state, T0 + timedelta(minutes=10))  # uplink 10-20, patch 20-65: past side's 60
    assert later.live_path == ["uplink", "patch", "gate", "close"]
    assert later.blocked == [Stop("uplink", "blocked: no fibre patch lead", held=True, critical=True)]
    assert later.risk is Risk.OFF_TRACK


def test_an_overdue_critical_task_puts_the_night_at_risk(rb: Runbook) -> None:
    j = Journal()
    j.add(Kind.STARTED, "uplink")
    proj = project(rb, fold(rb, j.events), T0 + timedelta(minutes=15))
    assert proj.slack_seconds > 2 * 3600
    assert proj.stops == [Stop("uplink", "running 5m over its 10m", held=False, critical=True)]
    assert proj.risk is Risk.AT_RISK


def test_less_than_a_quarter_hour_to_spare_is_at_risk_and_past_the_window_off_track() -> None:
    short = VALID.replace('end: "2026-12-06T02:00-05:00"', 'end: "2026-12-05T23:20-05:00"')  # 80m for 75m of plan
    short_rb = parse_runbook(short, "rb.yaml").runbook
    state = fold(short_rb, [])
    at_risk = project(short_rb, state, T0)
    assert (at_risk.slack_seconds, at_risk.stops) == (5 * 60, [])
    assert at_risk.risk is Risk.AT_RISK
    past = project(short_rb, state, T0 + timedelta(minutes=6))
    assert (past.slack_seconds, past.stops) == (-60, [])
    assert past.risk is Risk.OFF_TRACK
