"""The main screen: banner, then tabs for the overview, tasks, gate, ports and journal (and the jacks,
when the runbook has a port map: golive.tui.widgets.jack_board).

Each tab is a widget told what to show; this screen owns the filters and hands each widget its
slice. `repaint()` is called by the app after every journaled event or arriving result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Footer, Input, Select, Static

from golive.progress.events import Event, Kind
from golive.progress.state import FINISHED, TaskState
from golive.tui.keys import applied
from golive.tui.run_view import RunView
from golive.tui.screens.run_screen import RunScreen
from golive.tui.widgets.run_banner import RunBanner
from golive.tui.widgets.tab_bar import TabBar
from golive.tui.widgets.task_list import TaskList
from golive.tui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:  # the other tabs' widgets are imported when their tab is first shown
    from golive.tui.widgets.gate_view import GateView
    from golive.tui.widgets.jack_board import JackBoard, JackRow
    from golive.tui.widgets.journal_list import JournalList
    from golive.tui.widgets.overview import Overview
    from golive.tui.widgets.port_board import PortBoard

OPEN = "open"
LATE = "late"
TABS = ("overview", "tasks", "gate", "ports", "journal")
LABELS = [(tab, f"{n} {tab.capitalize()}") for n, tab in enumerate(TABS, 1)]
JACKS = "jacks"  # the sixth tab, for a runbook with a port map


class MainScreen(RunScreen):
    # focused as the screen is composed, so the first frame is drawn with the task list's focused
    # look (Textual's default focused the first focusable widget, a hidden tab, and the task list's
    # focus in on_mount restyled and redrew it after that frame)
    AUTO_FOCUS = "#task-list"
    DEFAULT_CSS = """
    MainScreen #tabs { height: 1fr; }
    MainScreen #tabs > * { height: 1fr; }
    MainScreen .filters { height: 1; margin-bottom: 1; }
    MainScreen .filters Input { width: 1fr; min-width: 14; background: $boost; }
    MainScreen .filters Select { width: 20; margin-left: 1; }
    MainScreen .legend { height: auto; color: $text-muted; padding: 0 1; }
    """
    # Priority bindings, as the app's action keys: decided as each key arrives and in the order
    # typed (a tab, the search box, a gate or a task opened, then the action typed after it). A
    # focused text field still takes its characters first.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "tab('overview')", "Overview", show=False, priority=True),
        Binding("2", "tab('tasks')", "Tasks", show=False, priority=True),
        Binding("3", "tab('gate')", "Gate", show=False, priority=True),
        Binding("4", "tab('ports')", "Ports", show=False, priority=True),
        Binding("5", "tab('journal')", "Journal", show=False, priority=True),
        Binding("6", "tab('jacks')", "Jacks", show=False, priority=True),
        # the jacks tab's own keys (check_action: only there)
        Binding("r", "recheck_jack", "Re-check jack", priority=True),
        Binding("A", "recheck_jacks", "Re-check all jacks", priority=True),
        Binding("h", "confirm_jack", "Confirm by hand", priority=True),
        Binding("slash", "search", "Search", show=False, priority=True),
        Binding("left_square_bracket", "gate(-1)", "Prev gate", show=False, priority=True),
        Binding("right_square_bracket", "gate(1)", "Next gate", show=False, priority=True),
        Binding("enter", "open", "Open", priority=True),  # (shown where the list's own Enter was)
    ]

    def __init__(self, view: RunView, focus_task: str | None = None) -> None:
        super().__init__()
        self.view = view
        self.focus_task = focus_task
        self._people: list[str] = []
        self._painted_tab: str | None = None  # the tab the last repaint was for
        self.has_jacks = view.cutover.runbook.portmap is not None
        self.tabs = [*TABS, JACKS] if self.has_jacks else list(TABS)

    def compose(self) -> ComposeResult:
        runbook = self.view.cutover.runbook
        states = [(f"{s.value.replace('_', ' ')}", s.value) for s in TaskState]
        yield RunBanner(self.view)
        labels = [*LABELS, (JACKS, "6 Jacks")] if self.has_jacks else LABELS
        yield TabBar(labels, "tasks", id="tab-bar")
        # the other tabs are made when first shown (_pane): the main screen opens on the task list
        with ContentSwitcher(initial="tasks", id="tabs"), Vertical(id="tasks"):
            with Horizontal(classes="filters", id="task-filters"):
                yield Input(placeholder="/ search id or title", id="task-search", compact=True)
                yield Select([("open", OPEN), ("late", LATE), *states], prompt="any state", id="task-state",
                             compact=True)  # fmt: skip
                yield Select([(r, r) for r in runbook.roles], prompt="any role", id="task-role", compact=True)
                yield Select([(Content(p.title[:30]), p.id) for p in runbook.phases], prompt="any phase",
                             id="task-phase", compact=True)  # fmt: skip
            yield TaskList(self.view, id="task-list")
        yield Footer()

    def on_mount(self) -> None:
        self.repaint()
        if self.focus_task:
            self.select_task(self.focus_task)

    def _pane(self, tab: str) -> None:
        """Make the tab's pane (hidden) if it is not made yet: its widgets, their CSS and their
        modules cost the first frame a fifth of its time, and most nights open on the task list."""
        switcher = self.query_one(ContentSwitcher)
        if tab == "tasks" or switcher.query_children(f"#{tab}"):
            return
        body: Widget
        if tab == "overview":
            from golive.tui.widgets.overview import Overview

            body = Overview(self.view, id="overview-body")
        elif tab == "gate":
            from golive.tui.widgets.gate_view import GateView

            body = GateView(self.view, id="gate-body")
        elif tab == "ports":
            from golive.tui.widgets.port_board import PortBoard

            body = PortBoard(self.view, id="port-board")
        elif tab == "journal":
            from golive.tui.widgets.journal_list import JournalList

            body = JournalList(self.view.zone, id="journal-list")  # its filters are made when the tab is first shown
        elif tab == JACKS and self.has_jacks:
            from golive.tui.widgets.jack_board import LEGEND, JackBoard, JackSummary

            board = Vertical(id=tab)
            board.display = False
            switcher.mount(board)
            legend = Static(LEGEND, id="jack-legend", markup=False, classes="legend")
            board.mount(JackSummary(id="jack-summary"), JackBoard(self.view, id="jack-board"), legend)
            return
        else:
            raise ValueError(f"no tab {tab!r}")
        pane = Vertical(id=tab) if tab == "journal" else VerticalScroll(id=tab)
        pane.display = False
        switcher.mount(pane)
        pane.mount(body)  # (not as the pane's child at its making: that is mounted only when it composes)

    # -- what the app calls ---------------------------------------------------------------

    def repaint(self) -> None:
        """Hand every tab its fresh slice of the run (cheap: lists of ids, rows drawn lazily)."""
        self.query_one(RunBanner).refresh()
        self.query_one(TaskList).show(self.filtered_tasks())
        active = self._painted_tab = self._active()
        if active == "overview":
            self._overview().repaint()
        elif active == "gate":
            self._gate().repaint()
        elif active == "ports":
            self.query_one("#port-board").refresh(layout=True)
        elif active == "journal":
            self._journal()
        elif active == JACKS:
            self._paint_jacks()

    def _paint_jacks(self) -> None:
        from golive.tui.widgets.jack_board import JackSummary, summary

        rows = self._jack_board().repaint()
        running: set[str] = getattr(self.app, "running_checks", set())
        self.query_one(JackSummary).update(summary(rows, running))

    def _active(self) -> str:
        return self.query_one(ContentSwitcher).current or "tasks"

    def current_task(self) -> str | None:
        active = self._active()
        if active == "gate":
            return self._gate().current_gate()
        if active == "tasks":
            return self.query_one(TaskList).current_task()
        if active == "overview":
            proj = self.view.projection
            doing = self.view.cutover.state.in_state(TaskState.IN_PROGRESS)
            return doing[0].task.id if doing else (proj.next_up[0] if proj.next_up else None)
        if active == "journal":
            journal = self._journal_list()
            if 0 <= journal.cursor < len(journal.events):
                return journal.events[journal.cursor].task
        if active == JACKS:
            row = self._jack_board().current()
            return row.check.task if row is not None and row.check is not None else None
        return None

    def select_task(self, task_id: str) -> None:
        """Put the task list's cursor on `task_id` (when the filters show it)."""
        tasks = self.query_one(TaskList)
        if task_id in tasks.task_ids:
            tasks.cursor = tasks.task_ids.index(task_id)

    def _overview(self) -> Overview:
        from golive.tui.widgets.overview import Overview

        self._pane("overview")
        return self.query_one(Overview)

    def _gate(self) -> GateView:
        from golive.tui.widgets.gate_view import GateView

        self._pane("gate")
        return self.query_one(GateView)

    def _jack_board(self) -> JackBoard:
        from golive.tui.widgets.jack_board import JackBoard

        self._pane(JACKS)
        return self.query_one(JackBoard)

    def _journal_list(self) -> JournalList:
        from golive.tui.widgets.journal_list import JournalList

        self._pane("journal")
        return self.query_one(JournalList)

    # -- filters ---------------------------------------------------------------------------

    def _select(self, widget_id: str) -> str:
        found = self.query(f"#{widget_id}")
        if not found:
            return ""  # not made yet: no filter
        value = found.first(Select).value
        return "" if value is Select.NULL else str(value)

    def _text(self, widget_id: str) -> str:
        found = self.query(f"#{widget_id}")
        return found.first(Input).value.strip().casefold() if found else ""

    def _journal_filters(self) -> None:
        """The journal tab's filters: three widgets the first frame does not show, made on first use."""
        if self.query("#journal-filters"):
            return
        self._pane("journal")
        self._people = sorted({e.actor.name for e in self.view.cutover.events})
        filters = Horizontal(
            Input(placeholder="task or text", id="journal-search", compact=True),
            Select([(k.value, k.value) for k in Kind], prompt="any kind", id="journal-kind", compact=True),
            Select([(Content(p), p) for p in self._people], prompt="anyone", id="journal-person", compact=True),
            classes="filters",
            id="journal-filters",
        )
        self.query_one("#journal").mount(filters, before=self._journal_list())

    def filtered_tasks(self) -> list[str]:
        state = self.view.cutover.state
        text = self._text("task-search")
        wanted, role, phase = self._select("task-state"), self._select("task-role"), self._select("task-phase")
        late = self.view.projection.late
        out = []
        for tid, p in state.tasks.items():
            if wanted == OPEN and p.state in FINISHED:
                continue
            if wanted == LATE and tid not in late:
                continue
            if wanted not in ("", OPEN, LATE) and p.state.value != wanted:
                continue
            if role and p.task.owner != role:
                continue
            if phase and p.phase != phase:
                continue
            if text and text not in tid.casefold() and text not in p.task.title.casefold():
                continue
            out.append(tid)
        return out

    def _journal(self) -> None:
        events = self.view.cutover.events
        people = sorted({e.actor.name for e in events})
        found = self.query("#journal-person")
        person_select = found.first(Select) if found else None
        if person_select is not None and person_select.is_mounted and people != self._people:
            self._people = people
            current = self._select("journal-person")
            person_select.set_options([(p, p) for p in people])
            if current in people:
                person_select.value = current
        text = self._text("journal-search")
        kind, person = self._select("journal-kind"), self._select("journal-person")
        shown = [
            e for e in events
            if (not kind or e.kind.value == kind) and (not person or e.actor.name == person)
            and (not text or text in (e.task or "").casefold() or text in e.payload.to_json().casefold())
        ]  # fmt: skip
        self._journal_list().show(shown)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "task-search":
            self.query_one(TaskList).show(self.filtered_tasks())
        elif event.input.id == "journal-search":
            self._journal()

    def on_select_changed(self, event: Select.Changed) -> None:
        if (event.select.id or "").startswith("task-"):
            self.query_one(TaskList).show(self.filtered_tasks())
        else:
            self._journal()

    # -- actions ---------------------------------------------------------------------------

    def action_tab(self, tab: str) -> None:
        self._pane(tab)
        if tab == "journal":
            self._journal_filters()
        self.query_one(ContentSwitcher).current = tab
        self.query_one(TabBar).active = tab
        if tab != self._painted_tab:
            self.repaint()
        focus = {"tasks": "#task-list", "ports": "#port-board", "journal": "#journal-list", JACKS: "#jack-board"}
        if tab in focus:
            self.set_focus(self.query_one(focus[tab]))  # now: the next key goes to it
        self.refresh_bindings()

    def on_tab_bar_chosen(self, event: TabBar.Chosen) -> None:
        self.action_tab(event.tab)

    def action_search(self) -> None:
        self.action_tab("tasks")
        self.set_focus(self.query_one("#task-search", Input))

    def action_gate(self, step: int) -> None:
        self._gate().cycle(step)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":  # Enter in a search box or on a list of tasks, events or jacks; elsewhere the widget's
            return (self._searching() is not None or self._chosen_task() is not None
                    or self._chosen_event() is not None or self._chosen_jack() is not None)  # fmt: skip
        if action == "tab" and parameters == (JACKS,):
            return self.has_jacks
        if action in ("recheck_jack", "recheck_jacks", "confirm_jack"):
            return self.has_jacks and self._active() == JACKS
        return True

    def _chosen_jack(self) -> JackRow | None:
        """The jack of the board's row, when the jack board is focused."""
        if self.focused is None or self.focused.id != "jack-board":
            return None
        return self._jack_board().current()

    async def open_jack(self, label: str) -> None:
        """The jack's evidence, before and after (golive.tui.screens.jack_detail)."""
        from golive.tui.screens.jack_detail import JackDetailScreen

        await self.app.push_screen(JackDetailScreen(self.view, label))

    def action_recheck_jack(self) -> None:
        """Re-run the jacks check of the jack in view (the engine runs whole checks: every jack it covers)."""
        row = self._jack_board().current()
        if row is None or row.check is None:
            self.notify("no jacks check covers this jack", severity="warning")
            return
        self.app.call_later(self.app.run_action, f"run_checks('{row.check.task}', '{row.check.key}')")

    def action_recheck_jacks(self) -> None:
        """Re-run every jacks check of the runbook (never a snapshot: that is the baseline from before the cut)."""
        from golive.tui.widgets.jack_board import jacks_checks

        for ref in jacks_checks(self.view):
            self.app.call_later(self.app.run_action, f"run_checks('{ref.task}', '{ref.key}')")

    async def action_confirm_jack(self) -> None:
        from golive.tui.screens.confirm_jack import ask

        row = self._jack_board().current()
        if row is not None:
            await ask(self.app, self.view, row.label)

    def _chosen_event(self) -> Event | None:
        """The event of the journal list's row, when the journal list is focused."""
        if self.focused is None or self.focused.id != "journal-list":
            return None
        journal = self._journal_list()
        return journal.events[journal.cursor] if 0 <= journal.cursor < len(journal.events) else None

    async def open_event(self, event: Event) -> None:
        """The event in full (golive.tui.screens.event_detail); `t` there goes on to its task."""
        from golive.tui.screens.event_detail import EventScreen

        tasks = self.view.cutover.runbook.tasks
        title = tasks[event.task].title if event.task in tasks else ""

        def then(task: str | None) -> None:
            if task:
                self.app.call_later(self.app.run_action, f"open_task('{task}')")

        await self.app.push_screen(EventScreen(event, self.view.zone, title), then)

    def _searching(self) -> Input | None:
        focused = self.focused
        return focused if isinstance(focused, Input) and focused.id in ("task-search", "journal-search") else None

    def _chosen_task(self) -> str | None:
        """The task of the focused task list's row."""
        return self.focused.current_task() if isinstance(self.focused, TaskList) else None

    async def action_open(self) -> None:
        """Enter in a search box: the list, filtered by all that was typed, takes the next key. Enter
        on a task row: the task's own screen, open before the next key is read (it goes to that
        screen); on a journal row: the event in full."""
        search = self._searching()
        if search is not None:
            await applied([search])
            if search.id == "task-search":
                tasks = self.query_one(TaskList)
                tasks.show(self.filtered_tasks())
                self.set_focus(tasks)
            else:
                self._journal()
                self.set_focus(self._journal_list())
            return
        event = self._chosen_event()
        if event is not None:
            await self.open_event(event)
            return
        jack = self._chosen_jack()
        if jack is not None:
            await self.open_jack(jack.label)
            return
        task = self._chosen_task()
        if task:
            await self.app.run_action(f"open_task('{task}')")

    def on_virtual_table_chosen(self, event: VirtualTable.Chosen) -> None:
        """A double click on a row (Enter is `open`): a task's screen, or a journal event in full."""
        if event.table.id == "journal-list":
            self.app.call_later(self.open_event, self._journal_list().events[event.index])
            return
        if event.table.id == "jack-board":
            self.app.call_later(self.open_jack, self._jack_board().rows[event.index].label)
            return
        task = event.table.current_task() if isinstance(event.table, TaskList) else None
        if task:
            self.app.call_later(self.app.run_action, f"open_task('{task}')")

    def on_port_board_chosen(self, event: PortBoard.Chosen) -> None:
        history = self.view.ports.get(event.device, {}).get(event.port, [])
        from golive.tui.screens.port_history import PortHistoryScreen

        self.app.push_screen(PortHistoryScreen(event.device, event.port, history, zone=self.view.zone))
