"""A first port map, drafted from what the old switch says: one row per port with something on it.

Why: nobody has an up-to-date port map the night before a closet swap, but the old switch knows
which ports have an endpoint (a learned MAC, a CDP/LLDP neighbor, PoE drawn), what their
descriptions say, which VLANs they are in and what the neighbors call themselves. Drafting from it
gives the technician a CSV to correct in Excel instead of one to type: the port's description
becomes the jack label (or `<device>-<port>`, noted for editing), a neighbor's name the endpoint,
its capabilities the kind (phone, ap), and the new port follows the rules given
(golive.export.portmap_rules). Uplinks (a trunk or a port facing a switch or router, unless a phone
or an AP answers on it) are left out: their MACs are the whole building's; a port with many MACs and
no such neighbor stays in, noted (a desk switch is a jack too, and a missing row goes unnoticed).
The file has exactly the columns the port-map reader takes, plus `notes`, every cell guarded
against spreadsheet formulas.
Pure: one device's tables in, rows and CSV text out.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from golive.checks.ifnames import canonical
from golive.checks.portmap.judge import UPLINK_MACS
from golive.checks.portmap.tables import DeviceTables
from golive.export.portmap_rules import Rules, is_physical, map_port, split_port
from golive.formula import formula_safe
from golive.runbook.portmap import FIELDS
from golive.safetext import visible

__all__ = ["HEADER", "Draft", "DraftRow", "csv_text", "draft_rows"]

HEADER = (*FIELDS, "notes")  # a port map's own columns (it loads back as one), then what to check
MAX_LABEL = 64  # Jack.jack's limit
MAX_ENDPOINT = 200
EDIT_LABEL = "label made from the port: write the wall-plate label"
_CISCO_PHONE = re.compile(r"SEP[0-9A-Fa-f]{12}")
_AP_PLATFORM = re.compile(r"\bap\b|access point|aironet|\bwlan\b")
_AP_NAME = re.compile(r"(?:^|[^a-z])ap(?:\d|[^a-z]|$)")  # AP-2-203-C, idf2-ap01
_DEFAULT_DESCRIPTION = re.compile(r"^\S+ interface$", re.IGNORECASE)  # Comware: "GigabitEthernet1/0/1 Interface"


@dataclass
class DraftRow:
    jack: str
    old_device: str
    old_port: str
    new_device: str
    new_port: str
    endpoint: str = ""
    kind: str = ""
    vlan: int | None = None
    voice_vlan: int | None = None
    mac: str = ""
    notes: list[str] = field(default_factory=list)
    needs_label: bool = False

    def values(self) -> list[str]:
        """The row's cells as text, in HEADER's order."""
        return [
            self.jack, self.old_device, self.old_port, self.new_device, self.new_port, self.endpoint, self.kind,
            "false", _number(self.vlan), _number(self.voice_vlan), self.mac, "; ".join(self.notes),
        ]  # fmt: skip

    def cells(self) -> list[str]:
        """The row as a spreadsheet must get it: no cell read as a formula."""
        return [formula_safe(value) for value in self.values()]


@dataclass
class Draft:
    rows: list[DraftRow]
    uplinks: list[str]  # old ports left out as uplinks, as the old switch spells them

    @property
    def need_label(self) -> int:
        return sum(row.needs_label for row in self.rows)

    @property
    def need_port(self) -> int:
        return sum(not row.new_port for row in self.rows)


def draft_rows(
    tables: DeviceTables,
    *,
    old_platform: str,
    new_device: str,
    new_platform: str,
    rules: Rules,
    only: Collection[str] | None = None,
) -> Draft:
    """One row per front-panel port of the old device with an endpoint, in port order.
    `only`: canonical names of the ports to consider (None: every port)."""
    macs: dict[str, list[tuple[str, int | None]]] = {}
    spelled: dict[str, str] = {}
    for row in tables.macs:
        key = canonical(row.port)
        macs.setdefault(key, []).append((row.mac.lower(), row.vlan))
        spelled.setdefault(key, row.port)
    ports: dict[str, Mapping[str, Any]] = {key: dict(snap) for key, snap in tables.ports.items()}
    for key in macs:
        ports.setdefault(key, {})
    rows: list[DraftRow] = []
    uplinks: list[str] = []
    for key in sorted(ports, key=_port_order):
        snap = ports[key]
        name = str(snap.get("port") or spelled.get(key) or key)
        if (only is not None and key not in only) or not is_physical(name, old_platform):
            continue
        here = macs.get(key, [])
        neighbor = snap.get("neighbor") or {}
        powered = bool((snap.get("poe") or {}).get("powered"))
        if not (here or neighbor.get("name") or powered):
            continue
        kind = _kind(neighbor)
        if kind is None and _uplink(snap, neighbor):
            uplinks.append(name)
            continue
        rows.append(_row(tables.device, name, snap, here, kind, old_platform, new_device, new_platform, rules))
    _unique_labels(rows)
    return Draft(rows, uplinks)


def _row(
    device: str, name: str, snap: Mapping[str, Any], here: list[tuple[str, int | None]], kind: str | None,
    old_platform: str, new_device: str, new_platform: str, rules: Rules,
) -> DraftRow:  # fmt: skip
    old_port = map_port(name, old_platform, old_platform, Rules()).port or name  # the old switch's short spelling
    new = map_port(name, old_platform, new_platform, rules)
    notes = [new.note] if new.note else []
    label = _description(snap.get("description"), name)
    needs_label = label is None
    if label is None:
        label = f"{device}-{old_port}"[:MAX_LABEL]
        notes.insert(0, EDIT_LABEL)
    elif len(label) > MAX_LABEL:
        notes.insert(0, f"description cut to {MAX_LABEL} characters: {label}")
        label = label[:MAX_LABEL].rstrip()
        needs_label = True
    neighbor = snap.get("neighbor") or {}
    endpoint = visible(" ".join(str(neighbor.get("name") or "").split()))[:MAX_ENDPOINT]
    mode = str(snap.get("mode") or "").lower()
    vlan = _vlan(snap.get("access")) if mode != "trunk" else None
    voice = _vlan(snap.get("voice"))
    others = {v for _, v in here if v is not None and v != vlan}
    if "voice" not in snap and vlan is not None and kind == "phone" and len(others) == 1:
        voice = _vlan(others.pop())  # the platform does not report the voice VLAN: the phone's MAC is in it
        notes.append("voice VLAN from the phone's MAC (not read from the switch)")
    mac = ""
    if len(here) == 1:
        mac = here[0][0]
    elif len(here) >= UPLINK_MACS:
        notes.append(f"{len(here)} MACs learned: a desk switch, or an uplink (then delete the row)?")
    elif here:
        notes.append(f"{len(here)} MACs learned: the snapshot proves them all")
    if not here:
        notes.append("no MAC learned (quiet, or PoE/neighbor only): it may read 'not seen' after the cut")
    if new.port is None:
        notes.append("new port left empty: write it")
    return DraftRow(
        jack=label, old_device=device, old_port=old_port, new_device=new_device, new_port=new.port or "",
        endpoint=endpoint, kind=kind or "", vlan=vlan, voice_vlan=voice, mac=mac,
        notes=notes, needs_label=needs_label,
    )  # fmt: skip


def _description(value: object, port: str) -> str | None:
    """A port description usable as a jack label; None for none, or the switch's default text."""
    if not isinstance(value, str):
        return None
    text = visible(" ".join(value.split()))
    if not text or canonical(text) == canonical(port) or _DEFAULT_DESCRIPTION.match(text):
        return None
    return text


def _unique_labels(rows: list[DraftRow]) -> None:
    """Two ports with the same description would be one jack twice: each gets its port added, noted."""
    seen: dict[str, int] = {}
    for row in rows:
        seen[row.jack] = seen.get(row.jack, 0) + 1
    for row in rows:
        if seen[row.jack] > 1 and not row.needs_label:
            suffix = f" ({row.old_port})"
            row.notes.insert(0, f"the description {row.jack!r} is on {seen[row.jack]} ports: made unique")
            row.jack = row.jack[: MAX_LABEL - len(suffix)] + suffix
            row.needs_label = True


def _kind(neighbor: Mapping[str, Any]) -> str | None:
    """phone or ap from the neighbor's CDP/LLDP capabilities; where the platform does not report them
    (Comware's LLDP table over SSH), from what it calls itself ("Cisco IP Phone 8845", "Cisco AP
    Software", a Cisco phone's SEP<MAC> name, an AP-... name); else None."""
    caps = neighbor.get("caps")
    words = {str(cap).strip().lower() for cap in caps} if isinstance(caps, list | tuple) else set()
    if words & {"phone", "telephone", "ip phone", "ip-phone"}:
        return "phone"
    if words & {"ap", "wlan", "wlan access point", "wlan-access-point", "access point", "access-point"}:
        return "ap"
    if words:
        return None
    said = f"{neighbor.get('platform') or ''}".lower()
    if "phone" in said or _CISCO_PHONE.fullmatch(str(neighbor.get("name") or "")):
        return "phone"
    if _AP_PLATFORM.search(said) or _AP_NAME.search(str(neighbor.get("name") or "").lower()):
        return "ap"
    return None


def _uplink(snap: Mapping[str, Any], neighbor: Mapping[str, Any]) -> bool:
    """A port toward the network, not an endpoint: a trunk, or a switch or router answering on it."""
    if str(snap.get("mode") or "").lower() == "trunk":
        return True
    caps = {str(cap).strip().lower() for cap in neighbor.get("caps") or []}
    return bool(caps & {"router", "bridge", "switch", "r", "b", "s"})


def _vlan(value: object) -> int | None:
    return value if isinstance(value, int) and 1 <= value <= 4094 else None


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _port_order(key: str) -> tuple[str, list[int], str]:
    parts = split_port(key)
    return ("", parts[1], key) if parts is not None else ("~", [], key)


def csv_text(draft: Draft) -> str:
    """The draft as CSV as Excel writes it: a UTF-8 BOM (else Excel reads it as the local code page), CRLF."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in draft.rows:
        writer.writerow(row.cells())
    return out.getvalue()
