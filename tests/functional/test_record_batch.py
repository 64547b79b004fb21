"""A burst of check results journaled in one transaction: chained, durable, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from golive.problems import GoliveError
from golive.progress.events import Actor, Kind
from golive.progress.payloads import Checked
from golive.progress.state import fold
from golive.runbook.load import parse_runbook
from golive.store import runs
from golive.store.cutover import Cutover
from golive.store.db import open_engine
from golive.store.verify import verify_database

from ..conftest import VALID

ANA = Actor("Ana Ruiz", "AR", "net")


def _results(n: int, failing: set[int]) -> list[tuple[str | None, Checked]]:
    return [
        ("patch", Checked(check=f"patch#{i}", status="fail" if i in failing else "pass", device="sw1"))
        for i in range(n)
    ]


def test_a_burst_is_chained_counted_and_survives_a_reopen(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    runs.load(open_engine(db), parse_runbook(VALID, "rb.yaml"), rehearsal=True, actor=ANA, machine="t")
    c = Cutover.open(db)
    other = Cutover.open(db)
    other.note(ANA, "another window wrote first")  # the burst must chain after it
    before = len(c.events)

    events = c.record_checks(ANA, _results(50, failing={3, 7}))

    assert [e.kind for e in events] == [Kind.CHECK_RESULT] * 50
    assert [e.seq for e in events] == list(range(before + 2, before + 52))
    assert c.state.tasks["patch"].checks_failed == 2
    assert c.state.tasks["patch"].checks_passed == 48
    lines = verify_database(db)
    assert all(ok for _, ok in lines), lines
    reopened = Cutover.open(db)
    assert [e.uuid for e in reopened.events] == [e.uuid for e in c.events]
    assert reopened.state.tasks["patch"].checks_failed == 2
    assert fold(c.runbook, c.events).tasks["patch"].last_checks == c.state.tasks["patch"].last_checks


def test_a_closed_run_takes_no_burst_and_nothing_is_written(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    runs.load(open_engine(db), parse_runbook(VALID, "rb.yaml"), rehearsal=True, actor=ANA, machine="t")
    c = Cutover.open(db)
    Cutover.open(db).close(ANA, "done")
    with pytest.raises(GoliveError, match="closed"):
        c.record_checks(ANA, _results(5, failing=set()))
    assert not any(e.kind is Kind.CHECK_RESULT for e in Cutover.open(db).events)
    assert c.record_checks(ANA, []) == []
