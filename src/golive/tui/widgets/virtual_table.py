"""A table that renders only the rows on screen, so 5,000 tasks open as fast as 50.

Textual's DataTable builds every row up front (about 2 s for 5,000 here). This uses the Line
API instead: the subclass says how many rows there are and how to draw row N; a key press
repaints one screenful. The header stays put while the rows scroll; the cursor row carries a
`▸` marker as well as a colour, so it reads on a monochrome screen too.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


class Column:
    """A column: fixed `width`, or flexible (width 0) sharing what is left. `min_table` hides it
    when the table is narrower than that, `max_table` when it is at least that wide.

    (A plain class: a frozen dataclass cost ~0.8 ms of every start to make, and columns are only read.)"""

    __slots__ = ("justify", "max_table", "min_table", "title", "width")

    def __init__(self, title: str, width: int = 0, min_table: int = 0, max_table: int = 0, justify: str = "left"):
        self.title = title
        self.width = width
        self.min_table = min_table
        self.max_table = max_table
        self.justify = justify

    def shown_at(self, width: int) -> bool:
        return (not self.min_table or width >= self.min_table) and (not self.max_table or width < self.max_table)


class VirtualTable(ScrollView, can_focus=True):
    """Rows drawn on demand; subclasses implement `row_count` and `row_cells`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"virtual-table--cursor", "virtual-table--header"}
    DEFAULT_CSS = """
    VirtualTable { height: 1fr; scrollbar-size-vertical: 1; }
    VirtualTable > .virtual-table--header { text-style: bold; background: $panel; }
    VirtualTable > .virtual-table--cursor { background: $surface-lighten-2; text-style: bold; }
    VirtualTable:focus > .virtual-table--cursor { background: $accent 60%; }
    """
    # The moves are priority bindings: decided as each key arrives, in the order typed, so an
    # action key typed right after them (the app's, also priority) acts on the row they reached.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False, priority=True),
        Binding("down,j", "cursor(1)", "Down", show=False, priority=True),
        Binding("pageup", "page(-1)", "Page up", show=False, priority=True),
        Binding("pagedown", "page(1)", "Page down", show=False, priority=True),
        Binding("home", "jump(0)", "First", show=False, priority=True),
        Binding("end", "jump(-1)", "Last", show=False, priority=True),
        Binding("enter", "choose", "Open", show=True),
    ]
    columns: ClassVar[list[Column]] = []
    cursor: reactive[int] = reactive(0, repaint=False)

    class Highlighted(Message):
        def __init__(self, table: VirtualTable, index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

    class Chosen(Message):
        def __init__(self, table: VirtualTable, index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

    # -- for subclasses ------------------------------------------------------------------

    def row_count(self) -> int:
        raise NotImplementedError

    def row_cells(self, index: int) -> tuple[list[Text], str]:
        """The cells of row `index` (one Text per column) and a Rich style for the whole row."""
        raise NotImplementedError

    # -- machinery -------------------------------------------------------------------------

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # rendered rows by (index, width, style): a scroll by one row draws one new row, not a screenful
        self._drawn: dict[tuple[int, int, Style], Strip] = {}
        self._base: Style | None = None  # the widget's style during one repaint

    def render_lines(self, crop: Region) -> list[Strip]:
        # one look-up of the widget's style per repaint, not one per line: `rich_style` walks every
        # ancestor's styles (most of a first frame's row drawing)
        self._base = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._base = None

    def reset_rows(self) -> None:
        """Call after the rows changed: resize, keep the cursor in range, repaint."""
        self._drawn.clear()
        count = self.row_count()
        # rows are drawn at the table's width: nothing to scroll sideways (a virtual width of the
        # widget's own, scrollbar included, showed a horizontal scrollbar that scrolled nothing, and
        # set on the first resize it laid the screen out again before the first frame settled)
        self.virtual_size = Size(0, count + 1)
        if count + 1 > self.app.size.height and self.styles.overflow_y == "auto":
            # more rows than the screen has lines: the vertical scrollbar is certain, so the first
            # layout gives it its column (Textual decides it after a layout, and the rows were drawn
            # a column too wide, then laid out and drawn again before the first frame settled)
            self.show_vertical_scrollbar = True
        if count and self.cursor >= count:
            self.cursor = count - 1
        self.refresh()

    def on_resize(self, _: events.Resize) -> None:
        self._keep_cursor_visible()

    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _widths(self, width: int) -> list[int]:
        shown = [c if c.shown_at(width) else None for c in self.columns]
        fixed = sum(c.width + 1 for c in shown if c is not None and c.width)
        flex = [c for c in shown if c is not None and not c.width]
        spare = max(0, width - fixed - len(flex))
        share = spare // len(flex) if flex else 0
        return [0 if c is None else (c.width or share) for c in shown]

    def _compose_line(self, cells: list[Text], widths: list[int]) -> Text:
        """The cells cut to their columns (an ellipsis where cut), padded, one space apart: the text
        and spans Rich's `copy`, `truncate(overflow="ellipsis")`, `pad_left`/`pad_right` and
        `append_text` make, built in one pass (those made and sanitised a Text per call, most of a
        row's drawing)."""
        parts: list[str] = []
        spans: list[Span] = []
        offset = 0
        for cell, column, width in zip(cells, self.columns, widths, strict=False):
            if not width:
                continue
            text = cell.plain
            inner = cell.spans
            if cell_len(text) > width:  # truncate: cut to width - 1 cells and an ellipsis; spans trimmed
                text = set_cell_size(text, width - 1) + "…"
                end = len(text)
                inner = [span if span.end < end else Span(span.start, min(end, span.end), span.style)
                         for span in inner if span.start < end]  # fmt: skip
            pad = width - cell_len(text)
            if pad > 0:
                if column.justify == "right":
                    text = " " * pad + text
                    inner = [Span(start + pad, end + pad, style) for start, end, style in inner]
                else:
                    text += " " * pad
            length = len(text)
            if cell.style:
                spans.append(Span(offset, offset + length, cell.style))
            spans.extend(Span(start + offset, end + offset, style) for start, end, style in inner)
            parts.append(text)
            parts.append(" ")
            offset += length + 1
        return Text("".join(parts), no_wrap=True, end="", spans=spans)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        widths = self._widths(width)
        base = self._base if self._base is not None else self.rich_style
        if y == 0:
            header = self._compose_line([Text(c.title) for c in self.columns], widths)
            style = base + self.get_component_rich_style("virtual-table--header")
            return self._strip(header, width, style)
        index = self.scroll_offset.y + y - 1
        if index >= self.row_count():
            return Strip.blank(width, base)
        style = base
        if index == self.cursor:
            style = base + self.get_component_rich_style("virtual-table--cursor")
        key = (index, width, style)
        strip = self._drawn.get(key)
        if strip is None:
            cells, row_style = self.row_cells(index)
            line = self._compose_line(cells, widths)
            if row_style:
                line.stylize(row_style)
            strip = self._strip(line, width, style)
            if len(self._drawn) > 4 * max(50, self.size.height):
                self._drawn.clear()
            self._drawn[key] = strip
        return strip

    def _strip(self, line: Text, width: int, style: Style) -> Strip:
        segments = [
            Segment(text, style + seg_style if seg_style else style, control)
            for text, seg_style, control in line.render(self.app.console)
        ]
        return Strip(segments).adjust_cell_length(width, style)

    def watch_cursor(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        self._keep_cursor_visible()
        if self.scroll_offset.y == top:  # no scroll: repaint just the two rows that changed
            width = self.size.width
            for index in (old, new):
                self.refresh(Region(0, index - top + 1, width, 1))
        else:
            self.refresh()
        if old != new:
            self.post_message(self.Highlighted(self, new))

    def _keep_cursor_visible(self) -> None:
        top = self.scroll_offset.y
        rows = self._visible_rows()
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + rows:
            self.scroll_to(y=self.cursor - rows + 1, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        count = self.row_count()
        if count:
            self.cursor = max(0, min(count - 1, self.cursor + step))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * self._visible_rows())

    def action_jump(self, where: int) -> None:
        count = self.row_count()
        if count:
            self.cursor = where if where >= 0 else count - 1

    def action_choose(self) -> None:
        if self.row_count():
            self.post_message(self.Chosen(self, self.cursor))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            return
        index = self.scroll_offset.y + event.y - 1
        if 0 <= index < self.row_count():
            if index == self.cursor and event.chain >= 2:
                self.action_choose()
            self.cursor = index
