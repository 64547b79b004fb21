"""What a device told us, in one shape whatever the transport: facts per port, neighbors, MACs.

The SSH side fills these from TextFSM records, the SNMP side from MIB tables; the judge reads
only these. Port keys are canonical (golive.checks.ifnames) so spellings never matter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from golive.checks.ifnames import canonical


@dataclass
class Facts:
    """One device's answers for one kind of check."""

    ports: dict[str, dict[str, Any]] = field(default_factory=dict)  # canonical port -> field -> value
    names: dict[str, str] = field(default_factory=dict)  # canonical port -> the device's spelling
    neighbors: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # canonical port -> neighbors
    macs: list[dict[str, Any]] = field(default_factory=list)  # {mac, vlan, port}
    evidence: str = ""

    def port(self, name: str) -> dict[str, Any]:
        key = canonical(name)
        self.names.setdefault(key, name)
        return self.ports.setdefault(key, {})

    def neighbor(self, local: str, **values: Any) -> None:
        key = canonical(local)
        self.names.setdefault(key, local)
        self.neighbors.setdefault(key, []).append(values)

    def merge(self, other: Facts) -> None:
        for key, values in other.ports.items():
            self.ports.setdefault(key, {}).update(values)
        for key, name in other.names.items():
            self.names.setdefault(key, name)
        for key, items in other.neighbors.items():
            self.neighbors.setdefault(key, []).extend(items)
        self.macs.extend(other.macs)
        self.evidence = "\n".join(part for part in (self.evidence, other.evidence) if part)
