"""The progress model on known graphs: readiness, gates, sign-off rules, critical path, projection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from golive.progress import rules
from golive.progress.events import Actor, Event, Kind, initials_fit
from golive.progress.payloads import PAYLOADS
from golive.progress.schedule import plan, project
from golive.progress.state import TaskState, fold
from golive.runbook.load import parse_runbook
from golive.runbook.schema import Runbook

from ..conftest import VALID

T0 = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)  # = 22:00-05:00, the window start
ANA = Actor("Ana Ruiz", "AR", "net")
LEE = Actor("Lee Chan", "LC", "lead")
PAT = Actor("Pat Moss", "PM", "pm")


@pytest.fixture
def rb() -> Runbook:
    return parse_runbook(VALID, "rb.yaml").runbook


class Journal:
    """Hand-written events with increasing sequence numbers and times."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def add(self, kind: Kind, task: str | None, actor: Actor = ANA, minutes: float = 0, **payload: object) -> Event:
        event = Event(
            seq=len(self.events) + 1, kind=kind, ts=T0 + timedelta(minutes=minutes), actor=actor,
            task=task, payload=PAYLOADS[kind].model_validate(payload), uuid=f"u{len(self.events) + 1}",
        )  # fmt: skip
        self.events.append(event)
        return event


def states(rb: Runbook, j: Journal) -> dict[str, str]:
    return {tid: p.state.value for tid, p in fold(rb, j.events).tasks.items()}


def test_readiness_follows_dependencies_and_gates(rb: Runbook) -> None:
    j = Journal()
    assert states(rb, j) == {"uplink": "ready", "patch": "pending", "gate": "pending", "close": "pending"}
    j.add(Kind.STARTED, "uplink")
    j.add(Kind.SIGNED_OFF, "uplink", minutes=8)
    assert states(rb, j)["patch"] == "ready"
    j.add(Kind.STARTED, "patch", minutes=9)
    j.add(Kind.SIGNED_OFF, "patch", minutes=50)
    got = fold(rb, j.events).tasks
    assert got["gate"].state is TaskState.READY
    # close is in a later phase: the unsigned gate holds it back though it names no dependency
    assert got["close"].state is TaskState.PENDING
    assert got["close"].waiting_for == ["gate"]


def test_a_gate_needs_every_role_and_distinct_people(rb: Runbook) -> None:
    j = Journal()
    for task, minute in (("uplink", 0), ("patch", 10)):
        j.add(Kind.STARTED, task, minutes=minute)
        j.add(Kind.SIGNED_OFF, task, minutes=minute + 5)
    state = fold(rb, j.events)
    assert rules.can_sign_off(state, "gate", ANA) == "role net may not sign off gate: it needs lead, pm"
    assert rules.can_sign_off(state, "gate", LEE) is None
    j.add(Kind.SIGNED_OFF, "gate", LEE, minutes=60)
    state = fold(rb, j.events)
    assert state.tasks["gate"].state is TaskState.IN_PROGRESS
    assert rules.can_sign_off(state, "gate", LEE) == "Lee Chan has already signed off gate: it needs a different person"
    same_person_other_role = Actor(" lee  CHAN", "LC", "pm")
    assert "already signed" in (rules.can_sign_off(state, "gate", same_person_other_role) or "")
    another_lead = Actor("Kim Ode", "KO", "lead")
    assert rules.can_sign_off(state, "gate", another_lead) == "gate still needs pm to sign"
    assert rules.can_sign_off(state, "gate", PAT) is None
    j.add(Kind.SIGNED_OFF, "gate", PAT, minutes=62)
    assert states(rb, j) == {"uplink": "done", "patch": "done", "gate": "done", "close": "ready"}


def test_a_revoked_signoff_reopens_the_task_and_its_successors(rb: Runbook) -> None:
    j = Journal()
    j.add(Kind.STARTED, "uplink")
    first = j.add(Kind.SIGNED_OFF, "uplink", minutes=5)
    assert states(rb, j)["patch"] == "ready"
    j.add(Kind.SIGNOFF_REVOKED, "uplink", minutes=6, signoff=first.uuid, reason="wrong port checked")
    assert states(rb, j)["uplink"] == "in_progress"
    assert states(rb, j)["patch"] == "pending"


def test_failed_checks_need_an_override_by_a_second_person(rb: Runbook) -> None:
    j = Journal()
    j.add(Kind.STARTED, "uplink")
    state = fold(rb, j.events)
    assert "uplink cannot be signed: uplink#1 never run;" in (rules.can_sign_off(state, "uplink", ANA) or "")
    j.add(Kind.CHECK_RESULT, "uplink", minutes=1, check="uplink#1", status="simulated")
    assert "uplink#1 simulated;" in (rules.can_sign_off(fold(rb, j.events), "uplink", ANA) or "")  # LIVE
    assert rules.can_sign_off(fold(rb, j.events), "uplink", ANA, rehearsal=True) is None
    j.add(Kind.CHECK_RESULT, "uplink", minutes=1, check="uplink#1", status="fail")
    state = fold(rb, j.events)
    assert "uplink#1 fail;" in (rules.can_sign_off(state, "uplink", ANA, rehearsal=True) or "")
    assert (
        rules.can_override(state, "uplink", ANA, ANA, "known flap") == "an override needs a second person to approve it"
    )
    assert rules.can_override(state, "uplink", ANA, LEE, " ") == "an override needs a reason"
    assert rules.can_override(state, "uplink", ANA, LEE, "known flap") is None
    j.add(Kind.OVERRIDDEN, "uplink", minutes=2, reason="known flap")
    assert rules.can_sign_off(fold(rb, j.events), "uplink", ANA) is None


def test_skip_block_fail_and_their_effect_on_successors(rb: Runbook) -> None:
    j = Journal()
    state = fold(rb, j.events)
    assert (
        rules.can_skip(state, "gate", "no time")
        == "gate is a go/no-go gate: it cannot be skipped, only signed or failed"
    )
    assert rules.can_skip(state, "uplink", "") == "skipping needs a reason"
    j.add(Kind.SKIPPED, "uplink", reason="uplink verified yesterday")
    assert states(rb, j)["patch"] == "ready"  # skipped counts as finished for dependencies
    j.add(Kind.BLOCKED, "patch", minutes=3, reason="closet locked")
    assert states(rb, j)["patch"] == "blocked"
    assert rules.can_start(fold(rb, j.events), "patch") == "patch is blocked: clear it first (golive unblock patch)"
    j.add(Kind.FAILED, "patch", minutes=5, reason="new stack dead on arrival")
    got = fold(rb, j.events).tasks
    assert got["patch"].state is TaskState.FAILED
    assert got["gate"].state is TaskState.PENDING
    assert rules.can_start(fold(rb, j.events), "gate") == "gate is not ready: waiting for patch"


def test_critical_path_and_plan_length(rb: Runbook) -> None:
    the_plan = plan(rb)
    assert the_plan.critical_path == ["uplink", "patch", "gate", "close"]
    assert the_plan.length == (10 + 45 + 5 + 15) * 60
    assert the_plan.slack == {"uplink": 0, "patch": 0, "gate": 0, "close": 0}


def test_critical_path_picks_the_longer_branch() -> None:
    text = VALID.replace("        after: [patch]\n", "        after: [patch, side]\n", 1).replace(
        "      - id: gate\n",
        "      - id: side\n        title: Label the patch panel\n        owner: net\n        duration: 1h\n"
        "      - id: gate\n",
        1,
    )
    rb = parse_runbook(text, "rb.yaml").runbook
    the_plan = plan(rb)
    assert the_plan.critical_path == ["side", "gate", "close"]
    assert the_plan.slack["uplink"] == 5 * 60  # 10m + 45m against side's 60m
    assert the_plan.length == (60 + 5 + 15) * 60


def test_projection_uses_actual_times_and_flags_late_tasks(rb: Runbook) -> None:
    j = Journal()
    j.add(Kind.STARTED, "uplink", minutes=0)
    j.add(Kind.SIGNED_OFF, "uplink", minutes=30)  # planned 10m: finished 20m after plan
    j.add(Kind.STARTED, "patch", minutes=30)
    state = fold(rb, j.events)
    now = T0 + timedelta(minutes=100)  # patch is 25m over its 45m
    proj = project(rb, state, now)
    assert proj.anchor == T0
    assert proj.projected_finish == now + timedelta(minutes=5 + 15)
    assert proj.slack_seconds == (4 * 60 - 120) * 60
    assert proj.late["uplink"] == "finished 20m after plan"
    assert proj.late["patch"] == "running 25m over its 45m"
    assert proj.next_up == []


def test_a_projection_past_the_window_has_negative_slack(rb: Runbook) -> None:
    state = fold(rb, [])
    proj = project(rb, state, T0 + timedelta(hours=3, minutes=30))
    assert proj.projected_finish == T0 + timedelta(hours=3, minutes=30 + 75)
    assert proj.slack_seconds == -45 * 60
    assert not proj.on_time
    assert proj.next_up == ["uplink"]


def test_a_rehearsal_is_anchored_at_its_first_start(rb: Runbook) -> None:
    j = Journal()
    j.add(Kind.STARTED, "uplink", minutes=-3 * 24 * 60)  # three days before the window
    state = fold(rb, j.events)
    proj = project(rb, state, state.first_start + timedelta(minutes=5), rehearsal=True)  # type: ignore[operator]
    assert proj.anchor == state.first_start
    assert proj.window_end == proj.anchor + timedelta(hours=4)
    assert proj.slack_seconds == (240 - 75) * 60


def test_neither_a_block_nor_a_revoked_gate_opens_a_way_around_the_gate(rb: Runbook) -> None:
    j = Journal()
    j.add(Kind.BLOCKED, "close", reason="waiting on facilities")
    j.add(Kind.UNBLOCKED, "close", minutes=1)
    state = fold(rb, j.events)
    assert state.tasks["close"].state is TaskState.PENDING
    assert rules.can_start(state, "close") == "close is not ready: waiting for gate"
    for task, minute in (("uplink", 2), ("patch", 4)):
        j.add(Kind.STARTED, task, minutes=minute)
        j.add(Kind.SIGNED_OFF, task, minutes=minute + 1)
    j.add(Kind.SIGNED_OFF, "gate", LEE, minutes=10)
    pat = j.add(Kind.SIGNED_OFF, "gate", PAT, minutes=11)
    j.add(Kind.STARTED, "close", PAT, minutes=12)
    j.add(Kind.SIGNOFF_REVOKED, "gate", PAT, minutes=13, signoff=pat.uuid, reason="wrong ticket")
    state = fold(rb, j.events)
    assert rules.can_sign_off(state, "close", PAT) == "close cannot be signed yet: waiting for gate"


def test_the_same_person_is_recognised_across_unicode_spellings() -> None:
    assert Actor("Jose\u0301 Díaz", "JD").person == Actor("JOSÉ  DÍAZ", "JD").person


def test_a_rerun_check_replaces_its_earlier_result() -> None:
    from datetime import UTC, datetime

    from golive.progress.events import Actor, Event, Kind
    from golive.progress.payloads import Checked
    from golive.progress.state import RunState, TaskProgress, apply
    from golive.runbook.schema import Task

    task = Task(id="t", title="T", duration="5m")
    state = RunState({"t": TaskProgress(task, "p")})
    who = Actor("Ann Lee", "AL", "net")

    def result(seq: int, key: str, status: str) -> Event:
        return Event(seq, Kind.CHECK_RESULT, datetime.now(UTC), who, "t", payload=Checked(check=key, status=status))

    apply(state, result(1, "t#1", "fail"))
    apply(state, result(2, "t#2", "pass"))
    assert (state.tasks["t"].checks_failed, state.tasks["t"].checks_passed) == (1, 1)
    apply(state, result(3, "t#1", "pass"))
    assert (state.tasks["t"].checks_failed, state.tasks["t"].checks_passed) == (0, 2)
    apply(state, result(4, "t#2", "error"))
    assert state.tasks["t"].checks_failed == 1


@pytest.mark.parametrize("seed", range(8))
def test_settling_every_task_at_once_agrees_with_asking_each_task(seed: int) -> None:
    """The whole-run settle (sets made once, filtered in C) against `unmet` asked task by task."""
    import random
    from pathlib import Path

    from golive.progress.state import gates_before, settle
    from golive.runbook.load import read_runbook

    files = sorted((Path(__file__).resolve().parents[2] / "runbooks").glob("*.yaml"))
    runbook = read_runbook(str(files[seed % len(files)])).runbook
    rnd = random.Random(seed)
    tids = list(runbook.tasks)
    kinds = [Kind.STARTED, Kind.SIGNED_OFF, Kind.SKIPPED, Kind.BLOCKED, Kind.UNBLOCKED, Kind.FAILED]
    people = [Actor(name, name[:2], role) for name in ("Ana Ruiz", "Bo Li") for role in runbook.roles]
    j = Journal()
    for i in range(rnd.randint(0, len(tids))):
        j.add(rnd.choice(kinds), rnd.choice(tids), rnd.choice(people), minutes=i, reason=f"r{i}")
    gates = gates_before(runbook)
    state = fold(runbook, j.events, gates)  # settles every task at once
    each = fold(runbook, j.events, gates)
    settle(runbook, each, gates, only=list(runbook.tasks))  # task by task
    assert {t: (p.state, p.waiting_for) for t, p in state.tasks.items()} == {
        t: (p.state, p.waiting_for) for t, p in each.tasks.items()
    }
    assert any(p.waiting_for for p in state.tasks.values())  # the comparison met held tasks


def test_initials_belong_to_the_name_given() -> None:
    assert initials_fit("Sam Ode", "SO") and initials_fit("Ana María Ruiz", "AR") and initials_fit("José Díaz", "jd")
    assert not initials_fit("Sam Ode", "DK") and not initials_fit("LC", "DK") and not initials_fit("Sam Ode", "")
    assert rules.actor_problem(Actor("Sam Ode", "SO")) is None
    assert rules.actor_problem(Actor("Sam Ode", "DK")) == (
        "initials DK are not Sam Ode's: give this person's own (e.g. SO), or leave them empty to derive them"
    )


def test_how_far_outside_the_window(rb: Runbook) -> None:
    window = rb.runbook.window  # 22:00 to 02:00 at UTC-5
    at = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)  # 61h before it opens (03:00 UTC on the 6th)
    assert rules.outside_window(window, at) == at - window.start
    assert rules.how_far(at - window.start) == "61h00m before the window opens"
    assert rules.outside_window(window, window.start - timedelta(hours=1)) is None  # staging margin
    assert rules.outside_window(window, window.end) is None
    assert rules.how_far(rules.outside_window(window, window.end + timedelta(minutes=5)) or timedelta(0)) == (
        "5m after the window closed"
    )
