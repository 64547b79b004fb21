"""The jack board: every jack of the port map, its cord old -> new, and what its latest check proved.

A closet cutover is proven jack by jack: the technician with the patch cords needs the jacks that
are wrong first (misplugged, wrong VLAN, no power, an unexpected endpoint), then the ones the
switches could not see (a quiet printer or modality: re-check, or confirm by hand), critical jacks
first within each, and the proven ones last. Each state has a glyph AND a word (colour only
helps), so the board reads in a dark closet and in monochrome. 384 jacks are one VirtualTable
(rows drawn as they scroll into view), never a widget per jack.

The rows are derived here from the run state (TaskProgress.jack_results / confirmations), the
journal events (which result is the newest, when two jacks checks cover a jack) and the runbook's
port map; a jack no result covers yet reads "· unchecked".
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.widgets import Static

from golive.progress.jacks import ORDER, JackState, effective, summary_line
from golive.safetext import visible
from golive.tui.widgets.virtual_table import Column, VirtualTable

if TYPE_CHECKING:
    from golive.progress.payloads import Checked, PortResult
    from golive.progress.state import Confirmation
    from golive.runbook.portmap import Jack
    from golive.tui.run_view import RunView

# state -> (glyph, short word, style); None: no result covers the jack yet
LOOK: dict[JackState | None, tuple[str, str, str]] = {
    JackState.MISPLUGGED: ("✘", "misplugged", "bold red"),
    JackState.WRONG_VLAN: ("✘", "wrong VLAN", "bold red"),
    JackState.NO_POWER: ("✘", "no power", "bold red"),
    JackState.UNEXPECTED: ("+", "unexpected", "bold magenta"),
    JackState.NOT_SEEN: ("?", "not seen", "bold yellow"),
    None: ("·", "unchecked", "dim"),
    JackState.CONFIRMED: ("✔", "by hand", "cyan"),
    JackState.BACK: ("✔", "back", "green"),
}
RANK = {state: n for n, state in enumerate(LOOK)}  # ORDER, with "not checked" after "not seen"
assert [s for s in RANK if s is not None] == list(ORDER), "the board lists jacks in the record's order"
CRITICAL = "!"
LEGEND = "✘ wrong  + unexpected  ? not seen  · unchecked  ✔ back or by hand  ! critical"


def look(state: JackState | None) -> Text:
    glyph, word, style = LOOK[state]
    return Text(f"{glyph} {word}", style=style)


@dataclass(frozen=True)
class JacksCheckRef:
    """A jacks check of the runbook: its task, its key, the jacks it covers."""

    task: str
    key: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class JackRow:
    """One jack as the board shows it."""

    label: str
    jack: Jack | None  # None: a label a result holds that the map no longer has
    check: JacksCheckRef | None  # the jacks check its state comes from (or that would check it)
    state: JackState | None
    critical: bool
    port: PortResult | None  # its entry in that check's latest result
    result: Checked | None
    seq: int  # the journal event of that result (0: none)
    confirmation: Confirmation | None

    @property
    def observed(self) -> dict[str, Any]:
        return self.port.observed if self.port is not None else {}

    def ends(self) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
        """(old device, port) and (new device, port) as mapped; None where there is none."""
        if self.jack is not None:
            return self.jack.old, self.jack.new
        return _split(self.observed.get("old")), _split(self.observed.get("new"))

    def route(self, old_device: bool = True, new_device: bool = True) -> str:
        """'old-switch Gi1/0/7 → new-switch Gi1/0/18' (as mapped); without a side's device name when asked
        (a board whose jacks all share it names it once, above the rows), ports then in their short form."""
        old, new = self.ends()
        full = old_device and new_device
        return (
            f"{_end(old, old_device, full) if old else '(new build)'} → {_end(new, new_device, full) if new else '?'}"
        )

    def endpoint(self) -> str:
        if self.jack is not None:
            name, kind = self.jack.endpoint, self.jack.kind
        else:
            name, kind = self.observed.get("endpoint"), self.observed.get("kind")
        return " · ".join(str(part) for part in (name, kind) if part)


# long interface names as the board abbreviates them (display only; the evidence shows them as mapped)
_SHORT = re.compile(r"^(TenGigabitEthernet|Ten-GigabitEthernet|GigabitEthernet|FastEthernet|TwentyFiveGigE|"
                    r"FortyGigabitEthernet|HundredGigE|Ethernet)(?=\d)")  # fmt: skip
_ABBREVIATION = {"TenGigabitEthernet": "Te", "Ten-GigabitEthernet": "XGE", "GigabitEthernet": "Gi",
                 "FastEthernet": "Fa", "TwentyFiveGigE": "Twe", "FortyGigabitEthernet": "Fo", "HundredGigE": "Hu",
                 "Ethernet": "Eth"}  # fmt: skip


def _split(text: object) -> tuple[str, str] | None:
    """'device port' (as the judge writes a jack's ends) as (device, port)."""
    device, _, port = str(text or "").partition(" ")
    return (device, port) if device and port else None


def short_port(port: str) -> str:
    return _SHORT.sub(lambda m: _ABBREVIATION[m.group(1)], port)


def _end(end: tuple[str, str], device: bool, full: bool) -> str:
    if full:
        return f"{end[0]} {end[1]}"
    return f"{end[0]} {short_port(end[1])}" if device else short_port(end[1])


def shared_devices(rows: list[JackRow]) -> tuple[str | None, str | None]:
    """The old device every jack leaves and the new device every jack lands on, when each is one switch."""
    olds = {old[0] for old, _ in (r.ends() for r in rows) if old is not None}
    news = {new[0] for _, new in (r.ends() for r in rows) if new is not None}
    return (olds.pop() if len(olds) == 1 else None), (news.pop() if len(news) == 1 else None)


def jacks_checks(view: RunView) -> list[JacksCheckRef]:
    """Every jacks check of the runbook, in runbook order."""
    portmap = view.cutover.runbook.portmap
    every = tuple(j.jack for j in portmap.jacks) if portmap is not None else ()
    refs = []
    for task in view.cutover.runbook.tasks.values():
        for number, check in enumerate(task.checks, 1):
            if check.kind == "jacks":
                labels = getattr(check, "jacks", None)
                refs.append(JacksCheckRef(task.id, f"{task.id}#{number}", tuple(labels) if labels else every))
    return refs


def jack_rows(view: RunView) -> list[JackRow]:
    """Every jack of the map (and any a result names that the map lost), problems first, critical
    first within a state, then in the map's order."""
    portmap = view.cutover.runbook.portmap
    mapped = portmap.by_label() if portmap is not None else {}
    state = view.cutover.state
    found: dict[str, JackRow] = {}
    order: list[str] = list(mapped)
    for ref in jacks_checks(view):
        progress = state.tasks.get(ref.task)
        result = progress.jack_results.get(ref.key) if progress is not None else None
        seen = view.latest_checks(ref.task).get(ref.key)
        seq = seen[0].seq if seen is not None else 0
        confirmed = progress.confirmations.get(ref.key, {}) if progress is not None else {}
        states = effective(result, confirmed.keys()) if result is not None else {}
        for label in (*ref.labels, *(extra for extra in states if extra not in ref.labels)):
            now = found.get(label)
            if result is not None and label in states and (now is None or now.state is None or seq > now.seq):
                jack_state, critical = states[label]
                found[label] = JackRow(label, mapped.get(label), ref, jack_state, critical, result.ports[label],
                                       result, seq, confirmed.get(label))  # fmt: skip
            elif now is None:
                jack = mapped.get(label)
                found[label] = JackRow(label, jack, ref, None, bool(jack and jack.critical), None, result, seq, None)
            if label not in mapped and label not in order:
                order.append(label)
    for label, jack in mapped.items():  # in the map, but no jacks check covers it
        found.setdefault(label, JackRow(label, jack, None, None, jack.critical, None, None, 0, None))
    position = {label: n for n, label in enumerate(order)}
    return sorted(found.values(), key=lambda r: (RANK[r.state], not r.critical, position.get(r.label, len(order))))


def summary(rows: list[JackRow], running: Collection[str] = ()) -> Text:
    """'30 back · 1 misplugged · 2 not seen (1 critical) · 4 not checked', and what is re-checking."""
    states = {r.label: (r.state, r.critical) for r in rows if r.state is not None}
    old, new = shared_devices(rows)
    text = Text()
    if old or new:  # the switches the rows leave out
        text.append(f"{old} → {new}: " if old and new else f"from {old}: " if old else f"onto {new}: ", style="dim")
    text.append(summary_line(states) if states else "no jack checked yet", style="bold")
    unchecked = [r for r in rows if r.state is None]
    if unchecked and states:
        critical = sum(r.critical for r in unchecked)
        text.append(f" · {len(unchecked)} not checked" + (f" ({critical} critical)" if critical else ""))
    keys = sorted({r.check.key for r in rows if r.check is not None and r.check.key in running})
    if keys:
        text.append(f"   re-checking {', '.join(keys)}…", style="bold cyan")
    notes = {r.check.key: r.result for r in rows if r.check is not None and r.result is not None and not r.result.ports}
    for key, result in notes.items():  # a latest result that judged no jack: say why (a lab down, a timeout)
        text.append(f"\n{key} {result.status}: {visible(result.reason)}", style="magenta")
    return text


class JackSummary(Static):
    """The board's one-line summary (and what is re-checking)."""

    DEFAULT_CSS = "JackSummary { height: auto; padding: 0 1; }"


class JackBoard(VirtualTable):
    """One row per jack; Enter shows its evidence (MainScreen opens golive.tui.screens.jack_detail)."""

    columns: ClassVar[list[Column]] = [
        Column(CRITICAL, 1),
        Column("state", 12),
        Column("jack", 10),
        Column("old → new", 0),
        Column("endpoint", 20, max_table=110),  # (narrow: the name alone)
        Column("endpoint", 0, min_table=110),
        Column("why", 0, min_table=110),
    ]

    def __init__(self, view: RunView, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view
        self.rows: list[JackRow] = []
        self.shared: tuple[str | None, str | None] = (None, None)  # named once, in the header, not per row

    def on_mount(self) -> None:
        self.repaint()

    def repaint(self) -> list[JackRow]:
        """Re-derive the rows; the cursor stays on the jack it was on (rows move as states change)."""
        current = self.current()
        self.rows = jack_rows(self.view)
        self.shared = shared_devices(self.rows)
        if current is not None:
            labels = [r.label for r in self.rows]
            if current.label in labels:
                self.set_reactive(VirtualTable.cursor, labels.index(current.label))
        self.reset_rows()
        self._keep_cursor_visible()
        return self.rows

    def current(self) -> JackRow | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def row_count(self) -> int:
        return len(self.rows)

    def row_cells(self, index: int) -> tuple[list[Text], str]:
        row = self.rows[index]
        endpoint = Text(visible(row.endpoint()))
        name = Text(visible(row.jack.endpoint or row.endpoint())) if row.jack is not None else endpoint
        why = row.port.reason if row.port is not None else ""
        if row.confirmation is not None:
            why = f"by {row.confirmation.actor.name}: {row.confirmation.reason}"
        return [
            Text(CRITICAL if row.critical else "", style="bold red"),
            look(row.state),
            Text(visible(row.label), style="bold" if row.critical else ""),
            Text(visible(row.route(self.shared[0] is None, self.shared[1] is None))),
            name,
            endpoint,
            Text(visible(why), style="dim"),
        ], ""
