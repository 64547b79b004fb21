"""Cold-start `golive validate` on a small runbook, beside `python -c pass` with the same interpreter.

    .venv/bin/python bench/bench_cold_validate.py           # 30 runs of each, interleaved
    .venv/bin/python bench/bench_cold_validate.py --quick   # 5 runs of each

The small runbook is the first runbooks/*.yaml if there is one, else a generated 10-task runbook.
Every run is a new process (what a technician's shell does). The two commands alternate, and
which goes first alternates too, so noise lands on both. Two warm-up runs of each are dropped
(page cache, bytecode).

Then, in separate runs: which heavy packages `golive validate` imports (it must not import
textual, netmiko or pysnmp; sqlalchemy is reported too, since validate needs no database), and
the top import costs from `python -X importtime -m golive validate FILE`.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import _common as C

FORBIDDEN = ("textual", "netmiko", "pysnmp")
ALSO_WATCH = ("sqlalchemy", "sqlmodel", "rich", "paramiko", "keyring", "cryptography")

WRAPPER = r"""
import json, sys
sys.argv = ["golive", "validate", sys.argv[1]]
from golive.cli.main import main
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code or 0
tops = sorted({m.split(".")[0] for m in sys.modules})
print("@@BENCH-JSON@@ " + json.dumps({"exit": code, "modules": len(sys.modules), "packages": tops}))
"""


def _run(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd} exited {proc.returncode}: {proc.stderr.decode()[-2000:]}")
    return seconds


_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)\s*$")


def importtime(python: str, file: str) -> list[tuple[str, int, int, int]]:
    """(module, self us, cumulative us, depth) for each import in one `-X importtime` run."""
    proc = subprocess.run(
        [python, "-X", "importtime", "-m", "golive", "validate", file], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    out = []
    for line in proc.stderr.splitlines():
        m = _LINE.match(line)
        if m:
            out.append((m[4], int(m[1]), int(m[2]), (len(m[3]) - 1) // 2))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="5 runs of each")
    ap.add_argument("--runs", type=int, default=None, help="runs of each command (default 30, quick 5)")
    ap.add_argument("--file", help="runbook to validate (default: runbooks/*.yaml, else a generated one)")
    args = ap.parse_args(argv)
    runs = args.runs or (5 if args.quick else 30)

    python = sys.executable
    golive = str(Path(python).parent / "golive")
    work = C.scratch_dir("cold")
    samples = sorted((C.ROOT / "runbooks").glob("*.yaml"))
    if args.file:
        file = Path(args.file)
    elif samples:
        file = samples[0]
    else:
        file = C.generate(work / "small-10-tasks.yaml", "--tasks", "10", "--devices", "6")
    shown = file.relative_to(C.ROOT) if file.is_relative_to(C.ROOT) else f"{file.name} (generated, 10 tasks)"
    print(f"# bench_cold_validate: golive validate {shown}; {runs} runs of each, interleaved")
    print(f"# {C.machine_line()}", flush=True)

    ref_cmd = [python, "-c", "pass"]
    cmd = [golive, "validate", str(file)]
    for _ in range(2):  # warm-up, not counted
        _run(ref_cmd)
        _run(cmd)
    ref: list[float] = []
    val: list[float] = []
    for i in range(runs):
        if i % 2 == 0:
            ref.append(_run(ref_cmd))
            val.append(_run(cmd))
        else:
            val.append(_run(cmd))
            ref.append(_run(ref_cmd))

    r = C.summary([C.ms(x) for x in ref])
    v = C.summary([C.ms(x) for x in val])
    print()
    print(C.table(
        ["command", "min ms", "median ms", "max ms"],
        [["python -c pass (reference)", r["min"], r["median"], r["max"]],
         ["golive validate SMALL.yaml", v["min"], v["median"], v["max"]]],
    ))  # fmt: skip
    print()
    print(
        f"ratio golive/python: min {v['min'] / r['min']:.1f}x, median {v['median'] / r['median']:.1f}x; "
        f"golive's own start-up + validate: {v['min'] - r['min']:.0f} ms (min), "
        f"{v['median'] - r['median']:.0f} ms (median)"
    )

    # which packages did it import?
    proc = subprocess.run([python, "-c", WRAPPER, str(file)], capture_output=True, text=True, check=False)
    line = next((x for x in proc.stdout.splitlines() if x.startswith(C.MARK)), None)
    if line is None:
        raise RuntimeError(proc.stderr[-2000:])
    info = json.loads(line[len(C.MARK) :])
    tops = set(info["packages"])
    bad = [p for p in FORBIDDEN if p in tops]
    print()
    print(f"modules loaded by `golive validate`: {info['modules']} (exit {info['exit']})")
    print(f"imports textual/netmiko/pysnmp: {'NO (good)' if not bad else 'YES: ' + ', '.join(bad)}")
    watched = [p for p in ALSO_WATCH if p in tops]
    print(f"other heavy packages loaded: {', '.join(watched) if watched else 'none of ' + ', '.join(ALSO_WATCH)}")

    # what do the imports cost?
    trials = [importtime(python, str(file)) for _ in range(3)]
    in_trace = {name.split(".")[0] for trial in trials for name, *_ in trial}
    bad_trace = [p for p in FORBIDDEN if p in in_trace]
    mentions = "NO" if not bad_trace else "YES: " + ", ".join(bad_trace)
    print(f"-X importtime trace mentions textual/netmiko/pysnmp: {mentions}")
    per_pkg: dict[str, list[float]] = defaultdict(list)
    per_mod: dict[str, list[tuple[int, int]]] = defaultdict(list)
    totals = []
    for trial in trials:
        sums: dict[str, int] = defaultdict(int)
        for name, self_us, cum_us, _depth in trial:
            sums[name.split(".")[0]] += self_us
            per_mod[name].append((self_us, cum_us))
        for pkg, us in sums.items():
            per_pkg[pkg].append(us)
        totals.append(sum(s for _, s, _, _ in trial))
    total = statistics.median(totals)
    top_pkgs = sorted(per_pkg.items(), key=lambda kv: -statistics.median(kv[1]))[:10]
    print()
    print(f"all imports: {total / 1000:.0f} ms (median of 3 `-X importtime` runs; importtime itself adds overhead)")
    print(C.table(
        ["top-level package", "self ms, summed over its modules", "share of import time"],
        [[pkg, statistics.median(us) / 1000, f"{100 * statistics.median(us) / total:.0f}%"] for pkg, us in top_pkgs],
    ))  # fmt: skip
    top_mods = sorted(per_mod.items(), key=lambda kv: -statistics.median(s for s, _ in kv[1]))[:10]
    rows = [[name, statistics.median(s for s, _ in vals) / 1000, statistics.median(c for _, c in vals) / 1000]
            for name, vals in top_mods]  # fmt: skip
    print()
    print(C.table(["module (top 10 by own import time)", "self ms", "cumulative ms (includes what it imports)"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
