"""golive's SNMP client (pysnmp 7 only) against Debian's real snmpd: v2c and v3 authPriv through one
pysnmp engine read the same rows; a wrong community or a dead agent is a timeout said in plain
words; a slow agent is waited for as long as --timeout says; a port check walks only the columns it
expects and stops once its ports are seen; one pysnmp engine serves every run on an event loop."""

from __future__ import annotations

import asyncio
import os
import textwrap
import time
from typing import Any

import pytest

from golive.checks.engine import Engine
from golive.checks.ifnames import canonical
from golive.checks.plan import items_for
from golive.checks.results import CheckResult, Status
from golive.checks.snmp import observe
from golive.checks.snmp.client import Missing, SnmpClient, SnmpError, SnmpTarget, plain
from golive.checks.snmp.loop_engine import LoopEngine
from golive.runbook.load import parse_runbook
from golive.runbook.ports import check_port_name
from tests.peers import snmp_get
from tests.peers.snmpd import SnmpdPeer, _free_udp_port, snmpd_peer

__all__ = ["snmpd_peer"]  # the fixture, used by name below

SYS_NAME = "1.3.6.1.2.1.1.5.0"


def v2c(peer: SnmpdPeer, **changes: Any) -> SnmpTarget:
    target = SnmpTarget("d", "127.0.0.1", peer.v2c.port, "2c", peer.v2c.community, timeout=0.5, retries=1)
    return SnmpTarget(**{**target.__dict__, **changes})


def v3(peer: SnmpdPeer) -> SnmpTarget:
    e = peer.v3
    return SnmpTarget("d", "127.0.0.1", e.port, "3", "", e.user, e.auth, e.auth_key, e.priv, e.priv_key, "", 1.0, 1)


async def _with_client(target: SnmpTarget, work: Any) -> Any:
    engine = LoopEngine()
    try:
        return await work(SnmpClient(engine, target))
    finally:
        engine.close()


def test_v2c_and_v3_read_the_same_rows(snmpd_peer: SnmpdPeer) -> None:
    columns = [observe.IF_NAME, observe.IF_ADMIN, observe.IF_OPER]

    async def both() -> tuple[Any, Any, Any, Any]:
        engine = LoopEngine()  # one pysnmp engine for both versions
        community, secure = SnmpClient(engine, v2c(snmpd_peer)), SnmpClient(engine, v3(snmpd_peer))
        try:
            return (await community.walk(columns, first=1), await secure.walk(columns),
                    await community.get([SYS_NAME, "1.3.6.1.2.1.1.99.0"]), await secure.get([SYS_NAME]))  # fmt: skip
        finally:
            engine.close()

    walked_v2c, walked_v3, got_v2c, got_v3 = asyncio.run(both())
    assert walked_v2c == walked_v3
    assert "lo" in walked_v2c[observe.IF_NAME].values()
    assert set(walked_v2c[observe.IF_ADMIN].values()) <= {1, 2, 3}
    assert got_v2c == {SYS_NAME: got_v3[SYS_NAME], "1.3.6.1.2.1.1.99.0": None}  # a missing OID is None
    assert isinstance(got_v3[SYS_NAME], str) and got_v3[SYS_NAME]


@pytest.mark.parametrize("what", ["wrong community", "no agent"])
def test_v2c_silence_is_a_timeout_in_plain_words(snmpd_peer: SnmpdPeer, what: str) -> None:
    if what == "wrong community":
        target = v2c(snmpd_peer, community="not-" + snmpd_peer.v2c.community)
    else:
        target = v2c(snmpd_peer, port=_free_udp_port())

    started = time.monotonic()
    with pytest.raises(SnmpError) as caught:
        asyncio.run(_with_client(target, lambda client: client.walk([observe.IF_NAME])))
    took = time.monotonic() - started
    assert str(caught.value).startswith(f"SNMP timeout: no answer from 127.0.0.1:{target.port} within 1 s")
    assert "wrong community" in str(caught.value) and target.community not in str(caught.value)
    assert 0.9 < took < 2.5, took


def _names(peer: SnmpdPeer) -> dict[str, str]:
    walked = asyncio.run(_with_client(v2c(peer), lambda client: client.walk([observe.IF_NAME])))
    return {index: str(name) for index, name in walked[observe.IF_NAME].items()}


def test_a_status_walk_stops_once_every_named_port_is_seen(snmpd_peer: SnmpdPeer) -> None:
    names = _names(snmpd_peer)
    if len(names) < 3:
        pytest.skip(f"the agent reports {len(names)} interfaces; the walk needs 3 to stop early")
    first_index, first_name = next(iter(names.items()))
    plan = observe.status_walk([({"admin"}, [first_name])])
    assert plan.columns == (observe.IF_NAME, observe.IF_ADMIN) and plan.first == 2

    async def walk(client: SnmpClient) -> tuple[dict[str, Any], list[str]]:
        return await client.walk(plan.columns, first=plan.first, enough=plan.enough), client.evidence

    result, evidence = asyncio.run(_with_client(v2c(snmpd_peer), walk))
    assert result[observe.IF_NAME] == {index: names[index] for index in list(names)[:2]}
    assert result[observe.IF_ADMIN].keys() == result[observe.IF_NAME].keys()
    assert len(evidence) == 4 and first_index in result[observe.IF_ADMIN]
    # a port the agent lacks: the walk goes on to the end of the table, and the check fails on it
    missing = observe.status_walk([({"admin"}, ["Gi9/9/9"])])
    assert not missing.enough(result, [observe.IF_NAME]) and canonical("Gi9/9/9") in missing.ports


def _runbook(peer: SnmpdPeer, dead_port: int, ports: list[str]) -> str:
    listed = ", ".join(ports)
    return textwrap.dedent(f"""\
        runbook: {{id: snmpd-checks, title: snmpd, version: 1,
                  window: {{start: "2026-12-05T22:00-05:00", end: "2026-12-06T02:00-05:00"}}}}
        roles: {{net: Network}}
        inventory:
          plain: {{host: 127.0.0.1, platform: linux, credentials: env:T_SSH,
                   snmp: {{version: 2c, port: {peer.v2c.port}, community: env:T_COMMUNITY}}}}
          secure: {{host: 127.0.0.1, platform: linux, credentials: env:T_SSH,
                    snmp: {{version: 3, port: {peer.v3.port}, user: {peer.v3.user}, auth: sha, priv: aes,
                            credentials: env:T_AUTH, priv_credentials: env:T_PRIV}}}}
          dead: {{host: 127.0.0.1, platform: linux, credentials: env:T_SSH,
                  snmp: {{version: 2c, port: {dead_port}, community: env:T_COMMUNITY}}}}
        phases:
          - id: p
            title: P
            tasks:
              - id: t
                title: T
                duration: 5m
                checks:
                  - {{kind: port, via: snmp, device: plain, ports: [{listed}], expect: {{admin: {{in: [up, down]}}}}}}
                  - {{kind: port, via: snmp, device: secure, ports: [{listed}], expect: {{status: {{in: [up, down, disabled]}}}}}}
                  - {{kind: port, via: snmp, device: dead, ports: [{listed}], expect: {{admin: up}}}}
                  - {{kind: port, via: snmp, device: plain, ports: [Gi9/9/9], expect: {{admin: up}}}}
        """)


def _usable(names: dict[str, str]) -> list[str]:
    usable = []
    for name in names.values():
        try:
            usable.append(check_port_name(name))
        except ValueError:
            continue  # `lo` is no switch port name; the runbook validator refuses it
    return usable


def test_port_checks_over_both_paths_and_a_dead_agent_beside_them(
    snmpd_peer: SnmpdPeer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ports = _usable(_names(snmpd_peer))
    if not ports:
        pytest.skip("the agent reports no interface with a switch-like name")
    env = {"T_SSH": "unused", "T_COMMUNITY": snmpd_peer.v2c.community, "T_AUTH": snmpd_peer.v3.auth_key,
           "T_PRIV": snmpd_peer.v3.priv_key}  # fmt: skip
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    runbook = parse_runbook(_runbook(snmpd_peer, _free_udp_port(), ports), "snmpd.yaml").runbook
    engine = Engine(runbook, rehearsal=False, lab=None, default_timeout=2.0)

    async def collect() -> list[CheckResult]:
        return [result async for result in engine.run(items_for(runbook))]

    results = asyncio.run(collect())
    engine.close()
    by_key = {r.key: r for r in results}
    plain, secure, dead, absent = (by_key[f"t#{n}"] for n in (1, 2, 3, 4))
    assert plain.status is Status.PASS and secure.status is Status.PASS, (plain.reason, secure.reason)
    assert plain.ports.keys() == secure.ports.keys() == set(ports)
    # only the columns the check expects were asked for (ifName always)
    assert observe.IF_ADMIN in plain.evidence and observe.IF_HIGH_SPEED not in plain.evidence
    assert observe.IF_OPER in secure.evidence and observe.IF_ALIAS not in secure.evidence
    assert dead.status is Status.ERROR and dead.reason.startswith("SNMP timeout") and "community" in dead.reason
    assert absent.status is Status.ERROR and "Gi9/9/9 is not in the device's output" in absent.reason
    assert [r.key for r in results].index("t#3") == len(results) - 1  # streamed: the dead one comes last
    assert os.environ["T_COMMUNITY"] not in " ".join(r.reason + r.evidence for r in results)


def test_one_pysnmp_engine_serves_every_run_on_a_loop(snmpd_peer: SnmpdPeer, monkeypatch: pytest.MonkeyPatch) -> None:
    ports = _usable(_names(snmpd_peer)) or ["eth0"]
    for name, value in {"T_SSH": "x", "T_COMMUNITY": snmpd_peer.v2c.community, "T_AUTH": snmpd_peer.v3.auth_key,
                        "T_PRIV": snmpd_peer.v3.priv_key}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    runbook = parse_runbook(_runbook(snmpd_peer, 9, ports), "snmpd.yaml").runbook
    items = [item for item in items_for(runbook) if item.device == "secure" or item.key == "t#1"]  # v3 and v2c
    engine = Engine(runbook, rehearsal=False, lab=None, default_timeout=2.0)

    async def twice() -> list[Any]:
        made = []
        for _ in range(2):
            results = await engine.run_all(items)
            assert [r.status for r in results] == [Status.PASS] * len(items), [r.reason for r in results]
            assert engine.snmp_engine.current is not None
            made.append(engine.snmp_engine.current)
        return made

    first_loop = asyncio.run(twice())
    assert first_loop[0] is first_loop[1]
    assert first_loop[0].transport_dispatcher is None  # closed when its loop shut down
    second_loop = asyncio.run(twice())
    assert second_loop[0] is not first_loop[0]  # a pysnmp engine belongs to one event loop
    engine.close()
    assert engine.snmp_engine.current is None


def test_a_rerun_gets_the_named_ports_by_their_ifindex_and_walks_again_when_renumbered(
    snmpd_peer: SnmpdPeer, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = _names(snmpd_peer)
    ports = _usable(names)
    if not ports or len(ports) == len(names):
        pytest.skip("needs an agent with a switch-like interface and one that is not (lo)")
    for name, value in {"T_SSH": "x", "T_COMMUNITY": snmpd_peer.v2c.community, "T_AUTH": "x", "T_PRIV": "x"}.items():
        monkeypatch.setenv(name, value)
    runbook = parse_runbook(_runbook(snmpd_peer, 9, ports), "snmpd.yaml").runbook
    items = [item for item in items_for(runbook) if item.key == "t#1"]
    engine = Engine(runbook, rehearsal=False, lab=None, default_timeout=2.0)
    other = next(index for index, name in names.items() if name not in ports)  # lo: walked past, never asked for

    async def runs() -> list[CheckResult]:
        first = (await engine.run_all(items))[0]
        second = (await engine.run_all(items))[0]
        known = engine._ifindexes[f"127.0.0.1:{snmpd_peer.v2c.port}"]
        real = known[canonical(ports[0])]
        known[canonical(ports[0])] = other  # as if the port had been renumbered since
        third = (await engine.run_all(items))[0]
        assert known[canonical(ports[0])] == real  # learned again from the walk
        return [first, second, third]

    first, second, third = asyncio.run(runs())
    engine.close()
    assert [r.status for r in (first, second, third)] == [Status.PASS] * 3, [r.reason for r in (first, third)]
    assert first.ports == second.ports == third.ports
    row = f"{observe.IF_NAME}.{other} = "
    assert row in first.evidence and row in third.evidence  # walked
    assert row not in second.evidence  # asked by GET: only the named ports' rows
    assert second.evidence.count(f"{observe.IF_ADMIN}.") == len(ports)


def test_error_counters_of_a_port_another_check_walked_are_read_by_get(
    snmpd_peer: SnmpdPeer, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = _names(snmpd_peer)
    ports = _usable(names)
    if len(names) < 2 or not ports:
        pytest.skip("needs an agent with a switch-like interface and another one")
    monkeypatch.setenv("T_SSH", "x")
    monkeypatch.setenv("T_COMMUNITY", snmpd_peer.v2c.community)
    port = ports[-1]
    head = _runbook(snmpd_peer, 9, ports)
    head = head[: head.index("          - {kind: port")]  # the inventory and the task, without its checks
    listed = ", ".join(ports)
    text = head + "".join(
        f"          - {line}\n"
        for line in (
            f"{{kind: port, via: snmp, device: plain, ports: [{listed}], expect: {{admin: {{in: [up, down]}}}}}}",
            f"{{kind: errors, via: snmp, device: plain, port: {port}, expect: {{input: {{ge: 0}}, discards: {{ge: 0}}}}}}",
            f"{{kind: errors, via: snmp, device: plain, port: {port}, interval: 1s, expect: {{input: {{le: 1000}}}}}}",
        )
    )
    runbook = parse_runbook(text, "snmpd.yaml").runbook
    engine = Engine(runbook, rehearsal=False, lab=None, default_timeout=3.0)
    results = {r.key: r for r in asyncio.run(engine.run_all(items_for(runbook)))}
    engine.close()
    assert [results[k].status for k in ("t#1", "t#2", "t#3")] == [Status.PASS] * 3, explain(results)
    index = next(i for i, name in names.items() if name == port)
    # by GET, for the named port only (a walk would read every row), with ifName; the evidence is what the
    # check was judged on, not the port check's walk it waited for
    read = [line.split(" = ")[0] for line in results["t#2"].evidence.splitlines()]
    assert sorted(read) == sorted(f"{c}.{index}" for c in (observe.IF_NAME, *observe.GROUPS["counters"])), read
    assert observe.IF_ADMIN in results["t#1"].evidence and observe.IF_IN_ERRORS not in results["t#1"].evidence
    assert results["t#3"].evidence.count(f"{observe.IF_IN_ERRORS}.{index} = ") == 2  # two samples
    assert results["t#2"].ports[port].observed.keys() >= {"input", "discards"}
    assert results["t#3"].ports[port].observed["input"] >= 0  # the increase across the interval


def explain(results: dict[str, CheckResult]) -> str:
    return "; ".join(f"{k} {r.status} {r.reason}" for k, r in results.items() if r.status is not Status.PASS)


def test_values_read_as_plain_python() -> None:
    from pysnmp.proto import rfc1902, rfc1905

    assert [plain(value) for value in (
        rfc1902.OctetString(b"Gi1/0/5"), rfc1902.OctetString(bytes.fromhex("0011a2b3c4d5")),
        rfc1902.IpAddress("192.168.1.1"), rfc1902.Gauge32(4294967295), rfc1902.Counter64(2**64 - 1),
        rfc1902.Integer32(-7), rfc1902.TimeTicks(360000), rfc1902.ObjectName("1.3.6.1.4.1.9.1.2066"),
        rfc1902.Null(""),
    )] == [
        "Gi1/0/5", "00:11:a2:b3:c4:d5", "c0:a8:01:01", 4294967295, 2**64 - 1, -7, 360000,
        "1.3.6.1.4.1.9.1.2066", "",
    ]  # fmt: skip
    for missing in (rfc1905.noSuchObject, rfc1905.noSuchInstance, rfc1905.endOfMibView):
        assert plain(missing) is Missing.MISSING


def _slow_runbook(v2c_port: int, v3_port: int, user: str) -> str:
    return textwrap.dedent(f"""\
        runbook: {{id: slow-agent, title: slow, version: 1,
                  window: {{start: "2026-12-05T22:00-05:00", end: "2026-12-06T02:00-05:00"}}}}
        roles: {{net: Network}}
        inventory:
          plain: {{host: 127.0.0.1, platform: linux, credentials: env:T_SSH,
                   snmp: {{version: 2c, port: {v2c_port}, community: env:T_COMMUNITY}}}}
          secure: {{host: 127.0.0.1, platform: linux, credentials: env:T_SSH,
                    snmp: {{version: 3, port: {v3_port}, user: {user}, auth: sha, priv: aes,
                            credentials: env:T_AUTH, priv_credentials: env:T_PRIV}}}}
        phases:
          - id: p
            title: P
            tasks:
              - id: t
                title: T
                duration: 5m
                checks:
                  - {{kind: snmp, device: plain, oid: {SYS_NAME}, expect: {{regex: ".+"}}}}
                  - {{kind: snmp, device: secure, oid: {SYS_NAME}, expect: {{regex: ".+"}}}}
        """)


def test_a_slow_agent_is_waited_for_as_long_as_the_timeout_says(
    snmpd_peer: SnmpdPeer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An agent that answers every request 3 s late passes with --timeout 10, over v2c and v3 (v3's
    engine discovery is one more late round trip); with --timeout 2 the same checks are timeouts,
    said as such, after 2 s, not later. (Each try used to be capped at 2 s whatever --timeout said,
    so such an agent read as unreachable or a wrong key.)"""
    from tests.peers.delay import delayed

    for name, value in {"T_SSH": "x", "T_COMMUNITY": snmpd_peer.v2c.community, "T_AUTH": snmpd_peer.v3.auth_key,
                        "T_PRIV": snmpd_peer.v3.priv_key}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    with delayed(snmpd_peer.v2c.port, 3.0) as proxy:
        runbook = parse_runbook(_slow_runbook(proxy.port, proxy.port, snmpd_peer.v3.user), "slow.yaml").runbook
        items = items_for(runbook)
        for timeout, status in ((10.0, Status.PASS), (2.0, Status.ERROR)):
            engine = Engine(runbook, rehearsal=False, lab=None, default_timeout=timeout)
            started = time.monotonic()
            results = asyncio.run(engine.run_all(items))
            took = time.monotonic() - started
            engine.close()
            assert [r.status for r in results] == [status, status], [r.reason for r in results]
            if status is Status.PASS:
                assert {r.observed["value"] for r in results} == {str(snmp_get(snmpd_peer.v2c, SYS_NAME)[SYS_NAME])}
                assert all(r.duration_ms >= 3000 for r in results)
                assert took < 8.5, took  # v2c 3 s, v3 6 s, side by side
            else:
                assert all(r.reason.startswith("SNMP timeout") and " within 2 s" in r.reason for r in results)
                assert took < 3.0, took
