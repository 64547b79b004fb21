"""Revoke a sign-off: a new event naming the sign-off and why; the old one is never edited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo

from golive.progress.state import TaskProgress
from golive.tui.format import clock
from golive.tui.screens.action_form import ActionForm, FormField


class RevokeScreen(ActionForm):
    def __init__(self, progress: TaskProgress, revoke: Callable[[str, str], str | None], *, zone: tzinfo) -> None:
        self.revoke = revoke
        options = [(f"{s.actor.name} as {s.actor.role} at {clock(s.ts, zone)}"[:44], s.uuid) for s in progress.signoffs]
        super().__init__(
            f"Revoke a sign-off on {progress.task.id}",
            [
                FormField("signoff", "Sign-off", options[-1][1] if options else "", options=options),
                FormField("reason", "Why (journaled)"),
            ],
            lambda v: self.revoke(v["signoff"], v["reason"].strip()),
            about="The sign-off stays in the journal; a revocation event follows it.",
            save="Revoke",
        )
