"""Validate + load a 5,000-task runbook into a fresh SQLite file, beside a bare PyYAML C parse.

    .venv/bin/python bench/bench_load.py            # 5,000 tasks / 10,000 checks, 7 repetitions
    .venv/bin/python bench/bench_load.py --quick    # 1,000 tasks, 3 repetitions
    .venv/bin/python bench/bench_load.py --profile  # also cProfile one validate+load

Each measurement runs in a fresh child process (imports done before the clock starts), so that
peak memory (ru_maxrss) belongs to that one measurement. The children alternate, and their order
rotates each repetition, so machine noise lands on golive and on the reference alike.

  parse      yaml.load(text, Loader=yaml.CSafeLoader): the reference, parsing only
  load       read_runbook(path) + open_engine(new file) + runs.load(...): what `golive load` does
  stages     the same work split up: read_yaml (itself split into compose / alias-size walk /
             build-with-positions), cross_check, pydantic model_validate, sha256, open_engine
             (schema), runs.load (DB write, which includes model_dump_json of the runbook)
  yaml_parts read_yaml's parts, each alone in a process of its own
  *_nogc     what-if rows: parse and load again with the cyclic GC disabled (gc.disable()),
             to show how much of both is the garbage collector walking the growing node graph
             (the "of which in GC" column is measured with gc.callbacks in the normal rows)

Target: load (validate + load) within 3x of the bare parse. Times are reported, never asserted.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import _common as C

TARGET_RATIO = 3.0


class GcTimer:
    """Seconds spent inside the cyclic garbage collector (via gc.callbacks), and how often."""

    def __init__(self) -> None:
        import gc

        self.seconds = 0.0
        self.collections = [0, 0, 0]
        self._t = 0.0
        gc.callbacks.append(self._cb)

    def _cb(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._t = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._t
            self.collections[info["generation"]] += 1


def _gc_off(flag: str) -> bool:
    import gc

    if flag == "nogc":
        gc.disable()
        return True
    return False


# -- children -----------------------------------------------------------------------------


def child_parse(path: str, flag: str = "gc") -> None:
    import yaml

    text = Path(path).read_text(encoding="utf-8")
    before = C.peak_rss_mib()
    gct = GcTimer()
    _gc_off(flag)
    t0 = time.perf_counter()
    data = yaml.load(text, Loader=yaml.CSafeLoader)
    seconds = time.perf_counter() - t0
    assert isinstance(data, dict)
    C.emit(
        {
            "seconds": seconds,
            "rss_before": before,
            "rss_peak": C.peak_rss_mib(),
            "gc": gct.seconds,
            "gc_n": gct.collections,
        }
    )


def child_load(path: str, db: str, flag: str = "gc") -> None:
    from golive.progress.events import Actor
    from golive.runbook.load import read_runbook
    from golive.store import runs
    from golive.store.db import open_engine

    actor = Actor("Bench Runner", "BR", "lead")
    before = C.peak_rss_mib()
    gct = GcTimer()
    _gc_off(flag)
    t0 = time.perf_counter()
    loaded = read_runbook(path)
    engine = open_engine(Path(db))
    outcome = runs.load(engine, loaded, rehearsal=True, actor=actor, machine="bench/00000000")
    seconds = time.perf_counter() - t0
    assert outcome.action == "created"
    C.emit(
        {
            "seconds": seconds,
            "rss_before": before,
            "rss_peak": C.peak_rss_mib(),
            "gc": gct.seconds,
            "gc_n": gct.collections,
        }
    )


def child_stages(path: str, db: str) -> None:
    import hashlib

    from golive.progress.events import Actor
    from golive.runbook import source
    from golive.runbook.load import LoadedRunbook
    from golive.runbook.schema import Runbook
    from golive.runbook.semantic import cross_check
    from golive.store import runs
    from golive.store.db import open_engine

    actor = Actor("Bench Runner", "BR", "lead")
    out: dict[str, float] = {}
    clock = time.perf_counter

    t = clock()
    text = Path(path).read_bytes().decode("utf-8")
    out["read file + decode"] = clock() - t

    # read_yaml as one call (what parse_runbook does) ...
    t = clock()
    src, problems = source.read_yaml(text, path)
    out["read_yaml"] = clock() - t
    assert src is not None and not problems
    t = clock()
    semantic, _secrets = cross_check(src)
    out["cross_check (semantic)"] = clock() - t
    assert not semantic

    t = clock()
    runbook = Runbook.model_validate(src.data)
    out["pydantic model_validate"] = clock() - t

    t = clock()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    loaded = LoadedRunbook(runbook, text, digest, path)
    out["sha256"] = clock() - t

    t = clock()
    engine = open_engine(Path(db))
    out["open_engine (new file, schema)"] = clock() - t

    t = clock()
    runs.load(engine, loaded, rehearsal=True, actor=actor, machine="bench/00000000")
    out["runs.load (DB write)"] = clock() - t

    t = clock()
    runbook.model_dump_json(by_alias=True, exclude_none=True)
    out["  runs.load: model_dump_json (again, alone)"] = clock() - t
    C.emit({"stages": out})


def child_yaml_parts(path: str) -> None:
    """read_yaml's three parts, in a process of their own (so the other stages' live objects
    do not make the garbage collector slower here than inside read_yaml)."""
    import yaml

    from golive.runbook import source

    text = Path(path).read_text(encoding="utf-8")
    out: dict[str, float] = {}
    clock = time.perf_counter
    t = clock()
    root = yaml.compose(text, Loader=source._Loader)
    out["  read_yaml: yaml.compose (C parser -> nodes)"] = clock() - t
    assert root is not None
    t = clock()
    source._expanded_size(root, {}, set())
    out["  read_yaml: _expanded_size (alias-bomb guard)"] = clock() - t
    t = clock()
    source._Builder(path).build(root)
    out["  read_yaml: _Builder.build (data + positions)"] = clock() - t
    C.emit({"stages": out})


def child_profile(path: str, db: str, top: int) -> None:
    import cProfile
    import io
    import pstats

    from golive.progress.events import Actor
    from golive.runbook.load import read_runbook
    from golive.store import runs
    from golive.store.db import open_engine

    actor = Actor("Bench Runner", "BR", "lead")
    prof = cProfile.Profile()
    prof.enable()
    loaded = read_runbook(path)
    engine = open_engine(Path(db))
    runs.load(engine, loaded, rehearsal=True, actor=actor, machine="bench/00000000")
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    print(buf.getvalue())


# -- parent -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1,000 tasks, 3 repetitions")
    ap.add_argument("--tasks", type=int, default=None, help="tasks in the generated runbook (default 5000)")
    ap.add_argument("--reps", type=int, default=None, help="repetitions (default 7, quick 3)")
    ap.add_argument("--file", help="use this runbook instead of generating one")
    ap.add_argument("--profile", action="store_true", help="also cProfile one validate+load")
    ap.add_argument("--no-what-if", dest="what_if", action="store_false", help="skip the gc.disable() what-if rows")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        kind, *rest = args.child
        if kind == "parse":
            child_parse(*rest)
        elif kind == "load":
            child_load(*rest)
        elif kind == "stages":
            child_stages(*rest)
        elif kind == "yaml_parts":
            child_yaml_parts(*rest)
        else:
            child_profile(rest[0], rest[1], int(rest[2]))
        return 0

    tasks = args.tasks or (1000 if args.quick else 5000)
    reps = args.reps or (3 if args.quick else 7)
    work = C.scratch_dir("load")
    C.isolate_user_dirs(work)
    path = Path(args.file) if args.file else C.generate(work / f"runbook-{tasks}.yaml", "--tasks", str(tasks))
    size_mb = path.stat().st_size / 1e6
    me = str(Path(__file__).resolve())
    print(f"# bench_load: {path.name} ({size_mb:.2f} MB), {reps} repetitions, one fresh process per measurement")
    print(f"# {C.machine_line()}")
    print(
        f"# this parent process's peak RSS (the floor of every child's ru_maxrss): {C.peak_rss_mib():.1f} MiB",
        flush=True,
    )

    res_: dict[str, list[dict[str, Any]]] = {
        j: [] for j in ("parse", "load", "parse_nogc", "load_nogc", "stages", "yaml_parts")
    }
    jobs_all = ["parse", "load", "stages", "yaml_parts", "parse_nogc", "load_nogc"]
    if not args.what_if:
        jobs_all = jobs_all[:4]
    for rep in range(reps):
        k = rep % len(jobs_all)
        for job in jobs_all[k:] + jobs_all[:k]:  # rotate the order so drift hits all of them
            base, _, flag = job.partition("_no")
            flag = "nogc" if flag else "gc"
            if base == "parse":
                res_[job].append(C.run_child([me, "--child", "parse", str(path), flag]))
            elif job == "yaml_parts":
                res_[job].append(C.run_child([me, "--child", "yaml_parts", str(path)])["stages"])
            else:
                db = work / f"{job}-{rep}.db"
                extra = [flag] if base == "load" else []
                out = C.run_child([me, "--child", base, str(path), str(db), *extra])
                res_[job].append(out if base == "load" else out["stages"])
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{db}{suffix}").unlink(missing_ok=True)
        last_parse, last_load = res_["parse"][-1]["seconds"], res_["load"][-1]["seconds"]
        print(f"  rep {rep + 1}/{reps}: parse {last_parse:.3f}s, load {last_load:.3f}s", file=sys.stderr, flush=True)
    parse, load, stages, yaml_parts = res_["parse"], res_["load"], res_["stages"], res_["yaml_parts"]

    def med(rows: list[dict[str, Any]], key: str) -> float:
        return C.summary([r[key] for r in rows])["median"]

    def row(label: str, rows: list[dict[str, Any]]) -> list[Any]:
        sm = C.summary([r["seconds"] for r in rows])
        return [label, sm["min"], sm["median"], med(rows, "gc"), med(rows, "rss_peak"),
                C.summary([r["rss_peak"] - r["rss_before"] for r in rows])["median"]]  # fmt: skip

    p = C.summary([r["seconds"] for r in parse])
    lo = C.summary([r["seconds"] for r in load])
    ratio_min = lo["min"] / p["min"]
    ratio_med = lo["median"] / p["median"]
    pairwise = sorted(l_["seconds"] / p_["seconds"] for l_, p_ in zip(load, parse, strict=True))
    rows = [row("yaml.load CSafeLoader (reference)", parse),
            row("golive validate + load (read_runbook + open_engine + runs.load)", load)]  # fmt: skip
    if args.what_if:
        rows += [row("what-if, gc.disable(): yaml.load CSafeLoader", res_["parse_nogc"]),
                 row("what-if, gc.disable(): golive validate + load", res_["load_nogc"])]  # fmt: skip
    print()
    headers = ["measurement", "min s", "median s", "of which in GC s (median)", "peak RSS MiB (median)"]
    print(C.table([*headers, "RSS growth MiB (median)"], rows))
    print()
    verdict = "MET" if ratio_med <= TARGET_RATIO else "MISSED"
    print(
        f"ratio load/parse: min {ratio_min:.2f}x, median {ratio_med:.2f}x "
        f"(per-rep pairs {pairwise[0]:.2f}x..{pairwise[-1]:.2f}x); target <= {TARGET_RATIO:.0f}x: {verdict}"
    )
    if args.what_if:
        nl = C.summary([r["seconds"] for r in res_["load_nogc"]])["median"]
        npar = C.summary([r["seconds"] for r in res_["parse_nogc"]])["median"]
        print(
            f"what-if: golive validate + load with GC off, vs the stock parse: {nl / p['median']:.2f}x; "
            f"both with GC off: {nl / npar:.2f}x"
        )
    print()
    for whole, parts in zip(stages, yaml_parts, strict=True):
        merged = {}
        for name, value in whole.items():
            merged[name] = value
            if name == "read_yaml":
                merged.update(parts)
        whole.clear()
        whole.update(merged)
    names = list(stages[0])
    total = C.summary([sum(v for k, v in s.items() if not k.startswith(" ")) for s in stages])["median"]
    rows = []
    for name in names:
        stage = C.summary([s[name] for s in stages])
        share = f"{100 * stage['median'] / total:.0f}%" if not name.startswith(" ") else ""
        rows.append([name, stage["min"], stage["median"], share, f"{stage['median'] / p['median']:.2f}x"])
    rows.append(["sum of top-level stages", "", total, "100%", f"{total / p['median']:.2f}x"])
    print(C.table(["stage (where the time goes)", "min s", "median s", "share", "vs parse median"], rows))
    print("(indented rows: parts of the stage above, measured separately; not added to the sum)", flush=True)
    if args.profile:
        print()
        print("cProfile of one validate + load (fresh process), top 25 by own time, then by cumulative:")
        sys.stdout.flush()
        subprocess.run(
            [sys.executable, me, "--child", "profile", str(path), str(work / "profile.db"), "25"], check=True
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
