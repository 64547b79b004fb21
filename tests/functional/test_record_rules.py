"""Issue 14's record rules through the command line: what the journal holds is what was done, by whom.

Each rule is enforced by the core (golive.store.cutover, golive.progress.rules); these tests drive
`golive` as a technician would, in a subprocess, on a real SQLite file, and read the journal back.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from golive.progress.events import Actor, Kind
from golive.progress.payloads import Checked, Started
from golive.store.cutover import Cutover
from golive.tui.operator import remember

from ..conftest import VALID
from .test_cli import golive

WINDOW = 'window: {start: "2026-12-05T22:00-05:00", end: "2026-12-06T02:00-05:00"}'


def _runbook(tmp_path: Path, opens_in: timedelta = timedelta(hours=-1)) -> Path:
    """VALID with its window opening `opens_in` from now (the wall clock golive stamps with), four hours long."""
    start = datetime.now(UTC).replace(microsecond=0) + opens_in
    window = f'window: {{start: "{start.isoformat()}", end: "{(start + timedelta(hours=4)).isoformat()}"}}'
    path = tmp_path / "demo.yaml"
    path.write_text(VALID.replace(WINDOW, window), encoding="utf-8")
    return path


def _env(tmp_path: Path, **more: str) -> dict[str, str]:
    return {"GOLIVE_DB": str(tmp_path / "s.db"), "GOLIVE_NAME": "Ana Ruiz", "GOLIVE_ROLE": "net", **more}


def _events(tmp_path: Path) -> list[object]:
    return list(Cutover.open(tmp_path / "s.db", "demo-live-1").events)


def test_a_live_run_never_checks_against_a_running_lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.peers.lab import running_lab

    monkeypatch.setenv("GOLIVE_LAB_DIR", str(tmp_path / "labs"))
    file = _runbook(tmp_path)
    env = _env(tmp_path, GOLIVE_LAB_DIR=str(tmp_path / "labs"))
    assert golive("load", str(file), env=env).returncode == 0
    with running_lab(file):
        checked = golive("check", "demo-live-1", "--task", "uplink", env=env)
    said = " ".join(checked.stdout.split())
    assert "against the lab" not in said
    assert "against live devices (a lab runs for this runbook: a LIVE run never uses it)" in said
    results = [e.payload for e in Cutover.open(tmp_path / "s.db").events if isinstance(e.payload, Checked)]  # type: ignore[attr-defined]
    assert results and not any(r.lab for r in results)
    assert results[0].status == "error"  # sw1 is at a documentation address: no site device answers
    assert "golive lab" not in results[0].reason  # the hint fits a LIVE run: never "start the lab"
    assert "correct its address in the inventory" in results[0].reason


def test_a_live_run_refuses_a_lab_result_in_the_core(tmp_path: Path) -> None:
    file = _runbook(tmp_path)
    assert golive("load", str(file), env=_env(tmp_path)).returncode == 0
    cutover = Cutover.open(tmp_path / "s.db")
    lab_pass = Checked(check="uplink#1", index=1, status="pass", lab=True)
    from golive.problems import GoliveError

    with pytest.raises(GoliveError, match="is LIVE: a result from the lab is never journaled in it"):
        cutover.record_checks(Actor("Ana Ruiz", "AR", "net"), [("uplink", lab_pass)])
    assert not any(isinstance(e.payload, Checked) for e in Cutover.open(tmp_path / "s.db").events)


def test_a_task_with_checks_never_run_is_not_signed_without_an_override(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert golive("load", str(_runbook(tmp_path)), env=env).returncode == 0
    assert golive("start", "uplink", env=env).returncode == 0
    refused = golive("signoff", "uplink", "-m", "looks fine", env=env)
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        "golive: uplink cannot be signed: uplink#1 never run; run the checks until they pass, "
        "or override with a reason and a second person"
    ]
    approved = golive("override", "uplink", "-m", "checked by hand: optic swapped", "--approver-name", "Lee Chan",
                      "--approver-initials", "LC", "--approver-role", "lead", env=env)  # fmt: skip
    assert approved.returncode == 0, approved.stderr
    signed = golive("signoff", "uplink", "-m", "looks fine", env=env)
    assert signed.returncode == 0, signed.stderr
    assert signed.stdout.strip().endswith("-> done")


def test_the_cli_acts_as_the_person_named_or_remembered_never_the_login(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GOLIVE_NAME", raising=False)
    env = {"GOLIVE_DB": str(tmp_path / "s.db")}
    file = _runbook(tmp_path)
    nobody = golive("load", str(file), env=env)
    assert nobody.returncode == 2
    assert nobody.stderr.splitlines() == [
        "golive: who is acting? give --name (or GOLIVE_NAME): no operator is remembered on this machine yet"
    ]
    assert nobody.stdout == ""  # nothing loaded
    wrong = golive("load", str(file), "--name", "Sam Ode", "--initials", "DK", env=env)
    assert wrong.returncode == 2
    assert wrong.stderr.strip() == (
        "golive: initials DK are not Sam Ode's: give this person's own (e.g. SO), or leave them empty to derive them"
    )
    remember(Actor("Dana Kim", "DK", "net"))  # the operator `golive run` remembers on this laptop
    assert golive("load", str(file), env=env).returncode == 0
    assert golive("note", "closet B open", env=env).returncode == 0
    assert golive("note", "lead on site", "--name", "Lee Chan", env=env).returncode == 0
    actors = [e.actor for e in Cutover.open(tmp_path / "s.db").events]
    assert actors == [Actor("Dana Kim", "DK", "net"), Actor("Dana Kim", "DK", "net"), Actor("Lee Chan", "LC", "")]


def test_a_live_run_started_outside_its_window_asks_and_journals_how_far(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert golive("load", str(_runbook(tmp_path, opens_in=timedelta(hours=61))), env=env).returncode == 0
    refused = golive("start", "uplink", env=env)  # not a terminal: no one to ask
    assert refused.returncode == 2
    assert len(refused.stderr.splitlines()) == 1
    assert refused.stderr.startswith("golive: demo-live-1 is LIVE and would start 6")  # 61h (minus the seconds since)
    assert "before the window opens: confirm to start it anyway (--outside-window)" in refused.stderr
    assert [e.kind for e in _events(tmp_path)] == [Kind.LOADED]  # type: ignore[attr-defined]
    started = golive("start", "uplink", "--outside-window", env=env)
    assert started.returncode == 0, started.stderr
    event = _events(tmp_path)[-1]
    assert isinstance(event.payload, Started)  # type: ignore[attr-defined]
    assert -61 * 60 - 1 <= (event.payload.outside_window_min or 0) <= -60 * 60  # type: ignore[attr-defined]
    assert event.actor == Actor("Ana Ruiz", "AR", "net")  # type: ignore[attr-defined]
    assert golive("start", "patch", env=env).returncode != 2  # only the run's first start asks
