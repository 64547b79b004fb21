"""One jack's evidence: what its old port was BEFORE the cut, beside what its new port shows AFTER.

"Misplugged" at 3 a.m. is only useful with the why next to it: the old port's status, VLANs, MACs,
neighbor and PoE from the snapshot, and where those MACs are now, side by side. Everything here
came from a device, a CSV or a person, so it is shown as text (golive.safetext), never as markup.
`r` re-checks the jack (its whole jacks check, journaled like every check) and `h` confirms by
hand a jack the switches left not seen; the screen repaints as the result lands.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Static

from golive.progress.jacks import WORDS
from golive.safetext import visible
from golive.tui.format import clock
from golive.tui.run_view import RunView
from golive.tui.screens.run_screen import RunScreen
from golive.tui.widgets.jack_board import JackRow, jack_rows, look
from golive.tui.widgets.run_banner import RunBanner

NOT_READ = "not read"


def _macs(macs: list[Any]) -> list[str]:
    out = []
    for mac in macs:
        if isinstance(mac, Mapping):
            vlan = mac.get("vlan")
            out.append(f"  {mac.get('mac', '?')}" + (f"  vlan {vlan}" if vlan is not None else ""))
        else:
            out.append(f"  {mac}")
    return out


def port_lines(snap: Mapping[str, Any] | None) -> list[str]:
    """A PortSnap in words, one fact a line; a key the platform did not report says 'not read'."""
    if not snap:
        return [NOT_READ]
    lines = [f"{snap.get('device', '?')} {snap.get('port', '?')}"]
    if "status" in snap or "up" in snap:
        up = snap.get("up")
        lines.append(f"status: {snap.get('status') or '—'}" + ("" if up is None else (" (up)" if up else " (down)")))
    if "mode" in snap or "access" in snap or "voice" in snap:
        # the mode is absent where it cannot be read (SNMP off a non-VTP platform), not "—"
        bits = [f"mode {snap.get('mode') or '—'}"] if "mode" in snap else []
        bits.append(f"VLAN {snap.get('access') or '—'}")
        if snap.get("voice") is not None:
            bits.append(f"voice {snap['voice']}")
        lines.append(" · ".join(bits))
    if "macs" in snap:
        macs = snap.get("macs") or []
        lines.append(f"MACs: {len(macs)}" if macs else "MACs: none")
        lines.extend(_macs(macs[:8]))
        if len(macs) > 8:
            lines.append(f"  … and {len(macs) - 8} more")
    else:
        lines.append(f"MACs: {NOT_READ}")
    if "neighbor" in snap:
        n = snap.get("neighbor")
        if n:
            extra = " ".join(str(x) for x in (n.get("platform"), n.get("port")) if x)
            caps = ", ".join(str(c) for c in n.get("caps") or [])
            lines.append(f"neighbor: {n.get('name', '?')} {extra}".rstrip() + (f" [{caps}]" if caps else ""))
        else:
            lines.append("neighbor: none")
    if "poe" in snap:
        poe = snap.get("poe")
        if poe:
            watts = f" {poe['watts']} W" if poe.get("watts") is not None else ""
            klass = f" class {poe['class_']}" if poe.get("class_") else ""
            lines.append(f"PoE: {'powered' if poe.get('powered') else 'not powered'}{watts}{klass}")
        else:
            lines.append("PoE: none")
    return lines


class JackDetailScreen(RunScreen):
    DEFAULT_CSS = """
    JackDetailScreen #jack-head { height: auto; padding: 0 1; background: $boost; }
    JackDetailScreen #jack-sides { height: 1fr; }
    JackDetailScreen .jack-side { width: 1fr; height: 1fr; border: round $accent; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", priority=True),
        Binding("r", "recheck", "Re-check", priority=True),
        Binding("h", "confirm", "Confirm by hand", priority=True),
    ]

    def __init__(self, view: RunView, label: str) -> None:
        super().__init__()
        self.view = view
        self.label = label

    def row(self) -> JackRow | None:
        return next((r for r in jack_rows(self.view) if r.label == self.label), None)

    def compose(self) -> ComposeResult:
        yield RunBanner(self.view)
        yield Static(id="jack-head")
        with Horizontal(id="jack-sides"):
            with VerticalScroll(classes="jack-side", id="jack-before") as before:
                before.border_title = "BEFORE (snapshot of the old port)"
                yield Static(id="before-body")
            with VerticalScroll(classes="jack-side", id="jack-after") as after:
                after.border_title = "AFTER (the new port, this check)"
                yield Static(id="after-body")
        yield Footer()

    def on_mount(self) -> None:
        self.repaint()

    def current_task(self) -> str | None:
        row = self.row()
        return row.check.task if row is not None and row.check is not None else None

    def repaint(self) -> None:
        for banner in self.query(RunBanner):
            banner.refresh()
        row = self.row()
        if row is None:
            self.query_one("#jack-head", Static).update(Text(f"no jack {visible(self.label)} in this run"))
            return
        self.query_one("#jack-head", Static).update(self._head(row))
        self.query_one("#before-body", Static).update(Text("\n".join(visible(x) for x in self._before(row))))
        self.query_one("#after-body", Static).update(Text("\n".join(visible(x) for x in self._after(row))))

    def _head(self, row: JackRow) -> RenderableType:
        line = Text.assemble(look(row.state))  # (its colour on the glyph and word only)
        if row.critical:
            line.append("  CRITICAL", style="bold red")
        line.append(f"  jack {visible(row.label)}", style="bold")
        line.append(f"  {visible(row.route())}")
        lines: list[RenderableType] = [line]
        if row.endpoint():
            lines.append(Text(f"endpoint: {visible(row.endpoint())}"))
        if row.check is None:
            lines.append(Text("no jacks check in the runbook covers this jack", style="dim"))
        else:
            running = row.check.key in getattr(self.app, "running_checks", set())
            where = f"{row.check.key} (task {row.check.task})"
            if running:
                lines.append(Text(f"re-checking {where}…", style="bold cyan"))
            elif row.result is None or row.seq == 0:
                lines.append(Text(f"{where}: not run yet (r: run it)", style="dim"))
            else:
                seen = self.view.latest_checks(row.check.task).get(row.check.key)
                when = f" #{seen[0].seq} at {clock(seen[0].ts, self.view.zone)} by {seen[0].actor}" if seen else ""
                lines.append(Text(f"{where}, result{when}", style="dim"))
        if row.port is not None and row.port.reason:
            lines.append(Text(f"why: {visible(row.port.reason)}", style="bold"))
        if row.confirmation is not None:
            c = row.confirmation
            lines.append(Text(f"{WORDS[row.state] if row.state else ''} by {visible(str(c.actor))} at "
                              f"{clock(c.at, self.view.zone)}: {visible(c.reason)}", style="cyan"))  # fmt: skip
        return Group(*lines)

    def _before(self, row: JackRow) -> list[str]:
        before = row.observed.get("before")
        if before is None and row.check is not None:
            before = self._snapshot(row)
        if row.jack is not None and row.jack.old is None:
            return ["a new build: no old port", *(port_lines(before) if before else [])]
        return port_lines(before)

    def _snapshot(self, row: JackRow) -> Mapping[str, Any] | None:
        """The jack's old port in the latest snapshot that read it, when the jacks result did not carry it
        (the export's rule: golive.export.portmap)."""
        latest: tuple[int, Mapping[str, Any]] | None = None
        for results in self.view.checks.values():
            for event, result in results.values():
                port = result.ports.get(row.label) if result.kind == "snapshot" else None
                if port is not None and port.status == "pass" and (latest is None or event.seq > latest[0]):
                    latest = (event.seq, port.observed)
        return (latest[1] or None) if latest is not None else None

    def _after(self, row: JackRow) -> list[str]:
        o = row.observed
        if row.port is None:
            return ["not checked yet"]
        lines = port_lines(o.get("after"))
        seen = o.get("seen") or []
        lines.append("")
        lines.append("its MACs now on: " + (", ".join(str(s) for s in seen) if seen else "no switch"))
        if o.get("swapped_with"):
            lines.append(f"swapped with jack {o['swapped_with']}")
        if o.get("macs"):
            lines.append("proven by: " + ", ".join(str(m) for m in o["macs"]))
        expected = [f"VLAN {o['expected_vlan']}"] if o.get("expected_vlan") else []
        if o.get("expected_voice"):
            expected.append(f"voice {o['expected_voice']}")
        if expected:
            lines.append("expected: " + " · ".join(expected))
        return lines

    def action_recheck(self) -> None:
        row = self.row()
        if row is None or row.check is None:
            self.notify("no jacks check covers this jack", severity="warning")
            return
        self.app.call_later(self.app.run_action, f"run_checks('{row.check.task}', '{row.check.key}')")

    async def action_confirm(self) -> None:
        from golive.tui.screens.confirm_jack import ask

        await ask(self.app, self.view, self.label)
