"""One task: where it stands, its instructions (Markdown), and its checks filling in live.

The screen the technician keeps open while working a step: the banner still says LIVE or
REHEARSAL, the header says what holds the task and who has signed, the checks table shows each
result as it lands, and Enter on a check shows the switch's own output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Markdown, Static

from golive.progress import payloads
from golive.safetext import visible
from golive.tui.format import RESULT_MARK, clock, duration, state_text
from golive.tui.run_view import RunView
from golive.tui.screens.evidence import EvidenceScreen
from golive.tui.screens.run_screen import TaskView
from golive.tui.widgets.check_table import CheckTable, in_words
from golive.tui.widgets.run_banner import RunBanner

if TYPE_CHECKING:
    from golive.runbook.schema import Task


FAILED_LINES = 3


class TaskHeader(Static):
    """The task's state in words: owner, planned vs actual, what holds it, which checks failed and
    how (wrapped, so it reads whole at 80 columns), who signed."""

    DEFAULT_CSS = "TaskHeader { height: auto; padding: 0 1; background: $boost; }"

    def __init__(self, view: RunView, task_id: str) -> None:
        super().__init__()
        self.view = view
        self.task_id = task_id

    def repaint(self) -> None:
        self.update(self.build())

    def build(self) -> RenderableType:
        p = self.view.progress(self.task_id)
        task = p.task
        rule = task.signoff_rule()
        line1 = Text.assemble(state_text(p.state), (f"  {task.id}", "bold"), f"  {task.title}")
        if task.gate:
            line1.append("  GO/NO-GO GATE", style="bold reverse")
        bits = [f"owner {task.owner or '—'}", f"plan {duration(task.duration)}"]
        if p.started_at:
            bits.append(f"started {clock(p.started_at, self.view.zone)}")
        if p.actual_seconds is not None:
            bits.append(f"took {duration(p.actual_seconds)}")
        bits.append("sign-off: " + (", ".join(rule.roles) or "any role"))
        lines: list[RenderableType] = [line1, Text(" · ".join(bits), style="dim")]
        late = self.view.projection.late.get(self.task_id)
        if late:
            lines.append(Text(f"LATE: {late}", style="bold red"))
        if p.waiting_for:
            lines.append(Text("waiting for " + ", ".join(p.waiting_for), style="yellow"))
        if p.reason:
            lines.append(Text(f"{p.state.value}: {p.reason}", style="bold red"))
        if p.checks_failed and not p.overridden:
            failed = [r for _, r in self.view.latest_checks(self.task_id).values() if r.failed]
            for result in failed[:FAILED_LINES]:
                mark = f"{RESULT_MARK[result.status]} #{result.index} {result.kind} {result.device or ''}: "
                lines.append(Text.assemble((mark, "bold red"), (in_words(result), "bold")))
            more = f"{len(failed) - FAILED_LINES} more; " if len(failed) > FAILED_LINES else ""
            lines.append(Text(f"{p.checks_failed} check(s) failed or errored ({more}e: evidence): "
                              "re-run (r/c) or override (v)", style="bold red"))  # fmt: skip
        elif p.overridden:
            lines.append(self._override())
        if p.signoffs:
            zone = self.view.zone
            who = ", ".join(f"{s.actor.name} ({s.actor.initials}) as {s.actor.role} {clock(s.ts, zone)}"
                            for s in p.signoffs)  # fmt: skip
            lines.append(Text(f"signed: {who}", style="green"))
        return Group(*lines)

    def _override(self) -> Text:
        """Who overrode the failed checks, who approved, and why: in full (it wraps)."""
        event = self.view.overrides.get(self.task_id)
        text = Text("failed checks OVERRIDDEN", style="bold magenta")
        if event is None or not isinstance(event.payload, payloads.Overridden):
            return text
        approver = event.payload.approver
        role = f" as {approver.role}" if approver.role else ""
        who = f"{approver.name or '?'} ({approver.initials or '?'}){role}"
        text.append(f" by {event.actor} at {clock(event.ts, self.view.zone)}, approved by {who}: ")
        text.append(visible(event.payload.reason, multiline=True))
        return text


class TaskScreen(TaskView):
    DEFAULT_CSS = """
    TaskScreen #instructions { height: auto; max-height: 50%; padding: 0 1; }
    TaskScreen #no-checks { color: $text-muted; padding: 0 1; }
    """
    # priority, as the app's keys (golive.tui.keys): back to the list, then a move typed after it, moves the list
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", priority=True),
        Binding("r", "rerun_one", "Re-run check", priority=True),
        Binding("e", "evidence", "Evidence", priority=True),
    ]

    def __init__(self, view: RunView, task_id: str) -> None:
        super().__init__()
        self.view = view
        self.task_id = task_id

    def _validated_task(self) -> Task:
        return self.view.cutover.runbook.tasks[self.task_id]

    def compose(self) -> ComposeResult:
        task = self._validated_task()
        yield RunBanner(self.view)
        yield TaskHeader(self.view, self.task_id)
        with VerticalScroll(id="instructions"):
            yield Markdown(task.instructions or "_No instructions in the runbook for this task._")
        if task.checks:
            yield CheckTable(self.view, self.task_id, id="checks")
        else:
            yield Static("This task has no checks.", id="no-checks")
        yield Footer()

    def on_mount(self) -> None:
        self.repaint()
        if self._validated_task().checks:
            self.query_one(CheckTable).focus()

    def current_task(self) -> str:
        return self.task_id

    def repaint(self) -> None:
        self.query_one(TaskHeader).repaint()
        running: set[str] = getattr(self.app, "running_checks", set())
        for table in self.query(CheckTable):
            table.repaint(running)
        for banner in self.query(RunBanner):
            banner.refresh()

    def action_rerun_one(self) -> None:
        tables = self.query(CheckTable)
        key = tables.first().current_key() if tables else None
        if key is not None:
            self.app.call_later(self.app.run_action, f"run_checks('{self.task_id}', '{key}')")

    def action_evidence(self) -> None:
        tables = self.query(CheckTable)
        key = tables.first().current_key() if tables else None
        seen = self.view.latest_checks(self.task_id).get(key or "")
        if seen is None:
            self.notify("no result for this check yet: run it with r or c", severity="warning")
            return
        self.app.push_screen(EvidenceScreen(*seen, zone=self.view.zone))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_evidence()
