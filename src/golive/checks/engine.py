"""Run checks concurrently and stream their results as they complete.

asyncio, no Textual. Per device: one SSH session (in a worker thread) carries every command the
batch needs from that device; SNMP column walks are made once and shared by every check that
needs them. Bounds: at most `max_devices` devices at once, a timeout per check, cancellation
when the consumer stops listening. One bad device never stops the others: its checks end as
`error` with the reason, the rest carry on. In a rehearsal with no lab, nothing is contacted and
every check is `simulated` (never a pass).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from golive.checks import judge
from golive.checks.credentials import Credentials
from golive.checks.endpoints import LabEndpoints
from golive.checks.evaluate import describe, holds
from golive.checks.facts import Facts
from golive.checks.plan import CheckItem, ssh_kind, target_text, transport_for
from golive.checks.results import CheckResult, PortOutcome, Status
from golive.checks.snmp import observe as snmp_observe
from golive.checks.snmp.client import SnmpClient, SnmpError
from golive.checks.snmp.loop_engine import LoopEngine
from golive.checks.ssh.commands import commands_for
from golive.checks.ssh.observe import PARSERS, template_platform
from golive.checks.ssh.session import SessionError, SessionResult, run_session
from golive.checks.targets import TargetError, Targets
from golive.runbook.checks import ErrorsCheck, MacCheck, NeighborCheck, SnmpCheck, TcpCheck
from golive.runbook.schema import Runbook

DEFAULT_TIMEOUT = 15.0
NO_LAB = "rehearsal with no lab running: not checked (start `golive lab RUNBOOK` to rehearse against simulated devices)"


class Engine:
    def __init__(
        self,
        runbook: Runbook,
        *,
        rehearsal: bool,
        lab: LabEndpoints | None,
        credentials: Credentials | None = None,
        trust_new_hosts: bool = False,
        known_hosts: list[Any] | None = None,
        baselines: dict[str, CheckResult] | None = None,
        max_devices: int = 64,
        default_timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.runbook = runbook
        self.rehearsal = rehearsal
        self.lab = lab
        self.targets = Targets(
            runbook, lab=lab, credentials=credentials or Credentials(), known_hosts=known_hosts,
            trust_new=trust_new_hosts,
        )  # fmt: skip
        self.baselines = dict(baselines or {})
        self.max_devices = max_devices
        self.default_timeout = default_timeout
        self.new_host_keys: dict[str, tuple[str, str, str]] = {}
        self.snmp_engine = LoopEngine()  # one pysnmp engine per event loop, kept across runs
        self._ifindexes: dict[str, dict[str, str]] = {}  # "host:port" -> canonical port name -> ifIndex

    # -- public -------------------------------------------------------------------------

    async def run(self, items: list[CheckItem]) -> AsyncIterator[CheckResult]:
        """Yield one result per item, in completion order."""
        if not items:
            return
        queue: asyncio.Queue[CheckResult] = asyncio.Queue()
        pending = len(items)
        if not (self.rehearsal and self.lab is None):
            # heavy imports off the loop, so quick checks (TCP) are not held up behind them
            ssh, snmp = self._needs(items)
            if ssh or snmp:
                await asyncio.to_thread(_warm_imports, ssh, snmp)
        tasks = self._schedule(items, queue.put_nowait)
        try:
            while pending:
                result = await queue.get()
                pending -= 1
                if result.check_id:
                    self.baselines[result.check_id] = result
                yield result
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def run_all(self, items: list[CheckItem]) -> list[CheckResult]:
        return [result async for result in self.run(items)]

    def _needs(self, items: list[CheckItem]) -> tuple[bool, bool]:
        """(SSH, SNMP): which heavy libraries this batch will use."""
        transports = {transport_for(item.check, self.runbook.inventory.get(item.device or ""))[0] for item in items}
        return "ssh" in transports, "snmp" in transports

    def close(self) -> None:
        self.targets.close()
        self.snmp_engine.close()

    # -- scheduling -----------------------------------------------------------------------

    def _schedule(self, items: list[CheckItem], emit: Callable[[CheckResult], None]) -> list[asyncio.Task[None]]:
        if self.rehearsal and self.lab is None:
            for item in items:
                emit(self._result(item, "none", Status.SIMULATED, NO_LAB, 0.0))
            return []
        device_gate = asyncio.Semaphore(self.max_devices)
        executor = ThreadPoolExecutor(max_workers=min(self.max_devices, 64), thread_name_prefix="golive-ssh")
        ssh_batches: dict[str, list[CheckItem]] = {}
        snmp_batches: dict[str, list[CheckItem]] = {}
        tasks: list[asyncio.Task[None]] = []
        for item in items:
            inventory_entry = self.runbook.inventory.get(item.device) if item.device else None
            transport, why = transport_for(item.check, inventory_entry)
            if why:
                emit(self._result(item, transport, Status.ERROR, why, 0.0))
            elif transport == "tcp":
                tasks.append(self._guarded([item], emit, functools.partial(self._tcp, item)))
            elif transport == "snmp":
                snmp_batches.setdefault(str(item.device), []).append(item)
            else:
                ssh_batches.setdefault(str(item.device), []).append(item)
        for device, batch in ssh_batches.items():
            tasks.append(
                self._guarded(
                    batch, emit, functools.partial(self._ssh_device, device, batch, gate=device_gate, executor=executor)
                )
            )
        for device, batch in snmp_batches.items():
            tasks.append(
                self._guarded(batch, emit, functools.partial(self._snmp_device, device, batch, gate=device_gate))
            )

        async def shutdown() -> None:
            await asyncio.gather(*tasks, return_exceptions=True)
            executor.shutdown(wait=False, cancel_futures=True)

        return [*tasks, asyncio.create_task(shutdown())]

    def _guarded(
        self,
        batch: list[CheckItem],
        emit: Callable[[CheckResult], None],
        work: Callable[[Callable[[CheckResult], None]], Awaitable[None]],
    ) -> asyncio.Task[None]:
        """Run `work`; whatever goes wrong in it, every item of the batch still gets exactly one result."""
        done: set[str] = set()

        def once(result: CheckResult) -> None:
            if result.key not in done:
                done.add(result.key)
                emit(result)

        async def guarded() -> None:
            try:
                await work(once)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a bug must not hang the batch: say so per check
                reason = f"golive could not judge this check ({type(exc).__name__}: {str(exc)[:120]})"
                for item in batch:
                    transport = transport_for(item.check, self.runbook.inventory.get(item.device or ""))[0]
                    once(self._result(item, transport, Status.ERROR, reason, 0.0))

        return asyncio.create_task(guarded())

    def _timeout(self, item: CheckItem) -> float:
        timeout = getattr(item.check, "timeout", None)
        return float(timeout) if timeout else self.default_timeout

    def _result(
        self, item: CheckItem, transport: str, status: Status, reason: str, seconds: float,
        observed: dict[str, Any] | None = None, evidence: str = "", ports: dict[str, PortOutcome] | None = None,
    ) -> CheckResult:  # fmt: skip
        check = item.check
        return CheckResult(
            key=item.key, task=item.task, index=item.index, kind=str(check.kind), check_id=check.id,
            device=item.device, transport=transport, target=target_text(check), status=status,
            expected=_expected(check), observed=observed or {}, reason=reason, evidence=evidence,
            duration_ms=round(seconds * 1000), ports=ports or {}, lab=self.lab is not None,
        )  # fmt: skip

    # -- TCP ------------------------------------------------------------------------------

    async def _tcp(self, item: CheckItem, emit: Callable[[CheckResult], None]) -> None:
        check: TcpCheck = item.check
        started = time.monotonic()
        timeout = self._timeout(item) if check.timeout else 5.0
        try:
            host, port = self.targets.tcp(check)
        except TargetError as exc:
            emit(self._result(item, "tcp", Status.ERROR, str(exc), 0.0))
            return
        try:
            _reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
            writer.close()
            reachable, detail = True, "connected"
        except TimeoutError:
            reachable, detail = False, f"no answer within {timeout:g} s"
        except OSError as exc:
            reachable, detail = False, f"connection refused ({exc.strerror or type(exc).__name__})"
        seconds = time.monotonic() - started
        wanted = check.expect.reachable
        status = Status.PASS if reachable == wanted else Status.FAIL
        reason = (
            ""
            if status is Status.PASS
            else f"{target_text(check)}: {detail}, expected reachable == {str(wanted).lower()}"
        )
        emit(self._result(item, "tcp", status, reason, seconds, {"reachable": reachable, "detail": detail}, detail))

    # -- SSH ------------------------------------------------------------------------------

    async def _ssh_device(
        self, device: str, batch: list[CheckItem], emit: Callable[[CheckResult], None],
        gate: asyncio.Semaphore, executor: ThreadPoolExecutor,
    ) -> None:  # fmt: skip
        platform = self.runbook.inventory[device].platform
        commands: list[str] = []
        again: list[str] = []
        interval = 0.0
        for item in batch:
            for command in commands_for(platform, ssh_kind(item.check)) or ():
                if command not in commands:
                    commands.append(command)
                if isinstance(item.check, ErrorsCheck) and item.check.interval is not None:
                    interval = max(interval, float(item.check.interval))
                    if command not in again:
                        again.append(command)
        timeout = max(self._timeout(item) for item in batch) + interval
        started = time.monotonic()
        async with gate:
            try:
                target = self.targets.ssh(device, timeout - interval)
                loop = asyncio.get_running_loop()
                future = loop.run_in_executor(executor, _session_and_parse, target, commands, again, interval)
                session, parsed = await asyncio.wait_for(future, timeout)
            except (SessionError, TargetError) as exc:
                for item in batch:
                    emit(self._result(item, "ssh", Status.ERROR, str(exc), time.monotonic() - started))
                return
            except TimeoutError:
                for item in batch:
                    emit(self._result(item, "ssh", Status.ERROR, f"timed out after {timeout:g} s", timeout))
                return
        if session.new_host_key is not None:
            self.new_host_keys[device] = session.new_host_key
            _remember_key(target.host, target.port, session.new_host_key)
        seconds = time.monotonic() - started
        for item in batch:
            emit(self._judge_ssh(item, platform, session, parsed, seconds))

    def _judge_ssh(
        self, item: CheckItem, platform: str, session: SessionResult, parsed: dict[str, Any], seconds: float
    ) -> CheckResult:
        facts = Facts()
        first: Facts | None = None
        evidence: list[str] = []
        passes = [""]
        if isinstance(item.check, ErrorsCheck) and item.check.interval is not None:
            first, passes = Facts(), ["", "@2"]
        for command in commands_for(platform, ssh_kind(item.check)) or ():
            for suffix in passes:
                out = session.outputs.get(command + suffix)
                if out is None:
                    return self._result(item, "ssh", Status.ERROR, f"no output for {command!r}", seconds)
                evidence.append(f"$ {command}\n{out.output}")
                if out.error:
                    return self._result(item, "ssh", Status.ERROR, out.error, seconds, evidence="\n".join(evidence))
                if not out.output.strip() and not isinstance(item.check, NeighborCheck):
                    # a device answers these commands with at least a header: a blank answer means the
                    # session fell out of step, never that every port is gone (no neighbors may be blank)
                    reason = f"the device returned an empty answer to {command!r}: not judged"
                    return self._result(item, "ssh", Status.ERROR, reason, seconds, evidence="\n".join(evidence))
                records = parsed.get(command + suffix)
                if isinstance(records, str):
                    reason = f"output of {command!r} not parseable ({records}); raw output kept as evidence"
                    return self._result(item, "ssh", Status.ERROR, reason, seconds, evidence="\n".join(evidence))
                if not isinstance(records, list):
                    reason = f"output of {command!r} not parseable; raw output kept as evidence"
                    return self._result(item, "ssh", Status.ERROR, reason, seconds, evidence="\n".join(evidence))
                target = facts if suffix or first is None else first
                PARSERS[(platform, command)](records, target)
        result = self._judge(item, "ssh", facts, first, seconds)
        return _with_evidence(result, "\n".join(evidence))

    # -- SNMP -----------------------------------------------------------------------------

    async def _snmp_device(
        self, device: str, batch: list[CheckItem], emit: Callable[[CheckResult], None], gate: asyncio.Semaphore
    ) -> None:
        timeout = max(self._timeout(item) for item in batch)
        async with gate:
            try:
                target = self.targets.snmp(device, timeout)
            except TargetError as exc:
                for item in batch:
                    emit(self._result(item, "snmp", Status.ERROR, str(exc), 0.0))
                return
            client = SnmpClient(self.snmp_engine, target)
            walks: dict[str, asyncio.Task[dict[str, dict[str, Any]]]] = {}
            # ifName-indexed groups: only the columns and ports the checks name, by GET once the ifIndexes are known
            by_port = {
                "status": snmp_observe.status_walk(
                    (_fields(i.check), i.check.port_list()) for i in batch if str(i.check.kind) == "port"
                ),
                "counters": snmp_observe.counter_walk(
                    name for i in batch if str(i.check.kind) == "errors" for name in i.check.port_list()
                ),
            }
            known = self._ifindexes.setdefault(f"{target.host}:{target.port}", {})

            lines: dict[str, list[str]] = {}  # group -> the varbinds its read returned, as evidence lines

            async def by_index(group: str, sink: list[str]) -> dict[str, dict[str, Any]]:
                status = walks.get("status")
                if group != "status" and status is not None and by_port[group].ports <= by_port["status"].ports:
                    with contextlib.suppress(SnmpError):  # its ifIndexes spare this group a walk
                        await asyncio.shield(status)
                return await snmp_observe.status_rows(client, by_port[group], known, sink)

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
                        else client.walk(snmp_observe.GROUPS[group], evidence=lines[group])
                    )
                    walks[group] = asyncio.ensure_future(job)
                if all(read is not lines[group] for read in reads):
                    reads.append(lines[group])
                return await asyncio.shield(walks[group])

            async def one(item: CheckItem) -> None:
                begun = time.monotonic()
                limit = self._timeout(item) + float(getattr(item.check, "interval", None) or 0)
                reads: list[list[str]] = []
                check = self._snmp_check(item, client, functools.partial(walk, reads=reads), reads)
                try:
                    result = await asyncio.wait_for(check, limit)
                except SnmpError as exc:
                    result = self._result(item, "snmp", Status.ERROR, str(exc), time.monotonic() - begun)
                except TimeoutError:
                    what = "community" if target.version == "2c" else "v3 user or keys"
                    reason = (
                        f"SNMP timeout: no complete answer from {target.host}:{target.port} within {limit:g} s "
                        f"(unreachable, or a wrong {what}: an agent silently drops requests it cannot authenticate)"
                    )
                    result = self._result(item, "snmp", Status.ERROR, reason, time.monotonic() - begun)
                emit(result)

            try:
                await asyncio.gather(*(one(item) for item in batch))
            finally:
                for task in walks.values():
                    task.cancel()

    async def _snmp_check(
        self, item: CheckItem, client: SnmpClient, walk: snmp_observe.Walk, reads: list[list[str]]
    ) -> CheckResult:
        started = time.monotonic()
        check = item.check
        if isinstance(check, SnmpCheck):
            return await self._snmp_oid(item, client, started)
        kind = str(check.kind)
        first: Facts | None = None
        if kind == "port":
            facts = await snmp_observe.port_facts(walk, "vlan" in _fields(check))
        elif kind == "vlan":
            facts = await snmp_observe.vlan_facts(walk)
        elif kind == "poe":
            facts = await snmp_observe.poe_facts(walk)
        elif kind == "neighbor":
            facts = await snmp_observe.neighbor_facts(walk, check.protocol)
        elif kind == "mac":
            facts = await snmp_observe.mac_facts(walk)
        elif kind == "errors":
            if check.interval is not None:
                first = await snmp_observe.counter_facts(lambda group: walk(group + "!"))
                await asyncio.sleep(float(check.interval))
                facts = await snmp_observe.counter_facts(lambda group: walk(group + "!"))
            else:
                facts = await snmp_observe.counter_facts(walk)
        else:  # state
            facts = await snmp_observe.stp_facts(walk)
        result = self._judge(item, "snmp", facts, first, time.monotonic() - started)
        return _with_evidence(result, "\n".join(line for read in reads for line in read))

    async def _snmp_oid(self, item: CheckItem, client: SnmpClient, started: float) -> CheckResult:
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
        return self._result(
            item, "snmp", status, "; ".join(problems), time.monotonic() - started, observed, "\n".join(evidence)
        )

    # -- judging --------------------------------------------------------------------------

    def _judge(self, item: CheckItem, transport: str, facts: Facts, first: Facts | None, seconds: float) -> CheckResult:
        check = item.check
        if isinstance(check, NeighborCheck):
            outcomes = judge.judge_neighbors(check, facts)
        elif isinstance(check, MacCheck):
            outcomes = judge.judge_macs(check, facts)
        else:
            outcomes = judge.judge_ports(check, facts, self._baseline(check), first)
        status, reason = judge.overall(outcomes)
        observed = {port: o.observed for port, o in list(outcomes.items())[:1]} if len(outcomes) == 1 else {}
        return self._result(item, transport, status, reason, seconds, observed, ports=outcomes)

    def _baseline(self, check: Any) -> judge.Baseline | None:
        names = {exp.baseline for exp in judge.expectations(check.expect).values() if exp.baseline}
        for name in names:
            earlier = self.baselines.get(name)
            if earlier is not None:
                return {port: outcome.observed for port, outcome in earlier.ports.items()}
        return None


def _warm_imports(ssh: bool, snmp: bool) -> None:
    if ssh:
        import netmiko  # noqa: F401
        import ntc_templates.parse  # noqa: F401
    if snmp:
        import pysnmp.hlapi.v3arch.asyncio  # noqa: F401


def _session_and_parse(
    target: Any, commands: list[str], again: list[str], interval: float
) -> tuple[SessionResult, dict[str, Any]]:
    """In the worker thread: the session, then TextFSM on each output (a list of records, or the error's name)."""
    from golive.checks.ssh.parse import parse_output

    session = run_session(target, commands, again, interval)
    parsed: dict[str, Any] = {}
    for key, out in session.outputs.items():
        if out.error:
            continue
        try:
            parsed[key] = parse_output(
                platform=template_platform(target.platform), command=out.command, data=out.output
            )
        except Exception as exc:
            parsed[key] = type(exc).__name__
    return session, parsed


def _fields(check: Any) -> set[str]:
    return set(judge.expectations(check.expect))


def _expected(check: Any) -> str:
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


def _with_evidence(result: CheckResult, evidence: str) -> CheckResult:
    from dataclasses import replace

    return replace(result, evidence=evidence)


def _remember_key(host: str, port: int, key: tuple[str, str, str]) -> None:
    """Keep a key accepted with --trust-new-hosts, so the next session verifies against it."""
    from golive.checks.targets import golive_known_hosts

    path = golive_known_hosts()
    path.parent.mkdir(parents=True, exist_ok=True)
    name = host if port == 22 else f"[{host}]:{port}"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"{name} {key[0]} {key[2]}\n")
