"""What `golive run` shows while the run is being opened: one line.

The app opens the run in a worker (golive.tui.app); until the run has opened there is nothing to
act on: the run's actions are disabled (the command palette does not offer them) and a key pressed
now does nothing at all. No footer: Textual's builds a widget per key and rebuilds them on every
change of the bindings, a tenth of a second of a 300-task start spent on a screen shown for less.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

OPENING = "opening run…"


class OpeningScreen(Screen[None]):
    DEFAULT_CSS = """
    OpeningScreen { align: center middle; }
    OpeningScreen #opening { width: auto; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static(OPENING, id="opening")
