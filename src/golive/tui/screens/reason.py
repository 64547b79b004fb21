"""Skip, block, fail, unblock, or note: one line of text, journaled with the event.

The core decides whether a reason is required (skip, block and fail need one; a gate cannot be
skipped) and says so in words shown here.
"""

from __future__ import annotations

from collections.abc import Callable

from golive.tui.screens.action_form import ActionForm, FormField


class ReasonScreen(ActionForm):
    def __init__(
        self, title: str, label: str, act: Callable[[str], str | None], *, about: str = "", save: str = "Save",
        placeholder: str = "",
    ) -> None:  # fmt: skip
        self.act = act
        super().__init__(title, [FormField("text", label, placeholder=placeholder)],
                         lambda v: self.act(v["text"].strip()), about=about, save=save)  # fmt: skip
