"""Each bundled sample runbook validates, and every one of its checks passes in its own lab.

A sample is what a new user tries first: a check it holds that golive cannot answer, or that its
own lab fails, teaches them to distrust every green mark. The lab is the real one (FakeNOS over
SSH, snmpsim over SNMP, TCP listeners on 127.0.0.1) and the checks run through the real engine,
task by task in runbook order as a technician runs them (a delta check finds its baseline). Only
the sampling interval of errors checks is shortened to 1 s, so the test does not wait minutes. A sample
with a port map is re-patched in its lab where the technician re-patches the closet: after the phase
holding its snapshot check (the pre-checks), before the next (the cut).
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from golive.checks.engine import Engine
from golive.checks.plan import items_for
from golive.checks.results import CheckResult, Status
from golive.cli.main import cli
from golive.lab.generate import world_for
from golive.lab.lab import Lab
from golive.runbook.checks import SnapshotCheck
from golive.runbook.load import parse_runbook
from golive.runbook.schema import Runbook

RUNBOOKS = sorted((Path(__file__).parents[2] / "runbooks").glob("*.yaml"))


@pytest.mark.parametrize("runbook", RUNBOOKS, ids=lambda p: p.stem)
def test_sample_validates_and_passes_every_check_in_its_own_lab(runbook: Path, tmp_path: Path) -> None:
    outcome = CliRunner().invoke(cli, ["validate", str(runbook)])
    assert outcome.exit_code == 0, outcome.output
    text = re.sub(r"\binterval: \w+", "interval: 1s", runbook.read_text(encoding="utf-8"))
    loaded = parse_runbook(text, runbook.name, directory=runbook.parent)
    with Lab(loaded.runbook, loaded.sha256, directory=tmp_path / "lab", register=False) as lab:
        engine = Engine(lab.runbook, rehearsal=False, lab=lab.info)

        cut = _phase_after_snapshot(lab.runbook)

        async def every_task() -> list[CheckResult]:
            results: list[CheckResult] = []
            patched = False
            for task in lab.runbook.tasks:
                if lab.runbook.phase_of[task] == cut and not patched:
                    await asyncio.to_thread(lab.patch)
                    patched = True
                results += await engine.run_all(items_for(lab.runbook, task))
            return results

        try:
            results = asyncio.run(every_task())
        finally:
            engine.close()
    assert len(results) == len(items_for(loaded.runbook)) > 0
    wrong = [f"{r.key} {r.status} over {r.transport}: {r.reason}" for r in results if r.status is not Status.PASS]
    assert not wrong, "\n".join(wrong)


def _phase_after_snapshot(runbook: Runbook) -> str | None:
    """The phase after the one holding the runbook's snapshot check (None: no port map to re-patch)."""
    phases = [phase.id for phase in runbook.phases]
    holding = [
        runbook.phase_of[task.id]
        for task in runbook.tasks.values()
        if any(isinstance(check, SnapshotCheck) for check in task.checks)
    ]
    if runbook.portmap is None or not holding or phases.index(holding[0]) + 1 >= len(phases):
        return None
    return phases[phases.index(holding[0]) + 1]


def test_a_rollback_step_that_shuts_a_port_does_not_take_it_down_in_the_lab() -> None:
    # the PACS sample: the plan wants 1/1/12 up, its rollback step checks it was shut afterwards
    runbook = parse_runbook(RUNBOOKS[-1].read_text(encoding="utf-8"), "pacs.yaml").runbook
    assert "pacs" in RUNBOOKS[-1].stem
    assert world_for(runbook).devices["rad-acc"].ports["1/1/12"].status == "up"
