"""Which checks to run and over which transport, decided before anything touches the network.

A check's key ("<task>#<n>") is stable across re-runs so a new result replaces the old one.
Transport: tcp checks go over TCP and snmp checks over SNMP; the others go where the check says
(`via:`), else over SNMP when the device has SNMP settings and SNMP can report every field the
check expects, else over SSH.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from golive.checks.snmp.observe import SNMP_FIELDS
from golive.checks.ssh.commands import commands_for
from golive.runbook.checks import NeighborCheck, SnmpCheck, TcpCheck
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
    if isinstance(check, NeighborCheck):
        return "neighbor:cdp" if check.protocol == "cdp" else "neighbor:lldp"
    return str(check.kind)


def expected_fields(check: Any) -> set[str]:
    expect = getattr(check, "expect", None)
    fields = set(getattr(expect, "model_fields_set", set()))
    return {"class" if f == "class_" else f for f in fields}


def snmp_can(check: Any) -> bool:
    allowed = SNMP_FIELDS.get(str(check.kind))
    if allowed is None:
        return False
    if getattr(check, "interval", None) is not None:
        return True
    return expected_fields(check) <= allowed


def transport_for(check: Any, device: Device | None) -> tuple[str, str]:
    """(transport, reason it cannot run): ssh | snmp | tcp, with "" when it can."""
    if isinstance(check, TcpCheck):
        return "tcp", ""
    if device is None:
        return "none", f"no device {getattr(check, 'device', '?')!r} in the inventory"
    if isinstance(check, SnmpCheck):
        return ("snmp", "") if device.snmp else ("snmp", "the device has no snmp: settings in the inventory")
    via = getattr(check, "via", None)
    if via == "snmp":
        if device.snmp is None:
            return "snmp", "via: snmp, but the device has no snmp: settings in the inventory"
        if not snmp_can(check):
            missing = sorted(expected_fields(check) - SNMP_FIELDS.get(str(check.kind), frozenset()))
            return "snmp", f"SNMP cannot report {', '.join(missing)} for a {check.kind} check: use via: ssh"
        return "snmp", ""
    if via is None and device.snmp is not None and snmp_can(check):
        return "snmp", ""
    if commands_for(device.platform, ssh_kind(check)) is None:
        hint = " (try via: snmp)" if device.snmp is not None and snmp_can(check) else ""
        return "ssh", f"golive has no {ssh_kind(check)} command for platform {device.platform}{hint}"
    return "ssh", ""


def target_text(check: Any) -> str:
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
