"""`golive report --compare`: a rehearsal and a live run with known timings and check results.

Planned (from the runbook): uplink 10m, patch 45m, gate 5m, close 15m.
Rehearsal: uplink 12m, patch 50m, gate 1m, close never finished; uplink#1 failed once.
Live:      uplink 8m,  patch 40m, gate 3m, close 15m;          patch#1 failed.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from golive.progress.events import Actor, Kind
from golive.progress.payloads import PAYLOADS
from golive.report.compare import ProposalRule
from golive.runbook.load import read_runbook
from golive.store.db import close_all, open_engine
from golive.store.repository import Repository
from golive.store.runs import load

from ..conftest import VALID
from .test_cli import golive, no_traceback

NET = Actor("Ana Ruiz", "AR", "net")
LEAD = Actor("Lee Chan", "LC", "lead")
PM = Actor("Pat Manager", "PM", "pm")
T0 = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)

Step = tuple[float, Kind, Actor, str, dict[str, str]]


def run_with(db: Path, runbook: Path, *, rehearsal: bool, start: datetime, steps: list[Step]) -> str:
    engine = open_engine(db)
    run = load(engine, read_runbook(runbook), rehearsal=rehearsal, actor=NET, machine="lap/0001", new_run=True).run
    with Repository(engine).write() as tx:
        for minute, kind, actor, task, payload in steps:
            when = start + timedelta(minutes=minute)
            tx.append(run.uuid, PAYLOADS[kind].model_validate(payload), actor, "lap/0001", task=task, now=when)
    close_all()
    return run.name


def done(task: str, at: float, took: float, *signers: Actor) -> list[Step]:
    return [(at, Kind.STARTED, NET, task, {})] + [
        (at + took, Kind.SIGNED_OFF, who, task, {"comment": ""}) for who in signers or (NET,)
    ]


def check(task: str, n: int, at: float, status: str, reason: str = "") -> Step:
    return (at, Kind.CHECK_RESULT, NET, task, {"check": f"{task}#{n}", "status": status, "reason": reason})


REHEARSAL = [
    *done("uplink", 0, 12)[:1],
    check("uplink", 1, 2, "fail", "speed 1G"),
    check("uplink", 1, 8, "pass"),
    *done("uplink", 0, 12)[1:],
    *done("patch", 12, 50),
    check("patch", 1, 60, "pass"),
    *done("gate", 62, 1, LEAD, PM),
    (70, Kind.STARTED, NET, "close", {}),
]
LIVE = [
    *done("uplink", 0, 8),
    check("uplink", 1, 5, "pass"),
    *done("patch", 8, 40),
    check("patch", 1, 45, "fail", "vlan 120 missing on Gi1/0/7"),
    *done("gate", 48, 3, LEAD, PM),
    *done("close", 51, 15, PM),
]


@pytest.fixture
def runs(runbook_file: Path, tmp_path: Path) -> tuple[Path, str, str]:
    db = tmp_path / "state.db"
    rehearsal = run_with(db, runbook_file, rehearsal=True, start=T0, steps=REHEARSAL)
    live = run_with(db, runbook_file, rehearsal=False, start=T0 + timedelta(days=3), steps=LIVE)
    return db, rehearsal, live


def test_csv_gives_variance_and_proposals(runs: tuple[Path, str, str]) -> None:
    db, rehearsal, live = runs
    result = golive("report", "--compare", rehearsal, live, "--db", str(db), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = {r["task"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert list(rows) == ["uplink", "patch", "gate", "close"]
    got = {
        t: (r["planned_min"], r["rehearsal_min"], r["live_min"], r["rehearsal_variance_min"], r["live_variance_min"],
            r["proposed_min"])
        for t, r in rows.items()
    }  # fmt: skip
    assert got == {
        "uplink": ("10.0", "12.0", "8.0", "+2.0", "-2.0", "15.0"),  # 12m +20% = 14.4m -> 15m
        "patch": ("45.0", "50.0", "40.0", "+5.0", "-5.0", "60.0"),  # 50m +20% = 60m exactly
        "gate": ("5.0", "1.0", "3.0", "-4.0", "-2.0", ""),  # 1m of 5m: under 25% of plan, flagged, not proposed
        "close": ("15.0", "", "15.0", "", "+0.0", ""),  # not done in the rehearsal: no proposal
    }
    assert rows["close"]["rehearsal_state"] == "in_progress" and rows["close"]["live_state"] == "done"
    assert rows["uplink"]["checks_failed_only_rehearsal"] == "uplink#1"
    assert rows["patch"]["checks_failed_only_live"] == "patch#1"
    assert rows["gate"]["checks_failed_only_rehearsal"] == rows["gate"]["checks_failed_only_live"] == ""
    assert rows["gate"]["flag"] == "TOO FAST: 20% of plan in rehearsal, not proposed" and rows["uplink"]["flag"] == ""


def test_rule_options_change_the_proposals(runs: tuple[Path, str, str]) -> None:
    db, rehearsal, live = runs
    args = ["report", "--compare", rehearsal, live, "--db", str(db), "--format", "csv"]
    result = golive(*args, "--margin", "0", "--step", "1m", "--floor", "2m")
    assert result.returncode == 0, result.stderr
    proposed = {r["task"]: r["proposed_min"] for r in csv.DictReader(io.StringIO(result.stdout))}
    assert proposed == {"uplink": "12.0", "patch": "50.0", "gate": "", "close": ""}


def test_markdown_and_terminal_table(runs: tuple[Path, str, str]) -> None:
    db, rehearsal, live = runs
    md = golive("report", "--compare", rehearsal, live, "--db", str(db), "--format", "md")
    assert md.returncode == 0, md.stderr
    assert "| uplink | 10m | 12m | 8m | +2m | -2m | 15m | rehearsal: uplink#1 |  |" in md.stdout
    assert "| patch | 45m | 50m | 40m | +5m | -5m | 1h | live: patch#1 |  |" in md.stdout
    assert "| patch#1 | patch | pass | fail | vlan 120 missing on Gi1/0/7 |" in md.stdout
    assert "| uplink#1 | uplink | fail | pass | speed 1G |" in md.stdout
    text = golive("report", "--compare", rehearsal, live, "--db", str(db), env={"COLUMNS": "160"})
    assert text.returncode == 0, text.stderr
    assert "Checks that failed in one run only" in text.stdout
    assert "rounded up to 5m, at least 5m" in text.stdout
    table_rows = [line for line in text.stdout.splitlines() if line.split()[:1] == ["uplink"]]
    assert table_rows and "15m" in table_rows[0] and "R:uplink#1" in table_rows[0]


def test_runs_in_two_databases(runbook_file: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "rehearsal.db", tmp_path / "night.db"
    rehearsal = run_with(a, runbook_file, rehearsal=True, start=T0, steps=REHEARSAL)
    live = run_with(b, runbook_file, rehearsal=False, start=T0 + timedelta(days=3), steps=LIVE)
    result = golive("report", "--compare", f"{a}:{rehearsal}", f"{b}:{live}", "--format", "md")
    assert result.returncode == 0, result.stderr
    assert f"- Rehearsal: {a}:{rehearsal} (rehearsal)" in result.stdout


def test_mistakes_are_one_line(runs: tuple[Path, str, str], tmp_path: Path) -> None:
    db, rehearsal, live = runs
    unknown = golive("report", "--compare", rehearsal, "nope", "--db", str(db))
    assert unknown.returncode == 1 and unknown.stderr.startswith("golive: no run 'nope' in this database")
    same = golive("report", "--compare", live, live, "--db", str(db))
    assert same.returncode == 2 and "are the same run" in same.stderr
    assert golive("report", "--db", str(db)).returncode == 2
    bad_step = golive("report", "--compare", rehearsal, live, "--db", str(db), "--step", "5")
    assert bad_step.returncode == 2 and "Invalid value for --step: bad duration '5'" in bad_step.stderr
    missing = golive("report", "--compare", rehearsal, live, "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 1 and "no such database" in missing.stderr
    other = tmp_path / "other.yaml"
    other.write_text(VALID.replace("id: demo", "id: other"))
    foreign = run_with(db, other, rehearsal=False, start=T0, steps=[])
    mixed = golive("report", "--compare", rehearsal, foreign, "--db", str(db))
    assert mixed.returncode == 1 and "compare two runs of one runbook" in mixed.stderr
    for result in (unknown, same, bad_step, missing, mixed):
        no_traceback(result)
    for result in (unknown, same, missing, mixed):
        assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("actual_min", "proposed_min"), [(None, None), (0.5, 5), (4, 5), (12, 15), (23, 30), (25, 30), (25.1, 35)]
)
def test_the_proposal_rule(actual_min: float | None, proposed_min: int | None) -> None:
    rule = ProposalRule()
    got = rule.propose(None if actual_min is None else actual_min * 60)
    assert got == (None if proposed_min is None else proposed_min * 60)


def test_swapped_runs_are_swapped_back_and_said(runs: tuple[Path, str, str]) -> None:
    db, rehearsal, live = runs
    right = golive("report", "--compare", rehearsal, live, "--db", str(db), "--format", "csv")
    swapped = golive("report", "--compare", live, rehearsal, "--db", str(db), "--format", "csv")
    assert swapped.returncode == 0, swapped.stderr
    assert swapped.stdout == right.stdout  # proposals still learned from the rehearsal
    assert swapped.stderr.startswith(f"golive: note: {live} is the LIVE run and {rehearsal} the rehearsal")
    md = golive("report", "--compare", live, rehearsal, "--db", str(db), "--format", "md")
    assert "> **Note:** " in md.stdout and f"- Rehearsal: {rehearsal} (rehearsal)" in md.stdout


def test_two_live_runs_are_refused(runbook_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    one = run_with(db, runbook_file, rehearsal=False, start=T0, steps=LIVE)
    two = run_with(db, runbook_file, rehearsal=False, start=T0 + timedelta(days=1), steps=LIVE)
    result = golive("report", "--compare", one, two, "--db", str(db))
    assert result.returncode == 2 and "are both LIVE runs" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_distinct_words_totals_and_json(runbook_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    rehearsal = run_with(db, runbook_file, rehearsal=True, start=T0, steps=[
        *done("uplink", 0, 12), (12, Kind.STARTED, NET, "patch", {}),
        (20, Kind.BLOCKED, NET, "patch", {"reason": "no optic"}),
    ])  # fmt: skip
    live = run_with(db, runbook_file, rehearsal=False, start=T0 + timedelta(days=3), steps=[
        (0, Kind.SKIPPED, NET, "uplink", {"reason": "done yesterday"}), *done("patch", 1, 40),
    ])  # fmt: skip
    md = golive("report", "--compare", rehearsal, live, "--db", str(db), "--format", "md").stdout
    assert "| uplink | 10m | 12m | skipped |" in md
    assert "| patch | 45m | blocked | 40m |" in md
    assert "| gate | 5m | not reached | not reached |" in md
    assert "| **total** | 1h15m | 12m (1 done) | 40m (1 done) |" in md
    assert "1 done, 1 blocked, 2 not reached" in md and "1 skipped, 1 done, 2 not reached" in md
    assert "Times of day in site time, UTC-05:00" in md
    doc = json.loads(golive("report", "--compare", rehearsal, live, "--db", str(db), "--json").stdout)
    assert doc["zone"] == "UTC-05:00" and doc["notice"] is None
    assert doc["rehearsal"]["totals"]["tasks"] == {"done": 1, "blocked": 1, "not reached": 2}
    assert doc["live"]["totals"]["actual_seconds"] == 40 * 60
    assert [(t["task"], t["rehearsal"], t["live"]) for t in doc["tasks"]][:2] == [
        ("uplink", "12m", "skipped"), ("patch", "blocked", "40m")]
