"""The record's rule for jacks, on a real SQLite file: critical jacks proven or confirmed by hand before a
sign-off, a misplugged jack never confirmed away, and every confirmation journaled with who and why."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from golive.checks.portmap.judge import judge_jacks, overall
from golive.checks.portmap.tables import DeviceTables, MacRow
from golive.problems import GoliveError
from golive.progress.events import Actor, Kind
from golive.progress.payloads import Checked, JackConfirmed, PortResult, read_payload
from golive.runbook.load import parse_runbook
from golive.store import runs
from golive.store.cutover import Cutover
from golive.store.db import open_engine

from ..conftest import VALID, passed

ANA = Actor("Ana Ruiz", "AR", "net")
XRAY, PRINTER, PHONE = "00:1b:44:22:00:07", "00:80:77:31:00:09", "00:1b:44:11:3a:b7"

MAPPED = VALID.replace("{kind: vlan, device: sw1, ports: Gi1/0/1-24, expect: {access: 120}}", "{kind: jacks}") + (
    "portmap:\n  jacks:\n"
    f"  - {{jack: 2-230-A, new_device: sw1, new_port: Gi1/0/10, mac: '{XRAY}', kind: modality, critical: true}}\n"
    f"  - {{jack: 2-231-B, new_device: sw1, new_port: Gi1/0/11, mac: '{PRINTER}', kind: printer}}\n"
    f"  - {{jack: 2-207-B, new_device: sw1, new_port: Gi1/0/17, mac: '{PHONE}', kind: phone}}\n"
)


assert "{kind: jacks}" in MAPPED


def jacks_result(c: Cutover, macs: list[tuple[str, int, str]]) -> Checked:
    """A jacks result judged from what sw1's MAC table says (written here by hand)."""
    portmap = c.runbook.portmap
    assert portmap is not None
    tables = {"sw1": DeviceTables("sw1", "ssh", macs=[MacRow(m, v, p) for m, v, p in macs])}
    outcomes = judge_jacks(portmap.jacks, None, tables)
    status, reason = overall(outcomes)
    return Checked(
        check="patch#1", index=1, kind="jacks", transport="ssh", status=status.value, reason=reason,
        ports={label: PortResult(status=o.status.value, observed=o.observed, reason=o.reason) for label, o in outcomes.items()},
    )  # fmt: skip


@pytest.fixture
def cut(tmp_path: Path) -> Cutover:
    db = tmp_path / "s.db"
    runs.load(open_engine(db), parse_runbook(MAPPED, "rb.yaml"), rehearsal=True, actor=ANA, machine="t")
    c = Cutover.open(db)
    c.record_check("uplink", ANA, passed("uplink"))
    c.start("uplink", ANA)
    c.sign_off("uplink", ANA)
    c.start("patch", ANA)
    return c


def test_a_critical_jack_not_seen_holds_the_signoff_until_confirmed(cut: Cutover, tmp_path: Path) -> None:
    cut.record_check("patch", ANA, jacks_result(cut, [(PHONE, 121, "Gi1/0/17")]))  # the X-ray and printer quiet
    with pytest.raises(GoliveError, match=r"1 critical jack\(s\) not seen .*: 2-230-A"):
        cut.sign_off("patch", ANA)
    with pytest.raises(GoliveError, match="needs a reason"):
        cut.confirm_jack("patch", "patch#1", "2-230-A", ANA, "  ")
    event = cut.confirm_jack("patch", "patch#1", "2-230-A", ANA, "X-ray tech sent a test image to PACS at 02:41")
    assert event.kind is Kind.JACK_CONFIRMED
    assert event.actor.name == "Ana Ruiz"
    # the printer is not critical: "not seen" stays in the record but does not hold the task
    cut.sign_off("patch", ANA)
    state = Cutover.open(tmp_path / "s.db").state.tasks["patch"]
    confirmed = state.confirmations["patch#1"]["2-230-A"]
    assert confirmed.reason == "X-ray tech sent a test image to PACS at 02:41"
    assert confirmed.actor.initials == "AR"
    con = sqlite3.connect(tmp_path / "s.db")
    (stored,) = con.execute("SELECT payload FROM journal WHERE kind = ?", (str(Kind.JACK_CONFIRMED),)).fetchone()
    con.close()
    payload = read_payload(Kind.JACK_CONFIRMED, stored)
    assert isinstance(payload, JackConfirmed) and payload.to_json() == stored  # the stored bytes read back
    assert (payload.check, payload.jack, payload.state) == ("patch#1", "2-230-A", "not_seen")


def test_a_misplugged_jack_is_fixed_or_overridden_never_confirmed(cut: Cutover) -> None:
    # the phone's cord went into the X-ray's port
    cut.record_check("patch", ANA, jacks_result(cut, [(PHONE, 121, "Gi1/0/10"), (XRAY, 130, "Gi1/0/10")]))
    with pytest.raises(GoliveError, match="is misplugged: only a jack the switches did not see can be confirmed"):
        cut.confirm_jack("patch", "patch#1", "2-207-B", ANA, "looks fine to me")
    with pytest.raises(GoliveError, match=r"misplugged or wrong: 2-207-B"):
        cut.sign_off("patch", ANA)
    # re-patched and re-checked: every jack back but the quiet printer (not critical)
    cut.record_check("patch", ANA, jacks_result(cut, [(PHONE, 121, "Gi1/0/17"), (XRAY, 130, "Gi1/0/10")]))
    cut.sign_off("patch", ANA)


def test_confirming_needs_a_result_and_a_known_jack(cut: Cutover) -> None:
    with pytest.raises(GoliveError, match="has no jacks result yet"):
        cut.confirm_jack("patch", "patch#1", "2-230-A", ANA, "seen on screen")
    cut.record_check("patch", ANA, jacks_result(cut, []))
    with pytest.raises(GoliveError, match="no jack '9-999-Z'"):
        cut.confirm_jack("patch", "patch#1", "9-999-Z", ANA, "seen on screen")


def test_the_cli_confirms_a_jack_as_the_named_person(cut: Cutover, tmp_path: Path) -> None:
    from .test_cli import golive, no_traceback

    cut.record_check("patch", ANA, jacks_result(cut, [(PHONE, 121, "Gi1/0/17")]))
    db = str(tmp_path / "s.db")
    result = golive("confirm", "patch", "2-230-A", "-m", "PACS received a test image", "--db", db)
    assert result.returncode == 0, result.stderr
    assert "jack 2-230-A confirmed by hand (patch#1)" in result.stdout
    refused = golive("confirm", "patch", "2-207-B", "-m", "fine", "--db", db)  # back already: nothing to confirm
    no_traceback(refused)
    assert refused.returncode == 1
    assert "jack 2-207-B is back: the switches proved it, there is nothing to confirm" in refused.stderr
    wrong_task = golive("confirm", "uplink", "2-230-A", "-m", "x", "--db", db)
    assert (wrong_task.returncode, "uplink has 0 jacks checks: nothing to confirm") == (
        2,
        wrong_task.stderr.strip().split(": ", 1)[-1],
    ) or wrong_task.returncode == 2
    confirmed = Cutover.open(tmp_path / "s.db").state.tasks["patch"].confirmations["patch#1"]["2-230-A"]
    assert confirmed.actor.name == "Tess Tester"


def test_status_shows_the_jacks_that_need_a_person(cut: Cutover, tmp_path: Path) -> None:
    import json

    from .test_cli import golive

    cut.record_check("patch", ANA, jacks_result(cut, [(PHONE, 121, "Gi1/0/11"), (PRINTER, 140, "Gi1/0/17")]))
    db = str(tmp_path / "s.db")
    text = golive("status", "--db", db, env={"COLUMNS": "160"})
    assert text.returncode == 0, text.stderr
    assert "patch#1 │ 2 misplugged · 1 not seen (1 critical)" in text.stdout
    assert "  2-207-B: misplugged: swapped with jack 2-231-B" in text.stdout
    assert "! 2-230-A: not seen: not seen on any switch" in text.stdout
    doc = json.loads(golive("status", "--json", "--db", db).stdout)["jacks"]["patch#1"]
    assert doc["summary"] == "2 misplugged · 1 not seen (1 critical)"
    assert [(j["jack"], j["state"], j["critical"]) for j in doc["jacks"]] == [
        ("2-231-B", "misplugged", False), ("2-207-B", "misplugged", False), ("2-230-A", "not_seen", True),
    ]  # fmt: skip


def test_an_upgrade_may_not_drop_a_jack_a_person_confirmed(cut: Cutover, tmp_path: Path) -> None:
    cut.record_check("patch", ANA, jacks_result(cut, [(PHONE, 121, "Gi1/0/17")]))
    cut.confirm_jack("patch", "patch#1", "2-230-A", ANA, "X-ray tech sent a test image to PACS at 02:41")
    engine = open_engine(tmp_path / "s.db")
    xray = next(line for line in MAPPED.splitlines() if "2-230-A" in line)
    dropped = parse_runbook(MAPPED.replace(xray + "\n", ""), "rb.yaml")
    with pytest.raises(GoliveError, match=r"jacks confirmed by hand .*: 2-230-A in patch#1; use --new-run"):
        runs.load(engine, dropped, rehearsal=True, actor=ANA, machine="t", upgrade=True)
    scoped = parse_runbook(MAPPED.replace("{kind: jacks}", "{kind: jacks, jacks: [2-231-B, 2-207-B]}"), "rb.yaml")
    with pytest.raises(GoliveError, match=r"2-230-A in patch#1"):  # still mapped, but no longer in that check
        runs.load(engine, scoped, rehearsal=True, actor=ANA, machine="t", upgrade=True)
    kept = parse_runbook(MAPPED.replace("kind: printer", "kind: printer, endpoint: Room 231 printer"), "rb.yaml")
    assert runs.load(engine, kept, rehearsal=True, actor=ANA, machine="t", upgrade=True).action == "upgraded"
    kept_confirmation = Cutover.open(tmp_path / "s.db").state.tasks["patch"].confirmations["patch#1"]["2-230-A"]
    assert kept_confirmation.actor.initials == "AR"
