"""Shared helpers for the benchmarks: statistics, child processes, tables, the machine line.

Every benchmark measures golive beside a reference taken in the same run, because the machines
here are noisy: the ratio is the figure that matters, not the absolute time.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
MARK = "@@BENCH-JSON@@ "


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sample."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n*q/100), at least 1
    return ordered[int(rank) - 1]


def summary(values: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "min": min(values),
        "median": statistics.median(values),
        "p50": percentile(values, 50),
        "p99": percentile(values, 99),
        "max": max(values),
        "mean": statistics.fmean(values),
    }


def peak_rss_mib() -> float:
    """This process's peak resident set size so far (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(result: dict[str, Any]) -> None:
    """A child's result, on one marked line of stdout, for run_child."""
    sys.stdout.write(MARK + json.dumps(result) + "\n")
    sys.stdout.flush()


def run_child(args: Sequence[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run `python args...` in a fresh process and return the result it emitted."""
    proc = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env={**os.environ, **(env or {})}, check=False
    )
    for line in proc.stdout.splitlines():
        if line.startswith(MARK):
            return dict(json.loads(line[len(MARK) :]))
    raise RuntimeError(f"child {args} failed (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")


def generate(path: Path, *options: str) -> Path:
    """Write a runbook with bench/gen_runbook.py in a child process.

    Not in-process on purpose: on Linux a child's ru_maxrss starts at its parent's peak RSS
    (the high-water mark survives fork + exec), so the parent must stay small for the peak
    memory of each measurement child to be its own.
    """
    subprocess.run(
        [sys.executable, str(BENCH / "gen_runbook.py"), str(path), *options], check=True, capture_output=True
    )
    return path


def isolate_user_dirs(base: str | Path) -> None:
    """Point platformdirs (XDG) at a scratch directory: no benchmark writes into the real home."""
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        path = Path(base) / var.lower()
        path.mkdir(parents=True, exist_ok=True)
        os.environ[var] = str(path)


def scratch_dir(prefix: str) -> Path:
    """A fresh temporary directory, removed when the benchmark exits."""
    path = Path(tempfile.mkdtemp(prefix=f"golive-bench-{prefix}-"))
    atexit.register(shutil.rmtree, path, True)
    return path


def machine_line() -> str:
    return (
        f"{dt.datetime.now().astimezone().isoformat(timespec='seconds')}, nproc {os.cpu_count()}, "
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.machine()}"
    )


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A small aligned plain-text table (also valid as a Markdown table)."""
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 100 else f"{value:.1f}"
    return str(value)


def ms(seconds: float) -> float:
    return seconds * 1000.0
