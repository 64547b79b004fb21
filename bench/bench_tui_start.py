"""TUI figures: `golive run FILE --rehearsal` from process start to ready to act, beside an empty
Textual app started the same way in the same run; key press to repaint in the task list.

    .venv/bin/python bench/bench_tui_start.py [--tasks 300,5000] [--repeat 5] [--keys 300] [--baseline-src DIR]

Each start is a fresh child process, timed from its first line (imports included), headless
`run_test` at 120x40. golive is opened as `golive run FILE --rehearsal` opens it (the README's
command), through the same code: the `golive` script's imports (click, every command), then
`golive.cli.run_cmd.open_app` (FILE's run found from the file's digest: the same text, so no parse
and no validation), then the app, which opens the run in its worker. The run was loaded once before (untimed), so each
timed start resumes it, as every start after the first does. The first screen once the run is
open is the identity form with this machine's remembered operator offered, as every `golive run`
starts.

Figures per start, the same for both apps where they apply:
- first frame: the first screen composed and painted (`call_after_refresh` from `on_mount`): for
  golive, "opening run…".
- ready: golive's RunOpened handled (the identity form mounted and focused, the actions enabled),
  then Pilot's first `pause()` after it (it waits until the process looks idle); for the empty
  app, Pilot's first `pause()`. This is "start to ready to act"; the ratio is golive / empty.
- the floor: the empty app started after importing what `golive run` must import to open a run
  (its CLI, its TUI, the store with SQLModel/SQLAlchemy and the pydantic runbook).
- for golive, where the time went: the `golive` script's imports, finding FILE's run (the file's
  digest against the runs listed; the store's modules imported on the way), and from the app's
  start to RunOpened handled (the worker's Cutover.open, then the main screen and the identity
  form mounted).

Key press to repaint (moving down the whole list with the session journaled, at the largest
size): from the key event handed to the app (as the terminal driver hands it over) to the end of
the compositor refresh that repaints the moved cursor (a `call_after_refresh` from the task list's
cursor watcher). Presses are 30 ms apart, like a held-down key.

`--baseline-src DIR` also times the golive whose sources are in DIR (say, a `git worktree` of an
earlier commit's src/) with the same children in the same run: before and after under one load.
An older golive that shows a preview first is ready once its core is built (`app.core`).

The children run with Python's bytecode cache on (a scratch PYTHONPYCACHEPREFIX, warmed by one
untimed start of each app): an installed golive has its .pyc files.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import argparse  # noqa: E402
import asyncio  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    emit,
    generate,
    isolate_user_dirs,
    machine_line,
    ms,
    peak_rss_mib,
    percentile,
    run_child,
    scratch_dir,
    summary,
    table,
)  # fmt: skip

SIZE = (120, 40)
KEY_GAP_S = 0.03
READY_TIMEOUT_S = 120.0


def child_empty(floor: bool = False) -> None:
    if floor:  # what `golive run` must import to open a run (the CLI, the TUI, the store), then the same app
        import golive.cli.main
        import golive.cli.run_cmd
        import golive.store.cutover
        import golive.store.db
        import golive.store.runs
        import golive.tui.app  # noqa: F401
    from textual.app import App
    from textual.widgets import Static

    first: list[float] = []

    class Empty(App[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield Static("hello")

        def on_mount(self) -> None:
            self.call_after_refresh(lambda: first.append(time.perf_counter() - T0))

    async def main() -> dict[str, Any]:
        async with Empty().run_test(size=SIZE) as pilot:
            await pilot.pause()
            return {"ready": time.perf_counter() - T0, "first": first[0], "rss": peak_rss_mib()}

    emit(asyncio.run(main()))


def child_remember() -> None:
    """Untimed, once: the operator this machine remembers, as after any earlier `golive run`."""
    from golive.progress.events import Actor
    from golive.tui.operator import remember

    remember(Actor("Bench", "BE", "neteng"))
    emit({})


def _is_ready(app: Any) -> bool:
    """The run is open and the app takes actions (an older golive: its core is built)."""
    if hasattr(app, "opened"):
        return bool(app.opened)
    return getattr(app, "core", None) is not None


def child_golive(db: str, file: str, keys: int) -> None:
    import golive.cli.main  # (what the `golive` console script imports first)

    t_imports = time.perf_counter() - T0
    import golive.tui.app
    from golive.cli import run_cmd

    first: list[float] = []

    class Timed(golive.tui.app.GoliveApp):
        def __init__(self, *args: Any, **options: Any) -> None:
            super().__init__(*args, **{**options, "poll": False})  # (no 2 s poll timer in a measurement)

        # Textual calls the on_mount of every class in the MRO: GoliveApp's runs after this one.
        def on_mount(self) -> None:
            self.call_after_refresh(lambda: first.append(time.perf_counter() - T0))

    golive.tui.app.GoliveApp = Timed  # type: ignore[misc]  (open_app imports it when called)
    t_load = time.perf_counter()
    app = run_cmd.open_app(file, db, rehearsal=True)
    loaded = time.perf_counter()

    async def main() -> dict[str, Any]:
        async with app.run_test(size=SIZE) as pilot:
            started = time.perf_counter()
            while not _is_ready(app):
                if time.perf_counter() - started > READY_TIMEOUT_S:
                    raise RuntimeError("golive was never ready")
                await asyncio.sleep(0.001)
            opened = time.perf_counter()
            await pilot.pause()
            ready = time.perf_counter() - T0
            from golive.tui.screens.identity import IdentityScreen

            assert isinstance(app.screen, IdentityScreen), app.screen
            await pilot.press("enter")  # the remembered operator, as offered
            await pilot.pause()
            tasks: Any = app.screen.query_one("#task-list")
            assert len(tasks.task_ids) == len(app.view.cutover.state.tasks)
            in_app = await _in_app_keys(app, tasks, keys)
            return {
                "first": first[0], "ready": ready, "imports": t_imports, "load": loaded - t_load,
                "open": opened - started, "keys": in_app, "rss": peak_rss_mib(), "cursor": tasks.cursor,
            }  # fmt: skip

    emit(asyncio.run(main()))


async def _in_app_keys(app: Any, tasks: Any, keys: int) -> list[float]:
    """Key event handed to the app (as the terminal driver does) -> the refresh that shows the cursor moved."""
    from textual import events

    painted = asyncio.Event()
    watch = tasks.watch_cursor

    def timed_watch(old: int, new: int) -> None:
        watch(old, new)
        tasks.call_after_refresh(painted.set)

    tasks.watch_cursor = timed_watch
    out = []
    for _ in range(keys):
        before = tasks.cursor
        painted.clear()
        key = events.Key("down", None)
        key.set_sender(app)
        t = time.perf_counter()
        app.post_message(key)
        await painted.wait()
        out.append(time.perf_counter() - t)
        assert tasks.cursor == before + 1
        await asyncio.sleep(KEY_GAP_S)
    tasks.watch_cursor = watch
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", default="300,5000", help="runbook sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keys", type=int, default=300, help="key presses timed at the largest size")
    parser.add_argument("--child", default="")
    parser.add_argument("--db", default="")
    parser.add_argument("--file", default="")
    parser.add_argument("--baseline-src", default="", help="also time the golive in this src/ directory (before)")
    args = parser.parse_args()
    if args.child in ("empty", "floor"):
        return child_empty(floor=args.child == "floor")
    if args.child == "golive":
        return child_golive(args.db, args.file, args.keys)
    if args.child == "remember":
        return child_remember()
    sizes = [int(n) for n in args.tasks.split(",")]
    work = scratch_dir("tui")
    isolate_user_dirs(work)
    os.environ["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    golive = str(Path(sys.executable).parent / "golive")
    baseline = {"PYTHONPATH": str(Path(args.baseline_src).resolve())} if args.baseline_src else None
    files = {}
    for n in sizes:
        rb = generate(work / f"rb-{n}.yaml", "--tasks", str(n))
        db = work / f"rb-{n}.db"
        subprocess.run([golive, "load", str(rb), "--rehearsal", "--db", str(db)], check=True, capture_output=True)
        files[n] = (rb, db)
    run_child([__file__, "--child", "remember"])
    empty_args = [__file__, "--child", "empty"]

    def golive_args(n: int, keys: int) -> list[str]:
        rb, db = files[n]
        return [__file__, "--child", "golive", "--db", str(db), "--file", str(rb), "--keys", str(keys)]

    run_child(empty_args)  # untimed: write the bytecode caches
    for n in sizes:
        run_child(golive_args(n, 1))
        if baseline:
            run_child(golive_args(n, 1), env=baseline)
    empty: dict[str, list[float]] = {"first": [], "ready": [], "floor": []}
    runs: dict[tuple[str, int], dict[str, list[Any]]] = {}
    for _ in range(args.repeat):
        e = run_child(empty_args)
        empty["first"].append(e["first"])
        empty["ready"].append(e["ready"])
        empty["floor"].append(run_child([__file__, "--child", "floor"])["ready"])
        for n in sizes:
            keys = args.keys if n == max(sizes) else 0
            for who, env in (("golive", None), ("before", baseline)):
                if who == "before" and env is None:
                    continue
                g = run_child(golive_args(n, keys), env=env)
                bucket = runs.setdefault((who, n), {})
                for key, value in g.items():
                    bucket.setdefault(key, []).extend(value if isinstance(value, list) else [value])
    e_first, e_ready = summary(empty["first"])["median"], summary(empty["ready"])["median"]
    print(f"\n### TUI start: `golive run FILE --rehearsal`, start to ready to act ({machine_line()})\n")
    print(f"`.venv/bin/python bench/bench_tui_start.py --tasks {args.tasks} --repeat {args.repeat} --keys {args.keys}"
          f"{' --baseline-src ' + args.baseline_src if args.baseline_src else ''}`\n")  # fmt: skip

    def row(label: str, values: list[float], ref: float | None = None) -> list[Any]:
        s = summary(values)
        return [label, ms(s["median"]), ms(s["min"]), ms(s["max"]), f"{s['median'] / ref:.2f}x" if ref else ""]

    rows = [row("empty Textual app: first frame", empty["first"])]
    rows.append(row("empty Textual app: ready (Pilot)", empty["ready"]))
    rows.append(row("floor: golive's imports (CLI, TUI, store), then the empty app: ready", empty["floor"], e_ready))
    for (who, n), g in runs.items():
        name = "golive run" if who == "golive" else f"before ({args.baseline_src})"
        rows.append(row(f"{name}, {n} tasks: first frame", g["first"], e_first))
        rows.append(row(f"{name}, {n} tasks: ready to act", g["ready"], e_ready))
        if who == "golive":
            rows.append(row(f"  of which the `golive` script's imports ({n} tasks)", g["imports"]))
            rows.append(row(f"  of which finding FILE's run from its digest ({n} tasks)", g["load"]))
            rows.append(row(f"  of which the app's start to RunOpened handled ({n} tasks)", g["open"]))
        if g.get("keys"):
            k = summary(g["keys"])
            p95 = ms(percentile(g["keys"], 95))
            label = f"{name}, {n} tasks: key press to repaint, x{len(g['keys'])} (p95 {p95:.1f} ms)"
            rows.append([label, ms(k["median"]), ms(k["min"]), ms(k["max"]), ""])
        rows.append([f"{name}, {n} tasks: peak RSS (MiB)", max(g["rss"]), min(g["rss"]), max(g["rss"]), ""])
    print(table(["measure (ms unless said)", "median", "min", "max", "median / empty"], rows))


if __name__ == "__main__":
    main()
