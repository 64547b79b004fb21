"""`?`: every key, what it does, and how the screen reads (symbols, marks, the banner)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown

HELP = """\
# golive: keys

**Anywhere**: `?` this help · `ctrl+p` command palette (every action by name) · `q` quit
(everything is already saved: each action is on disk when the screen says so).

**Tabs**: `1` overview · `2` tasks · `3` gate · `4` ports · `5` journal · `6` jacks (with a port map).

**On a task** (task list or task detail):

| key | action |
|---|---|
| `enter` | open the task: instructions, checks, evidence |
| `s` | start it |
| `c` | run all its checks · `r` re-run the selected check (task detail) |
| `o` | sign off (name, initials, role, comment; every check passed, or overridden) |
| `v` | override failed or unrun checks (a reason and a second person) |
| `x` / `b` / `f` | skip / block / fail, with a reason |
| `u` | unblock (clear a block or failure) |
| `z` | revoke a sign-off (a new event; nothing is edited) |
| `n` | note (on the task, or on the run) |
| `R` | start a rollback plan |
| `w` | change operator at a shift change (journaled as a handover) |
| `e` | raw evidence of the selected check (task detail) |

**Task list**: `/` search · the selects above the list filter by state, role and phase.
**Gate**: `[` `]` other gates. **Ports**: arrows move, `enter` shows a port's history.
**Journal**: `enter` shows the event in full (reason, approver, role, every field); `t` there opens its task.
**Jacks** (`6`, when the runbook has a port map): every jack old → new, problems and critical (`!`) first;
`enter` its evidence, before and after · `r` re-check it (its whole jacks check) · `A` re-check every jacks
check · `h` confirm by hand a jack the switches left not seen (what you saw, journaled with your name).

## Reading the screen

States: `·` pending, `▶` ready, `◐` in progress, `✔` done, `↷` skipped, `⛔` blocked, `✘` failed.
Jacks: `✘` misplugged, wrong VLAN or no power · `+` an unexpected endpoint · `?` not seen (a quiet device:
re-check, or confirm by hand) · `·` unchecked · `✔` back, or confirmed by hand (cyan, "by hand").
Check results: `✔` pass, `✘` fail (the device answered, the expectation did not hold),
`!` error (we could not tell: unreachable, timeout, credentials), `~` simulated (rehearsal
without a lab: never a pass). `LATE` marks late tasks in words as well as red.

The banner says **LIVE** or **REHEARSAL** in words; a rehearsal is never the night. Its second
line starts with the verdict: `✔ 25m to spare` (on track), `▲ AT RISK` (less than 15 minutes to
spare, or a task on the critical path overdue), `■ STOPPED` (a failed or blocked task on the
critical path: the overview says which, why and who) or `■ OFF TRACK` (past the window's end).
Every time on screen is site time, in the zone of the runbook's window (shown beside the clock).
"""


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 100%; height: 90%; border: thick $accent;
                                  background: $surface; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "dismiss", "Close help")]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(HELP)
        yield Footer()
