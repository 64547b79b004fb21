"""The go / no-go gate: what passed, what failed, what is still open, and who must still sign.

Everything that stands before the gate (its dependencies, followed back, and the gates before
it) is sorted into those three piles; the gate's sign-off rule is spelled out role by role with
who has signed. The people at the go/no-go call read this screen together.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from golive.progress.state import FINISHED, SYMBOL, TaskProgress, TaskState
from golive.tui.format import STYLE, bar, state_text
from golive.tui.run_view import RunView

LIST_ROWS = 12


def before(view: RunView, gate: str) -> list[str]:
    """Every task that must finish before `gate`, in runbook order."""
    state = view.cutover.state
    seen: set[str] = set()
    stack = list(state.tasks[gate].task.after) + sorted(state.gates.get(gate, set()))
    while stack:
        tid = stack.pop()
        if tid in seen:
            continue
        seen.add(tid)
        stack.extend(state.tasks[tid].task.after)
        stack.extend(state.gates.get(tid, ()))
    return [tid for tid in state.tasks if tid in seen]


def signoff_lines(progress: TaskProgress) -> list[Text]:
    """The gate's rule, one line per role: signed by whom, or still needed."""
    task = progress.task
    rule = task.signoff_rule()
    lines = []
    for role in rule.roles or ["(any role)"]:
        by = [s for s in progress.signoffs if role in (s.actor.role, "(any role)")]
        if by:
            who = ", ".join(f"{s.actor.name} ({s.actor.initials})" for s in by)
            lines.append(Text.assemble(("  ✔ ", "bold green"), f"{role}: signed by {who}"))
        else:
            lines.append(Text.assemble(("  ✘ ", "bold red"), f"{role}: NOT SIGNED YET"))
    people = {s.actor.person for s in progress.signoffs}
    need = task.people_needed()
    distinct = "different people" if rule.distinct else "sign-offs"
    lines.append(Text(f"  {len(people)} of {need} {distinct}", style="dim"))
    return lines


class GateView(Static):
    DEFAULT_CSS = "GateView { height: auto; padding: 0 1; }"

    def __init__(self, view: RunView, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view
        self.gate: str | None = None

    def current_gate(self) -> str | None:
        gates = self.view.gates()
        if self.gate not in gates:
            open_gates = self.view.open_gates()
            self.gate = open_gates[0] if open_gates else (gates[-1] if gates else None)
        return self.gate

    def cycle(self, step: int) -> None:
        gates = self.view.gates()
        if gates:
            current = self.current_gate()
            index = gates.index(current) if current in gates else 0
            self.gate = gates[(index + step) % len(gates)]
            self.repaint()

    def repaint(self) -> None:
        self.update(self.build())

    def build(self) -> RenderableType:
        gate = self.current_gate()
        if gate is None:
            return Text("This runbook has no go / no-go gate.")
        state = self.view.cutover.state
        progress = state.tasks[gate]
        gates = self.view.gates()
        head = Text.assemble(
            ("GO / NO-GO ", "bold reverse"),
            (f" {gate} ", "bold"),
            progress.task.title,
            "  ",
            state_text(progress.state),
            (f"   gate {gates.index(gate) + 1} of {len(gates)}: [ and ] for others", "dim"),
        )
        ids = before(self.view, gate)
        passed, failed, open_ = [], [], []
        for tid in ids:
            p = state.tasks[tid]
            if p.state in (TaskState.FAILED, TaskState.BLOCKED) or (p.checks_failed and not p.overridden):
                failed.append(p)
            elif p.state in FINISHED:
                passed.append(p)
            else:
                open_.append(p)
        parts: list[RenderableType] = [head, Text(f"{bar(len(passed), len(ids), 20)} {len(passed)}/{len(ids)} "
                                                  "tasks before the gate are finished")]  # fmt: skip
        parts.append(Text("Sign-offs the gate needs", style="bold"))
        parts.extend(signoff_lines(progress))
        if progress.checks_failed and not progress.overridden:
            parts.append(Text("  the gate's own checks failed: override (v) before signing", style="bold red"))
        parts.append(self._pile(f"✘ FAILED or blocked ({len(failed)})", failed, "bold red", why=True))
        parts.append(self._pile(f"· OPEN ({len(open_)})", open_, "bold yellow", why=True))
        parts.append(self._pile(f"✔ PASSED ({len(passed)})", passed, "bold green", why=False))
        return Group(*parts)

    def _pile(self, title: str, rows: list[TaskProgress], style: str, *, why: bool) -> RenderableType:
        table = Table(title=title, title_justify="left", title_style=style, box=None, expand=True, show_header=False)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True, overflow="ellipsis", ratio=1)
        table.add_column(no_wrap=True, overflow="ellipsis", ratio=1)
        for p in rows[:LIST_ROWS]:
            if p.checks_failed and not p.overridden:
                detail = f"{p.checks_failed} check(s) failed"
            elif p.reason:
                detail = p.reason
            elif p.overridden:
                detail = "failed checks overridden"
            elif p.signoffs:
                detail = "signed: " + ", ".join(s.actor.initials for s in p.signoffs)
            else:
                detail = p.state.value.replace("_", " ")
            table.add_row(
                Text(f"{SYMBOL[p.state]} {p.task.id}", style=STYLE[p.state]),
                Text(p.task.title),
                Text(detail if why or p.signoffs else ""),
            )
        if len(rows) > LIST_ROWS:
            table.add_row(Text(f"… and {len(rows) - LIST_ROWS} more (task list, filter by state)", style="dim"))
        return table
