"""The rest of the SSH fault matrix against the real lab (FakeNOS in its child, Netmiko, ntc-templates).

A port that accepts and never sends a banner, a device that drops the session after its first
answer, and a device that answers garbage each end as `error` with the reason in plain words
within 5 s, while another device's checks, run in the same engine run, complete and pass.
(Closed port, bad password, changed host key and SNMP timeout: test_engine_lab.py.)
"""

from __future__ import annotations

import asyncio
import socket
import time

import pytest

from golive.checks.engine import Engine
from golive.checks.plan import items_for
from golive.checks.results import CheckResult, Status
from golive.lab.faults import FaultError, apply_fault, parse_fault
from golive.lab.lab import Lab
from golive.lab.world import World

from .test_engine_lab import explain, settle

LIMIT_S = 5.0


def run_beside(lab: Lab, faulty: str, healthy: str) -> tuple[list[CheckResult], list[CheckResult]]:
    """One engine run over two tasks' checks: the faulty device's and a healthy one's."""
    engine = Engine(lab.runbook, rehearsal=False, lab=lab.info, default_timeout=LIMIT_S)
    items = items_for(lab.runbook, faulty) + items_for(lab.runbook, healthy)
    try:
        results = asyncio.run(engine.run_all(items))
    finally:
        engine.close()
    return [r for r in results if r.task == faulty], [r for r in results if r.task == healthy]


def silent(lab: Lab, device: str) -> None:
    """Wait until the device's port accepts and says nothing (FakeNOS takes up to ~1 s to stop first)."""
    assert lab.info is not None and lab.info.devices[device].ssh is not None
    port = lab.info.devices[device].ssh.port
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.settimeout(1.0)
                sock.recv(4)
        except TimeoutError:
            return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{device} never went silent")


def faulted(lab: Lab, device: str, kind: str, faulty: str, healthy: str) -> tuple[list[CheckResult], list[CheckResult]]:
    try:
        lab.fault(device, kind)
        settle()
        if kind == "no-banner":
            silent(lab, device)
        return run_beside(lab, faulty, healthy)
    finally:
        lab.clear()
        settle(lab)


def test_a_port_that_never_sends_a_banner_is_an_error_within_5_s(matrix_lab: Lab) -> None:
    bad, good = faulted(matrix_lab, "nxos", "no-banner", "nxos-ssh", "cx-ssh")
    assert bad and all(r.status is Status.ERROR for r in bad), explain({r.key: r for r in bad})
    assert all("accepted the connection but sent no SSH banner" in r.reason for r in bad), bad[0].reason
    assert all(r.duration_ms < LIMIT_S * 1000 for r in bad), [r.duration_ms for r in bad]
    assert good and all(r.status is Status.PASS for r in good), explain({r.key: r for r in good})


def test_a_device_that_drops_the_session_mid_way_is_an_error_and_its_first_answer_stands(matrix_lab: Lab) -> None:
    bad, good = faulted(matrix_lab, "ios", "dies", "ios-ssh", "eos-ssh")
    by_key = {r.key: r for r in bad}
    # the first command (show interfaces status) was answered before the device dropped the session
    assert by_key["ios-ssh#1"].status is Status.PASS, explain(by_key)
    dropped = [r for r in bad if r.status is not Status.PASS]
    assert dropped and all(r.status is Status.ERROR for r in dropped), explain(by_key)
    for result in dropped:
        assert "dropped the SSH session mid-session" in result.reason, result.reason
        assert "not answered" in result.reason, result.reason
        assert result.duration_ms < LIMIT_S * 1000, (result.key, result.duration_ms)
    assert good and all(r.status is Status.PASS for r in good), explain({r.key: r for r in good})


def test_an_unparseable_answer_is_an_error_that_keeps_the_raw_output(matrix_lab: Lab) -> None:
    # eos answers garbage; a template that reads unknown text as "no rows" must not turn it into a fail
    bad, good = faulted(matrix_lab, "eos", "garbage", "eos-ssh", "cx-ssh")
    assert bad and all(r.status is Status.ERROR for r in bad), explain({r.key: r for r in bad})
    for result in bad:
        assert "not parseable" in result.reason, result.reason
        assert "raw output kept as evidence" in result.reason, result.reason
        assert "fwd-table walk aborted" in result.evidence, result.evidence
        assert result.duration_ms < LIMIT_S * 1000, (result.key, result.duration_ms)
    assert good and all(r.status is Status.PASS for r in good), explain({r.key: r for r in good})


def test_the_same_checks_pass_once_the_faults_are_cleared(matrix_lab: Lab) -> None:
    results = run_beside(matrix_lab, "ios-ssh", "nxos-ssh")
    everything = {r.key: r for r in results[0] + results[1]}
    assert all(r.status is Status.PASS for r in everything.values()), explain(everything)


@pytest.mark.parametrize("kind", ["no-banner", "dies", "garbage"])
def test_the_new_fault_kinds_parse_and_apply_and_take_no_argument(kind: str) -> None:
    world = World.model_validate({"runbook_id": "r", "devices": {"sw1": {"platform": "cisco_ios", "hostname": "SW1"}}})
    device, parsed_kind, args = parse_fault(f"sw1:{kind}")
    faulted_world = apply_fault(world, device, parsed_kind, args)
    flag = {"no-banner": "no_banner", "dies": "dies", "garbage": "garbage"}[kind]
    assert getattr(faulted_world.devices["sw1"], flag) is True
    assert getattr(world.devices["sw1"], flag) is False  # a copy: the lab's pristine world is untouched
    with pytest.raises(FaultError, match="takes no arguments"):
        apply_fault(world, "sw1", kind, ["extra"])
