"""The engine against real peers: FakeNOS over SSH, snmpsim over SNMP, TCP listeners, all on 127.0.0.1.

Every kind passes on a healthy lab over both transports and five platforms; each injected fault
turns the right check into fail (the device answered) or error (we could not tell), with its
reason, while the checks of the other devices complete.
"""

from __future__ import annotations

import asyncio
import socket
import time

import pytest

from golive.checks.engine import Engine
from golive.checks.plan import items_for
from golive.checks.results import CheckResult, Status
from golive.lab.lab import Lab


def settle(lab: Lab | None = None) -> None:
    """Let a fault or a clear reach the peers: the SSH child polls its world file every 0.5 s and snmpsim
    compares mtimes in whole seconds; after a clear, wait until every SSH device listens again."""
    time.sleep(1.2)
    if lab is None or lab.info is None:
        return
    deadline = time.monotonic() + 15
    for endpoints in lab.info.devices.values():
        if endpoints.ssh is None:
            continue
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", endpoints.ssh.port), timeout=1) as sock:
                    if sock.recv(4).startswith(b"SSH"):
                        break
            except OSError:
                time.sleep(0.2)


def run(lab: Lab, task: str | None = None, **options: object) -> dict[str, CheckResult]:
    engine = Engine(lab.runbook, rehearsal=False, lab=lab.info, **options)  # type: ignore[arg-type]
    try:
        results = asyncio.run(engine.run_all(items_for(lab.runbook, task)))
    finally:
        engine.close()
    return {r.key: r for r in results}


def explain(results: dict[str, CheckResult]) -> str:
    return "\n".join(f"{k} {r.status} {r.transport} {r.reason}" for k, r in results.items() if r.status != "pass")


def test_every_kind_passes_over_ssh_and_snmp_on_a_healthy_lab(matrix_lab: Lab) -> None:
    results = run(matrix_lab)
    assert all(r.status is Status.PASS for r in results.values()), explain(results)
    transports = {r.key: r.transport for r in results.values()}
    assert transports["ios-ssh#1"] == "ssh" and transports["ios-snmp#1"] == "snmp"
    assert transports["comware-snmp#1"] == "snmp"  # SNMP wins when the device has both
    assert results["ios-ssh#1"].ports.keys() == {"Gi1/0/1", "Gi1/0/2", "Gi1/0/3", "Gi1/0/4"}
    assert "show interfaces status" in results["ios-ssh#1"].evidence
    assert "1.3.6.1.2.1.2.2.1.8" in results["ios-snmp#1"].evidence


@pytest.mark.parametrize(
    ("fault", "args", "checks"),
    [
        ("port-down", ["Gi1/0/3"], ["ios-ssh#1", "ios-snmp#1"]),
        ("wrong-vlan", ["Gi1/0/2", "999"], ["ios-ssh#2", "ios-snmp#2"]),
        ("poe-off", ["Gi1/0/4"], ["ios-ssh#4", "ios-snmp#3"]),
        ("neighbor-missing", ["Gi1/0/4"], ["ios-ssh#6", "ios-snmp#4"]),
        ("mac-absent", ["Gi1/0/1"], ["ios-ssh#7"]),  # MACs over SNMP: not on Catalyst IOS (per-VLAN FDB)
        ("errors", ["Te1/1/1", "25"], ["ios-ssh#9", "ios-snmp#6"]),
    ],
)
def test_a_fault_fails_the_check_that_looks_at_it(
    matrix_lab: Lab, fault: str, args: list[str], checks: list[str]
) -> None:
    try:
        matrix_lab.fault("ios", fault, *args)
        settle()
        results = run(matrix_lab, None)
    finally:
        matrix_lab.clear()
        settle(matrix_lab)
    for key in checks:
        assert results[key].status is Status.FAIL, f"{key}: {results[key].status} {results[key].reason}"
        assert results[key].reason
    untouched = [k for k, r in results.items() if not k.startswith("ios") and r.status is not Status.PASS]
    assert not untouched, explain(results)


@pytest.mark.parametrize(
    ("fault", "device", "task", "other", "reason"),
    [
        ("unreachable", "nxos", "nxos-ssh", "ios-snmp", "unreachable"),
        ("host-key-changed", "cx", "cx-ssh", "ios-snmp", "host key CHANGED"),
        # last of the SSH faults: after a refused login the lab's FakeNOS child is slow to accept again
        ("bad-credentials", "eos", "eos-ssh", "ios-snmp", "authentication failed"),
        ("unreachable", "ios", "ios-snmp", "comware-snmp", "SNMP timeout"),
        ("bad-credentials", "comware", "comware-snmp", "services", "SNMP timeout"),
    ],
)
def test_a_device_fault_is_an_error_with_its_reason_within_5_s(
    matrix_lab: Lab, fault: str, device: str, task: str, other: str, reason: str
) -> None:
    try:
        matrix_lab.fault(device, fault)
        settle()
        started = time.monotonic()
        results = run(matrix_lab, task, default_timeout=6.0)
        took = time.monotonic() - started
        others = run(matrix_lab, other)
    finally:
        matrix_lab.clear()
        settle(matrix_lab)
    assert all(r.status is Status.ERROR and reason in r.reason for r in results.values()), explain(results)
    # 5 s on an idle machine (see the issue-3 note); CI runs three labs on two cores at once
    assert took < 6.0 + 1.0, took
    assert all(r.status is Status.PASS for r in others.values()), explain(others)


def test_a_slow_device_times_out_as_an_error_while_others_complete(matrix_lab: Lab) -> None:
    try:
        matrix_lab.fault("eos", "slow", "8")
        settle()
        engine = Engine(matrix_lab.runbook, rehearsal=False, lab=matrix_lab.info, default_timeout=3.0)
        items = items_for(matrix_lab.runbook, "eos-ssh") + items_for(matrix_lab.runbook, "cx-ssh")
        order: list[str] = []

        async def collect() -> list[CheckResult]:
            out = []
            async for result in engine.run(items):
                order.append(result.key)
                out.append(result)
            return out

        results = {r.key: r for r in asyncio.run(collect())}
        engine.close()
    finally:
        matrix_lab.clear()
        settle(matrix_lab)
    assert results["eos-ssh#1"].status is Status.ERROR and "timed out" in results["eos-ssh#1"].reason
    assert results["cx-ssh#1"].status is Status.PASS
    assert order.index("cx-ssh#1") < order.index("eos-ssh#1")  # streamed as they complete


def test_a_service_down_fails_the_tcp_check(matrix_lab: Lab) -> None:
    try:
        matrix_lab.fault("", "service-down", "203.0.113.10:104")
        settle()
        results = run(matrix_lab, "services")
    finally:
        matrix_lab.clear()
        settle(matrix_lab)
    assert results["services#1"].status is Status.FAIL
    assert "refused" in results["services#1"].reason


def test_unknown_host_key_is_refused_then_trusted_on_request(matrix_lab: Lab, tmp_path: object) -> None:
    from dataclasses import replace

    assert matrix_lab.info is not None
    empty = tmp_path / "known_hosts"  # type: ignore[operator]
    empty.write_text("")
    info = matrix_lab.info.model_copy(update={"known_hosts": str(empty)})
    engine = Engine(matrix_lab.runbook, rehearsal=False, lab=info)
    refused = asyncio.run(engine.run_all(items_for(matrix_lab.runbook, "cx-ssh")))
    assert all(r.status is Status.ERROR and "host key unknown" in r.reason for r in refused)
    trusting = Engine(matrix_lab.runbook, rehearsal=False, lab=info, trust_new_hosts=True)
    trusted = asyncio.run(trusting.run_all(items_for(matrix_lab.runbook, "cx-ssh")))
    assert all(r.status is Status.PASS for r in trusted), [replace(r, evidence="") for r in trusted]
    _kind, fingerprint, _key = trusting.new_host_keys["cx"]
    assert fingerprint.startswith("SHA256:")


def test_a_rehearsal_without_a_lab_contacts_nothing_and_is_simulated(matrix_lab: Lab) -> None:
    engine = Engine(matrix_lab.runbook, rehearsal=True, lab=None)
    results = asyncio.run(engine.run_all(items_for(matrix_lab.runbook)))
    assert results and all(r.status is Status.SIMULATED for r in results)
    assert all("not checked" in r.reason for r in results)


def test_live_without_a_lab_never_contacts_a_documentation_address(matrix_lab: Lab) -> None:
    engine = Engine(matrix_lab.runbook, rehearsal=False, lab=None)
    started = time.monotonic()
    results = asyncio.run(
        engine.run_all(items_for(matrix_lab.runbook, "ios-ssh") + items_for(matrix_lab.runbook, "services"))
    )
    assert time.monotonic() - started < 3
    assert all(r.status is Status.ERROR and "documentation address" in r.reason for r in results), [
        r.reason for r in results
    ]
