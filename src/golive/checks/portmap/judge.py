"""Every jack proven by its endpoints' MACs: the snapshot before the cut, the verdict after it.

Why keyed by MAC and not by port: after a re-patch the question is where each endpoint went, not
what one interface says. A MAC from the snapshot (or the map's expected MAC for a new build) is
looked up in every device's MAC table at once: on its mapped new port it is back (then its VLAN,
power and neighbor are compared with before); on another access port it is misplugged, named
with the jack that port belongs to, so two crossed cords read as a swap; on the old switch it
was not moved; nowhere, it is not seen, which is never a pass (many printers and modalities stay
quiet until used). MACs learned behind an uplink (a trunk, or a port carrying many MACs) say
nothing about where an endpoint is plugged and are ignored. Pure: tables in, outcomes out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from golive.checks.ifnames import canonical
from golive.checks.portmap.tables import DeviceTables
from golive.checks.results import PortOutcome, Status
from golive.progress.jacks import ORDER, PROBLEMS, WORDS, JackObserved, JackState, MacSeen, PortSnap
from golive.runbook.portmap import Jack

UPLINK_MACS = 5  # an unmapped port with this many MACs or more is an uplink, not a misplugged cord
STATUS = {JackState.BACK: Status.PASS, JackState.NOT_SEEN: Status.ERROR, JackState.CONFIRMED: Status.PASS}


def mac_key(text: str) -> str:
    """A MAC or OUI prefix as bare lower-case hex: what MACs are compared on, whatever the spelling."""
    return "".join(ch for ch in text.lower() if ch in "0123456789abcdef")


def _colon(hexdigits: str) -> str:
    return ":".join(hexdigits[i : i + 2] for i in range(0, len(hexdigits), 2))


@dataclass(frozen=True)
class _Place:
    device: str
    port: str  # canonical
    vlan: int | None

    def text(self, index: _Index) -> str:
        return f"{self.device} {index.spelled.get((self.device, self.port), self.port)}"


@dataclass
class _Index:
    """Where every MAC is, which jack each port belongs to, and which ports are uplinks."""

    tables: Mapping[str, DeviceTables]
    places: dict[str, list[_Place]] = field(default_factory=dict)  # mac hex -> where it is learned
    spelled: dict[tuple[str, str], str] = field(default_factory=dict)  # (device, canonical port) -> as printed
    on_port: dict[tuple[str, str], list[tuple[str, int | None]]] = field(default_factory=dict)
    new_owner: dict[tuple[str, str], str] = field(default_factory=dict)  # (device, port) -> jack label
    old_owner: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def build(cls, jacks: list[Jack], tables: Mapping[str, DeviceTables]) -> _Index:
        index = cls(tables)
        for jack in jacks:
            index.new_owner[(jack.new_device, canonical(jack.new_port))] = jack.jack
            if jack.old is not None:
                index.old_owner[(jack.old[0], canonical(jack.old[1]))] = jack.jack
        for device, table in tables.items():
            for row in table.macs:
                hexmac = mac_key(row.mac)
                index.places.setdefault(hexmac, []).append(_Place(device, canonical(row.port), row.vlan))
                index.on_port.setdefault((device, canonical(row.port)), []).append((hexmac, row.vlan))
                index.spelled.setdefault((device, canonical(row.port)), row.port)
            for key, snap in table.ports.items():
                if snap.get("port"):
                    index.spelled[(device, key)] = str(snap["port"])
        return index

    def edge(self, place: _Place) -> bool:
        """Whether a MAC there says where a cord is: a mapped port, or an access port with few MACs."""
        key = (place.device, place.port)
        if key in self.new_owner or key in self.old_owner:
            return True
        snap: Mapping[str, Any] = self.tables[place.device].ports.get(place.port) or {}
        if str(snap.get("mode") or "").lower() == "trunk":
            return False
        caps = {str(c).lower() for c in (snap.get("neighbor") or {}).get("caps") or []}
        if caps & {"bridge", "router", "switch"} and not caps & {"phone", "ap", "wlan"}:
            return False  # another switch or a router: what is behind it is not plugged here
        return len(self.on_port.get(key, [])) < UPLINK_MACS

    def snap(self, device: str, port: str) -> PortSnap | None:
        """The port as read, its MACs filled in from the device's MAC table; None when not read."""
        table = self.tables.get(device)
        if table is None or table.error:
            return None
        key = canonical(port)
        snap: PortSnap = dict(table.ports.get(key, {}))  # type: ignore[assignment]
        snap.setdefault("device", device)
        snap.setdefault("port", self.spelled.get((device, key), port))
        snap["macs"] = [MacSeen(mac=_colon(m), vlan=v) for m, v in self.on_port.get((device, key), [])]
        return snap


def snapshot_outcomes(jacks: list[Jack], tables: Mapping[str, DeviceTables]) -> dict[str, PortOutcome]:
    """Each mapped old port as its device reported it (keyed by jack label): the baseline."""
    index = _Index.build(jacks, tables)
    outcomes: dict[str, PortOutcome] = {}
    for jack in jacks:
        if jack.old is None:
            continue
        device, port = jack.old
        table = tables.get(device)
        if table is None:
            outcomes[jack.jack] = PortOutcome(Status.ERROR, {}, f"{device} was not read")
        elif table.error:
            outcomes[jack.jack] = PortOutcome(Status.ERROR, {}, f"{device} could not be read: {table.error}")
        elif canonical(port) not in table.ports and not index.on_port.get((device, canonical(port))):
            outcomes[jack.jack] = PortOutcome(Status.ERROR, {}, f"{port} is not in {device}'s tables: check its name")
        else:
            snap = index.snap(device, port)
            outcomes[jack.jack] = PortOutcome(Status.PASS, dict(snap or {}), "")
    return outcomes


def snapshot_summary(outcomes: Mapping[str, PortOutcome]) -> tuple[Status, str]:
    read = [o for o in outcomes.values() if o.status is Status.PASS]
    with_macs = sum(bool(o.observed.get("macs")) for o in read)
    errors = [label for label, o in outcomes.items() if o.status is not Status.PASS]
    text = f"{len(read)} old port(s) read: {with_macs} with an endpoint, {len(read) - with_macs} quiet"
    if errors:
        first = outcomes[errors[0]].reason
        return Status.ERROR, f"{text}; {len(errors)} not read (jack {errors[0]}: {first})"
    return Status.PASS, text


@dataclass
class _Verdict:
    state: JackState
    reason: str
    seen: list[str] = field(default_factory=list)
    swapped_with: str | None = None


def judge_jacks(
    jacks: list[Jack], baseline: Mapping[str, Mapping[str, Any]] | None, tables: Mapping[str, DeviceTables]
) -> dict[str, PortOutcome]:
    """Each jack's verdict (keyed by label): problems first, critical first within a state, then map order.
    `baseline`: the snapshot result's per-jack observed (a PortSnap each), None when there was no snapshot."""
    index = _Index.build(jacks, tables)
    expected = {jack.jack: _expected(jack, (baseline or {}).get(jack.jack)) for jack in jacks}
    owner_of_mac = {mac: label for label, macs in expected.items() for mac in macs if len(mac) == 12}
    outcomes: dict[str, PortOutcome] = {}
    for jack in jacks:
        before = (baseline or {}).get(jack.jack)
        verdict = _judge_one(jack, before, expected, owner_of_mac, index)
        after = index.snap(*jack.new)
        observed = JackObserved(
            state=verdict.state.value, critical=jack.critical, endpoint=jack.endpoint, kind=jack.kind,
            old=" ".join(jack.old) if jack.old else None, new=" ".join(jack.new), seen=verdict.seen,
            swapped_with=verdict.swapped_with, macs=[_colon_any(m) for m in expected[jack.jack]],
            expected_vlan=jack.vlan, expected_voice=jack.voice_vlan,
            before=dict(before) if before is not None else None, after=after,  # type: ignore[typeddict-item]
        )  # fmt: skip
        outcomes[jack.jack] = PortOutcome(STATUS.get(verdict.state, Status.FAIL), dict(observed), verdict.reason)
    position = {jack.jack: n for n, jack in enumerate(jacks)}
    critical = {jack.jack: jack.critical for jack in jacks}

    def order(label: str) -> tuple[int, int, int]:
        state = JackState(outcomes[label].observed["state"])
        return ORDER.index(state), 0 if critical[label] else 1, position[label]

    return {label: outcomes[label] for label in sorted(outcomes, key=order)}


def _expected(jack: Jack, before: Mapping[str, Any] | None) -> dict[str, int | None]:
    """The MACs (bare hex; a shorter one is an OUI prefix) a jack is proven by, each with the VLAN it should be in
    (None: any). From the snapshot: the VLAN it was in, unless the map names the data or voice VLAN."""
    macs: dict[str, int | None] = {}
    if before is not None:
        voice_before = before.get("voice")
        for seen in before.get("macs") or []:
            vlan = seen.get("vlan")
            if vlan is not None and vlan == voice_before and jack.voice_vlan is not None:
                vlan = jack.voice_vlan
            elif jack.vlan is not None and vlan != voice_before:
                vlan = jack.vlan
            macs[mac_key(str(seen.get("mac", "")))] = vlan
    if jack.mac is not None:
        vlan = jack.voice_vlan if jack.kind == "phone" and jack.voice_vlan is not None else jack.vlan
        macs.setdefault(mac_key(jack.mac), vlan)
    return {mac: vlan for mac, vlan in macs.items() if mac}


def _judge_one(
    jack: Jack,
    before: Mapping[str, Any] | None,
    expected: Mapping[str, Mapping[str, int | None]],
    owner_of_mac: Mapping[str, str],
    index: _Index,
) -> _Verdict:
    tables = index.tables
    new_table = tables.get(jack.new_device)
    if new_table is None or new_table.error:
        why = new_table.error if new_table is not None else "not read"
        return _Verdict(JackState.NOT_SEEN, f"{jack.new_device} could not be read: {why}")
    home = (jack.new_device, canonical(jack.new_port))
    mine = expected[jack.jack]
    at_home: dict[str, int | None] = {}  # my MACs on my new port: mac -> vlan seen
    away: dict[str, _Place] = {}  # my MACs seen elsewhere (and not at home)
    for mac in mine:
        places = [p for p in _find(mac, index) if index.edge(p)]
        here = [p for p in places if (p.device, p.port) == home]
        if here:
            at_home[mac] = here[0].vlan
        elif places and len(mac) == 12:  # an OUI elsewhere is another endpoint of the same vendor
            away[mac] = _most_telling(places, jack, index)
    busy = _busy_port(jack, before)
    strangers = [
        (mac, vlan) for mac, vlan in index.on_port.get(home, []) if not any(mac.startswith(m) for m in mine)
    ] if not busy else []  # fmt: skip
    if not at_home and (by_name := _by_neighbor(jack, before, index)) is not None:
        if by_name != home:
            verdict = _misplugged(jack, {"": _Place(*by_name, None)}, expected, owner_of_mac, index)
            verdict.reason += " (found by its CDP/LLDP name)"
            return verdict
        at_home[""] = None  # its phone or AP answers by name on its port, its MAC not learned yet
    if not at_home and away and (not busy or _mostly_one_place(away, len(mine))):
        return _misplugged(jack, away, expected, owner_of_mac, index)
    if not at_home:
        if strangers:
            return _unexpected(jack, strangers, owner_of_mac, index, own_back=False)
        if not mine:
            return _Verdict(JackState.NOT_SEEN, "no MAC at the snapshot and none in the map: confirm it by hand")
        return _Verdict(
            JackState.NOT_SEEN,
            f"not seen on any switch ({_macs_text(mine)}): a quiet device? re-check later or confirm it by hand",
        )
    for mac, vlan in at_home.items():
        want = mine.get(mac) if not busy or jack.vlan is not None else None
        if want is not None and vlan is not None and vlan != want:
            return _Verdict(JackState.WRONG_VLAN, f"{_colon_any(mac)} in VLAN {vlan}; expected {want}", [_home(jack)])
    after: Mapping[str, Any] = index.snap(*jack.new) or {}
    before_poe = (before or {}).get("poe") or {}
    if before_poe.get("powered") and "poe" in after and not (after.get("poe") or {}).get("powered"):
        drew = f" ({before_poe['watts']:g} W)" if isinstance(before_poe.get("watts"), int | float) else ""
        return _Verdict(JackState.NO_POWER, f"drew power before{drew}; not powered now", [_home(jack)])
    neighbor = _neighbor_problem(jack, before, after)
    if neighbor is not None:
        return neighbor
    if strangers:
        return _unexpected(jack, strangers, owner_of_mac, index, own_back=True)
    missing = [mac for mac in mine if mac not in at_home and mac not in away]
    note = f"; {_macs_text(missing)} not seen (off?)" if missing and not busy else ""
    if away and not busy:
        note += "; " + ", ".join(f"{_colon_any(m)} now on {p.text(index)}" for m, p in list(away.items())[:2])
    return _Verdict(JackState.BACK, f"back on {_home(jack)}{note}", [_home(jack)])


def _by_neighbor(jack: Jack, before: Mapping[str, Any] | None, index: _Index) -> tuple[str, str] | None:
    """Where a phone or AP that announced its name before announces it now, when its MAC is nowhere yet."""
    was = (before or {}).get("neighbor") or {}
    name = str(was.get("name") or "").lower()
    if not name:
        return None
    for device, table in index.tables.items():
        for port, snap in table.ports.items():
            now: Mapping[str, Any] = snap.get("neighbor") or {}
            if str(now.get("name") or "").lower() == name and index.edge(_Place(device, port, None)):
                return device, port
    return None


def _mostly_one_place(away: Mapping[str, _Place], total: int) -> bool:
    """For a busy port (an AP's clients roam): misplugged only when most of its MACs moved together."""
    counts: dict[tuple[str, str], int] = {}
    for place in away.values():
        counts[(place.device, place.port)] = counts.get((place.device, place.port), 0) + 1
    return max(counts.values(), default=0) * 2 > total


def _find(mac: str, index: _Index) -> list[_Place]:
    if len(mac) == 12:
        return index.places.get(mac, [])
    return [p for m, places in index.places.items() if m.startswith(mac) for p in places]


def _most_telling(places: list[_Place], jack: Jack, index: _Index) -> _Place:
    """Of the access ports a MAC is on, the one to name: another jack's new port, then anything new, then old."""
    new_devices = {device for device, _ in index.new_owner}

    def rank(place: _Place) -> int:
        if jack.old is not None and (place.device, place.port) == (jack.old[0], canonical(jack.old[1])):
            return -1  # the plainest answer: its cord was never moved
        if (place.device, place.port) in index.new_owner:
            return 0
        return 1 if place.device in new_devices else 2

    return min(places, key=rank)


def _misplugged(
    jack: Jack,
    away: Mapping[str, _Place],
    expected: Mapping[str, Mapping[str, int | None]],
    owner_of_mac: Mapping[str, str],
    index: _Index,
) -> _Verdict:
    place = next(iter(away.values()))
    where = place.text(index)
    seen = [p.text(index) for p in away.values()]
    key = (place.device, place.port)
    if jack.old is not None and key == (jack.old[0], canonical(jack.old[1])):
        return _Verdict(JackState.MISPLUGGED, f"still on the old switch: {where} (not moved)", seen)
    other = index.new_owner.get(key) or index.old_owner.get(key)
    if other is None:
        return _Verdict(JackState.MISPLUGGED, f"on {where}, not {_home(jack)}", seen)
    if key in index.new_owner:
        home = (jack.new_device, canonical(jack.new_port))
        theirs = expected.get(other, {})
        if any(owner_of_mac.get(mac) == other or mac in theirs for mac, _ in index.on_port.get(home, [])):
            swap = f"swapped with jack {other}: on {where} (its port); its endpoint is on {_home(jack)}"
            return _Verdict(JackState.MISPLUGGED, swap, seen, other)
        return _Verdict(JackState.MISPLUGGED, f"on {where} (jack {other}'s port), not {_home(jack)}", seen)
    return _Verdict(JackState.MISPLUGGED, f"on {where} (jack {other}'s old port), not {_home(jack)}", seen)


def _unexpected(
    jack: Jack,
    strangers: list[tuple[str, int | None]],
    owner_of_mac: Mapping[str, str],
    index: _Index,
    *,
    own_back: bool,
) -> _Verdict:
    mac, _ = strangers[0]
    whose = owner_of_mac.get(mac)
    who = f"jack {whose}'s endpoint" if whose else "an endpoint not in the map"
    more = f" and {len(strangers) - 1} more" if len(strangers) > 1 else ""
    lead = "back, but also on its port" if own_back else "its endpoint not seen; on its port instead"
    return _Verdict(JackState.UNEXPECTED, f"{lead}: {_colon(mac)} ({who}){more}", [_home(jack)])


def _busy_port(jack: Jack, before: Mapping[str, Any] | None) -> bool:
    """An AP or a port that carried many MACs before: clients come and go, so a new MAC is no surprise."""
    return jack.kind == "ap" or len((before or {}).get("macs") or []) >= UPLINK_MACS


def _neighbor_problem(jack: Jack, before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> _Verdict | None:
    """For a phone or an AP: the same CDP/LLDP identity as before (when the new switch reports neighbors)."""
    was = (before or {}).get("neighbor")
    if not was or "neighbor" not in after:
        return None
    caps = {str(c).lower() for c in was.get("caps") or []}
    if jack.kind not in ("phone", "ap") and not caps & {"phone", "ap", "wlan"}:
        return None
    now = after.get("neighbor")
    if not now:
        quiet = f"its MAC is back but no neighbor on {_home(jack)} yet (was {was.get('name')}): re-check"
        return _Verdict(JackState.NOT_SEEN, quiet, [_home(jack)])
    if str(now.get("name", "")).lower() != str(was.get("name", "")).lower():
        return _Verdict(JackState.UNEXPECTED, f"neighbor is {now.get('name')}; was {was.get('name')}", [_home(jack)])
    return None


def _home(jack: Jack) -> str:
    return f"{jack.new_device} {jack.new_port}"


def _colon_any(mac: str) -> str:
    return _colon(mac) if len(mac) == 12 else _colon(mac) + ":*"


def _macs_text(macs: Any) -> str:
    names = [_colon_any(m) for m in macs]
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def overall(outcomes: Mapping[str, PortOutcome]) -> tuple[Status, str]:
    """The jacks check's status and summary: fail when any jack is misplugged or wrong, error when the rest
    were not all seen, pass when every jack is back. The summary counts states, problems named first."""
    counts: dict[JackState, int] = {}
    for outcome in outcomes.values():
        state = JackState(outcome.observed.get("state", JackState.NOT_SEEN))
        counts[state] = counts.get(state, 0) + 1
    parts = []
    for state in reversed(ORDER):
        if counts.get(state):
            parts.append(f"{counts[state]} {WORDS[state]}")
    summary = ", ".join(parts) or "no jacks"
    problems = [
        f"{label}{' (critical)' if o.observed.get('critical') else ''}: {o.reason}"
        for label, o in outcomes.items()
        if JackState(o.observed.get("state", JackState.NOT_SEEN)) in PROBLEMS
    ]
    if problems:
        return Status.FAIL, f"{summary}; {problems[0]}" + (f" (+{len(problems) - 1} more)" if len(problems) > 1 else "")
    if counts.get(JackState.NOT_SEEN):
        return Status.ERROR, summary
    return Status.PASS, summary
