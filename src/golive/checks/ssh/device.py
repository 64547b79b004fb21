"""Every SSH check of one device in a batch: one session carries all their commands, then each is judged.

Netmiko is synchronous, so the session (golive.checks.ssh.session) and the TextFSM parsing run in a
worker thread of the engine's pool; this coroutine awaits it within the batch's longest timeout
(plus the interval of an errors check that samples its counters twice). Each command is sent
once however many checks need it. A session that cannot start ends every check of the device as
`error` with the reason; one lost midway keeps the answers it already read.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from golive.checks import judge
from golive.checks.facts import Facts
from golive.checks.ifnames import canonical
from golive.checks.plan import CheckItem, ssh_kind
from golive.checks.results import CheckResult, Status
from golive.checks.ssh import known_hosts
from golive.checks.ssh.commands import commands_for
from golive.checks.ssh.observe import PARSERS, template_platform
from golive.checks.ssh.session import SessionError, SessionResult, SshTarget, run_session
from golive.checks.targets import TargetError
from golive.checks.verdicts import Verdicts
from golive.paths import golive_known_hosts
from golive.runbook.checks import ErrorsCheck, NeighborCheck

HostKey = tuple[str, str, str]  # (key type, fingerprint, base64), accepted on first use


async def check_device(
    platform: str,
    batch: list[CheckItem],
    emit: Callable[[CheckResult], None],
    *,
    target_for: Callable[[float], SshTarget],
    verdicts: Verdicts,
    default_timeout: float,
    executor: ThreadPoolExecutor,
) -> HostKey | None:
    """Emit one result per item of `batch`; return the host key accepted on first use (--trust-new-hosts),
    if one was: it is kept in golive's own known_hosts, so the next session verifies against it.
    `target_for(timeout)` says where and how the device is reached (TargetError when it cannot be)."""
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
    timeout = max(item.timeout(default_timeout) for item in batch) + interval
    started = time.monotonic()
    try:
        target = target_for(timeout - interval)
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(executor, _session_and_parse, target, commands, again, interval)
        session, parsed = await asyncio.wait_for(future, timeout)
    except (SessionError, TargetError) as exc:
        for item in batch:
            emit(verdicts.result(item, "ssh", Status.ERROR, str(exc), time.monotonic() - started))
        return None
    except TimeoutError:
        for item in batch:
            emit(verdicts.result(item, "ssh", Status.ERROR, f"timed out after {timeout:g} s", timeout))
        return None
    if session.new_host_key is not None:  # the next session verifies against it
        known_hosts.remember(golive_known_hosts(), target.host, target.port, session.new_host_key)
    seconds = time.monotonic() - started
    for item in batch:
        emit(_judge(item, platform, session, parsed, seconds, verdicts))
    return session.new_host_key


def _judge(
    item: CheckItem, platform: str, session: SessionResult, parsed: dict[str, Any], seconds: float, verdicts: Verdicts
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
                return verdicts.result(item, "ssh", Status.ERROR, f"no output for {command!r}", seconds)
            evidence.append(f"$ {command}\n{out.output}")
            if out.error:
                return verdicts.result(item, "ssh", Status.ERROR, out.error, seconds, evidence="\n".join(evidence))
            if not out.output.strip() and not isinstance(item.check, NeighborCheck):
                # a device answers these commands with at least a header: a blank answer means the
                # session fell out of step, never that every port is gone (no neighbors may be blank)
                reason = f"the device returned an empty answer to {command!r}: not judged"
                return verdicts.result(item, "ssh", Status.ERROR, reason, seconds, evidence="\n".join(evidence))
            records = parsed.get(command + suffix)
            if isinstance(records, str):
                reason = f"output of {command!r} not parseable ({records}); raw output kept as evidence"
                return verdicts.result(item, "ssh", Status.ERROR, reason, seconds, evidence="\n".join(evidence))
            if not isinstance(records, list):
                reason = f"output of {command!r} not parseable; raw output kept as evidence"
                return verdicts.result(item, "ssh", Status.ERROR, reason, seconds, evidence="\n".join(evidence))
            target = facts if suffix or first is None else first
            PARSERS[(platform, command)](records, target)
    commands = commands_for(platform, ssh_kind(item.check)) or ()
    return _explained(verdicts.judged(item, "ssh", facts, first, seconds, "\n".join(evidence)), commands, facts)


MISSING = "is not in the device's output"


def _explained(result: CheckResult, commands: tuple[str, ...], facts: Facts) -> CheckResult:
    """Name the commands a missing port was looked for in, and put the lines of the ports that fell
    short (as the device printed them) before the raw outputs in the evidence."""
    read = " and ".join(f"`{command}`" for command in commands)
    ports = {
        port: dataclasses.replace(o, reason=f"{o.reason} (no row for it in {read}: check its name)")
        if o.status is Status.ERROR and o.reason.endswith(MISSING)
        else o
        for port, o in result.ports.items()
    }
    lines: list[str] = []
    for port, outcome in ports.items():
        if outcome.status is Status.PASS:
            continue
        name = facts.names.get(canonical(port), port)
        lines += [line for line in result.evidence.splitlines() if name in {w.strip(",:;") for w in line.split()}][:3]
    if ports == result.ports and not lines:
        return result
    evidence = result.evidence
    if lines:
        evidence = "ports that fell short, as the device lists them:\n" + "\n".join(lines) + "\n\n" + evidence
    return dataclasses.replace(result, ports=ports, reason=judge.overall(ports)[1], evidence=evidence)


def _session_and_parse(
    target: SshTarget, commands: list[str], again: list[str], interval: float
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
