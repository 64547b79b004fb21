"""Sign off a task: who signs (name, initials, role) and a comment; the runbook's rule decides.

The form starts from the operator's name; a clinical lead signing the go/no-go on the technician's
laptop types their own name over it (the initials follow the name unless typed). The role is never
guessed: it is pre-selected only when exactly one role the task needs is still missing, or taken
from the operator's own choice when the task needs none. When the role is left to choose, the form
starts on the name (someone else is likely signing). Roles, distinct people, initials and checks
are enforced by the core in the same transaction that journals the sign-off.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget

from golive.progress.events import Actor
from golive.progress.state import TaskProgress
from golive.tui.operator import initials_of
from golive.tui.screens.action_form import ActionForm, FormField

SignOff = Callable[[Actor, str], str | None]


class SignOffScreen(ActionForm):
    def __init__(self, progress: TaskProgress, roles: dict[str, str], operator: Actor, sign: SignOff) -> None:
        self.sign = sign
        self.operator = operator
        rule = progress.task.signoff_rule()
        signed = {s.actor.role for s in progress.signoffs}
        missing = [r for r in rule.roles if r not in signed]
        needs = ", ".join(rule.roles) or "any role"
        already = ", ".join(f"{s.actor.name} as {s.actor.role}" for s in progress.signoffs) or "nobody yet"
        options = [(f"{r}: {about}"[:44], r) for r, about in roles.items()]
        # the one role still missing, or (a task needing none) the role the operator chose for the night
        role = (missing[0] if len(missing) == 1 else "") if rule.roles else operator.role
        self.ask_name = not role
        super().__init__(
            f"Sign off {progress.task.id}: {progress.task.title}",
            [
                FormField("name", "Name of the person signing", operator.name),
                FormField("initials", "Initials", operator.initials),
                FormField(
                    "role",
                    "Signing as (never guessed: choose the role this person holds)",
                    role,
                    options=options,
                ),
                FormField("comment", "Comment (journaled)", "", "what was seen, who was told"),
            ],
            self._submit,
            about=f"Needs: {needs}{' (different people)' if rule.distinct and len(rule.roles) > 1 else ''}. "
            f"Signed so far: {already}." + (f" Still missing: {', '.join(missing)}." if missing else ""),
            save="Sign off",
        )

    def _first_to_fill(self) -> Widget:
        if self.ask_name:
            return self.query_one("#field-name")
        return super()._first_to_fill()

    def _submit(self, values: dict[str, str]) -> str | None:
        name = " ".join(values["name"].split())
        initials = values["initials"].strip()
        if not initials or (initials == self.operator.initials and name != self.operator.name):
            initials = initials_of(name)  # another person: never the operator's initials on their name
        actor = Actor(name, initials, values["role"])
        return self.sign(actor, values["comment"].strip())
