"""Read one device's tables for the port map: every port's state and the whole MAC table, once.

Why a read of its own and not the per-check drivers: the snapshot and the jack proof judge every
jack from the MAC tables of every switch at once, so each device is read whole (not port by port)
and once per batch, however many jacks and checks need it. One transport per device: SNMP when the
device has snmp settings and SNMP can read its MAC table (not Catalyst IOS, whose FDB is per VLAN),
else SSH; a check's `via:` forces one. The reads reuse the drivers' machinery (SSH: the command
table, one Netmiko session carrying every command, the TextFSM parsers into Facts; SNMP: each
column group walked once, the observe functions into Facts), and Facts become PortSnaps in one
place (golive.checks.portmap.snaps). A field the platform cannot read is absent from a PortSnap.
`golive portmap draft` calls `read_tables` directly.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Collection
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any

from golive.checks.facts import Facts
from golive.checks.ifnames import canonical
from golive.checks.portmap.snaps import PortSnapshot, tables_from
from golive.checks.portmap.tables import DeviceTables
from golive.checks.ssh.commands import commands_for
from golive.runbook.platforms import snmp_fields
from golive.runbook.schema import Device

if TYPE_CHECKING:
    from golive.checks.engine import Engine

# what a port map reads, in the order the commands are sent (neighbor: both protocols where the platform has them)
SSH_KINDS = ("port", "vlan", "poe", "neighbor:cdp", "neighbor:lldp", "mac")
NO_LAB = "rehearsal with no lab running: not read"


def transport(device: Device, via: str | None = None) -> tuple[str, str]:
    """(ssh | snmp, why it cannot be read: "" when it can). The MAC table is what a port map needs."""
    ssh_ok = commands_for(device.platform, "mac") is not None
    snmp_ok = device.snmp is not None and snmp_fields("mac", device.platform) is not None
    if via == "snmp":
        if device.snmp is None:
            return "snmp", "via: snmp, but the device has no snmp: settings in the inventory"
        if not snmp_ok:
            return "snmp", f"its MAC table cannot be read over snmp on {device.platform} (use via: ssh)"
        return "snmp", ""
    if via is None and snmp_ok:
        return "snmp", ""
    if ssh_ok:
        return "ssh", ""
    hint = " (give it snmp: settings)" if device.snmp is None and snmp_fields("mac", device.platform) else ""
    return "ssh", f"golive cannot read the MAC table of a {device.platform} over ssh{hint}"


async def read_tables(
    engine: Engine,
    device: str,
    ports: Collection[str] | None = None,
    *,
    via: str | None = None,
    timeout: float | None = None,
    executor: Executor | None = None,
) -> DeviceTables:
    """One device's ports (canonical name -> PortSnap; only `ports` when given, else every port) and every
    learned MAC, over the transport `transport()` picks. Never raises for the device's sake: a device that
    cannot be read comes back with `error` set (unreachable, refused login, timeout, no lab in a rehearsal).
    `timeout`: for the whole read (default: the engine's per-check timeout, times two for a whole table)."""
    started = time.monotonic()
    entry = engine.runbook.inventory.get(device)
    if entry is None:
        return DeviceTables(device, "none", error=f"no device {device!r} in the inventory")
    chosen, why = transport(entry, via)
    if why:
        return DeviceTables(device, chosen, error=why)
    if engine.rehearsal and engine.lab is None:
        return DeviceTables(device, "none", error=NO_LAB)
    limit = timeout if timeout is not None else engine.default_timeout * 2
    try:
        if chosen == "snmp":
            snap = await asyncio.wait_for(_read_snmp(engine, device, limit), limit)
        else:
            snap = await _read_ssh(engine, device, entry.platform, limit, executor)
    except TimeoutError:
        snap = PortSnapshot(error=f"timed out after {limit:g} s")
    except Exception as exc:  # TargetError, SessionError, SnmpError: the reason, never a traceback
        snap = PortSnapshot(error=str(exc) or type(exc).__name__)
    tables = tables_from(device, chosen, snap)
    if ports is not None:
        wanted = {canonical(name) for name in ports}
        tables.ports = {key: value for key, value in tables.ports.items() if key in wanted}
    tables.seconds = time.monotonic() - started
    return tables


# -- SSH ------------------------------------------------------------------------------------------


def ssh_commands(platform: str) -> list[str]:
    commands: list[str] = []
    for kind in SSH_KINDS:
        for command in commands_for(platform, kind) or ():
            if command not in commands:
                commands.append(command)
    return commands


async def _read_ssh(
    engine: Engine, device: str, platform: str, limit: float, executor: Executor | None
) -> PortSnapshot:
    from golive.checks.ssh import known_hosts
    from golive.paths import golive_known_hosts

    commands = ssh_commands(platform)
    target = engine.targets.ssh(device, max(2.0, limit / 2))
    loop = asyncio.get_running_loop()
    future = loop.run_in_executor(executor, _ssh_session, target, commands)
    snap, new_key = await asyncio.wait_for(future, limit)
    if new_key is not None:  # the next session verifies against it
        known_hosts.remember(golive_known_hosts(), target.host, target.port, new_key)
        engine.new_host_keys[device] = new_key
    return snap


def _ssh_session(target: Any, commands: list[str]) -> tuple[PortSnapshot, tuple[str, str, str] | None]:
    """In a worker thread: one session with every command, each output parsed into one Facts."""
    from golive.checks.ssh.observe import PARSERS, template_platform
    from golive.checks.ssh.parse import parse_output
    from golive.checks.ssh.session import run_session

    session = run_session(target, commands, [], 0.0)
    snap = PortSnapshot()
    platform = target.platform
    quiet = {*(commands_for(platform, "neighbor:cdp") or ()), *(commands_for(platform, "neighbor:lldp") or ())}
    for command in commands:
        out = session.outputs.get(command)
        evidence = f"$ {command}\n{out.output if out is not None else ''}"
        snap.evidence.append(evidence)
        if out is None or out.error:
            snap.unread[command] = out.error if out is not None else "not answered"
            continue
        if not out.output.strip() and command not in quiet:
            # these commands answer with at least a header: a blank answer means the session fell out of
            # step, never an empty MAC table (having no neighbors may be blank)
            snap.unread[command] = "the device returned an empty answer"
            continue
        try:
            records = parse_output(platform=template_platform(platform), command=command, data=out.output)
        except Exception as exc:
            snap.unread[command] = f"output not parseable ({type(exc).__name__}); raw output kept as evidence"
            continue
        facts = Facts()
        PARSERS[(platform, command)](records, facts)
        snap.read[command] = facts
    snap.sources = {kind: commands_for(platform, kind) or () for kind in SSH_KINDS}
    return snap, session.new_host_key


# -- SNMP -----------------------------------------------------------------------------------------


async def _read_snmp(engine: Engine, device: str, limit: float) -> PortSnapshot:
    from golive.checks.snmp import observe
    from golive.checks.snmp.client import SnmpClient

    # each request's tries share two thirds of the read's time: an agent that never answers is named as
    # such by the client (unreachable, or a wrong community), before the whole read's limit
    client = SnmpClient(engine.snmp_engine, engine.targets.snmp(device, limit * 2 / 3))
    lines: list[str] = []
    walked: dict[str, dict[str, dict[str, Any]]] = {}

    async def walk(group: str) -> dict[str, dict[str, Any]]:
        """Each group walked once (the reads below run one after another); ifName comes with the status
        group, so the names group costs no walk."""
        if group == "names":
            status = await walk("status")
            return {observe.IF_NAME: status[observe.IF_NAME]}
        if group not in walked:
            walked[group] = await client.walk(observe.GROUPS[group], evidence=lines)
        return walked[group]

    snap = PortSnapshot()
    snap.read["port"] = await observe.port_facts(walk, need_vlan=False)
    vtp = engine.runbook.inventory[device].platform in observe.VTP_PLATFORMS
    snap.read["vlan"] = await observe.vlan_facts(walk, need_mode=vtp)
    snap.unreadable = frozenset() if vtp else frozenset({"mode"})  # CISCO-VTP-MIB only
    snap.read["mac"] = await observe.mac_facts(walk)
    poe = await walk("poe")
    if poe[observe.PETH_DETECTION]:  # an agent with no POWER-ETHERNET-MIB rows: PoE not read
        snap.read["poe"] = await observe.poe_facts(walk)
    lldp, cdp = await walk("lldp"), await walk("cdp")
    if lldp[observe.LLDP_REM_SYS_NAME] or cdp[observe.CDP_DEVICE_ID] or lldp[observe.LLDP_LOC_PORT_ID]:
        snap.read["neighbor"] = await observe.neighbor_facts(walk, "any", caps=True)
    snap.evidence.append("\n".join(lines))
    snap.sources = {kind: (kind,) for kind in ("port", "vlan", "mac", "poe", "neighbor")}
    return snap
