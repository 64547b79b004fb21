"""TUI figures with a 5,000-task run: cold start to the first interactive frame (beside an empty
Textual app started the same way in the same run), key press to repaint in the task list, RSS.

    .venv/bin/python bench/bench_tui_start.py [--tasks 5000] [--repeat 3] [--keys 300]

Each start is a fresh child process timed from its first line to the first frame after mount
(headless `run_test`, 120x40), imports included; the key-press figure is `pilot.press("down")`
plus the repaint it causes, moving through the whole list.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import argparse  # noqa: E402
import asyncio  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

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


def child_empty() -> None:
    from textual.app import App
    from textual.widgets import Static

    class Empty(App[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield Static("hello")

    async def main() -> float:
        async with Empty().run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            return time.perf_counter() - T0

    emit({"start": asyncio.run(main()), "rss": peak_rss_mib()})


def child_golive(db: str, keys: int) -> None:
    from golive.progress.events import Actor
    from golive.store.cutover import Cutover
    from golive.tui.app import GoliveApp

    async def main() -> dict[str, float | list[float]]:
        cutover = Cutover.open(Path(db))
        app = GoliveApp(cutover, operator=Actor("Bench", "BE", "neteng"), ask_operator=False, poll=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            start = time.perf_counter() - T0
            assert len(app.screen.query_one("#task-list").task_ids) == len(cutover.state.tasks)  # type: ignore[attr-defined]
            lat = []
            for _ in range(keys):
                t = time.perf_counter()
                await pilot.press("down")
                await pilot.pause()
                lat.append(time.perf_counter() - t)
            for _ in range(20):
                await pilot.press("pagedown")
            return {
                "start": start,
                "keys": lat,
                "rss": peak_rss_mib(),
                "cursor": app.screen.query_one("#task-list").cursor,
            }  # type: ignore[attr-defined]

    emit(asyncio.run(main()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keys", type=int, default=300)
    parser.add_argument("--child", default="")
    parser.add_argument("--db", default="")
    args = parser.parse_args()
    if args.child == "empty":
        return child_empty()
    if args.child == "golive":
        return child_golive(args.db, args.keys)
    work = scratch_dir("tui")
    isolate_user_dirs(work)
    rb = generate(work / "big.yaml", "--tasks", str(args.tasks))
    db = work / "big.db"
    import subprocess

    subprocess.run([str(Path(sys.executable).parent / "golive"), "load", str(rb), "--rehearsal", "--db", str(db)],
                   check=True, capture_output=True)  # fmt: skip
    empty, golive, keys, rss = [], [], [], []
    for _ in range(args.repeat):
        e = run_child([__file__, "--child", "empty"])
        g = run_child([__file__, "--child", "golive", "--db", str(db), "--keys", str(args.keys)])
        empty.append(e["start"])
        golive.append(g["start"])
        keys.extend(g["keys"])
        rss.append(g["rss"])
    es, gs, ks = summary(empty), summary(golive), summary(keys)
    print(f"\n### TUI: {args.tasks} tasks ({machine_line()})\n")
    print(
        f"`.venv/bin/python bench/bench_tui_start.py --tasks {args.tasks} --repeat {args.repeat} --keys {args.keys}`\n"
    )
    p95 = ms(percentile(keys, 95))
    print(table(["measure", "median", "min", "max"], [
        ["empty Textual app, start to first frame (ms)", ms(es["median"]), ms(es["min"]), ms(es["max"])],
        [f"golive run, {args.tasks} tasks, start to first frame (ms)", ms(gs["median"]), ms(gs["min"]), ms(gs["max"])],
        ["ratio golive / empty (median)", gs["median"] / es["median"], "", ""],
        [f"key press to repaint x{len(keys)} (ms; p95 {p95:.1f})",
         ms(ks["median"]), ms(ks["min"]), ms(ks["max"])],
        ["peak RSS with the run open (MiB)", max(rss), min(rss), max(rss)],
    ]))  # fmt: skip


if __name__ == "__main__":
    main()
