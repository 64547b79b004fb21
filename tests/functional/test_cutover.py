"""Cutover actions on a real SQLite file: the incremental state always equals a full refold."""

from __future__ import annotations

from pathlib import Path

import pytest

from golive.problems import GoliveError
from golive.progress.events import Actor
from golive.progress.state import fold
from golive.runbook.load import parse_runbook
from golive.store import runs
from golive.store.cutover import Cutover
from golive.store.db import open_engine

from ..conftest import VALID

ANA = Actor("Ana Ruiz", "AR", "net")
LEE = Actor("Lee Chan", "LC", "lead")
PAT = Actor("Pat Moss", "PM", "pm")


def snapshot(c: Cutover) -> dict[str, tuple[str, list[str]]]:
    return {tid: (p.state.value, p.waiting_for) for tid, p in c.state.tasks.items()}


def test_incremental_state_matches_a_full_fold_and_a_reopen(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    runs.load(open_engine(db), parse_runbook(VALID, "rb.yaml"), rehearsal=True, actor=ANA, machine="t")
    c = Cutover.open(db)
    other = Cutover.open(db)  # a second window on the same run
    steps = [
        lambda: c.start("uplink", ANA),
        lambda: c.sign_off("uplink", ANA, "10G up"),
        lambda: other.start("patch", ANA),
        lambda: c.block("patch", ANA, "closet locked"),
        lambda: c.unblock("patch", ANA),
        lambda: c.sign_off("patch", ANA),
        lambda: c.sign_off("gate", LEE),
        lambda: other.sign_off("gate", PAT),
        lambda: c.start("close", PAT),
    ]
    for step in steps:
        step()
        assert snapshot(c) == {t: (p.state.value, p.waiting_for) for t, p in fold(c.runbook, c.events).tasks.items()}
    other.refresh()
    assert snapshot(other) == snapshot(c)
    assert snapshot(Cutover.open(db)) == snapshot(c)
    assert c.state.tasks["close"].state.value == "in_progress"


def test_a_refused_action_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    runs.load(open_engine(db), parse_runbook(VALID, "rb.yaml"), rehearsal=False, actor=ANA, machine="t")
    c = Cutover.open(db)
    before = len(c.events)
    with pytest.raises(GoliveError, match="gate is not ready: waiting for patch"):
        c.sign_off("gate", LEE)
    assert len(Cutover.open(db).events) == before
