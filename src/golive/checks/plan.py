"""Which checks to run and over which transport, decided before anything touches the network.

A check's key ("<task>#<n>") is stable across re-runs so a new result replaces the old one.
Transport: tcp checks go over TCP and snmp checks over SNMP; the others go where the check says
(`via:`), else over SNMP when the device has SNMP settings and SNMP can report every field the
check expects, else over SSH: the platform matrix's rule (golive.runbook.platforms).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from golive.runbook.checks import JacksCheck, SnapshotCheck, SnmpCheck, TcpCheck
from golive.runbook.platforms import choose, matrix_kind
from golive.runbook.schema import Device, Runbook


@dataclass(frozen=True)
class CheckItem:
    task: str | None
    index: int
    check: Any  # one of golive.runbook.checks' kinds

    @property
    def key(self) -> str:
        return f"{self.task}#{self.index}"

    @property
    def device(self) -> str | None:
        return getattr(self.check, "device", None)

    def timeout(self, default: float) -> float:
        """The check's own timeout, else `default` (the CLI's --timeout)."""
        timeout = getattr(self.check, "timeout", None)
        return float(timeout) if timeout else default


def items_for(runbook: Runbook, task: str | None = None, phase: str | None = None) -> list[CheckItem]:
    """Every check of a task, of a phase, or of the whole runbook, in runbook order."""
    items: list[CheckItem] = []
    for ph in runbook.phases:
        if phase is not None and ph.id != phase:
            continue
        for t in ph.tasks:
            if task is not None and t.id != task:
                continue
            items.extend(CheckItem(t.id, n, check) for n, check in enumerate(t.checks, 1))
    return items


def ssh_kind(check: Any) -> str:
    """The command-table key for a check: neighbor checks split by protocol."""
    return matrix_kind(str(check.kind), getattr(check, "protocol", None))


def expected_fields(check: Any) -> set[str]:
    expect = getattr(check, "expect", None)
    fields = set(getattr(expect, "model_fields_set", set()))
    return {"class" if f == "class_" else f for f in fields}


def transport_for(check: Any, device: Device | None) -> tuple[str, str]:
    """(transport, reason it cannot run): ssh | snmp | tcp, with "" when it can. The rule is the
    platform matrix's (golive.runbook.platforms.choose), the one `golive validate` refuses by.
    A snapshot or jacks check reads several devices, each over its own transport
    (golive.checks.portmap.read.transport): "none" here, its result names the transports used."""
    if isinstance(check, TcpCheck):
        return "tcp", ""
    if isinstance(check, SnapshotCheck | JacksCheck):
        return "none", ""
    if device is None:
        return "none", f"no device {getattr(check, 'device', '?')!r} in the inventory"
    if isinstance(check, SnmpCheck):
        return ("snmp", "") if device.snmp else ("snmp", "the device has no snmp: settings in the inventory")
    choice = choose(
        ssh_kind(check), device.platform, expected_fields(check), via=getattr(check, "via", None),
        has_snmp=device.snmp is not None, interval=getattr(check, "interval", None) is not None,
    )  # fmt: skip
    return choice.transport, choice.problem


def target_text(check: Any) -> str:
    """What a check looks at, as a list shows it (a port map check's counts: golive.checks.portmap.outcome)."""
    if isinstance(check, JacksCheck):
        return f"{len(check.jacks)} jacks" if check.jacks else "every jack"
    if isinstance(check, SnapshotCheck):
        return f"{len(check.devices)} devices" if check.devices else "every old switch"
    if isinstance(check, TcpCheck):
        return f"{check.host or check.device}:{check.port}"
    if isinstance(check, SnmpCheck):
        return check.oid + (" (walk)" if check.walk else "")
    ports = getattr(check, "ports", None)
    port = getattr(check, "port", None)
    mac = getattr(check, "mac", None)
    if mac:
        return f"MAC {mac}"
    if isinstance(ports, list):
        return ", ".join(ports)
    return str(ports or port or "")
