"""An older switch that speaks only SHA-1 key exchange and ssh-rsa host keys is still reachable.

paramiko 5 dropped diffie-hellman-group14-sha1 / group1-sha1 as a client; golive caps paramiko
(pyproject.toml) so a fresh install still reaches such a switch. The lab device here offers only
those algorithms (the `old-ssh` lab fault, served by FakeNOS on 127.0.0.1): a client that refuses
them is turned away, and golive's real SSH check passes.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from importlib.metadata import requires
from pathlib import Path

import paramiko
import pytest
from packaging.requirements import Requirement

from golive.checks.engine import Engine
from golive.checks.plan import items_for
from golive.checks.results import Status
from golive.lab.fakenos_tune import OLD_KEX
from golive.lab.lab import Lab
from golive.runbook.load import parse_runbook

RUNBOOK = """\
runbook: {id: oldkex, title: An old switch, version: 1, window: {start: "2026-12-05T22:00-05:00", end: "2026-12-06T02:00-05:00"}}
roles: {net: Network engineer}
inventory:
  old: {host: 192.0.2.21, platform: cisco_ios, credentials: env:GOLIVE_TEST_SSH}
phases:
  - id: p
    title: p
    tasks:
      - id: t
        title: t
        duration: 5m
        checks:
          - {kind: port, device: old, port: Gi1/0/1, expect: {status: up}}
"""


@pytest.fixture(scope="module")
def old_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    loaded = parse_runbook(RUNBOOK, "oldkex.yaml")
    with Lab(loaded.runbook, loaded.sha256, directory=Path(tmp_path_factory.mktemp("lab")), register=False) as lab:
        lab.fault("old", "old-ssh")
        time.sleep(1.2)  # the SSH child polls world.json every 0.1 s; its watcher applies the fault
        yield lab


def offered(lab: Lab, **transport_options: object) -> str:
    """The host key type a paramiko client agreed with the lab device, or raises."""
    assert lab.info is not None and lab.info.devices["old"].ssh is not None
    with socket.create_connection(("127.0.0.1", lab.info.devices["old"].ssh.port), timeout=5) as sock:
        transport = paramiko.Transport(sock, **transport_options)  # type: ignore[arg-type]
        try:
            transport.start_client(timeout=5)
            return transport.get_remote_server_key().get_name()
        finally:
            transport.close()


def test_the_lab_device_offers_only_sha1_key_exchange_and_ssh_rsa(old_lab: Lab) -> None:
    assert offered(old_lab) == "ssh-rsa"
    for kex in OLD_KEX:  # each old one alone is enough
        others = [k for k in paramiko.Transport._preferred_kex if k != kex]
        assert offered(old_lab, disabled_algorithms={"kex": others}) == "ssh-rsa"
    with pytest.raises(paramiko.SSHException):
        offered(old_lab, disabled_algorithms={"kex": list(OLD_KEX)})
    with pytest.raises(paramiko.SSHException):
        offered(old_lab, disabled_algorithms={"keys": ["ssh-rsa"]})


def test_golive_reaches_it_over_ssh(old_lab: Lab) -> None:
    engine = Engine(old_lab.runbook, rehearsal=False, lab=old_lab.info)
    try:
        results = asyncio.run(engine.run_all(items_for(old_lab.runbook)))
    finally:
        engine.close()
    assert [(r.status, r.transport) for r in results] == [(Status.PASS, "ssh")], [r.reason for r in results]


def test_golive_caps_paramiko_below_the_release_that_drops_sha1_key_exchange() -> None:
    wanted = [Requirement(r) for r in requires("golive") or [] if r.startswith("paramiko")]
    assert wanted and all(not s.contains("5.0.0") for s in (w.specifier for w in wanted))
    assert int(paramiko.__version__.split(".")[0]) < 5
