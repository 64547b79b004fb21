"""The port map as executed: one row per jack of the runbook's map, as it was before the cut and
what the latest check made of it. What the PM's change record shows, in every export format.

Why a table of its own: a closet cutover is proven jack by jack, and the record must say so per
jack (the issue "every endpoint back on its jack"), not as one jacks check's pass or fail.

Where each value comes from, the journal and the runbook in force alone:

- the map: jack, endpoint, kind, critical, old and new port, expected VLANs and MAC, extra columns;
- the LATEST `jacks` check result that holds the jack (any task, by journal order): its state,
  where its endpoint was seen, the VLAN it was seen in, the reason line, when (site time) and who
  ran the check. A jack no jacks result holds reads "not checked";
- the `jack_confirmed` events of that result's check: a jack it left not seen and a person
  confirmed reads "confirmed by hand", with who, when and why (golive.progress.jacks.effective,
  the very rule a sign-off obeys);
- the baseline: the snapshot the jacks result was judged against (its `before`), else the latest
  `snapshot` result for the jack.

Only check results and confirmations are read from the journal (the run is not folded), so the
jsonl export can count jacks without the cost of the other tables.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from golive.checks.portmap.judge import mac_key
from golive.export.redact import People
from golive.progress import payloads
from golive.progress.events import Kind
from golive.progress.jacks import ORDER, PROBLEMS, WORDS, JackState, effective
from golive.runbook.portmap import FIELDS, Jack, PortMap
from golive.runbook.portmap_csv import header_key
from golive.store import journal

NOT_CHECKED = "not checked"
NEW_BUILD = "(new build)"  # what a jack with no old port shows for it
GLYPH = {
    JackState.BACK: "✔", JackState.CONFIRMED: "✔", JackState.MISPLUGGED: "✘", JackState.WRONG_VLAN: "✘",
    JackState.NO_POWER: "✘", JackState.UNEXPECTED: "+", JackState.NOT_SEEN: "?",
}  # fmt: skip
NOT_CHECKED_GLYPH = "–"
# the place of "not checked" in the problems-first order: with the jacks nobody could prove
_RANK = {state: n * 2 for n, state in enumerate(ORDER)}
_NOT_CHECKED_RANK = _RANK[JackState.NOT_SEEN] + 1
_KINDS = frozenset({Kind.CHECK_RESULT.value, Kind.JACK_CONFIRMED.value})

MAP_COLUMNS = FIELDS  # the port map's own columns, as golive.runbook.portmap_csv reads them back

RESULT_COLUMNS = (
    "result",  # back, confirmed by hand, misplugged, wrong VLAN, no power, unexpected endpoint, not seen, not checked
    "reason",  # the check's one line for the jack
    "where_seen",  # "device port" where its endpoints' MACs were, "; " between
    "swapped_with",  # the jack whose port it landed on, when the two were crossed
    "vlan_expected",  # the map's VLANs, else its old port's: "120" or "120, voice 121"
    "vlan_seen",  # the VLANs its MACs were seen in on its new port
    "checked_at",  # the latest jacks result's time (site time)
    "checked_by",
    "check",  # that check's key, <task>#<n>
    "lab",  # "yes" when that result came from the lab's simulated devices, not the site's switches
    "confirmed_by",  # for a jack confirmed by hand: who, when (site time), why
    "confirmed_at",
    "confirmed_why",
    "before_macs",  # the snapshot of its old port: MACs with their VLANs, access and voice VLAN, neighbor, PoE
    "before_vlan",
    "before_voice_vlan",
    "before_neighbor",
    "before_poe",
)


_OURS = frozenset(header_key(name) for name in (*MAP_COLUMNS, *RESULT_COLUMNS))


@dataclass(frozen=True)
class Confirmed:
    by: str
    at: datetime  # site time
    reason: str


@dataclass(frozen=True)
class JackRow:
    """One jack of the map as executed (names redacted when the export redacts)."""

    jack: Jack  # the map's own row
    position: int  # in the map's order, from 0
    state: JackState | None  # the effective state; None: no jacks result holds it
    reason: str = ""
    seen: tuple[str, ...] = ()  # "device port" where its endpoints' MACs were
    swapped_with: str = ""
    expected_vlan: int | None = None  # the map's VLAN, else the VLAN it was in before
    expected_voice: int | None = None  # the map's voice VLAN, else the one its old port had
    seen_vlan: str = ""  # the VLANs its MACs were seen in on its new port ("120, 121")
    macs: tuple[str, ...] = ()  # the MACs it was proven by
    check: str = ""  # the jacks check's key "<task>#<n>"
    task: str = ""
    checked_at: datetime | None = None  # site time
    checked_by: str = ""
    lab: bool = False  # the result came from the lab (simulated devices), not the site
    confirmed: Confirmed | None = None
    before: Mapping[str, Any] | None = None  # the old port at the snapshot (a PortSnap)

    @property
    def label(self) -> str:
        return self.jack.jack

    @property
    def result(self) -> str:
        """The state in words: `back`, `misplugged`, `confirmed by hand`, ..., `not checked`."""
        return NOT_CHECKED if self.state is None else WORDS[self.state]

    @property
    def glyph(self) -> str:
        return NOT_CHECKED_GLYPH if self.state is None else GLYPH[self.state]

    @property
    def problem(self) -> bool:
        return self.state in PROBLEMS

    @property
    def expected_vlans(self) -> str:
        """`120`, or `120, voice 121` for a port with a voice VLAN."""
        parts = [str(self.expected_vlan)] if self.expected_vlan is not None else []
        if self.expected_voice is not None:
            parts.append(f"voice {self.expected_voice}")
        return ", ".join(parts)

    @property
    def old(self) -> str:
        return " ".join(self.jack.old) if self.jack.old else ""

    @property
    def new(self) -> str:
        return " ".join(self.jack.new)

    @property
    def rank(self) -> tuple[int, int, int]:
        """Problems first, critical jacks first within a state, then the map's order."""
        rank = _NOT_CHECKED_RANK if self.state is None else _RANK[self.state]
        return rank, 0 if self.jack.critical else 1, self.position

    # -- the snapshot (before) in words ------------------------------------------------------

    @property
    def before_macs(self) -> str:
        macs = (self.before or {}).get("macs") or []
        return ", ".join(
            f"{m.get('mac', '')}" + (f" (VLAN {m['vlan']})" if m.get("vlan") is not None else "")
            for m in macs
            if isinstance(m, dict)
        )

    @property
    def before_vlan(self) -> int | None:
        return _int((self.before or {}).get("access"))

    @property
    def before_voice_vlan(self) -> int | None:
        return _int((self.before or {}).get("voice"))

    @property
    def before_neighbor(self) -> str:
        neighbor = (self.before or {}).get("neighbor")
        if not isinstance(neighbor, dict) or not neighbor.get("name"):
            return ""
        details = [str(neighbor[k]) for k in ("platform", "port") if neighbor.get(k)]
        caps = neighbor.get("caps")
        if isinstance(caps, list) and caps:
            details.append("/".join(str(c) for c in caps))
        return str(neighbor["name"]) + (f" ({', '.join(details)})" if details else "")

    @property
    def before_poe(self) -> str:
        before = self.before or {}
        if "poe" not in before:
            return ""
        poe = before.get("poe")
        if not isinstance(poe, dict) or not poe.get("powered"):
            return "not powered"
        watts = poe.get("watts")
        extra = [f"{watts:g} W"] if isinstance(watts, int | float) else []
        if poe.get("class_"):
            extra.append(f"class {poe['class_']}")
        return "powered" + (f" ({', '.join(extra)})" if extra else "")


@dataclass(frozen=True)
class PortMapExecuted:
    """The map as executed: its rows in map order, and what the exports say about it as a whole."""

    portmap: PortMap
    rows: tuple[JackRow, ...]

    @property
    def extra_columns(self) -> list[str]:
        """The map's extra columns, in its order, but the result columns a map reloaded from an earlier export
        carries (they are that run's results: this export writes its own, not a second set beside them)."""
        return [name for name in self.portmap.columns if header_key(name) not in _OURS]

    @property
    def problems_first(self) -> list[JackRow]:
        return sorted(self.rows, key=lambda r: r.rank)

    @property
    def counts(self) -> dict[str, int]:
        """Jacks per result, in the problems-first order (only the results that occur)."""
        counted = Counter(r.result for r in self.rows)
        order = [*(WORDS[s] for s in ORDER[:-2]), NOT_CHECKED, *(WORDS[s] for s in ORDER[-2:])]  # after not seen
        return {word: counted[word] for word in order if counted[word]}

    @property
    def summary(self) -> str:
        """`12 jacks: 1 misplugged, 1 not seen, 1 confirmed by hand, 9 back`."""
        parts = ", ".join(f"{n} {word}" for word, n in self.counts.items())
        total = len(self.rows)
        return f"{total} jack{'' if total == 1 else 's'}: {parts}"

    @property
    def critical_open(self) -> list[JackRow]:
        """Critical jacks neither back nor confirmed: what holds a sign-off."""
        done = (JackState.BACK, JackState.CONFIRMED)
        return [r for r in self.problems_first if r.jack.critical and r.state not in done]


@dataclass
class _Result:
    seq: int
    check: str
    task: str
    at: datetime
    by: str
    port: payloads.PortResult
    payload: payloads.Checked


def as_executed(portmap: PortMap, rows: Iterable[Mapping[str, Any]], people: People, site: Any) -> PortMapExecuted:
    """The map as executed from the journal `rows` (as stored), names shown through `people`, times on the
    `site` clock (a tzinfo)."""
    labels = {jack.jack for jack in portmap.jacks}
    latest: dict[str, _Result] = {}  # jack -> its latest jacks result
    snaps: dict[str, Mapping[str, Any]] = {}  # jack -> its latest snapshot
    confirmations: dict[tuple[str, str], Confirmed] = {}  # (check, jack) -> the latest confirmation
    for row in rows:
        if row["kind"] not in _KINDS:
            continue
        event = journal.to_event(row)
        payload = people.payload(event.payload)
        who = people.name(str(row["actor_name"]), str(row["actor_initials"]))
        if isinstance(payload, payloads.JackConfirmed):
            confirmations[(payload.check, payload.jack)] = Confirmed(who, event.ts.astimezone(site), payload.reason)
        elif isinstance(payload, payloads.Checked) and payload.kind == "jacks":
            for label, port in payload.ports.items():
                if label in labels:
                    latest[label] = _Result(
                        event.seq, payload.check, event.task or "", event.ts.astimezone(site), who, port, payload
                    )
        elif isinstance(payload, payloads.Checked) and payload.kind == "snapshot":
            for label, port in payload.ports.items():
                if label in labels and port.status == "pass":
                    snaps[label] = port.observed
    states: dict[int, dict[str, tuple[JackState, bool]]] = {}  # per result (its seq): each jack's effective state
    out = []
    for position, jack in enumerate(portmap.jacks):
        found = latest.get(jack.jack)
        if found is None:
            before = snaps.get(jack.jack)
            data, voice = _expected(jack, before)
            out.append(JackRow(jack, position, None, expected_vlan=data, expected_voice=voice, before=before))
            continue
        if found.seq not in states:
            confirmed = {label for check, label in confirmations if check == found.check}
            states[found.seq] = effective(found.payload, confirmed)
        state, _critical = states[found.seq][jack.jack]
        observed = found.port.observed
        before = observed.get("before") or snaps.get(jack.jack)
        data, voice = _expected(jack, before)
        out.append(
            JackRow(
                jack, position, state, reason=found.port.reason,
                seen=tuple(str(s) for s in observed.get("seen") or []),
                swapped_with=str(observed.get("swapped_with") or ""),
                expected_vlan=data, expected_voice=voice,
                seen_vlan=_seen_vlan(observed),
                macs=tuple(str(m) for m in observed.get("macs") or []), check=found.check, task=found.task,
                checked_at=found.at, checked_by=found.by, lab=found.payload.lab,
                confirmed=confirmations.get((found.check, jack.jack)) if state is JackState.CONFIRMED else None,
                before=before if isinstance(before, Mapping) else None,
            )
        )  # fmt: skip
    return PortMapExecuted(portmap, tuple(out))


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _expected(jack: Jack, before: Mapping[str, Any] | None) -> tuple[int | None, int | None]:
    """The data and voice VLANs the jack should be in: the map's, else the ones its old port had."""
    was = before or {}
    data = jack.vlan if jack.vlan is not None else _int(was.get("access"))
    voice = jack.voice_vlan if jack.voice_vlan is not None else _int(was.get("voice"))
    return data, voice


def _seen_vlan(observed: Mapping[str, Any]) -> str:
    """The VLANs the jack's own MACs were seen in on its new port."""
    after = observed.get("after")
    if not isinstance(after, Mapping):
        return ""
    mine = [mac_key(str(m)) for m in observed.get("macs") or []]  # a full MAC, or an OUI prefix
    vlans: list[str] = []
    for seen in after.get("macs") or []:
        if not isinstance(seen, Mapping) or seen.get("vlan") is None:
            continue
        mac = mac_key(str(seen.get("mac", "")))
        if any(mac.startswith(m) for m in mine if m) and str(seen["vlan"]) not in vlans:
            vlans.append(str(seen["vlan"]))
    return ", ".join(vlans)
