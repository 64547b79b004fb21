"""From what a transport observed to a check's CheckResult, the same way for SSH, SNMP and TCP.

Why one place: a result carries the check's key, kind, target and expectation as the runbook
wrote them, whether a lab answered, and (for ports, neighbors and MACs) the verdict of
golive.checks.judge against the device's facts, with a baseline an earlier result of the same
check id left. Each transport (golive.checks.ssh.device, .snmp.device, .tcp.check) only says what
it saw; the words and the bookkeeping are shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from golive.checks import judge
from golive.checks.evaluate import describe
from golive.checks.facts import Facts
from golive.checks.plan import CheckItem, target_text
from golive.checks.results import CheckResult, PortOutcome, Status
from golive.runbook.checks import JacksCheck, MacCheck, NeighborCheck, SnapshotCheck, SnmpCheck, TcpCheck


@dataclass
class Verdicts:
    """Results for one Engine: `lab` marks every result, `baselines` holds the latest result per check id."""

    lab: bool
    baselines: dict[str, CheckResult] = field(default_factory=dict)

    def result(
        self, item: CheckItem, transport: str, status: Status, reason: str, seconds: float,
        observed: dict[str, Any] | None = None, evidence: str = "", ports: dict[str, PortOutcome] | None = None,
        target: str | None = None,
    ) -> CheckResult:  # fmt: skip
        check = item.check
        return CheckResult(
            key=item.key, task=item.task, index=item.index, kind=str(check.kind), check_id=check.id,
            device=item.device, transport=transport, target=target or target_text(check), status=status,
            expected=expected(check), observed=observed or {}, reason=reason, evidence=evidence,
            duration_ms=round(seconds * 1000), ports=ports or {}, lab=self.lab,
        )  # fmt: skip

    def judged(
        self, item: CheckItem, transport: str, facts: Facts, first: Facts | None, seconds: float, evidence: str
    ) -> CheckResult:
        """The verdict on a device's facts (`first`: the earlier sample of an interval check)."""
        check = item.check
        if isinstance(check, NeighborCheck):
            outcomes = judge.judge_neighbors(check, facts)
        elif isinstance(check, MacCheck):
            outcomes = judge.judge_macs(check, facts)
        else:
            outcomes = judge.judge_ports(check, facts, self._baseline(check), first)
        status, reason = judge.overall(outcomes)
        observed = {port: o.observed for port, o in list(outcomes.items())[:1]} if len(outcomes) == 1 else {}
        return self.result(item, transport, status, reason, seconds, observed, evidence, outcomes)

    def _baseline(self, check: Any) -> judge.Baseline | None:
        names = {exp.baseline for exp in judge.expectations(check.expect).values() if exp.baseline}
        for name in names:
            earlier = self.baselines.get(name)
            if earlier is not None:
                return {port: outcome.observed for port, outcome in earlier.ports.items()}
        return None


def expected(check: Any) -> str:
    if isinstance(check, SnapshotCheck):
        return "every mapped old port read (the baseline of the jacks check)"
    if isinstance(check, JacksCheck):
        return "every jack back on its new port (same endpoint, VLAN, power and neighbor)"
    if isinstance(check, TcpCheck):
        return f"reachable == {str(check.expect.reachable).lower()}"
    if isinstance(check, SnmpCheck):
        parts = [describe(check.expect)] if check.expect is not None else []
        if check.count is not None:
            parts.append(describe(check.count, "count"))
        return "; ".join(parts)
    text = judge.expected_text(check.expect)
    if isinstance(check, MacCheck) and check.mac:
        return f"MAC {check.mac} learned" + (f"; {text}" if text else "")
    return text
