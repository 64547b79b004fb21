"""The main screen's tab bar: one widget drawing the tab names and the bar under the active one.

Textual's TabbedContent made a dozen widgets for it (tabs, a tab per pane, an underline, panes) and
cost more than half of the main screen's time to its first frame. This draws the same two lines
(the names, the active one bright, and the bar with the active tab's span in the accent colour);
a click on a name (TabBar.Chosen), or a number key, switches the tab (MainScreen.action_tab).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class TabBar(Widget):
    DEFAULT_CSS = """
    TabBar { height: 2; width: 1fr; }
    TabBar > .tab-bar--tab { color: $foreground 50%; }
    TabBar > .tab-bar--active { color: $foreground; }
    TabBar > .tab-bar--bar { color: $block-cursor-background; }
    TabBar > .tab-bar--rest { color: $foreground 10%; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"tab-bar--tab", "tab-bar--active", "tab-bar--bar", "tab-bar--rest"}
    active: reactive[str] = reactive("")

    class Chosen(Message):
        """A tab's name was clicked."""

        def __init__(self, tab: str) -> None:
            super().__init__()
            self.tab = tab

    def __init__(self, tabs: list[tuple[str, str]], active: str, *, id: str | None = None) -> None:
        """`tabs`: (id, label) in order."""
        super().__init__(id=id)
        self.tabs = tabs
        self.set_reactive(TabBar.active, active)

    def on_click(self, event: events.Click) -> None:
        start = 0
        for tab_id, label in self.tabs:
            end = start + len(label) + 2
            if start <= event.x < end:
                self.post_message(self.Chosen(tab_id))
                return
            start = end

    def render(self) -> Text:
        tab, current = self.get_component_rich_style("tab-bar--tab"), self.get_component_rich_style("tab-bar--active")
        bar, rest = self.get_component_rich_style("tab-bar--bar"), self.get_component_rich_style("tab-bar--rest")
        names, under = Text(no_wrap=True, end=""), Text(no_wrap=True, end="")
        for tab_id, label in self.tabs:
            here = tab_id == self.active
            names.append(f" {label} ", current if here else tab)
            if here:  # the accent under the name, half bars over the padding (as Textual's Underline)
                under.append("╸", rest).append("━" * len(label), bar).append("╺", rest)
            else:
                under.append("━" * (len(label) + 2), rest)
        under.append("━" * max(0, self.size.width - under.cell_len), rest)
        return Text("\n", end="").join([names, under])
