"""Run checks concurrently and stream their results as they complete.

asyncio, no Textual. The checks of a batch are grouped by device and transport, and each group
goes to its transport (golive.checks.ssh.device, .snmp.device, .tcp.check): one SSH session per
device carrying every command the batch needs from it, SNMP column walks made once and shared.
A snapshot or jacks check (the port map) reads every device it involves whole, each device once
per batch however many such checks need it (golive.checks.portmap.read), then the judge
(golive.checks.portmap.outcome) builds its result from all the tables.
Bounds: at most `max_devices` devices at once, a timeout per check, cancellation when the
consumer stops listening. One bad device never stops the others: its checks end as `error` with
the reason, the rest carry on. In a rehearsal with no lab, nothing is contacted and every check
is `simulated` (never a pass).

The Engine lives as long as a screen or a `golive check`: it keeps what makes the next run
cheaper (the pysnmp engine of its event loop, the ifIndex of each port an SNMP walk saw) and the
latest result of each check id, the baseline a later check may compare against.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from golive.checks.credentials import Credentials
from golive.checks.endpoints import LabEndpoints
from golive.checks.plan import CheckItem, transport_for
from golive.checks.portmap import outcome as portmap_outcome
from golive.checks.portmap.read import read_tables
from golive.checks.portmap.read import transport as read_transport
from golive.checks.portmap.tables import DeviceTables
from golive.checks.results import CheckResult, Status
from golive.checks.snmp import device as snmp_device
from golive.checks.snmp.loop_engine import LoopEngine
from golive.checks.ssh import device as ssh_device
from golive.checks.targets import TargetError, Targets
from golive.checks.tcp.check import tcp_check
from golive.checks.verdicts import Verdicts
from golive.runbook.checks import JacksCheck, SnapshotCheck
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
        known_hosts: list[Path] | None = None,
        baselines: dict[str, CheckResult] | None = None,
        max_devices: int = 64,
        default_timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.runbook = runbook
        self.rehearsal = rehearsal
        self.lab = lab
        self.targets = Targets(
            runbook, lab=lab, credentials=credentials or Credentials(), known_hosts=known_hosts,
            trust_new=trust_new_hosts, rehearsal=rehearsal,
        )  # fmt: skip
        self.verdicts = Verdicts(lab=lab is not None, baselines=dict(baselines or {}))
        self.max_devices = max_devices
        self.default_timeout = default_timeout
        self.new_host_keys: dict[str, tuple[str, str, str]] = {}
        self.snmp_engine = LoopEngine()  # one pysnmp engine per event loop, kept across runs
        self._ifindexes: dict[str, dict[str, str]] = {}  # "host:port" -> canonical port name -> ifIndex

    @property
    def baselines(self) -> dict[str, CheckResult]:
        return self.verdicts.baselines

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

    def close(self) -> None:
        self.targets.close()
        self.snmp_engine.close()

    def _needs(self, items: list[CheckItem]) -> tuple[bool, bool]:
        """(SSH, SNMP): which heavy libraries this batch will use."""
        transports = {transport_for(item.check, self.runbook.inventory.get(item.device or ""))[0] for item in items}
        transports.update(transport for _, transport in self._portmap_reads(items))
        return "ssh" in transports, "snmp" in transports

    def _portmap_reads(self, items: list[CheckItem]) -> list[tuple[str, str]]:
        """(device, transport) of every device read the batch's snapshot and jacks checks need, each once."""
        reads: dict[tuple[str, str], None] = {}
        for item in items:
            if isinstance(item.check, SnapshotCheck | JacksCheck):
                for device in portmap_outcome.devices_of(item.check, self.runbook):
                    entry = self.runbook.inventory.get(device)
                    if entry is not None:
                        reads[(device, read_transport(entry, item.check.via)[0])] = None
        return list(reads)

    # -- scheduling -----------------------------------------------------------------------

    def _schedule(self, items: list[CheckItem], emit: Callable[[CheckResult], None]) -> list[asyncio.Task[Any]]:
        if self.rehearsal and self.lab is None:
            for item in items:
                counted = isinstance(item.check, SnapshotCheck | JacksCheck)
                where = portmap_outcome.target(item.check, self.runbook) if counted else None
                emit(self.verdicts.result(item, "none", Status.SIMULATED, NO_LAB, 0.0, target=where))
            return []
        gate = asyncio.Semaphore(self.max_devices)
        executor = ThreadPoolExecutor(max_workers=min(self.max_devices, 64), thread_name_prefix="golive-ssh")
        ssh_batches: dict[str, list[CheckItem]] = {}
        snmp_batches: dict[str, list[CheckItem]] = {}
        tasks: list[asyncio.Task[Any]] = []
        reads: dict[tuple[str, str], asyncio.Task[DeviceTables]] = {}
        for item in items:
            if isinstance(item.check, SnapshotCheck | JacksCheck):
                for device in portmap_outcome.devices_of(item.check, self.runbook):
                    entry = self.runbook.inventory.get(device)
                    chosen = read_transport(entry, item.check.via)[0] if entry is not None else "none"
                    if (device, chosen) not in reads:
                        limit = item.timeout(self.default_timeout * 2)
                        job = self._read(device, item.check.via, limit, gate=gate, executor=executor)
                        reads[(device, chosen)] = asyncio.create_task(job)
                # a jacks check compares against the snapshot taken before this batch, whatever this batch reads
                work = functools.partial(self._portmap, item, reads, dict(self.baselines))
                tasks.append(self._guarded([item], emit, work))
                continue
            inventory_entry = self.runbook.inventory.get(item.device) if item.device else None
            transport, why = transport_for(item.check, inventory_entry)
            if why:
                emit(self.verdicts.result(item, transport, Status.ERROR, why, 0.0))
            elif transport == "tcp":
                tasks.append(self._guarded([item], emit, functools.partial(self._tcp, item)))
            elif transport == "snmp":
                snmp_batches.setdefault(str(item.device), []).append(item)
            else:
                ssh_batches.setdefault(str(item.device), []).append(item)
        for device, batch in ssh_batches.items():
            work = functools.partial(self._ssh, device, batch, gate=gate, executor=executor)
            tasks.append(self._guarded(batch, emit, work))
        for device, batch in snmp_batches.items():
            tasks.append(self._guarded(batch, emit, functools.partial(self._snmp, device, batch, gate=gate)))
        tasks.extend(reads.values())

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
                    once(self.verdicts.result(item, transport, Status.ERROR, reason, 0.0))

        return asyncio.create_task(guarded())

    # -- one transport each ---------------------------------------------------------------

    async def _tcp(self, item: CheckItem, emit: Callable[[CheckResult], None]) -> None:
        try:
            host, port = self.targets.tcp(item.check)
        except TargetError as exc:
            emit(self.verdicts.result(item, "tcp", Status.ERROR, str(exc), 0.0))
            return
        emit(await tcp_check(item, host, port, self.verdicts))

    async def _ssh(
        self, device: str, batch: list[CheckItem], emit: Callable[[CheckResult], None],
        gate: asyncio.Semaphore, executor: ThreadPoolExecutor,
    ) -> None:  # fmt: skip
        async with gate:
            new_key = await ssh_device.check_device(
                self.runbook.inventory[device].platform, batch, emit,
                target_for=functools.partial(self.targets.ssh, device), verdicts=self.verdicts,
                default_timeout=self.default_timeout, executor=executor,
            )  # fmt: skip
        if new_key is not None:
            self.new_host_keys[device] = new_key

    async def _read(
        self, device: str, via: str | None, timeout: float, gate: asyncio.Semaphore, executor: ThreadPoolExecutor
    ) -> DeviceTables:
        async with gate:
            return await read_tables(self, device, via=via, timeout=timeout, executor=executor)

    async def _portmap(
        self,
        item: CheckItem,
        reads: dict[tuple[str, str], asyncio.Task[DeviceTables]],
        baselines: dict[str, CheckResult],
        emit: Callable[[CheckResult], None],
    ) -> None:
        started = time.monotonic()
        tables: dict[str, DeviceTables] = {}
        for device in portmap_outcome.devices_of(item.check, self.runbook):
            entry = self.runbook.inventory.get(device)
            if entry is None:
                tables[device] = DeviceTables(device, "none", error=f"no device {device!r} in the inventory")
                continue
            tables[device] = await asyncio.shield(reads[(device, read_transport(entry, item.check.via)[0])])
        seconds = time.monotonic() - started
        emit(portmap_outcome.result(item, self.runbook, tables, self.verdicts, seconds, baselines))

    async def _snmp(
        self, device: str, batch: list[CheckItem], emit: Callable[[CheckResult], None], gate: asyncio.Semaphore
    ) -> None:
        async with gate:
            await snmp_device.check_device(
                batch, emit, target_for=functools.partial(self.targets.snmp, device), engine=self.snmp_engine,
                ifindexes=self._ifindexes, verdicts=self.verdicts, default_timeout=self.default_timeout,
            )  # fmt: skip


def _warm_imports(ssh: bool, snmp: bool) -> None:
    if ssh:
        import netmiko  # noqa: F401
        import ntc_templates.parse  # noqa: F401
    if snmp:
        import pysnmp.hlapi.v3arch.asyncio  # noqa: F401
