"""What `golive run` shows while the run is being opened: one line, and every key dimmed.

The app opens the run in a worker (golive.tui.app); until the run has opened there is nothing to
act on, so the footer lists the keys as unavailable and a key pressed now does nothing at all.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

OPENING = "opening run…"


class OpeningScreen(Screen[None]):
    DEFAULT_CSS = """
    OpeningScreen { align: center middle; }
    OpeningScreen #opening { width: auto; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static(OPENING, id="opening")
        yield Footer()
