"""Who is at the keyboard: asked when `golive run` starts, offered again next time on this laptop.

Every event this session journals carries this name, initials and role; a sign-off form starts
from it (and may be changed for the person actually signing).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len, set_cell_size

from golive.progress.events import Actor
from golive.progress.rules import actor_problem
from golive.tui.operator import initials_of
from golive.tui.screens.action_form import ActionForm, FormField

NO_ROLE = "none yet: each sign-off form asks"


class IdentityScreen(ActionForm):
    # The first frame of every `golive run`: a plain screen (nothing drawn dimmed beneath it), the
    # roles listed in the form and keys to click instead of buttons, a third of a Select form's cost.
    DEFAULT_CSS = """
    IdentityScreen { background: $background; }
    """

    def __init__(
        self, roles: dict[str, str], known: Actor | None, accept: Callable[[Actor], str | None], *,
        handover: Actor | None = None,
    ) -> None:  # fmt: skip
        """`handover`: the operator handing the keyboard over (a shift change); the form starts empty."""
        self.accept = accept
        self.known = known
        self.handover = handover
        # No role is ever guessed: unless the remembered one is in this runbook, "none yet" is offered
        # (and a sign-off form then asks for the role, as it always does).
        options = [(NO_ROLE, ""), *((_fit(f"{role}: {about}", 70), role) for role, about in roles.items())]
        role = known.role if known and known.role in roles else ""
        super().__init__(
            "Who takes over at the keyboard?" if handover else "Who is at the keyboard?",
            [
                FormField("name", "Your name", known.name if known else "", "e.g. Ana Ruiz"),
                FormField("initials", "Initials", known.initials if known else "", "e.g. AR"),
                FormField("role", "Role you act in tonight", role, options=options, inline=True),
            ],
            self._submit,
            about=(f"{handover} hands over. " if handover else "")
            + "Every event you journal carries this. It is remembered on this machine.",
            save="Take over" if handover else "Start",
            buttons=False,
        )

    def _submit(self, values: dict[str, str]) -> str | None:
        name = " ".join(values["name"].split())
        if not name:
            return "your name, please: every event is journaled with it"
        initials = values["initials"].strip()
        if not initials or (self.known is not None and initials == self.known.initials and name != self.known.name):
            initials = initials_of(name)  # a new name with the last person's initials left in place
        actor = Actor(name, initials, values["role"].strip())
        return actor_problem(actor) or self.accept(actor)

    def action_cancel(self) -> None:
        if self.handover is not None:
            self.dismiss(False)  # the operator stays who they were
            return
        self.app.exit(message="golive: no operator given; nothing was journaled")


def _fit(text: str, width: int) -> str:
    """One line of the role list, in terminal cells: cut with an ellipsis, so a cut reads as one."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip() + "…"
