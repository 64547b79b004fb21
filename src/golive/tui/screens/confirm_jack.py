"""Confirm by hand a jack the switches left not seen: who (the operator at the keyboard) and why.

A printer or a modality can sit silent until used, so its MAC is on no switch and the check can
only say "not seen". A person who saw it work (a test page, an image at PACS) confirms it here;
the core journals who and why (Cutover.confirm_jack) and refuses anything else. A misplugged or
wrong jack is never confirmed away: the form does not open for it, and says why in one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from golive.progress.events import Actor
from golive.progress.rules import jack_confirmable
from golive.safetext import visible
from golive.tui.screens.reason import ReasonScreen
from golive.tui.widgets.jack_board import jack_rows

if TYPE_CHECKING:
    from textual.app import App

    from golive.tui.run_view import RunView


async def ask(app: App[Any], view: RunView, label: str) -> None:
    """Open the form for `label`'s jack, or say in one line why it cannot be confirmed."""
    row = next((r for r in jack_rows(view) if r.label == label), None)
    operator: Actor | None = getattr(app, "operator", None)
    if row is None or row.check is None or operator is None:
        app.notify(f"jack {label}: no jacks check covers it", severity="warning")
        return
    task, key = row.check.task, row.check.key
    why = jack_confirmable(view.cutover.state, task, key, label)
    if why is not None:
        app.notify(why, title="not confirmed", severity="warning", timeout=8)
        return
    journal: Callable[[str, str, str, str], str | None] = app.confirm_jack  # type: ignore[attr-defined]
    what = visible(row.endpoint()) or "its endpoint"
    said = visible(row.port.reason) if row.port is not None and row.port.reason else "not seen on any switch"
    form = ReasonScreen(
        f"Confirm jack {visible(row.label)} by hand" + ("  (CRITICAL)" if row.critical else ""),
        "What you saw (journaled)",
        lambda reason: journal(task, key, label, reason),
        about=f"{visible(row.route())}: {what}. The switches say: {said}. "
        f"Journaled as confirmed by {visible(str(operator))}.",
        save="Confirm",
        placeholder="e.g. test image reached PACS at 02:41",
    )
    await app.push_screen(form)
