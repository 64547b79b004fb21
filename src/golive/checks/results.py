"""A check's outcome as a value: what was expected, what the device said, and how sure we are.

`fail` means the device answered and the expectation did not hold; `error` means we could not
tell (unreachable, timed out, authentication, host key, unparseable output), with the reason in
plain words. `simulated` is a rehearsal with no lab: never a pass. The journal stores
`to_payload()`; the TUI and exports read the same keys back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from golive.progress.payloads import Checked, PortResult

EVIDENCE_LIMIT = 64 * 1024


class Status(StrEnum):
    PASS = "pass"  # noqa: S105 (a status, not a password)
    FAIL = "fail"
    ERROR = "error"
    SIMULATED = "simulated"


# the worst status wins when a check covers several ports
SEVERITY = {Status.PASS: 0, Status.SIMULATED: 1, Status.FAIL: 2, Status.ERROR: 3}


def worst(statuses: list[Status]) -> Status:
    return max(statuses, key=SEVERITY.__getitem__) if statuses else Status.PASS


@dataclass(frozen=True)
class PortOutcome:
    """One port (or one row of a walk) within a check."""

    status: Status
    observed: dict[str, Any] = field(default_factory=dict)
    reason: str = ""


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check of one task (all its ports), as journaled."""

    key: str  # "<task>#<n>" (n from 1, runbook order): stable across re-runs of the same check
    task: str | None
    index: int
    kind: str
    check_id: str | None
    device: str | None
    transport: str  # ssh | snmp | tcp | none
    target: str  # ports, OID or host:port, as the runbook wrote them
    status: Status
    expected: str
    observed: dict[str, Any]
    reason: str
    evidence: str
    duration_ms: int
    ports: dict[str, PortOutcome] = field(default_factory=dict)
    lab: bool = False

    @property
    def failed(self) -> bool:
        return self.status in (Status.FAIL, Status.ERROR)

    def to_payload(self) -> Checked:
        evidence = self.evidence
        if len(evidence) > EVIDENCE_LIMIT:
            evidence = evidence[:EVIDENCE_LIMIT] + f"\n[... {len(self.evidence) - EVIDENCE_LIMIT} more characters]"
        return Checked(
            check=self.key,
            index=self.index,
            check_id=self.check_id,
            kind=self.kind,
            device=self.device,
            transport=self.transport,
            target=self.target,
            status=self.status.value,
            expected=self.expected,
            observed=self.observed,
            reason=self.reason,
            evidence=evidence,
            duration_ms=self.duration_ms,
            ports={
                name: PortResult(status=p.status.value, observed=p.observed, reason=p.reason)
                for name, p in self.ports.items()
            },
            lab=self.lab,
        )

    @classmethod
    def from_payload(cls, task: str | None, payload: Checked) -> CheckResult:
        """ValueError for a status this golive does not know."""
        ports = {name: PortOutcome(Status(p.status), dict(p.observed), p.reason) for name, p in payload.ports.items()}
        return cls(
            key=payload.check,
            task=task,
            index=payload.index,
            kind=payload.kind,
            check_id=payload.check_id,
            device=payload.device,
            transport=payload.transport,
            target=payload.target,
            status=Status(payload.status),
            expected=payload.expected,
            observed=dict(payload.observed),
            reason=payload.reason,
            evidence=payload.evidence,
            duration_ms=payload.duration_ms,
            ports=ports,
            lab=payload.lab,
        )
