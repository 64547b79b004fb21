"""Debian's real net-snmp `snmpd` on 127.0.0.1, for tests that need an agent golive did not write.

It serves the machine's real interfaces (so a veth going down in tests/peers/netns.py is seen the
way a switch's agent would see a cable pulled), with a random v2c community and a random SNMPv3
SHA/AES user. Its persistent state (engine id, users) lives in the test's temporary directory.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from golive.checks.endpoints import SnmpEndpoint

READY_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class SnmpdPeer:
    v2c: SnmpEndpoint
    v3: SnmpEndpoint
    pid: int
    log: Path


def snmpd_binary() -> str | None:
    return shutil.which("snmpd") or next(
        (path for path in ("/usr/sbin/snmpd", "/sbin/snmpd") if os.access(path, os.X_OK)), None
    )


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_snmpd(directory: Path) -> Iterator[SnmpdPeer]:
    """Start snmpd in `directory`, wait until it answers both v2c and v3, stop it afterwards."""
    binary = snmpd_binary()
    if binary is None:
        pytest.skip("net-snmp snmpd is not installed (Debian package snmpd)")
    directory.mkdir(parents=True, exist_ok=True)
    community = "c" + secrets.token_hex(8)
    user = "u" + secrets.token_hex(4)
    auth_key, priv_key = secrets.token_hex(12), secrets.token_hex(12)
    log = directory / "snmpd.log"
    last_failure = ""
    for _attempt in range(3):  # the free port can be taken before snmpd binds it
        port = _free_udp_port()
        config = directory / "snmpd.conf"
        config.write_text(
            f"agentAddress udp:127.0.0.1:{port}\n"
            f"rocommunity {community} 127.0.0.1\n"
            f'createUser {user} SHA "{auth_key}" AES "{priv_key}"\n'
            f"rouser {user} priv\n"
            "master no\n",
            encoding="utf-8",
        )
        config.chmod(0o600)
        environment = {**os.environ, "MIBS": "", "SNMP_PERSISTENT_DIR": str(directory / "persist")}
        process = subprocess.Popen(
            [binary, "-f", "-Lf", str(log), "-C", "-c", str(config), "-p", str(directory / "snmpd.pid")],
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        peer = SnmpdPeer(
            v2c=SnmpEndpoint(port=port, version="2c", community=community),
            v3=SnmpEndpoint(port=port, version="3", user=user, auth_key=auth_key, priv_key=priv_key),
            pid=process.pid,
            log=log,
        )
        try:
            if _answers(process, peer):
                yield peer
                return
            last_failure = log.read_text(encoding="utf-8", errors="replace")[-400:] if log.exists() else ""
        finally:
            _stop(process)
    raise RuntimeError(f"snmpd did not answer on 127.0.0.1: {last_failure}")


def _answers(process: subprocess.Popen[bytes], peer: SnmpdPeer) -> bool:
    from tests.peers import SnmpQueryError, snmp_get

    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            snmp_get(peer.v2c, "1.3.6.1.2.1.1.5.0", timeout=0.3)
            return True
        except SnmpQueryError:
            time.sleep(0.1)
    return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def snmpd_peer(tmp_path: Path) -> Iterator[SnmpdPeer]:
    """A running snmpd (v2c and v3 endpoints), stopped at teardown; skips where snmpd is absent."""
    with running_snmpd(tmp_path / "snmpd") as peer:
        yield peer
