"""TUI figures with a 5,000-task run: cold start to the first frame (beside an empty Textual app
started the same way in the same run), key press to repaint in the task list, RSS.

    .venv/bin/python bench/bench_tui_start.py [--tasks 5000] [--repeat 3] [--keys 300] [--baseline-src DIR]

`--baseline-src DIR` also times the golive whose sources are in DIR (say, a `git worktree` of an
earlier commit's src/) with the same children in the same run: before and after under one load.

Each start is a fresh child process, timed from its first line (imports included), headless
`run_test` at 120x40. golive is opened as `golive run FILE --rehearsal` opens it (the README's
command), through the same code: the `golive` script's imports (click, every command), then
`golive.cli.run_cmd.open_app`, which resumes the run from the file's digest and reads a preview of
it (sqlite3, no pydantic); the Cutover is built in a worker after the first frame. An older golive
(`--baseline-src`) is handed its preview or Cutover as it was then. The first frame is the identity
form with this machine's remembered operator offered, as every `golive run` starts (Enter takes it);
a second figure opens the main screen at once (operator given), as the earlier runs measured. Two
figures per start, the same for both apps:

- first frame: when the first screen has been composed and painted (a `call_after_refresh`
  scheduled in the app's `on_mount` runs after the compositor's first refresh of that screen).
  This is the figure for "cold start to the first interactive frame".
- Pilot: after `run_test` has started the app and `pilot.pause()` returned. `pause` also waits
  until the process looks idle (Textual's `wait_for_idle`, up to 1 s), so work done *after* the
  first frame (golive builds its core and journals the session in a worker then) counts here
  too. Kept because the earlier figures were measured this way.

Two figures per key press (moving down through the whole list, the session already journaled):

- in-app: from the key event handed to the app as the terminal driver hands it over, to the end
  of the compositor refresh that repaints the moved cursor (a `call_after_refresh` from the task
  list's cursor watcher). This answers "key press to repaint". Presses are 30 ms apart, like a
  held-down key.
- Pilot: `pilot.press("down")` plus `pilot.pause()`, as before; both wait for the process to look
  idle, so this is an upper bound that mostly measures Pilot's waiting.

The children run with Python's bytecode cache on (a scratch PYTHONPYCACHEPREFIX, warmed by one
untimed start of each app): an installed golive has its .pyc files, and this checkout is used
with PYTHONDONTWRITEBYTECODE=1, which would otherwise charge golive (not Textual, whose site-packages
.pyc exist) for compiling its sources on every start.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import argparse  # noqa: E402
import asyncio  # noqa: E402
import os  # noqa: E402
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


def child_empty(imports: bool = False) -> None:
    if imports:  # the floor: what `golive run` imports before it can show a run, then the same empty app
        import golive.cli.main
        import golive.cli.run_cmd
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
            return {"pilot_start": time.perf_counter() - T0, "start": first[0], "rss": peak_rss_mib()}

    emit(asyncio.run(main()))


def _open(db: Path, file: Path, timed: type) -> Any:
    """The app as `golive run FILE --rehearsal` makes it (the `golive` script's imports, then
    `run_cmd.open_app`), built as the timed subclass."""
    import golive.cli.main  # (what the `golive` console script imports first)
    import golive.tui.app
    from golive.cli import run_cmd

    golive.tui.app.GoliveApp = timed  # type: ignore[misc]  (open_app imports it when called)
    return run_cmd.open_app(str(file), str(db), rehearsal=True)


def child_remember() -> None:
    """Untimed, once: the operator this machine remembers, as after any earlier `golive run`."""
    from golive.progress.events import Actor
    from golive.tui.operator import remember

    remember(Actor("Bench", "BE", "neteng"))
    emit({})


def child_golive(db: str, file: str, keys: int, identity: bool) -> None:
    from golive.progress.events import Actor
    from golive.tui.app import GoliveApp

    first: list[float] = []

    class Timed(GoliveApp):
        def __init__(self, db: Path, ref: str | None = None, **options: Any) -> None:
            if identity:  # as `golive run` opens: the remembered operator offered in the identity form
                super().__init__(db, ref, poll=False, **options)
            else:
                super().__init__(db, ref, operator=Actor("Bench", "BE", "neteng"), ask_operator=False, poll=False,
                                 **options)  # fmt: skip

        # Textual calls the on_mount of every class in the MRO: calling super() here too would
        # run GoliveApp.on_mount twice (two main screens composed, as this bench did before).
        def on_mount(self) -> None:
            self.call_after_refresh(lambda: first.append(time.perf_counter() - T0))

    async def main() -> dict[str, Any]:
        app = _open(Path(db), Path(file), Timed)
        assert isinstance(app, Timed)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            pilot_start = time.perf_counter() - T0
            if identity:
                from golive.tui.screens.identity import IdentityScreen

                assert isinstance(app.screen, IdentityScreen)
                await pilot.press("enter")  # the remembered operator, as offered
                await pilot.pause()
            tasks: Any = app.screen.query_one("#task-list")
            assert len(tasks.task_ids) == len(app.view.cutover.state.tasks)
            while not getattr(app, "session_begun", True):  # journaled in a worker after the first frame
                await asyncio.sleep(0.005)
            session = time.perf_counter() - T0
            in_app = await _in_app_keys(app, tasks, keys)
            pilot_keys = []
            for _ in range(keys):
                t = time.perf_counter()
                await pilot.press("down")
                await pilot.pause()
                pilot_keys.append(time.perf_counter() - t)
            return {
                "start": first[0], "pilot_start": pilot_start, "session": session, "keys": in_app,
                "pilot_keys": pilot_keys, "rss": peak_rss_mib(), "cursor": tasks.cursor,
                "journaled": [e.kind.value for e in app.view.cutover.events[-1:]],
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
        app._driver.send_message(key)
        await painted.wait()
        out.append(time.perf_counter() - t)
        assert tasks.cursor == before + 1
        await asyncio.sleep(KEY_GAP_S)
    tasks.watch_cursor = watch
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keys", type=int, default=300)
    parser.add_argument("--child", default="")
    parser.add_argument("--db", default="")
    parser.add_argument("--file", default="")
    parser.add_argument("--no-identity", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--baseline-src", default="", help="also time the golive in this src/ directory (before)")
    args = parser.parse_args()
    if args.child in ("empty", "imports"):
        return child_empty(imports=args.child == "imports")
    if args.child == "golive":
        return child_golive(args.db, args.file, args.keys, identity=not args.no_identity)
    if args.child == "remember":
        return child_remember()
    work = scratch_dir("tui")
    isolate_user_dirs(work)
    os.environ["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    rb = generate(work / "big.yaml", "--tasks", str(args.tasks))
    db = work / "big.db"
    small_rb = generate(work / "small.yaml", "--tasks", "10")
    small_db = work / "small.db"
    import subprocess

    golive = str(Path(sys.executable).parent / "golive")
    for file, path in ((rb, db), (small_rb, small_db)):
        subprocess.run([golive, "load", str(file), "--rehearsal", "--db", str(path)], check=True, capture_output=True)
    empty_args = [__file__, "--child", "empty"]
    imports_args = [__file__, "--child", "imports"]
    golive_args = [__file__, "--child", "golive", "--db", str(db), "--file", str(rb), "--keys"]
    small_args = [__file__, "--child", "golive", "--db", str(small_db), "--file", str(small_rb), "--keys", "1"]
    baseline_env = {"PYTHONPATH": str(Path(args.baseline_src).resolve())} if args.baseline_src else None
    run_child([__file__, "--child", "remember"])
    direct_args = [__file__, "--child", "golive", "--db", str(db), "--file", str(rb), "--no-identity", "--keys", "0"]
    run_child(empty_args)  # untimed: writes the bytecode caches
    run_child([*golive_args, "1"])
    if baseline_env:
        run_child([*golive_args, "1"], env=baseline_env)
    before: dict[str, list[Any]] = {"start": [], "pilot_start": [], "keys": [], "pilot_keys": []}
    names = ("empty", "empty_pilot", "imports", "small", "golive", "direct", "golive_pilot", "session", "rss")
    runs: dict[str, list[Any]] = {k: [] for k in names}
    keys: list[float] = []
    pilot_keys: list[float] = []
    for _ in range(args.repeat):
        e = run_child(empty_args)
        runs["imports"].append(run_child(imports_args)["start"])
        runs["small"].append(run_child(small_args)["start"])
        g = run_child([*golive_args, str(args.keys)])
        runs["direct"].append(run_child(direct_args)["start"])
        if baseline_env:
            b = run_child([*golive_args, str(args.keys)], env=baseline_env)
            for key in ("start", "pilot_start"):
                before[key].append(b[key])
            before["keys"].extend(b["keys"])
            before["pilot_keys"].extend(b["pilot_keys"])
        runs["empty"].append(e["start"])
        runs["empty_pilot"].append(e["pilot_start"])
        runs["golive"].append(g["start"])
        runs["golive_pilot"].append(g["pilot_start"])
        runs["session"].append(g["session"] - g["start"])
        runs["rss"].append(g["rss"])
        keys.extend(g["keys"])
        pilot_keys.extend(g["pilot_keys"])
    s = {k: summary(v) for k, v in runs.items()}
    ks, ps = summary(keys), summary(pilot_keys)
    print(f"\n### TUI: {args.tasks} tasks ({machine_line()})\n")
    print(
        f"`.venv/bin/python bench/bench_tui_start.py --tasks {args.tasks} --repeat {args.repeat} --keys {args.keys}`\n"
    )

    def row(label: str, key: str) -> list[Any]:
        return [label, ms(s[key]["median"]), ms(s[key]["min"]), ms(s[key]["max"])]

    print(table(["measure", "median", "min", "max"], [
        row("empty Textual app, start to first frame (ms)", "empty"),
        row(f"golive run, {args.tasks} tasks, start to first frame: the identity form (ms)", "golive"),
        ["ratio golive / empty, first frame (median)", s["golive"]["median"] / s["empty"]["median"], "", ""],
        row(f"golive, {args.tasks} tasks, the main screen at once (no identity form) (ms)", "direct"),
        ["ratio main screen at once / empty (median)", s["direct"]["median"] / s["empty"]["median"], "", ""],
        row("floor: golive's imports, then the empty app (ms)", "imports"),
        ["ratio floor / empty (median)", s["imports"]["median"] / s["empty"]["median"], "", ""],
        row("golive run, 10 tasks, start to first frame: the identity form (ms)", "small"),
        row("empty Textual app, start to Pilot pause (ms)", "empty_pilot"),
        row("golive run, start to Pilot pause (ms)", "golive_pilot"),
        ["ratio golive / empty, Pilot pause (median)",
         s["golive_pilot"]["median"] / s["empty_pilot"]["median"], "", ""],
        row("golive: first frame to session journaled (ms)", "session"),
        [f"key press to repaint, in-app x{len(keys)} (ms; p95 {ms(percentile(keys, 95)):.1f})",
         ms(ks["median"]), ms(ks["min"]), ms(ks["max"])],
        [f"key press to repaint, Pilot press+pause x{len(pilot_keys)} (ms; p95 {ms(percentile(pilot_keys, 95)):.1f})",
         ms(ps["median"]), ms(ps["min"]), ms(ps["max"])],
        ["peak RSS with the run open (MiB)", max(runs["rss"]), min(runs["rss"]), max(runs["rss"])],
    ]))  # fmt: skip
    if baseline_env:
        bs, bp = summary(before["start"]), summary(before["pilot_start"])
        bk, bpk = summary(before["keys"]), summary(before["pilot_keys"])
        print(f"\nBefore (golive from {args.baseline_src}), same run, same children:\n")
        print(table(["measure", "median", "min", "max"], [
            ["before: golive run, start to first frame (ms)", ms(bs["median"]), ms(bs["min"]), ms(bs["max"])],
            ["before: ratio / empty, first frame (median)", bs["median"] / s["empty"]["median"], "", ""],
            ["before: golive run, start to Pilot pause (ms)", ms(bp["median"]), ms(bp["min"]), ms(bp["max"])],
            ["before: ratio / empty, Pilot pause (median)", bp["median"] / s["empty_pilot"]["median"], "", ""],
            [f"before: key press, in-app (ms; p95 {ms(percentile(before['keys'], 95)):.1f})",
             ms(bk["median"]), ms(bk["min"]), ms(bk["max"])],
            [f"before: key press, Pilot (ms; p95 {ms(percentile(before['pilot_keys'], 95)):.1f})",
             ms(bpk["median"]), ms(bpk["min"]), ms(bpk["max"])],
        ]))  # fmt: skip


if __name__ == "__main__":
    main()
