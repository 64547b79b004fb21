"""One SSH session per device per batch, in a worker thread: connect, send the batch's commands, parse.

Netmiko is synchronous and its connections are not thread-safe, so each device gets its own
session in its own thread and the engine awaits it. Only commands in the read-only allowlist
(golive.checks.ssh.commands.ALLOWED) are ever sent. Host keys are verified against known_hosts;
an unknown key is refused unless trust-on-first-use was asked for, and then its fingerprint is
reported; a changed key is always refused. No session log is kept (Netmiko's would hold secrets).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import re
import select
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import paramiko

from golive.checks.ssh import known_hosts
from golive.checks.ssh.commands import ALLOWED, looks_like

# Where Netmiko's enable() raises the privilege level for show commands. Elsewhere it means
# something else (on Comware it enters system-view, a configuration mode): never call it there.
ENABLE_IS_PRIVILEGE = frozenset({"cisco_ios", "cisco_xe", "cisco_asa", "arista_eos"})


# paramiko logs every failed handshake or reset with a traceback; with no logging configured Python
# prints those on stderr, across golive's live table. golive reports the reason itself.
logging.getLogger("paramiko").addHandler(logging.NullHandler())


WAIT_S = 0.25  # longest wait for data inside one read (Netmiko's loop then checks its read timeout)


class SessionError(Exception):
    """The device could not be asked: the message is the reason in plain words, with no secret in it."""


def fingerprint(key: paramiko.PKey) -> str:
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


class _KeyPolicy(paramiko.MissingHostKeyPolicy):  # type: ignore[misc]
    """Unknown host keys: remember the fingerprint, then refuse (or accept, when trusting new hosts)."""

    def __init__(self, trust_new: bool) -> None:
        self.trust_new = trust_new
        self.new_key: tuple[str, str, str] | None = None  # (key type, fingerprint, base64)

    def missing_host_key(self, client: paramiko.SSHClient, hostname: str, key: paramiko.PKey) -> None:
        self.new_key = (key.get_name(), fingerprint(key), key.get_base64())
        if not self.trust_new:
            raise SessionError(
                f"host key unknown for {hostname} ({key.get_name()} {self.new_key[1]}): add it to known_hosts, "
                "or run with --trust-new-hosts to accept and journal it"
            )
        client.get_host_keys().add(hostname, key.get_name(), key)


@dataclass(frozen=True)
class SshTarget:
    name: str  # the runbook's device id
    platform: str
    host: str
    port: int
    username: str
    password: str = field(repr=False)
    secret: str = field(default="", repr=False)
    known_hosts: Path | None = None
    trust_new: bool = False
    connect_timeout: float = 3.0
    read_timeout: float = 10.0


@dataclass
class CommandOutput:
    command: str
    output: str = ""
    seconds: float = 0.0
    error: str = ""  # a reason when this command could not be answered


@dataclass
class SessionResult:
    outputs: dict[str, CommandOutput] = field(default_factory=dict)
    new_host_key: tuple[str, str, str] | None = None  # accepted on first use: (type, fingerprint, base64)
    connect_seconds: float = 0.0


_NOT_SUPPORTED = ("% invalid input", "% incomplete command", "% unknown command", "% ambiguous command",
                  "unrecognized command", "invalid command", "% wrong parameter")  # fmt: skip


def prompt_pattern(prompt: str) -> str:
    """The device's prompt as the last thing read: the end of a command's answer.

    Anchored at the start of a line and at the end of what has arrived so far, so a hostname quoted
    inside an output (a neighbor named like this switch) never ends the read early."""
    return r"(?:^|\n)" + re.escape(prompt.strip()) + r"\s*$"


def _after_echo(output: str, command: str) -> str:
    """What follows the echo of `command`: a prompt the device printed before the echo (left over from
    session preparation, say) must not become the first line of the answer."""
    echo = output.find(command)
    if echo < 0:
        return output
    newline = output.find("\n", echo)
    return "" if newline < 0 else output[newline + 1 :]


def _send(conn: Any, platform: str, command: str, read_timeout: float, ends: str) -> CommandOutput:
    begun = time.monotonic()
    # the prompt is known from the session's start: no find_prompt() round trip before each command
    raw = conn.send_command(
        command, expect_string=ends, auto_find_prompt=False, read_timeout=read_timeout, strip_command=False
    )
    output = _after_echo(str(raw), command)
    entry = CommandOutput(command, output, time.monotonic() - begun)
    if any(marker in output.lower()[:200] for marker in _NOT_SUPPORTED):
        entry.error = f"command not supported by the device: {command!r}"
    elif output.strip() and not looks_like(platform, command, output):
        entry.error = (
            f"the answer to {command!r} is not parseable: it does not look like that command's output "
            "(raw output kept as evidence)"
        )
    return entry


def _fail_fast_when_dropped(conn: Any) -> None:
    """Netmiko polls a closed channel until its read timeout; a dropped session should say so at once."""
    read_channel = conn.read_channel

    def reading() -> str:
        data = str(read_channel())
        channel = conn.remote_conn
        if not data and isinstance(channel, paramiko.Channel) and (channel.closed or channel.eof_received):
            raise EOFError("the device closed the SSH session")
        return data

    conn.read_channel = reading


def _wait_while_reading_to_a_pattern(conn: Any) -> None:
    """While Netmiko reads until a pattern (an echo, a prompt), a read waits for data to arrive.

    Netmiko polls: a read that finds nothing returns at once and its loop sleeps 10-25 ms and reads
    again, ~120 empty reads a session, each through its channel lock, line-end normalization and
    pattern search, in a process where 50 sessions share one interpreter lock. Inside
    `read_until_pattern` and `send_command` (both only ever wait for a pattern) a read now first
    waits, up to WAIT_S, for the channel to have data (paramiko's channel is selectable) and
    returns it as soon as it arrives; their loops and read timeouts are unchanged. Elsewhere
    (clear_buffer, find_prompt) a read stays immediate: they read until nothing is left."""
    read_channel = conn.read_channel
    depth = [0]

    def reading() -> str:
        channel = conn.remote_conn
        if depth[0] and isinstance(channel, paramiko.Channel) and not conn._read_buffer and not channel.recv_ready():
            select.select([channel], [], [], WAIT_S)
        return str(read_channel())

    def waiting(method: Any) -> Any:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            depth[0] += 1
            try:
                return method(*args, **kwargs)
            finally:
                depth[0] -= 1

        return wrapped

    conn.read_channel = reading
    conn.read_until_pattern = waiting(conn.read_until_pattern)
    conn.send_command = waiting(conn.send_command)


def _reason(exc: BaseException, target: SshTarget) -> str:
    """Netmiko's and paramiko's failures in the technician's words (never with a secret)."""
    from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout

    where = f"{target.host}:{target.port}"
    # Netmiko re-raises paramiko's errors as its own: the host-key verdict hides in the chain
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, (SessionError, paramiko.BadHostKeyException)):
            exc = cause
            break
        cause = cause.__cause__ or cause.__context__
    text = str(exc).lower()
    if isinstance(exc, SessionError):
        return str(exc)
    if isinstance(exc, paramiko.BadHostKeyException):
        return (
            f"host key CHANGED for {where}: known {fingerprint(exc.expected_key)}, offered {fingerprint(exc.key)} "
            "- refusing to connect (a replaced device, or someone in the middle: verify before trusting)"
        )
    if isinstance(exc, NetmikoAuthenticationException):
        return f"authentication failed for user {target.username!r} on {where}: check the credential reference"
    if isinstance(exc, ReadTimeout):
        return f"timed out waiting for the device's answer after {target.read_timeout:g} s"
    if isinstance(exc, NetmikoTimeoutException):
        if "banner" in text or "no existing session" in text:  # paramiko gave up waiting for the banner
            return f"{where} accepted the connection but sent no SSH banner within {target.connect_timeout:g} s"
        if "refused" in text or "tcp connection" in text:
            return f"unreachable: {where} refused or did not answer the SSH connection"
        return f"timed out connecting to {where}"
    if isinstance(exc, paramiko.SSHException):
        if "banner" in text:
            return f"{where} accepted the connection but sent no SSH banner within {target.connect_timeout:g} s"
        return f"SSH negotiation with {where} failed: {type(exc).__name__}"
    if isinstance(exc, ConnectionRefusedError):
        return f"unreachable: {where} refused the SSH connection"
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return f"timed out talking to {where}"
    if isinstance(exc, EOFError) or "socket is closed" in text:
        return f"the device at {where} dropped the SSH session mid-session"
    if isinstance(exc, OSError):
        return f"connection to {where} lost mid-session ({type(exc).__name__})"
    return f"SSH to {where} failed: {type(exc).__name__}"


def _verify_with(conn: Any, target: SshTarget, policy: _KeyPolicy) -> None:
    """The session's SSH client knows its host's keys from known_hosts parsed once per file (Netmiko
    would parse the whole file for every session), and refuses or records unknown ones by `policy`."""
    conn._build_ssh_client = lambda: known_hosts.client_for(target.host, target.port, target.known_hosts, policy)


def _remember_prompts(conn: Any) -> list[str]:
    """Every prompt the connection's find_prompt() sees (session preparation calls it), newest last."""
    seen: list[str] = []
    find_prompt = conn.find_prompt

    def remembering(*args: Any, **kwargs: Any) -> str:
        prompt = str(find_prompt(*args, **kwargs))
        seen.append(prompt)
        return prompt

    conn.find_prompt = remembering
    return seen


def run_session(
    target: SshTarget, commands: list[str], again: list[str] | None = None, interval: float = 0.0
) -> SessionResult:
    """Connect once, send each allowed command, return raw outputs. Runs in a worker thread.

    `again` commands are sent a second time `interval` seconds later (error counters sampled
    twice); their second outputs are keyed "COMMAND@2".
    """
    from netmiko import ConnectHandler

    refused = [c for c in [*commands, *(again or [])] if c not in ALLOWED]
    if refused:
        raise SessionError(f"refusing to send a command that is not a read-only show/display: {refused[0]!r}")
    policy = _KeyPolicy(target.trust_new)
    params: dict[str, Any] = {
        "device_type": target.platform, "host": target.host, "port": target.port,
        "username": target.username, "password": target.password, "secret": target.secret,
        "conn_timeout": target.connect_timeout, "banner_timeout": target.connect_timeout,
        "auth_timeout": target.connect_timeout, "blocking_timeout": target.read_timeout,
        "read_timeout_override": target.read_timeout, "timeout": target.read_timeout,
        "allow_agent": False, "use_keys": False, "system_host_keys": False,
        "alt_host_keys": target.known_hosts is not None, "alt_key_file": str(target.known_hosts or ""),
        # fast_cli only shortens Netmiko's fixed sleeps (clear_buffer, find_prompt) during session
        # preparation; every read golive relies on waits for a pattern: the command's echo, then the prompt
        "ssh_strict": True, "auto_connect": False, "fast_cli": True,
    }  # fmt: skip
    result = SessionResult()
    started = time.monotonic()
    conn = None
    try:
        conn = ConnectHandler(**params)
        conn.key_policy = policy
        _verify_with(conn, target, policy)
        prompts = _remember_prompts(conn)
        _fail_fast_when_dropped(conn)
        _wait_while_reading_to_a_pattern(conn)
        conn._open()  # the public path connects before a key policy can be set
        result.connect_seconds = time.monotonic() - started
        result.new_host_key = policy.new_key
        # the prompt Netmiko found while preparing the session already tells the privilege level
        prompt = prompts[-1] if prompts else conn.find_prompt()
        if target.secret and target.platform in ENABLE_IS_PRIVILEGE and not prompt.endswith("#"):
            conn.enable()
            prompt = conn.find_prompt()
        ends = prompt_pattern(prompt)
        for command in commands:
            result.outputs[command] = _send(conn, target.platform, command, target.read_timeout, ends)
        if again:
            time.sleep(interval)
            for command in again:
                result.outputs[f"{command}@2"] = _send(conn, target.platform, command, target.read_timeout, ends)
    except Exception as exc:
        reason = _reason(exc, target)
        if not result.connect_seconds:
            raise SessionError(reason) from None
        wanted = [*commands, *(f"{c}@2" for c in again or [])]
        answered = sum(1 for command in wanted if command in result.outputs)
        for command in wanted:  # lost mid-session: the answers already read stand
            if command not in result.outputs:
                unanswered = f"{reason} (after {answered} of {len(wanted)} answers; {command!r} not answered)"
                result.outputs[command] = CommandOutput(command, error=unanswered)
    finally:
        if conn is not None:
            channel = conn.remote_conn
            with contextlib.suppress(Exception):  # the device may already be gone; nothing to tell
                conn.disconnect()
            if isinstance(channel, paramiko.Channel):
                channel.close()  # closes the pipe a waiting read selected on (Netmiko closes only the transport)
    return result
