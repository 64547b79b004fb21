"""Helper process for test_durability.py: sign off task after task until killed.

Usage: python signoff_loop.py, then write "go DB_PATH" to its stdin. The test starts the
next helper while the current one runs, so the slow imports overlap the trials.

Protocol on stdout (one flushed line each):
    READY                       imports done; waiting for "go DB_PATH" on stdin
    OPEN <done> <in_progress>   the run is open, its state folded from the journal
    SIGNED <task-id> <uuid>     printed only after sign_off() has returned (event committed)
    DONE                        every task is done; exiting normally

The test SIGKILLs this process at a random moment. Tasks found in progress (started by an
earlier, killed process) are signed off without starting them again.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from golive.progress.events import Actor
from golive.progress.state import TaskState
from golive.store.cutover import Cutover


def main() -> int:
    print("READY", flush=True)
    command, _, db = sys.stdin.readline().strip().partition(" ")
    if command != "go" or not db:
        return 2  # the test gave up on this helper before using it
    cutover = Cutover.open(Path(db))
    states = [p.state for p in cutover.state.tasks.values()]
    print(f"OPEN {states.count(TaskState.DONE)} {states.count(TaskState.IN_PROGRESS)}", flush=True)
    actor = Actor("Tess Tech", "TT", "net")
    for task_id in list(cutover.state.tasks):
        state = cutover.state.tasks[task_id].state
        if state is TaskState.DONE:
            continue
        if state is TaskState.READY:
            cutover.start(task_id, actor)
        event = cutover.sign_off(task_id, actor, f"signed {task_id} by pid {os.getpid()}")
        print(f"SIGNED {task_id} {event.uuid}", flush=True)
    print("DONE", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
