"""Keys at machine speed: decided as they arrive, and applied before what reads them.

Textual hands a typed character to the focused widget's own queue, but a bound key that is not a
priority binding goes there too, then up the widgets and back to the app, and is acted on only
after the keys typed behind it have been handed out (a burst of keys from one terminal read:
tmux send-keys, a fast typist, keys pasted). So every key that moves, opens or acts is a priority
binding (decided as the app reads it, in the order typed; a focused text field still takes its
characters first), and an action that reads what was typed into a widget waits until the widget
has applied the keys already handed to it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable

from textual.binding import Binding, BindingType
from textual.widget import Widget

SETTLE_SECONDS = 2.0  # at most: a widget that is being removed never runs the callback


def on_arrival(bindings: Iterable[BindingType], *, but: tuple[str, ...] = ()) -> list[BindingType]:
    """A widget's bindings (a Textual widget's, say) as priority bindings, leaving out the keys `but`."""
    return [
        Binding(b.key, b.action, b.description, show=b.show, priority=True)
        for b in bindings
        if isinstance(b, Binding) and b.key not in but
    ]


async def applied(widgets: Iterable[Widget]) -> None:
    """Return once every message queued to each widget before this call has been handled."""
    loop = asyncio.get_running_loop()
    waits: list[asyncio.Future[None]] = []
    for widget in widgets:
        done: asyncio.Future[None] = loop.create_future()
        if widget.call_later(done.set_result, None):
            waits.append(done)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*waits), SETTLE_SECONDS)
