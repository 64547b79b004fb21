"""The demo's first look at the port map: a snapshot taken before the cut, then two cords crossed.

Why before the TUI opens: a newcomer should see a misplug caught within a minute, not work
through the pre-checks first. So the demo does what the night does up to the cut: it reads the
old switch (the runbook's snapshot check, through the engine, journaled as the demo's operator in
its throwaway rehearsal), re-patches the lab with two cords crossed, and opens the TUI on the task
whose jacks check will find them. When the snapshot cannot be taken (a runbook without a port
map or without a snapshot and a jacks check, a snapshot that did not pass), nothing is patched and
the demo is the plain one.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from golive.checks.engine import Engine
from golive.checks.plan import CheckItem, items_for
from golive.checks.results import Status
from golive.lab.lab import Lab
from golive.lab.world import World
from golive.progress.events import Actor
from golive.runbook.checks import JacksCheck, SnapshotCheck
from golive.runbook.schema import Runbook
from golive.store.cutover import Cutover


@dataclass(frozen=True)
class Misplug:
    task: str  # the task with the jacks check: where the TUI opens
    hint: str
    swapped: str  # "swap: the cords of jacks A and B are crossed (...)"


def stage_misplug(lab: Lab, runbook: Runbook, db: Path, actor: Actor) -> Misplug | None:
    """Snapshot, journal, swap two cords; None (and the lab untouched) when the runbook cannot show a
    misplug."""
    snapshots = _items(runbook, SnapshotCheck)
    jacks = _items(runbook, JacksCheck)
    if runbook.portmap is None or not snapshots or not jacks:
        return None
    engine = Engine(runbook, rehearsal=True, lab=lab.info)
    try:
        results = asyncio.run(engine.run_all(snapshots))
    finally:
        engine.close()
    if not results or any(r.status is not Status.PASS for r in results):
        return None
    Cutover.open(db).record_checks(actor, [(r.task, r.to_payload()) for r in results])
    said = lab.patch(["swap"])
    task = jacks[0].task or ""
    crossed = [label for label, jack in World.read(lab.world_path).jacks.items() if jack.at != jack.new]
    labels = " and ".join(crossed)
    hint = (
        f"Demo: the old switch was snapshotted, then the closet re-patched with two cords crossed ({labels}). "
        f"On {task} press c: the jacks check finds the two swapped cords; 6 shows the jack board."
    )
    return Misplug(task, hint, said[0])


def _items(runbook: Runbook, kind: type[SnapshotCheck] | type[JacksCheck]) -> list[CheckItem]:
    return [item for item in items_for(runbook) if isinstance(item.check, kind)]
