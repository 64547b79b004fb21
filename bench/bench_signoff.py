"""Sign-off commit latency (WAL, synchronous=FULL) beside a bare sqlite3 INSERT+COMMIT.

    .venv/bin/python bench/bench_signoff.py           # 200-task runbook: all 200; 5,000-task: 400
    .venv/bin/python bench/bench_signoff.py --quick   # 50 and 50 sign-offs

For each case a runbook of independent tasks (each owned by its own role) is generated, loaded
into a fresh state file, and opened with Cutover.open. Then, task by task: `start` (not timed),
then `sign_off` (timed: only that call) and, alternating which goes first, one bare sqlite3
`BEGIN IMMEDIATE; INSERT one row; COMMIT` on another file in the same directory with
journal_mode=WAL and synchronous=FULL (the reference: the fsync'd commit every sign-off must pay).

Inside each timed sign_off, three steps are timed separately (wrapped, not changed): reading new
journal rows (_catch_up), Writer.append, and settle; the rest is connection, BEGIN IMMEDIATE,
the rule, COMMIT (the fsync) and applying the event.

Each case runs in a fresh child process, so its peak RSS is its own. The first task of each case
is a warm-up (SQLAlchemy statement caches, first fsync of the WAL) and is reported, not counted.

The GC's share is watched with gc.callbacks: how many timed sign-offs included a full (generation
2) collection, and the longest collection inside one. `--profile` then cProfiles the sign-offs
of the 5,000-task case in a further child.

`--gc-freeze` is a what-if, not golive's behaviour: gc.freeze() right after Cutover.open.

Target: sign-off p99 within 2x of the bare commit's p99. Times are reported, never asserted.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import _common as C

TARGET_RATIO = 2.0
PAYLOAD = "x" * 400  # about one journal row


def _bare(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
    return conn


def _bare_commit(conn: sqlite3.Connection, i: int) -> None:
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO t (payload) VALUES (?)", (f"{i}:{PAYLOAD}",))
    conn.execute("COMMIT")


class _GcWatch:
    """Time the cyclic GC spends, per generation, between reset() calls (via gc.callbacks)."""

    def __init__(self) -> None:
        import gc

        self.t0 = 0.0
        self.reset()
        gc.callbacks.append(self._cb)

    def reset(self) -> None:
        self.seconds = 0.0
        self.full = 0

    def _cb(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.t0 = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self.t0
            self.full += info["generation"] == 2


def _instrument() -> dict[str, float]:
    """Wrap three steps of Cutover._act with timers (timing only, behaviour unchanged):
    _catch_up (read new journal rows), Writer.append (hash + INSERT) and
    settle (re-decide pending/ready). Returns the dict the timers add into."""
    from golive.store import cutover, repository

    parts: dict[str, float] = {}

    def timed(name: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                parts[name] = parts.get(name, 0.0) + time.perf_counter() - t

        return wrapper

    cutover.settle = timed("settle (progress.state.settle)", cutover.settle)  # type: ignore[attr-defined]
    repository.Writer.append = timed("Writer.append (hash + INSERT)", repository.Writer.append)  # type: ignore[method-assign]
    cutover.Cutover._catch_up = timed("Cutover._catch_up (SELECT new rows)", cutover.Cutover._catch_up)  # type: ignore[method-assign]
    return parts


def child_case(runbook_path: str, workdir: str, count: str, mode: str = "") -> None:
    profile = mode == "profile"
    C.isolate_user_dirs(workdir)
    from golive.progress.events import Actor
    from golive.progress.payloads import Checked
    from golive.runbook.load import read_runbook
    from golive.store import runs
    from golive.store.cutover import Cutover
    from golive.store.db import open_engine

    parts = _instrument()

    work = Path(workdir)
    db = work / "state.db"
    loaded = read_runbook(runbook_path)
    runs.load(
        open_engine(db), loaded, rehearsal=True, actor=Actor("Bench Lead", "BL", "lead"), machine="bench/00000000"
    )
    t0 = time.perf_counter()
    cut = Cutover.open(db)
    open_seconds = time.perf_counter() - t0
    if mode == "freeze":
        import gc

        gc.freeze()  # what-if: keep the long-lived runbook objects out of every later collection
    bare = _bare(work / "bare.db")

    tasks = list(loaded.runbook.tasks.values())
    n = min(int(count), len(tasks))
    step = max(1, len(tasks) // n)
    chosen = tasks[::step][:n]
    sign: list[float] = []
    ref: list[float] = []
    sign_gc: list[tuple[float, int]] = []
    sign_parts: list[dict[str, float]] = []
    warm: dict[str, float] = {}
    watch = _GcWatch()
    prof = None
    if profile:
        import cProfile

        prof = cProfile.Profile()

    def timed_sign_off(task_id: str, actor: Actor) -> float:
        watch.reset()
        parts.clear()
        if prof is not None and warm:
            prof.enable()
        t = time.perf_counter()
        cut.sign_off(task_id, actor, "bench")
        seconds = time.perf_counter() - t
        if prof is not None:
            prof.disable()
        sign_gc.append((watch.seconds, watch.full))
        sign_parts.append(dict(parts))
        return seconds

    for i, task in enumerate(chosen):
        actor = Actor("Tess Tester", "TT", task.owner or "")
        cut.start(task.id, actor)
        if task.checks:  # a sign-off needs every check passed (golive.progress.rules): journaled before, untimed
            passed = [Checked(check=f"{task.id}#{n}", index=n, kind="port", transport="ssh", status="pass",
                              expected="ok") for n in range(1, len(task.checks) + 1)]  # fmt: skip
            cut.record_checks(actor, [(task.id, result) for result in passed])
        if i % 2 == 0:
            s = timed_sign_off(task.id, actor)
            t = time.perf_counter()
            _bare_commit(bare, i)
            b = time.perf_counter() - t
        else:
            t = time.perf_counter()
            _bare_commit(bare, i)
            b = time.perf_counter() - t
            s = timed_sign_off(task.id, actor)
        if i == 0:
            warm = {"sign_off": s, "bare": b}
            sign_gc.clear()
            sign_parts.clear()
            continue
        sign.append(s)
        ref.append(b)
    if prof is not None:
        import pstats

        print(f"cProfile of {len(sign)} Cutover.sign_off calls on a {len(tasks)}-task runbook (top 15 by own time):")
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)
        return
    done = sum(1 for p in cut.state.tasks.values() if p.state.value == "done")
    assert done == len(chosen), (done, len(chosen))
    C.emit({
        "tasks": len(tasks), "signed": len(chosen), "sign": sign, "bare": ref, "warm": warm,
        "open_seconds": open_seconds, "events": cut.state.last_seq, "rss_peak": C.peak_rss_mib(),
        "gc_seconds": [g for g, _ in sign_gc], "gc_full": [f for _, f in sign_gc], "parts": sign_parts,
    })  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="50 sign-offs per case")
    ap.add_argument("--profile", action="store_true", help="then cProfile the sign_off calls of the 5,000-task case")
    ap.add_argument("--gc-freeze", action="store_true", help="what-if: gc.freeze() right after Cutover.open")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child_case(*args.child)
        return 0

    work = C.scratch_dir("signoff")
    me = str(Path(__file__).resolve())
    cases = [(200, 50 if args.quick else 200), (5000, 50 if args.quick else 400)]
    print("# bench_signoff: Cutover.sign_off vs bare sqlite3 INSERT+COMMIT, WAL + synchronous=FULL, same directory")
    if args.gc_freeze:
        print("# WHAT-IF run: gc.freeze() called right after Cutover.open (golive itself does not do this)")
    print(f"# {C.machine_line()}", flush=True)
    results = []
    for tasks, count in cases:
        case_dir = work / f"case-{tasks}"
        case_dir.mkdir()
        path = C.generate(work / f"independent-{tasks}.yaml", "--tasks", str(tasks), "--independent")
        res = C.run_child([me, "--child", str(path), str(case_dir), str(count), "freeze" if args.gc_freeze else ""])
        results.append(res)
        print(f"  {tasks}-task runbook: {res['signed']} sign-offs done", file=sys.stderr, flush=True)

    rows = []
    verdicts = []
    for res in results:
        s = C.summary([C.ms(x) for x in res["sign"]])
        b = C.summary([C.ms(x) for x in res["bare"]])
        label = f"{res['tasks']} tasks"
        rows.append([f"{label}: bare INSERT+COMMIT (reference)", b["n"], b["min"], b["p50"], b["p99"], b["max"]])
        rows.append([f"{label}: Cutover.sign_off", s["n"], s["min"], s["p50"], s["p99"], s["max"]])
        ratio99 = s["p99"] / b["p99"]
        verdicts.append(
            f"{label}: sign_off/bare p50 {s['p50'] / b['p50']:.2f}x, p99 {ratio99:.2f}x, "
            f"max {s['max'] / b['max']:.2f}x; "
            f"target p99 <= {TARGET_RATIO:.0f}x: {'MET' if ratio99 <= TARGET_RATIO else 'MISSED'} "
            f"(+{s['p50'] - b['p50']:.2f} ms at p50 over the bare commit)"
        )
    print()
    print(C.table(["measurement", "n", "min ms", "p50 ms", "p99 ms", "max ms"], rows))
    print()
    for line in verdicts:
        print(line)
    print()
    print(C.table(
        ["case", "Cutover.open ms", "first sign_off ms (warm-up)", "first bare commit ms", "journal events at end",
         "child peak RSS MiB", "sign_offs with a full GC", "slowest GC inside a sign_off ms"],
        [[f"{r['tasks']} tasks", C.ms(r["open_seconds"]), C.ms(r["warm"]["sign_off"]), C.ms(r["warm"]["bare"]),
          r["events"], r["rss_peak"], sum(1 for f in r["gc_full"] if f), C.ms(max(r["gc_seconds"]))] for r in results],
    ))  # fmt: skip
    print()
    part_rows = []
    for r in results:
        sign_ms = C.summary([C.ms(x) for x in r["sign"]])["p50"]
        names = list(r["parts"][0])
        medians = {n: C.summary([C.ms(pp.get(n, 0.0)) for pp in r["parts"]])["median"] for n in names}
        rest = C.summary([C.ms(s - sum(pp.values())) for s, pp in zip(r["sign"], r["parts"], strict=True)])["median"]
        for n in names:
            part_rows.append([f"{r['tasks']} tasks", n, medians[n], f"{100 * medians[n] / sign_ms:.0f}%"])
        part_rows.append([f"{r['tasks']} tasks", "rest: connect, BEGIN IMMEDIATE, rule, COMMIT (fsync), apply", rest,
                          f"{100 * rest / sign_ms:.0f}%"])  # fmt: skip
    print(C.table(["case", "inside one sign_off (where the time goes)", "median ms", "of sign_off p50"], part_rows))
    if args.profile:
        print(flush=True)
        tasks, count = cases[-1]
        case_dir = work / "profile"
        case_dir.mkdir()
        path = work / f"independent-{tasks}.yaml"
        subprocess.run(
            [sys.executable, me, "--child", str(path), str(case_dir), str(min(count, 150)), "profile"], check=True
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
