"""One device's tables as the port map reads them: every port's state and the whole MAC table.

Why one shape: the snapshot (before) and the jack proof (after) read each device once, over SSH or
SNMP as its platform allows, and judge every jack from the same values (golive.checks.portmap.judge),
whatever transport filled them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from golive.progress.jacks import PortSnap


@dataclass
class MacRow:
    mac: str  # lower case, colon separated
    vlan: int | None
    port: str  # as the device names it (the judge compares through golive.checks.ifnames.canonical)


@dataclass
class DeviceTables:
    """What one device said: ports by canonical name, every learned MAC, the raw evidence; or why not."""

    device: str
    transport: str  # ssh | snmp | none
    ports: dict[str, PortSnap] = field(default_factory=dict)  # canonical port -> its state
    macs: list[MacRow] = field(default_factory=list)  # learned entries only (never the switch's own)
    evidence: str = ""
    error: str = ""  # set when the device could not be read: every jack on it is "could not tell"
    seconds: float = 0.0
