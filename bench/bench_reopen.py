"""Reopening a run: the stored runbook read back, and Cutover.open, at 300 and 5,000 tasks.

    .venv/bin/python bench/bench_reopen.py              # 300 and 5,000 tasks, 5 repetitions
    .venv/bin/python bench/bench_reopen.py --reps 9     # more repetitions
    OTHER/.venv/bin/python bench/bench_reopen.py        # the same, of another golive (its own venv)

For each size a runbook (bench/gen_runbook.py) is loaded into a fresh state file with a few
journal events (untimed). Then, in a fresh child process per size, the imports golive run makes
(Textual, SQLAlchemy, the schema) done first so the collector walks a realistic heap, with the
cyclic GC on as golive runs:

  validate   Runbook.model_validate_json(the stored validated JSON), the way a run is read back
  open       Cutover.open(db) of the run, engine cache emptied first (the file's checks included),
             then the projection the screen draws first

The first open in a process is reported apart (`first open`): an earlier golive remembered
validated forms in a per-user file from it on. Each figure is the median of the repetitions, with
the time the collector took inside it (gc.callbacks). Reference, in the same child: an empty run of
`json.loads` over the same stored JSON (what parsing alone costs). Times are reported, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import _common as C

SIZES = (300, 5000)


class GcTimer:
    """Seconds spent inside the cyclic garbage collector (via gc.callbacks) since reset()."""

    def __init__(self) -> None:
        import gc

        self.seconds = 0.0
        self._t = 0.0
        gc.callbacks.append(self._cb)

    def _cb(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._t = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._t


def child_prepare(runbook: str, workdir: str) -> None:
    C.isolate_user_dirs(workdir)
    from golive.progress.events import Actor
    from golive.runbook.load import read_runbook
    from golive.store import runs
    from golive.store.cutover import Cutover
    from golive.store.db import open_engine

    db = Path(workdir) / "state.db"
    loaded = read_runbook(runbook)
    outcome = runs.load(open_engine(db), loaded, rehearsal=True, actor=Actor("Bench Lead", "BL", "lead"), machine="b/0")
    cut = Cutover.open(db)
    tasks = list(loaded.runbook.tasks.values())[:3]
    for task in tasks:
        actor = Actor("Bench Tech", "BT", task.owner or "lead")
        cut.start(task.id, actor)
        cut.note(actor, f"{task.id} under way", task.id)
    C.emit({"run": outcome.run.uuid})


def child_measure(workdir: str, reps: str) -> None:
    C.isolate_user_dirs(workdir)
    import gc
    import json
    import sqlite3
    from datetime import UTC, datetime

    import sqlalchemy.orm  # noqa: F401  (imported before the clock, as golive run has)
    import textual.app  # noqa: F401

    from golive.runbook.schema import Runbook
    from golive.store.cutover import Cutover
    from golive.store.db import close_all

    db = Path(workdir) / "state.db"
    con = sqlite3.connect(db)
    normalized = str(con.execute("SELECT normalized FROM runbook_version").fetchone()[0])
    con.close()
    timer = GcTimer()
    assert gc.isenabled()

    def timed(work: Any) -> tuple[float, float]:
        timer.seconds = 0.0
        t = time.perf_counter()
        work()
        return time.perf_counter() - t, timer.seconds

    def open_run() -> None:
        close_all()
        Cutover.open(db).projection(datetime.now(UTC))

    first = timed(open_run)
    out: dict[str, Any] = {"first_open": first, "open": [], "validate": [], "parse": []}
    for _ in range(int(reps)):
        out["validate"].append(timed(lambda: Runbook.model_validate_json(normalized)))
        out["open"].append(timed(open_run))
        out["parse"].append(timed(lambda: json.loads(normalized)))
    out["bytes"] = len(normalized)
    C.emit(out)


def _median(pairs: list[list[float]]) -> tuple[float, float]:
    return statistics.median(C.ms(p[0]) for p in pairs), statistics.median(C.ms(p[1]) for p in pairs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        {"prepare": child_prepare, "measure": child_measure}[args.child[0]](*args.child[1:])
        return 0
    import golive

    work = C.scratch_dir("reopen")
    me = str(Path(__file__).resolve())
    print(f"# bench_reopen: golive from {Path(golive.__file__).parent}")
    print(f"# {C.machine_line()}", flush=True)
    rows = []
    for tasks in SIZES:
        case = work / f"case-{tasks}"
        case.mkdir()
        path = C.generate(work / f"runbook-{tasks}.yaml", "--tasks", str(tasks))
        C.run_child([me, "--child", "prepare", str(path), str(case)])
        res = C.run_child([me, "--child", "measure", str(case), str(args.reps)])
        kib = res["bytes"] / 1024
        for label, key in (("json.loads of the stored JSON (reference)", "parse"),
                           ("Runbook.model_validate_json of the stored JSON", "validate"),
                           ("Cutover.open + first projection", "open")):  # fmt: skip
            total, in_gc = _median(res[key])
            rows.append([f"{tasks} tasks ({kib:.0f} KiB)", label, len(res[key]), total, in_gc])
        first, first_gc = (C.ms(x) for x in res["first_open"])
        rows.append([f"{tasks} tasks ({kib:.0f} KiB)", "first Cutover.open in the process", 1, first, first_gc])
        print(f"  {tasks} tasks measured", file=sys.stderr, flush=True)
    print()
    print(C.table(["case", "measurement", "n", "median ms", "of which GC ms"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
