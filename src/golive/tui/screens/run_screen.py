"""What the app asks of a screen that shows the run: repaint after a change, name the task in view.

The main screen and the task detail are both; the app talks to them through this class alone, so
it need not import the task detail (and Markdown with it) before the first frame.
"""

from __future__ import annotations

from textual.screen import Screen


class RunScreen(Screen[None]):
    def repaint(self) -> None:
        """Show the run as it is now."""
        raise NotImplementedError

    def current_task(self) -> str | None:
        """The task the technician is looking at, if any."""
        raise NotImplementedError


class TaskView(RunScreen):
    """One task in detail (golive.tui.screens.task_detail.TaskScreen)."""
