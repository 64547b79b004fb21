"""A whole lab per sample runbook against real Netmiko, with host keys checked; each fault has its effect."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from netmiko import ConnectHandler, NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout
from netmiko.base_connection import BaseConnection

from golive.checks.ssh.commands import COMMANDS
from golive.lab.lab import Lab
from golive.lab.registry import find_lab
from tests.peers.lab import running_lab

RUNBOOKS = sorted((Path(__file__).parents[2] / "runbooks").glob("*.yaml"))


def connect(lab: Lab, device: str, **extra: object) -> BaseConnection:
    assert lab.info is not None
    ssh = lab.info.devices[device].ssh
    assert ssh is not None
    return ConnectHandler(
        device_type=lab.world.devices[device].platform, host="127.0.0.1", port=ssh.port,
        username=ssh.username, password=ssh.password, secret=ssh.secret,
        ssh_strict=True, system_host_keys=False, alt_host_keys=True, alt_key_file=lab.info.known_hosts,
        conn_timeout=3, banner_timeout=3, auth_timeout=3, fast_cli=False, **extra,
    )  # fmt: skip


def wait_for(predicate: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("condition not reached")


@pytest.mark.parametrize("runbook", RUNBOOKS, ids=lambda p: p.stem)
def test_every_sample_runbook_lab_answers_parsed_outputs(
    runbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOLIVE_LAB_DIR", str(tmp_path / "labs"))
    with running_lab(runbook) as lab:
        assert lab.info is not None
        assert oct(Path(lab.info.known_hosts).stat().st_mode & 0o777) == "0o600"
        assert find_lab(lab.info.runbook_id) is not None
        for device in lab.ssh_devices():
            platform = lab.world.devices[device].platform
            with connect(lab, device) as conn:
                records = conn.send_command(COMMANDS[platform]["port"][0], use_textfsm=True)
            assert isinstance(records, list) and len(records) >= len(lab.world.devices[device].ports)
        for port in lab.info.services.values():
            with socket.create_connection(("127.0.0.1", port), timeout=2):
                pass
        child = lab.ssh_process
        assert child is not None
    assert child.poll() is not None, "the SSH child outlived the lab"
    assert find_lab(lab.info.runbook_id) is None


@pytest.fixture(scope="module")
def idf_lab() -> Iterator[Lab]:
    with running_lab(Path(__file__).parents[2] / "runbooks" / "idf-access-stack.yaml", register=False) as lab:
        yield lab


def _status(lab: Lab, port: str) -> str:
    with connect(lab, "idf2b-new") as conn:
        rows = conn.send_command("show interfaces status", use_textfsm=True)
    assert isinstance(rows, list)
    return str(next(r["status"] for r in rows if r["port"] == port))


def test_port_down_seen_mid_session_then_cleared(idf_lab: Lab) -> None:
    with connect(idf_lab, "idf2b-new") as conn:
        before = conn.send_command("show interfaces status", use_textfsm=True)
        idf_lab.fault("idf2b-new", "port-down", "Gi1/0/20")
        after = conn.send_command("show interfaces status", use_textfsm=True)
    assert isinstance(before, list) and isinstance(after, list)
    assert next(r["status"] for r in before if r["port"] == "Gi1/0/20") == "connected"
    assert next(r["status"] for r in after if r["port"] == "Gi1/0/20") == "notconnect"
    idf_lab.clear("idf2b-new")
    assert _status(idf_lab, "Gi1/0/20") == "connected"


def test_bad_credentials_is_an_authentication_error(idf_lab: Lab) -> None:
    idf_lab.fault("idf2b-new", "bad-credentials")
    try:
        time.sleep(0.5)  # the child applies server-side faults within its poll interval
        with pytest.raises(NetmikoAuthenticationException):
            connect(idf_lab, "idf2b-new")
    finally:
        idf_lab.clear()
    time.sleep(0.5)
    assert _status(idf_lab, "Gi1/0/20") == "connected"


def test_unreachable_refuses_quickly(idf_lab: Lab) -> None:
    idf_lab.fault("core-a", "unreachable")
    try:
        port = idf_lab.info.devices["core-a"].ssh.port  # type: ignore[union-attr]

        def refused() -> bool:
            with socket.socket() as sock:
                return sock.connect_ex(("127.0.0.1", port)) != 0

        wait_for(refused)
        started = time.monotonic()
        with pytest.raises(NetmikoTimeoutException):
            connect(idf_lab, "core-a")
        assert time.monotonic() - started < 5
    finally:
        idf_lab.clear()

    def answers() -> bool:
        try:
            connect(idf_lab, "core-a").disconnect()
        except NetmikoTimeoutException:
            return False
        return True

    wait_for(answers, timeout=10)


def test_changed_host_key_is_rejected(idf_lab: Lab) -> None:
    idf_lab.fault("core-b", "host-key-changed")
    try:
        time.sleep(0.5)
        with pytest.raises(Exception, match=r"(?i)host key|not found in known_hosts|BadHostKey"):
            connect(idf_lab, "core-b")
    finally:
        idf_lab.clear()


def test_slow_device_delays_outputs(idf_lab: Lab) -> None:
    with connect(idf_lab, "core-a") as conn:
        idf_lab.fault("core-a", "slow", "1.5")
        try:
            started = time.monotonic()
            conn.send_command("show interface status", use_textfsm=True, read_timeout=20)
            assert time.monotonic() - started >= 1.5
        finally:
            idf_lab.clear()


def test_service_down_closes_the_port(idf_lab: Lab) -> None:
    assert idf_lab.info is not None
    key, port = next(iter(idf_lab.info.services.items()))
    socket.create_connection(("127.0.0.1", port), timeout=2).close()
    idf_lab.fault("-", "service-down", key)
    try:
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) != 0
    finally:
        idf_lab.clear()
    socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_no_banner_holds_the_connection_silent_then_clears(idf_lab: Lab) -> None:
    port = idf_lab.info.devices["core-a"].ssh.port  # type: ignore[union-attr]

    def silent() -> bool:
        """Accepted, and not a word within 1 s: no SSH banner (FakeNOS takes up to ~1 s to stop first)."""
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
                sock.settimeout(1.0)
                sock.recv(16)
        except TimeoutError:
            return True
        except OSError:
            return False
        return False

    idf_lab.fault("core-a", "no-banner")
    try:
        wait_for(silent, timeout=10)
    finally:
        idf_lab.clear()

    def banner() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                return sock.recv(4) == b"SSH-"
        except OSError:
            return False

    wait_for(banner, timeout=10)


def test_dies_answers_the_first_command_then_drops_the_session(idf_lab: Lab) -> None:
    idf_lab.fault("idf2b-new", "dies")
    try:
        time.sleep(0.5)
        with connect(idf_lab, "idf2b-new") as conn:
            first = conn.send_command("show interfaces status", use_textfsm=True)
            assert isinstance(first, list) and first
            with pytest.raises((OSError, EOFError, ReadTimeout)):
                conn.send_command("show interfaces status", read_timeout=3)
                conn.send_command("show interfaces status", read_timeout=3)  # the write after the drop
    finally:
        idf_lab.clear()
    time.sleep(0.5)
    assert _status(idf_lab, "Gi1/0/20") == "connected"


def test_garbage_answers_every_show_command_with_unparseable_text(idf_lab: Lab) -> None:
    idf_lab.fault("idf2b-new", "garbage")
    try:
        time.sleep(0.5)
        with connect(idf_lab, "idf2b-new") as conn:
            text = conn.send_command("show interfaces status")
        assert "fwd-table walk aborted" in str(text)
    finally:
        idf_lab.clear()
    time.sleep(0.5)
    assert _status(idf_lab, "Gi1/0/20") == "connected"


def test_typed_line_is_echoed_whole_after_the_typing_latency(idf_lab: Lab) -> None:
    """The lab echoes what arrived in one write (FakeNOS alone: one packet a character), after the
    10 ms a character FakeNOS's latency model charges; \\r and \\n each end a line, as in FakeNOS."""
    with connect(idf_lab, "idf2b-new") as conn:
        channel = conn.remote_conn
        conn.clear_buffer()
        typed = b"terminal length 0"
        started = time.monotonic()
        channel.sendall(typed + b"\r\nshow x\n")
        first = channel.recv(4096)
        seconds = time.monotonic() - started
        seen = first
        while seen.count(b"#") < 3:  # a prompt after \r, one after \n, one after the answer to `show x`
            seen += channel.recv(4096)
    assert first.startswith(typed + b"\r\n"), first  # the whole echo arrived at once, line end as \r\n
    assert seconds >= 0.01 * (len(typed) - 1)
    assert seen.count(b"#show x\r\n% Invalid input") == 1, seen
