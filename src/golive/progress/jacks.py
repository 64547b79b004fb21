"""Per-jack proof, as the journal keeps it: the states a jack can be in, and what confirmations do.

Why here (pure, below the store and the checks): the record's rule "a task's sign-off needs every
critical jack proven or confirmed" is the core's, obeyed by the CLI and the TUI alike, and the
exports and the TUI read the same per-jack values back from the journal.

A `jacks` check result (kind "jacks") keeps one entry per jack in its `ports`, keyed by the jack's
label: status pass (back), fail (a ✘ state) or error (not seen: we could not tell), a one-line
reason, and `observed` holding the keys of `JackObserved`. A `snapshot` check result keeps one
entry per jack with an old port, `observed` a `PortSnap` of that port.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from enum import StrEnum
from typing import Any, NotRequired, TypedDict

from golive.progress.payloads import Checked


class JackState(StrEnum):
    BACK = "back"  # on the mapped new port, right VLAN, powered if it was, same neighbor
    CONFIRMED = "confirmed"  # not provable by the switches; a person confirmed it by hand
    MISPLUGGED = "misplugged"  # seen on another port (another jack's, or still the old switch)
    WRONG_VLAN = "wrong_vlan"
    NO_POWER = "no_power"
    UNEXPECTED = "unexpected"  # its own endpoint back, but another endpoint also on its new port
    NOT_SEEN = "not_seen"  # no MAC of it anywhere: a silent device, never a pass


# problems first: the order a board and an export list jacks in (critical before the rest within a state)
ORDER = (
    JackState.MISPLUGGED, JackState.WRONG_VLAN, JackState.NO_POWER, JackState.UNEXPECTED,
    JackState.NOT_SEEN, JackState.CONFIRMED, JackState.BACK,
)  # fmt: skip
PROBLEMS = frozenset({JackState.MISPLUGGED, JackState.WRONG_VLAN, JackState.NO_POWER, JackState.UNEXPECTED})
WORDS = {
    JackState.BACK: "back", JackState.CONFIRMED: "confirmed by hand", JackState.MISPLUGGED: "misplugged",
    JackState.WRONG_VLAN: "wrong VLAN", JackState.NO_POWER: "no power", JackState.UNEXPECTED: "unexpected endpoint",
    JackState.NOT_SEEN: "not seen",
}  # fmt: skip


class Neighbor(TypedDict):
    name: str
    platform: NotRequired[str]
    port: NotRequired[str]
    caps: NotRequired[list[str]]  # e.g. ["phone"], ["ap"], ["bridge", "router"]


class Poe(TypedDict):
    powered: bool
    watts: NotRequired[float]
    class_: NotRequired[str]


class MacSeen(TypedDict):
    mac: str  # lower case, colon separated: aa:bb:cc:dd:ee:ff
    vlan: int | None


class PortSnap(TypedDict, total=False):
    """One port as a device reported it. A key absent: not read on this platform/transport; None: read, nothing."""

    device: str
    port: str  # the device's spelling
    status: str | None  # the device's word: connected, notconnect, up, down, ...
    description: str | None  # what the port is labelled on the switch (the draft's jack label)
    up: bool | None
    mode: str | None  # access or trunk: MACs behind a trunk say nothing about where a cord is
    access: int | None
    voice: int | None
    macs: list[MacSeen]
    neighbor: Neighbor | None
    poe: Poe | None


class JackObserved(TypedDict, total=False):
    """`observed` of one jack in a jacks check result."""

    state: str  # a JackState value
    critical: bool
    endpoint: str | None
    kind: str | None
    old: str | None  # "device port", as mapped
    new: str  # "device port", as mapped
    seen: list[str]  # "device port" where its endpoints' MACs are now
    swapped_with: str | None  # the jack whose port it landed on, when that jack's endpoint is on its port
    macs: list[str]  # the MACs it was proven by (from the snapshot or the map's mac)
    expected_vlan: int | None
    expected_voice: int | None
    before: PortSnap | None
    after: PortSnap | None


def state_of(outcome: Mapping[str, Any]) -> JackState:
    """A stored jack outcome's state; anything unreadable counts as not seen (never as back)."""
    try:
        return JackState(str(outcome.get("state", "")))
    except ValueError:
        return JackState.NOT_SEEN


def effective(result: Checked, confirmed: Collection[str]) -> dict[str, tuple[JackState, bool]]:
    """Each jack of a jacks result: (state, critical), a confirmation applied to a jack it left not seen.
    `confirmed`: the labels of the jacks confirmed by hand for this check (TaskProgress.confirmations[key])."""
    states: dict[str, tuple[JackState, bool]] = {}
    for label, port in result.ports.items():
        state = state_of(port.observed)
        if state is JackState.NOT_SEEN and label in confirmed:
            state = JackState.CONFIRMED
        states[label] = (state, bool(port.observed.get("critical")))
    return states


def signoff_problem(result: Checked, confirmed: Collection[str]) -> str | None:
    """Why a jacks result does not let its task be signed off, or None: every jack with a ✘ state,
    and every critical jack neither back nor confirmed, are named. A jack that is not critical and was
    not seen does not hold the task (it stays "not seen" in the record)."""
    states = effective(result, confirmed)
    bad = [label for label, (state, _) in states.items() if state in PROBLEMS]
    unseen = [label for label, (state, critical) in states.items() if critical and state is JackState.NOT_SEEN]
    parts = []
    if bad:
        parts.append(f"{len(bad)} jack(s) misplugged or wrong: {_names(bad)}")
    if unseen:
        parts.append(f"{len(unseen)} critical jack(s) not seen (re-check, or confirm by hand): {_names(unseen)}")
    return "; ".join(parts) or None


def _names(labels: list[str], limit: int = 6) -> str:
    more = f" and {len(labels) - limit} more" if len(labels) > limit else ""
    return ", ".join(labels[:limit]) + more


def summary_line(states: Mapping[str, tuple[JackState, bool]]) -> str:
    """ "30 back · 1 misplugged · 2 not seen (1 critical)": problems first, the critical among them counted."""
    parts = []
    for state in ORDER:
        labels = [label for label, (s, _) in states.items() if s is state]
        if labels:
            critical = sum(states[label][1] for label in labels)
            extra = f" ({critical} critical)" if critical and state is not JackState.BACK else ""
            parts.append(f"{len(labels)} {WORDS[state]}{extra}")
    return " · ".join(parts) or "no jacks"


def problems_first(states: Mapping[str, tuple[JackState, bool]], order: Sequence[str] = ()) -> list[str]:
    """Jack labels in the order a board lists them: by state (ORDER), critical first within a state, then in
    `order` (the port map's; a stored result's jacks come back sorted by label), then as given."""
    position: dict[str, int] = {}
    for label in [*order, *states]:
        position.setdefault(label, len(position))
    return sorted(states, key=lambda label: (ORDER.index(states[label][0]), not states[label][1], position[label]))
