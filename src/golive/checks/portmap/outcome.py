"""A snapshot or jacks check's result, from the tables of every device it involves.

Why apart from the engine: which devices a port map check reads and which snapshot a jacks check
compares against are the runbook's facts, and the verdict is the judge's (golive.checks.portmap.judge);
the engine only reads each device once (golive.checks.portmap.read) and hands the tables here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from golive.checks.plan import CheckItem
from golive.checks.portmap import judge
from golive.checks.portmap.tables import DeviceTables
from golive.checks.results import EVIDENCE_LIMIT, CheckResult, Status
from golive.checks.verdicts import Verdicts
from golive.runbook.checks import JacksCheck, SnapshotCheck
from golive.runbook.portmap import Jack
from golive.runbook.schema import Runbook

NO_MAP = "the runbook has no port map (portmap:): nothing to read"


def jacks_of(check: SnapshotCheck | JacksCheck, runbook: Runbook) -> list[Jack]:
    """The jacks a check is about, in the map's order: a snapshot's on its devices, a jacks check's named ones."""
    if runbook.portmap is None:
        return []
    jacks = list(runbook.portmap.jacks)
    if isinstance(check, SnapshotCheck):
        if check.devices:
            return [jack for jack in jacks if jack.old_device in check.devices]
        return [jack for jack in jacks if jack.old is not None]
    if check.jacks:
        wanted = set(check.jacks)
        return [jack for jack in jacks if jack.jack in wanted]
    return jacks


def devices_of(check: SnapshotCheck | JacksCheck, runbook: Runbook) -> list[str]:
    """Every device the check reads: a snapshot's `devices` (default: every old switch of the map); for a
    jacks check every new and old switch of its jacks (a cord left on the old switch is found there)."""
    if isinstance(check, SnapshotCheck) and check.devices:
        return list(dict.fromkeys(check.devices))
    devices: list[str] = []
    for jack in jacks_of(check, runbook):
        if isinstance(check, JacksCheck):
            devices.append(jack.new_device)
        if jack.old_device is not None:
            devices.append(jack.old_device)
    return list(dict.fromkeys(devices))


def baseline_id(check: JacksCheck, runbook: Runbook) -> str | None:
    """The snapshot check a jacks check compares against: the one it names, else the runbook's only one."""
    if check.baseline:
        return check.baseline
    ids = [c.id for phase in runbook.phases for task in phase.tasks for c in task.checks if c.kind == "snapshot"]
    return ids[0] if len(ids) == 1 else None


def target(check: SnapshotCheck | JacksCheck, runbook: Runbook) -> str:
    if isinstance(check, JacksCheck):
        count = len(jacks_of(check, runbook))
        return f"{count} jack" + ("s" if count != 1 else "")
    count = len(devices_of(check, runbook))
    return f"{count} device" + ("s" if count != 1 else "")


def result(
    item: CheckItem,
    runbook: Runbook,
    tables: Mapping[str, DeviceTables],
    verdicts: Verdicts,
    seconds: float,
    baselines: Mapping[str, CheckResult] | None = None,
) -> CheckResult:
    """`baselines`: the latest result per check id a jacks check may compare against (default: the verdicts')."""
    check = item.check
    where = target(check, runbook)
    if runbook.portmap is None:
        return verdicts.result(item, "none", Status.ERROR, NO_MAP, seconds, target=where)
    jacks = jacks_of(check, runbook)
    if isinstance(check, SnapshotCheck):
        outcomes = judge.snapshot_outcomes(jacks, tables)
        status, reason = judge.snapshot_summary(outcomes)
    else:
        name = baseline_id(check, runbook)
        earlier = (verdicts.baselines if baselines is None else baselines).get(name) if name else None
        baseline = (
            {label: o.observed for label, o in earlier.ports.items() if o.status is Status.PASS}
            if earlier is not None
            else None
        )
        outcomes = judge.judge_jacks(jacks, baseline, tables)
        status, reason = judge.overall(outcomes)
        if earlier is None:
            reason += (
                f"; no snapshot result{f' ({name})' if name else ''}: judged by the map's MACs only"
                if any(jack.old is not None for jack in jacks)
                else ""
            )
    used = [name for name in ("ssh", "snmp") if any(t.transport == name for t in tables.values())]
    return verdicts.result(
        item, "+".join(used) or "none", status, reason, seconds, _observed(tables), _evidence(tables), outcomes,
        target=where,
    )  # fmt: skip


def _observed(tables: Mapping[str, DeviceTables]) -> dict[str, Any]:
    """Per device: how it was read, how much it said, or why it could not be read."""
    devices: dict[str, Any] = {}
    for name, t in tables.items():
        entry: dict[str, Any] = {"transport": t.transport, "ports": len(t.ports), "macs": len(t.macs)}
        entry["seconds"] = round(t.seconds, 2)
        if t.error:
            entry["error"] = t.error
        devices[name] = entry
    return {"devices": devices}


def _evidence(tables: Mapping[str, DeviceTables]) -> str:
    """Each device's raw reads under its name, each cut to its share of the journal's evidence limit."""
    share = max(1024, EVIDENCE_LIMIT // max(1, len(tables)) - 200)
    parts = []
    for name, t in tables.items():
        text = t.evidence if not t.error else f"not read: {t.error}\n{t.evidence}".rstrip()
        if len(text) > share:
            text = text[:share] + f"\n[... {len(text) - share} more characters of {name}]"
        parts.append(f"=== {name} ({t.transport}) ===\n{text}")
    return "\n".join(parts)
