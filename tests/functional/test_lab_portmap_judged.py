"""The IDF sample's port map, snapshotted and proven through the real engine against its running lab.

The snapshot and jacks checks read both switches as the night does (Comware over SSH and SNMP v2c,
the Catalyst over SSH and SNMPv3, real FakeNOS and snmpsim); each patch mistake the lab can make
comes back as the jack state a technician should see, on the jack it hit.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from golive.checks.engine import Engine
from golive.checks.plan import items_for
from golive.checks.results import CheckResult, Status
from golive.cli.demo_jacks import stage_misplug
from golive.lab.lab import Lab
from golive.progress.events import Actor
from golive.runbook.load import parse_runbook, read_runbook
from golive.store import runs
from golive.store.cutover import Cutover
from golive.store.db import open_engine

from .test_lab_portmap import big_runbook

SAMPLE = Path(__file__).parents[2] / "runbooks" / "idf-access-stack.yaml"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    loaded = read_runbook(SAMPLE)
    with Lab(loaded.runbook, loaded.sha256, directory=tmp_path_factory.mktemp("lab"), register=False) as running:
        yield running


@pytest.fixture(scope="module")
def snapshot(lab: Lab) -> CheckResult:
    (result,) = _run(lab, "pre-port-map")
    return result


@pytest.fixture
def patched(lab: Lab) -> Iterator[Lab]:
    yield lab
    lab.unpatch()
    lab.clear()


def _run(lab: Lab, task: str, baselines: dict[str, CheckResult] | None = None) -> list[CheckResult]:
    """The task's first check (the sample's snapshot and jacks checks come first in their tasks)."""
    engine = Engine(lab.runbook, rehearsal=False, lab=lab.info, baselines=baselines)
    try:
        return asyncio.run(engine.run_all(items_for(lab.runbook, task)[:1]))
    finally:
        engine.close()


def _jacks(lab: Lab, snapshot: CheckResult) -> CheckResult:
    (result,) = _run(lab, "cut-vlans", {"snap-old": snapshot})
    return result


def _states(result: CheckResult) -> dict[str, str]:
    return {label: str(port.observed.get("state")) for label, port in result.ports.items()}


def test_the_snapshot_reads_every_mapped_old_port(snapshot: CheckResult) -> None:
    assert snapshot.status is Status.PASS, snapshot.reason
    assert len(snapshot.ports) == 47
    phone = snapshot.ports["2-201-A"].observed
    assert len(phone["macs"]) == 2  # the phone (voice VLAN) and the PC behind it
    xray = snapshot.ports["2-230-A"].observed
    assert [m["mac"] for m in xray["macs"]] == ["00:00:5e:ef:10:2a"]


def test_before_the_patch_the_jacks_are_still_on_the_old_stack(lab: Lab, snapshot: CheckResult) -> None:
    result = _jacks(lab, snapshot)
    assert result.status is Status.FAIL
    assert set(_states(result).values()) == {"misplugged"}
    assert "not moved" in result.ports["2-230-A"].reason


def test_after_the_patch_every_jack_is_back(patched: Lab, snapshot: CheckResult) -> None:
    patched.patch()
    result = _jacks(patched, snapshot)
    assert result.status is Status.PASS, result.reason
    assert set(_states(result).values()) == {"back"}


def test_each_patch_mistake_is_the_state_of_the_jack_it_hit(patched: Lab, snapshot: CheckResult) -> None:
    said = patched.patch(["swap", "forget", "vlan", "nopower"])
    swapped = said[0].split(" are crossed")[0].removeprefix("swap: the cords of jacks ").split(" and ")
    forgotten, wrong_vlan, unpowered = (line.split()[2].removesuffix("'s") for line in said[1:])
    assert len({*swapped, forgotten, wrong_vlan, unpowered}) == 5
    result = _jacks(patched, snapshot)
    states = _states(result)
    assert states[swapped[0]] == states[swapped[1]] == "misplugged"
    assert f"swapped with jack {swapped[1]}" in result.ports[swapped[0]].reason
    assert states[forgotten] == "misplugged" and "not moved" in result.ports[forgotten].reason
    assert states[wrong_vlan] == "wrong_vlan" and "VLAN 1" in result.ports[wrong_vlan].reason
    assert states[unpowered] == "no_power"
    assert sum(state == "back" for state in states.values()) == 47 - 5
    assert result.status is Status.FAIL


def test_the_demo_stages_a_snapshot_and_a_swap(patched: Lab, tmp_path: Path) -> None:
    loaded = read_runbook(SAMPLE)
    actor = Actor("golive demo", "GD")
    db = tmp_path / "demo.db"
    runs.load(open_engine(db), loaded, rehearsal=True, actor=actor, machine="t")
    misplug = stage_misplug(patched, loaded.runbook, db, actor)
    assert misplug is not None and misplug.task == "cut-vlans"
    assert "2-201-A and 2-202-A" in misplug.hint and "press c" in misplug.hint
    state = Cutover.open(db).state  # the snapshot is journaled, as the demo's operator: the jacks check's baseline
    assert state.tasks["pre-port-map"].last_checks == {"pre-port-map#1": "pass"}


def test_a_384_jack_map_snapshotted_and_proven_in_its_lab(tmp_path: Path) -> None:
    checks = "          - {id: snap, kind: snapshot}\n          - {kind: jacks, baseline: snap}\n"
    loaded = parse_runbook(big_runbook(checks=checks), "big.yaml")
    with Lab(loaded.runbook, loaded.sha256, directory=tmp_path / "lab", register=False) as big:
        snap_item, jacks_item = items_for(big.runbook, "probe")
        engine = Engine(big.runbook, rehearsal=False, lab=big.info)
        try:
            started = time.monotonic()
            (snap,) = asyncio.run(engine.run_all([snap_item]))
            snap_s = time.monotonic() - started
            big.patch(["swap"])
            engine.verdicts.baselines["snap"] = snap
            started = time.monotonic()
            (jacks,) = asyncio.run(engine.run_all([jacks_item]))
            jacks_s = time.monotonic() - started
        finally:
            engine.close()
    print(
        f"\n384 jacks: snapshot in {snap_s:.1f} s over {snap.transport}, jacks in {jacks_s:.1f} s: {jacks.reason[:80]}"
    )
    assert snap.status is Status.PASS, snap.reason
    states = _states(jacks)
    assert sum(state == "misplugged" for state in states.values()) == 2
    assert sum(state == "not_seen" for state in states.values()) == 48  # the silent modalities, one in eight
    assert sum(state == "back" for state in states.values()) == 384 - 50
