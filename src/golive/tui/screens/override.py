"""Override failed or errored checks: a reason and a second person who approves it.

The override is journaled with both people; only then may the task be signed off despite its
red checks. The core refuses it without a reason, or when the approver is the operator.
"""

from __future__ import annotations

from collections.abc import Callable

from golive.progress.events import Actor
from golive.progress.state import TaskProgress
from golive.tui.operator import initials_of
from golive.tui.screens.action_form import ActionForm, FormField

Override = Callable[[Actor, str], str | None]


class OverrideScreen(ActionForm):
    def __init__(self, progress: TaskProgress, roles: dict[str, str], operator: Actor, override: Override) -> None:
        self.override = override
        options = [(f"{r}: {about}"[:44], r) for r, about in roles.items()]
        super().__init__(
            f"Override failed or unrun checks on {progress.task.id}",
            [
                FormField("reason", "Why the failed checks are acceptable (journaled)", "", "e.g. room 214 unused"),
                FormField("approver_name", "Second person approving", "", "not you"),
                FormField("approver_initials", "Their initials"),
                FormField("approver_role", "Their role", options=options),
            ],
            self._submit,
            about=f"{progress.checks_failed} failed or errored check result(s); the override also covers "
            f"checks never run. You ({operator}) request; a second person approves.",
            save="Override",
        )

    def _submit(self, values: dict[str, str]) -> str | None:
        name = " ".join(values["approver_name"].split())
        approver = Actor(name, values["approver_initials"].strip() or initials_of(name), values["approver_role"])
        return self.override(approver, values["reason"].strip())
