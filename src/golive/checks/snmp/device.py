"""Every SNMP check of one device in a batch: each column group read once and shared, then each check judged.

A group of columns (golive.checks.snmp.observe.GROUPS) is walked once per device per batch, and
every check that needs it awaits the same read; the ifIndex-indexed groups (port status, error
counters) read only the ports the checks name, by GET once an earlier walk told their ifIndex
(`ifindexes`, kept by the Engine across runs). Each check has its own timeout: a check that times
out ends as `error` while the others carry on, and its evidence is the varbinds it was judged on.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import time
from collections.abc import Callable
from typing import Any

from golive.checks import judge
from golive.checks.evaluate import describe, holds
from golive.checks.facts import Facts
from golive.checks.ifnames import canonical
from golive.checks.plan import CheckItem
from golive.checks.results import CheckResult, Status
from golive.checks.snmp import observe
from golive.checks.snmp.client import SnmpClient, SnmpError, SnmpTarget
from golive.checks.snmp.loop_engine import LoopEngine
from golive.checks.targets import TargetError
from golive.checks.verdicts import Verdicts
from golive.runbook.checks import SnmpCheck
from golive.runbook.ports import expand_ports


async def check_device(
    batch: list[CheckItem],
    emit: Callable[[CheckResult], None],
    *,
    target_for: Callable[[float], SnmpTarget],
    engine: LoopEngine,
    ifindexes: dict[str, dict[str, str]],
    verdicts: Verdicts,
    default_timeout: float,
) -> None:
    """Emit one result per item of `batch`. `target_for(timeout)` says where and how the device is
    reached (TargetError when it cannot be); `ifindexes` maps "host:port" to the canonical port
    names a walk saw there and their ifIndex."""
    try:
        target = target_for(max(item.timeout(default_timeout) for item in batch))
    except TargetError as exc:
        for item in batch:
            emit(verdicts.result(item, "snmp", Status.ERROR, str(exc), 0.0))
        return
    client = SnmpClient(engine, target)
    walks: dict[str, asyncio.Task[dict[str, dict[str, Any]]]] = {}
    # ifIndex-indexed groups: only the columns and ports the checks name, by GET once the ifIndexes are known
    by_port = {
        "status": observe.status_walk(
            (_fields(i.check), i.check.port_list()) for i in batch if str(i.check.kind) == "port"
        ),
        "counters": observe.counter_walk(
            name for i in batch if str(i.check.kind) == "errors" for name in i.check.port_list()
        ),
    }
    known = ifindexes.setdefault(f"{target.host}:{target.port}", {})
    lines: dict[str, list[str]] = {}  # group -> the varbinds its read returned, as evidence lines

    async def by_index(group: str, sink: list[str]) -> dict[str, dict[str, Any]]:
        status = walks.get("status")
        if group != "status" and status is not None and by_port[group].ports <= by_port["status"].ports:
            with contextlib.suppress(SnmpError):  # its ifIndexes spare this group a walk
                await asyncio.shield(status)
        return await observe.status_rows(client, by_port[group], known, sink)

    async def walk(group: str, reads: list[list[str]]) -> dict[str, dict[str, Any]]:
        """A group's rows, read once per batch and shared; `reads` collects the check's evidence."""
        if group.endswith("!"):  # a fresh read, not shared (the samples of an interval)
            fresh: list[str] = []
            reads.append(fresh)
            return await by_index(group[:-1], fresh)
        if group not in walks:
            lines[group] = []
            job = (
                by_index(group, lines[group])
                if group in by_port
                else client.walk(observe.GROUPS[group], evidence=lines[group])
            )
            walks[group] = asyncio.ensure_future(job)
        if all(read is not lines[group] for read in reads):
            reads.append(lines[group])
        return await asyncio.shield(walks[group])

    async def one(item: CheckItem) -> None:
        begun = time.monotonic()
        limit = item.timeout(default_timeout) + float(getattr(item.check, "interval", None) or 0)
        reads: list[list[str]] = []
        check = _check(item, client, functools.partial(walk, reads=reads), reads, verdicts)
        try:
            result = await asyncio.wait_for(check, limit)
        except SnmpError as exc:
            result = verdicts.result(item, "snmp", Status.ERROR, str(exc), time.monotonic() - begun)
        except TimeoutError:
            what = "community" if target.version == "2c" else "v3 user or keys"
            reason = (
                f"SNMP timeout: no complete answer from {target.host}:{target.port} within {limit:g} s "
                f"(unreachable, or a wrong {what}: an agent silently drops requests it cannot authenticate)"
            )
            result = verdicts.result(item, "snmp", Status.ERROR, reason, time.monotonic() - begun)
        emit(result)

    try:
        await asyncio.gather(*(one(item) for item in batch))
    finally:
        for task in walks.values():
            task.cancel()


async def _check(
    item: CheckItem, client: SnmpClient, walk: observe.Walk, reads: list[list[str]], verdicts: Verdicts
) -> CheckResult:
    started = time.monotonic()
    check = item.check
    if isinstance(check, SnmpCheck):
        return await _oid_check(item, client, started, verdicts)
    kind = str(check.kind)
    first: Facts | None = None
    wanted = _named_ports(check)
    if kind == "port":
        facts = await observe.port_facts(walk, "vlan" in _fields(check), wanted)
    elif kind == "vlan":
        facts = await observe.vlan_facts(walk, wanted, need_mode="mode" in _fields(check))
    elif kind == "poe":
        facts = await observe.poe_facts(walk, wanted)
    elif kind == "neighbor":
        facts = await observe.neighbor_facts(walk, check.protocol, wanted)
    elif kind == "mac":
        facts = await observe.mac_facts(walk, wanted)
    elif kind == "errors":
        if check.interval is not None:
            first = await observe.counter_facts(lambda group: walk(group + "!"), wanted)
            await asyncio.sleep(float(check.interval))
            facts = await observe.counter_facts(lambda group: walk(group + "!"), wanted)
        else:
            facts = await observe.counter_facts(walk, wanted)
    else:  # state
        facts = await observe.stp_facts(walk, wanted)
    evidence = "\n".join(line for read in reads for line in read)
    return _sourced(verdicts.judged(item, "snmp", facts, first, time.monotonic() - started, evidence))


def _named_ports(check: Any) -> frozenset[str]:
    """Canonical names of the ports a check names (its ports, or the port a mac check expects)."""
    names = list(check.port_list()) if hasattr(check, "port_list") else []
    names += [name for name in (getattr(check, "port", None),) if isinstance(name, str)]
    if isinstance(getattr(check, "ports", None), str | list):
        names += expand_ports(check.ports)
    expected = judge.expectations(check.expect).get("port")
    if expected is not None:
        names += [str(value) for value in (expected.equals, *(expected.in_ or [])) if value is not None]
    return frozenset(canonical(name) for name in names)


UNREPORTED = "the device did not report "


def _sourced(result: CheckResult) -> CheckResult:
    """A field a port has no row for is an error naming the tables that were read for it."""
    sources = observe.SOURCES.get(result.kind, {})
    ports = dict(result.ports)
    for port, outcome in ports.items():
        if outcome.status is Status.ERROR and outcome.reason.startswith(UNREPORTED):
            fields = outcome.reason.removeprefix(UNREPORTED).split(", ")
            read = "; ".join(f"{field}: nothing for {port} in {sources[field]}" for field in fields if field in sources)
            if read:
                ports[port] = dataclasses.replace(outcome, reason=f"{outcome.reason} ({read})")
    if ports == result.ports:
        return result
    return dataclasses.replace(result, ports=ports, reason=judge.overall(ports)[1])


async def _oid_check(item: CheckItem, client: SnmpClient, started: float, verdicts: Verdicts) -> CheckResult:
    check: SnmpCheck = item.check
    evidence: list[str] = []
    if check.walk:
        table = (await client.walk([check.oid], evidence=evidence))[check.oid]
        values = list(table.values())
        observed: dict[str, Any] = {"count": len(values), "values": dict(list(table.items())[:50])}
        problems = []
        if check.count is not None and not holds(check.count, len(values), "count"):
            problems.append(f"{len(values)} rows, expected {describe(check.count, 'count')}")
        if check.expect is not None:
            bad = [f"{k}={v!r}" for k, v in table.items() if not holds(check.expect, v, "value")]
            if bad:
                problems.append(f"{len(bad)} value(s) fail {describe(check.expect)}: {', '.join(bad[:3])}")
    else:
        value = (await client.get([check.oid], evidence))[check.oid]
        observed = {"value": value}
        problems = []
        if value is None:
            problems.append(f"the agent has no {check.oid} (noSuchObject/noSuchInstance)")
        elif check.expect is not None and not holds(check.expect, value, "value"):
            problems.append(f"value is {value!r}, expected {describe(check.expect)}")
    status = Status.FAIL if problems else Status.PASS
    return verdicts.result(
        item, "snmp", status, "; ".join(problems), time.monotonic() - started, observed, "\n".join(evidence)
    )


def _fields(check: Any) -> set[str]:
    return set(judge.expectations(check.expect))
