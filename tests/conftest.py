"""Shared test helpers: a small valid runbook, and isolation of golive's per-user files."""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from golive.paths import LAB_DIR_ENV
from golive.progress.payloads import Checked

# Each test process keeps its own registry of running labs (set before any fixture starts one, so
# every lab and every golive it spawns agree): a lab the developer runs for a sample runbook (the
# demo, a rehearsal), or another xdist worker's, would otherwise answer this process's checks.
_LABS = tempfile.mkdtemp(prefix="golive-test-labs-")
os.environ[LAB_DIR_ENV] = _LABS


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_LABS, ignore_errors=True)


VALID = textwrap.dedent(
    """\
    runbook:
      id: demo
      title: Demo cutover
      version: 1
      site: Clinic A
      window: {start: "2026-12-05T22:00-05:00", end: "2026-12-06T02:00-05:00"}
    roles: {net: Network engineer, lead: Clinical lead, pm: Project manager}
    inventory:
      sw1:
        host: 192.0.2.10
        platform: cisco_ios
        credentials: env:GOLIVE_SW1
        snmp: {version: 3, user: golive, credentials: keyring:sw1-snmp}
    phases:
      - id: pre
        title: Pre-checks
        tasks:
          - id: uplink
            title: Confirm the uplink
            owner: net
            duration: 10m
            checks:
              - {kind: port, device: sw1, port: Gi1/0/48, expect: {status: up, speed: 10G}}
      - id: cut
        title: Cut
        tasks:
          - id: patch
            title: Re-patch the rooms
            owner: net
            duration: 45m
            after: [uplink]
            checks:
              - {kind: vlan, device: sw1, ports: Gi1/0/1-24, expect: {access: 120}}
          - id: gate
            title: Go / no-go
            owner: lead
            duration: 5m
            gate: true
            after: [patch]
            signoff: {roles: [lead, pm]}
            rollback: rb
      - id: post
        title: Post-checks
        tasks:
          - id: close
            title: Close out
            owner: pm
            duration: 15m
    rollback:
      rb:
        title: Back to the old stack
        steps:
          - {id: repatch, title: Re-patch to the old stack, duration: 30m, owner: net}
    """
)


IN_WINDOW = datetime(2026, 12, 6, 3, 10, tzinfo=UTC)  # ten minutes into VALID's window (22:00-05:00)


def in_window() -> datetime:
    """A clock for a Cutover whose LIVE run starts inside VALID's window (golive.progress.rules)."""
    return IN_WINDOW


def passed(task: str, index: int = 1) -> Checked:
    """A passing result of a task's check, as the engine journals one: what a sign-off needs first."""
    return Checked(
        check=f"{task}#{index}", index=index, kind="port", transport="ssh", status="pass", expected="as planned"
    )


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep machine ids and default databases out of the real user's directories."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("GOLIVE_DB", raising=False)
    # who the CLI journals when a test names nobody (golive refuses to guess: tests/functional/test_record_rules.py)
    monkeypatch.setenv("GOLIVE_NAME", "Tess Tester")
    for name in ("GOLIVE_INITIALS", "GOLIVE_ROLE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def valid_text() -> str:
    return VALID


@pytest.fixture
def runbook_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.yaml"
    path.write_text(VALID, encoding="utf-8")
    return path
