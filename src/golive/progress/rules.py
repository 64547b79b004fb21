"""Whether an action may be journaled now: the runbook's rules, as pure functions.

Each function returns None when the action is allowed, or one sentence saying why not, fit to
show the technician. The store calls these inside the same transaction that appends the event,
so two windows on one laptop cannot both sign the last required sign-off.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from golive.progress.events import Actor, initials_fit, initials_of
from golive.progress.jacks import WORDS, JackState, effective, signoff_problem
from golive.progress.state import FINISHED, RunState, TaskProgress, TaskState
from golive.runbook.schema import Window

# a live run may start this long before its window opens (staging, pre-checks) without a question
WINDOW_MARGIN = timedelta(hours=2)


def _task(state: RunState, task_id: str) -> TaskProgress | str:
    progress = state.tasks.get(task_id)
    if progress is None:
        return f"no task {task_id!r} in this runbook"
    if state.closed_at is not None:
        return "the run is closed"
    return progress


def can_start(state: RunState, task_id: str) -> str | None:
    progress = _task(state, task_id)
    if isinstance(progress, str):
        return progress
    if progress.state is TaskState.PENDING:
        return f"{task_id} is not ready: waiting for {', '.join(progress.waiting_for)}"
    if progress.state is TaskState.IN_PROGRESS:
        return f"{task_id} is already in progress"
    if progress.state in (TaskState.BLOCKED, TaskState.FAILED):
        return f"{task_id} is {progress.state.value}: clear it first (golive unblock {task_id})"
    if unmet := state.unmet(task_id):
        return f"{task_id} is not ready: waiting for {', '.join(unmet)}"
    if progress.state in FINISHED:
        return f"{task_id} is already {progress.state.value}"
    return None


def actor_problem(actor: Actor, who: str = "") -> str | None:
    """Why `actor` cannot be journaled as given: a name is needed, and the initials must be that name's."""
    name, marks = " ".join(actor.name.split()), actor.initials.strip()
    if not name:
        return f"{who or 'who is acting'}: a name is needed"
    if not marks:
        return f"{who or name}: initials are needed"
    if not initials_fit(name, marks):
        return (
            f"initials {marks} are not {name}'s: give this person's own (e.g. {initials_of(name)}), "
            "or leave them empty to derive them"
        )
    return None


def unproven_checks(progress: TaskProgress, *, rehearsal: bool) -> list[tuple[str, str]]:
    """(check key, why) for each of the task's checks whose latest result does not let it be signed:
    failed, error, or never run (a simulated result counts only in a rehearsal: nothing was contacted)."""
    out: list[tuple[str, str]] = []
    for number in range(1, len(progress.task.checks) + 1):
        key = f"{progress.task.id}#{number}"
        status = progress.last_checks.get(key)
        if status == "pass" or (status == "simulated" and rehearsal):
            continue
        jacks = progress.jack_results.get(key)
        if jacks is not None and status in ("fail", "error"):
            why = signoff_problem(jacks, progress.confirmations.get(key, {}).keys())
            if why is None:
                continue
            out.append((key, why))
            continue
        out.append((key, "never run" if status is None else status))
    return out


def _listed(unproven: list[tuple[str, str]]) -> str:
    shown = ", ".join(f"{key} {why}" for key, why in unproven[:4])
    return shown + (f" (+{len(unproven) - 4} more)" if len(unproven) > 4 else "")


def can_sign_off(state: RunState, task_id: str, actor: Actor, *, rehearsal: bool = False) -> str | None:
    progress = _task(state, task_id)
    if isinstance(progress, str):
        return progress
    if progress.state in (TaskState.PENDING,):
        return f"{task_id} is not ready: waiting for {', '.join(progress.waiting_for)}"
    if progress.state in FINISHED:
        return f"{task_id} is already {progress.state.value}"
    if progress.state in (TaskState.BLOCKED, TaskState.FAILED):
        return f"{task_id} is {progress.state.value}: {progress.reason or 'no reason given'}"
    if not actor.name.strip() or not actor.initials.strip():
        return "a sign-off needs a name and initials"
    if unmet := state.unmet(task_id):
        return f"{task_id} cannot be signed yet: waiting for {', '.join(unmet)}"
    if not progress.overridden and (unproven := unproven_checks(progress, rehearsal=rehearsal)):
        return (
            f"{task_id} cannot be signed: {_listed(unproven)}; "
            "run the checks until they pass, or override with a reason and a second person"
        )
    task = progress.task
    rule = task.signoff_rule()
    if rule.roles and actor.role not in rule.roles:
        return f"role {actor.role or '(none)'} may not sign off {task_id}: it needs {', '.join(rule.roles)}"
    signed = progress.signoffs
    if rule.distinct and any(s.actor.person == actor.person for s in signed):
        return f"{actor.name} has already signed off {task_id}: it needs a different person"
    roles_signed = {s.actor.role for s in signed}
    missing_roles = [r for r in rule.roles if r not in roles_signed]
    counted = len({s.actor.person for s in signed}) if rule.distinct else len(signed)
    free_slots = task.people_needed() - counted - len(missing_roles)
    if missing_roles and actor.role not in missing_roles and free_slots <= 0:
        return f"{task_id} still needs {', '.join(missing_roles)} to sign"
    return None


def can_revoke(state: RunState, task_id: str, signoff_uuid: str) -> str | None:
    progress = _task(state, task_id)
    if isinstance(progress, str):
        return progress
    if not any(s.uuid == signoff_uuid for s in progress.signoffs):
        return f"no sign-off {signoff_uuid} in force on {task_id}"
    return None


def can_override(
    state: RunState, task_id: str, actor: Actor, approver: Actor, reason: str, *, rehearsal: bool = False
) -> str | None:
    progress = _task(state, task_id)
    if isinstance(progress, str):
        return progress
    if not reason.strip():
        return "an override needs a reason"
    if not approver.name.strip() or approver.person == actor.person:
        return "an override needs a second person to approve it"
    if why := actor_problem(approver, "the approver"):
        return why
    if not unproven_checks(progress, rehearsal=rehearsal):
        return f"{task_id} has no failed, errored or unrun checks to override"
    return None


def can_confirm_jack(state: RunState, task_id: str, check: str, jack: str, reason: str) -> str | None:
    """A jack may be confirmed by hand only where the switches could not prove it (jack_confirmable), and
    with what the person saw."""
    progress = _task(state, task_id)
    if isinstance(progress, str):
        return progress
    if not reason.strip():
        return "confirming a jack by hand needs a reason (what you saw: e.g. the modality's screen shows the network)"
    return jack_confirmable(state, task_id, check, jack)


def jack_confirmable(state: RunState, task_id: str, check: str, jack: str) -> str | None:
    """Why `jack` cannot be confirmed by hand, whatever the reason, or None: its latest jacks result must
    have left it not seen (a quiet device). A misplugged or wrong jack is fixed and re-checked, or overridden."""
    progress = _task(state, task_id)
    if isinstance(progress, str):
        return progress
    result = progress.jack_results.get(check)
    if result is None:
        return f"{check} has no jacks result yet: run its checks first"
    if jack not in result.ports:
        return f"no jack {jack!r} in {check}'s latest result"
    state_now, _ = effective(result, progress.confirmations.get(check, {}).keys())[jack]
    if state_now is JackState.CONFIRMED:
        return f"jack {jack} is already confirmed"
    if state_now is JackState.BACK:
        return f"jack {jack} is back: the switches proved it, there is nothing to confirm"
    if state_now is not JackState.NOT_SEEN:
        return (
            f"jack {jack} is {WORDS[state_now]}: only a jack the switches did not see can be confirmed by hand; "
            "fix it and re-check (or override the check)"
        )
    return None


def can_skip(state: RunState, task_id: str, reason: str) -> str | None:
    progress = _task(state, task_id)
    if isinstance(progress, str):
        return progress
    if not reason.strip():
        return "skipping needs a reason"
    if progress.task.gate:
        return f"{task_id} is a go/no-go gate: it cannot be skipped, only signed or failed"
    if progress.state in FINISHED:
        return f"{task_id} is already {progress.state.value}"
    return None


def can_mark(state: RunState, task_id: str, reason: str, what: str) -> str | None:
    """Blocking or failing a task: it needs a reason and must not be finished."""
    progress = _task(state, task_id)
    if isinstance(progress, str):
        return progress
    if not reason.strip():
        return f"marking a task {what} needs a reason"
    if progress.state in FINISHED:
        return f"{task_id} is already {progress.state.value}"
    return None


def can_unblock(state: RunState, task_id: str) -> str | None:
    progress = _task(state, task_id)
    if isinstance(progress, str):
        return progress
    if progress.state not in (TaskState.BLOCKED, TaskState.FAILED):
        return f"{task_id} is not blocked or failed"
    return None


def outside_window(window: Window, now: datetime, margin: timedelta = WINDOW_MARGIN) -> timedelta | None:
    """How far `now` lies outside the change window (negative: before it opens, beyond the margin
    allowed for staging), or None when it is inside."""
    if now < window.start - margin:
        return now - window.start
    if now > window.end:
        return now - window.end
    return None


def how_far(offset: timedelta) -> str:
    """`-61h05m` -> "61h05m before the window opens"; positive: after it closed."""
    minutes = int(abs(offset).total_seconds() // 60)
    amount = f"{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"
    return f"{amount} before the window opens" if offset < timedelta(0) else f"{amount} after the window closed"
