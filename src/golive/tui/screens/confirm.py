"""A yes-or-no question before an action the core refuses without the operator's word.

A LIVE run started outside its change window is the case: the core says how far outside, this
screen asks, and only a yes journals the start (with that distance). Its keys are priority
bindings, decided as they arrive, so a key typed right after the question answers it.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 76; max-width: 100%; height: auto; border: thick $warning; background: $surface; padding: 0 1;
    }
    ConfirmScreen .confirm-title { text-style: bold; }
    ConfirmScreen .confirm-keys { text-align: right; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", priority=True),
        Binding("n,escape", "answer(False)", "No", priority=True),
    ]

    def __init__(self, title: str, about: str, yes: str) -> None:
        super().__init__()
        self.question = title
        self.about = about
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, classes="confirm-title", markup=False)
            yield Static(self.about, markup=False)
            yield Static(f"y: {self.yes}   n / esc: no", classes="confirm-keys", markup=False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
