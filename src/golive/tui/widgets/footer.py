"""Textual's Footer, recomposed once per burst of binding changes instead of once per change.

The main screen mounts it right after the first frame. The footer rebuilds its keys after every
change of the active bindings; opening the main screen changes them about ten times (the screen,
its tabs, the focus), and each rebuild restyles every key. This one rebuilds once, after the
refresh that follows the last change, with the same bindings and so the same look.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    _rebuild_pending = False

    def on_mount(self) -> None:
        # Mounted after the first frame, when the screen's bindings have settled: no change will
        # follow to build the keys, so build them once now (Textual still runs Footer.on_mount).
        self.bindings_changed(self.screen)

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        await self.recompose()
