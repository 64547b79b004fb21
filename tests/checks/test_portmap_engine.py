"""The engine runs snapshot and jacks checks against real peers: each device read once per batch, the result
judged jack by jack. Devices: a Catalyst (IOS captures over SSH via FakeNOS) and an Arista (a real walk over
SNMP via snmpsim). The captures do not change between reads, so a jack proves "back" only where its new port
is its old one; the others are the judge's words for what the captures say (hand-read, see each jack).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from golive.checks.plan import items_for
from golive.checks.results import CheckResult, Status
from golive.checks.snmp.client import SnmpClient
from golive.checks.ssh import session as ssh_session
from golive.progress.jacks import JackState

from .portmap_peers import engine_for, peers, runbook_text

JACKS: list[dict[str, Any]] = [
    # "666  30a3.30a3.a1c3   dynamic  Yes       1200   Te1/30": on its port, in its VLAN
    {"jack": "1-101", "old_device": "ios", "old_port": "Te1/30", "new_device": "ios", "new_port": "Te1/30",
     "critical": True},
    # "60  30a3.30a3.4d54 ... Te1/21": still where it was, not on Gi1/0/20
    {"jack": "1-102", "old_device": "ios", "old_port": "Te1/21", "new_device": "ios", "new_port": "Gi1/0/20"},
    # Gi1/0/1 notconnect, no MAC in the table: nothing to prove it by
    {"jack": "1-103", "old_device": "ios", "old_port": "Gi1/0/1", "new_device": "ios", "new_port": "Gi1/0/2",
     "critical": True},
    # "666  30a3.30a3.5ab8 ... Po3": back, but the map wants VLAN 667
    {"jack": "1-104", "old_device": "ios", "old_port": "Po3", "new_device": "ios", "new_port": "Po3", "vlan": 667},
    # a new build (no old port) expecting 30a3.30a3.daf5, which the table has on Te3/20
    {"jack": "1-105", "new_device": "ios", "new_port": "Gi1/0/4", "mac": "30a3.30a3.daf5"},
    # Arista walk: dot1qTpFdbPort.10.0.1.92.59.238.1 = 48 (Ethernet48, VLAN 10)
    {"jack": "2-201", "old_device": "eos-snmp", "old_port": "Ethernet48", "new_device": "eos-snmp",
     "new_port": "Ethernet48"},
]  # fmt: skip
CHECKS = [{"kind": "snapshot", "id": "before"}, {"kind": "jacks", "id": "after", "baseline": "before"}]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Batch 1: the snapshot alone. Batch 2: snapshot and jacks together (sessions and walks counted)."""
    sessions: Counter[str] = Counter()
    walks: Counter[tuple[str, tuple[str, ...]]] = Counter()
    real_session, real_walk = ssh_session.run_session, SnmpClient.walk

    def counted_session(target: Any, *args: Any, **kwargs: Any) -> Any:
        sessions[target.name] += 1
        return real_session(target, *args, **kwargs)

    async def counted_walk(self: SnmpClient, columns: Any, *args: Any, **kwargs: Any) -> Any:
        walks[(self.target.name, tuple(columns))] += 1
        return await real_walk(self, columns, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch, peers(Path(tmp_path_factory.mktemp("portmap-engine"))) as lab:
        engine = engine_for(runbook_text(JACKS, CHECKS), lab, max_devices=1)
        items = items_for(engine.runbook)
        try:
            first = asyncio.run(engine.run_all(items[:1]))
            patch.setattr(ssh_session, "run_session", counted_session)
            patch.setattr(SnmpClient, "walk", counted_walk)
            second = {r.check_id: r for r in asyncio.run(engine.run_all(items))}
        finally:
            engine.close()
    yield {"first": first[0], "second": second, "sessions": sessions, "walks": walks}


def test_the_snapshot_reads_every_mapped_old_port(runs: dict[str, Any]) -> None:
    snapshot: CheckResult = runs["first"]
    assert snapshot.kind == "snapshot" and snapshot.device is None and snapshot.transport == "ssh+snmp"
    assert snapshot.target == "2 devices" and snapshot.lab
    assert snapshot.status is Status.PASS, snapshot.reason
    assert sorted(snapshot.ports) == ["1-101", "1-102", "1-103", "1-104", "2-201"]  # 1-105 has no old port
    assert snapshot.ports["1-101"].observed["macs"] == [{"mac": "30:a3:30:a3:a1:c3", "vlan": 666}]
    assert snapshot.ports["1-103"].observed["status"] == "notconnect" and snapshot.ports["1-103"].observed["macs"] == []
    assert {"mac": "00:01:5c:3b:ee:01", "vlan": 10} in snapshot.ports["2-201"].observed["macs"]
    assert set(snapshot.observed["devices"]) == {"ios", "eos-snmp"}
    assert "=== ios (ssh) ===" in snapshot.evidence and "=== eos-snmp (snmp) ===" in snapshot.evidence


def test_each_jack_is_judged_from_the_tables(runs: dict[str, Any]) -> None:
    after: CheckResult = runs["second"]["after"]
    states = {label: o.observed["state"] for label, o in after.ports.items()}
    assert states == {
        "1-101": JackState.BACK, "1-102": JackState.MISPLUGGED, "1-103": JackState.NOT_SEEN,
        "1-104": JackState.WRONG_VLAN, "1-105": JackState.MISPLUGGED, "2-201": JackState.BACK,
    }  # fmt: skip
    assert "not moved" in after.ports["1-102"].reason
    assert "Te3/20" in after.ports["1-105"].reason
    assert "VLAN 666" in after.ports["1-104"].reason and "667" in after.ports["1-104"].reason
    assert after.status is Status.FAIL and after.transport == "ssh+snmp" and after.target == "6 jacks"
    assert after.device is None
    # journaled as any check result, and read back the same
    again = CheckResult.from_payload("cut", after.to_payload())
    assert again.ports == after.ports and again.transport == "ssh+snmp"


def test_each_device_is_read_once_per_batch_for_both_checks(runs: dict[str, Any]) -> None:
    assert runs["sessions"] == {"ios": 1}
    walked = runs["walks"]
    assert walked and all(count == 1 for count in walked.values()), walked
    assert {name for name, _ in walked} == {"eos-snmp"}
    snapshot: CheckResult = runs["second"]["before"]
    assert snapshot.status is Status.PASS


def test_a_rehearsal_with_no_lab_is_simulated() -> None:
    from golive.checks.engine import Engine
    from golive.runbook.load import parse_runbook

    runbook = parse_runbook(runbook_text(JACKS, CHECKS), "p.yaml").runbook
    engine = Engine(runbook, rehearsal=True, lab=None)
    try:
        results = asyncio.run(engine.run_all(items_for(runbook)))
    finally:
        engine.close()
    assert [r.status for r in results] == [Status.SIMULATED, Status.SIMULATED]
    assert [r.target for r in results] == ["2 devices", "6 jacks"]


def test_golive_check_prints_a_summary_then_the_problem_jacks(
    runs: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    from golive.cli.check_cmd import _document, _print_jacks

    results = [runs["second"]["before"], runs["second"]["after"]]
    _print_jacks(results)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("snapshot cut#1: 5 old port(s) read")
    assert lines[1] == "jacks cut#2: 2 misplugged · 1 wrong VLAN · 1 not seen (1 critical) · 2 back"
    # problems first, by state (misplugged, wrong VLAN, not seen), one line each; back jacks are not listed
    assert [line.split()[1].rstrip(":") for line in lines[2:]] == ["1-102", "1-105", "1-104", "1-103"]
    assert lines[5].startswith("  ? 1-103 (critical): not seen: ")
    assert "still on the old switch" in lines[2]
    document = _document(None, {"fail": 1, "pass": 1}, results)
    jacks = {j["jack"]: j for j in document["results"][1]["jacks"]}
    assert jacks["1-104"]["state"] == "wrong_vlan" and jacks["1-104"]["status"] == "fail"
    assert jacks["1-101"]["after"]["macs"] == [{"mac": "30:a3:30:a3:a1:c3", "vlan": 666}]
    assert document["results"][0]["jacks"][0]["jack"] == "1-101"


def test_golive_check_in_a_rehearsal_with_no_lab(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from golive.cli.main import cli

    path = tmp_path / "portmap.yaml"
    path.write_text(runbook_text(JACKS, CHECKS))
    out = CliRunner().invoke(cli, ["check", str(path), "--task", "cut", "--rehearsal", "--db", str(tmp_path / "g.db")])
    assert out.exit_code == 0, out.output
    assert "6 jacks" in out.output and "2 devices" in out.output and "simulated" in out.output
