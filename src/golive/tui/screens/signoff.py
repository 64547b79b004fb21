"""Sign off a task: who signs (name, initials, role) and a comment; the runbook's rule decides.

The form starts from the operator's identity; a clinical lead signing the go/no-go on the
technician's laptop changes the name and role to their own. Roles, distinct people and failed
checks are enforced by the core in the same transaction that journals the sign-off.
"""

from __future__ import annotations

from collections.abc import Callable

from golive.progress.events import Actor
from golive.progress.state import TaskProgress
from golive.tui.operator import initials_of
from golive.tui.screens.action_form import ActionForm, FormField

SignOff = Callable[[Actor, str], str | None]


class SignOffScreen(ActionForm):
    def __init__(self, progress: TaskProgress, roles: dict[str, str], operator: Actor, sign: SignOff) -> None:
        self.sign = sign
        rule = progress.task.signoff_rule()
        signed = {s.actor.role for s in progress.signoffs}
        missing = [r for r in rule.roles if r not in signed]
        needs = ", ".join(rule.roles) or "any role"
        already = ", ".join(f"{s.actor.name} as {s.actor.role}" for s in progress.signoffs) or "nobody yet"
        options = [(f"{r}: {about}"[:44], r) for r, about in roles.items()]
        super().__init__(
            f"Sign off {progress.task.id}: {progress.task.title}",
            [
                FormField("name", "Name of the person signing", operator.name),
                FormField("initials", "Initials", operator.initials),
                FormField(
                    "role",
                    "Signing as (never guessed: choose the role this person holds)",
                    operator.role,
                    options=options,
                ),
                FormField("comment", "Comment (journaled)", "", "what was seen, who was told"),
            ],
            self._submit,
            about=f"Needs: {needs}{' (different people)' if rule.distinct and len(rule.roles) > 1 else ''}. "
            f"Signed so far: {already}." + (f" Still missing: {', '.join(missing)}." if missing else ""),
            save="Sign off",
        )

    def _submit(self, values: dict[str, str]) -> str | None:
        name = " ".join(values["name"].split())
        actor = Actor(name, values["initials"].strip() or initials_of(name), values["role"])
        return self.sign(actor, values["comment"].strip())
