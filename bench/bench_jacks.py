"""Port-map figure for issue 16: proving 384 jacks, beside reading the devices' tables alone (the floor).

The target: the whole `jacks` check through the Engine (read every old and new device once, judge
every jack, build the result) takes at most 1.2x the time of reading the same devices' tables
alone (`read_tables` on every device, concurrently, as the engine reads them: the floor no
verifier can go below). The judge and the result must be a small slice on top of the reads.

The world: a generated port map of 8 old x 48 ports (hp_comware, GE1/0/1-48) to 8 new x 48
ports (cisco_ios, Gi1/0/1-48), 384 jacks with a mix of endpoints (phones, PCs, printers, APs,
a silent modality per switch), played by `golive lab` (FakeNOS over SSH). The snapshot check runs
once first (the baseline); the lab is then patched (every endpoint moved to its new port) when
it can be, so the jacks check judges a finished cut.

In the same run, interleaved and alternating which goes first: (a) `read_tables` over all 16
devices, (b) the jacks check through `Engine.run_all`; `--repeat` times; medians and the ratio.

Run: .venv/bin/python bench/bench_jacks.py [--repeat 5] [--switches 8] [--ports 48] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from golive.checks.engine import Engine
from golive.checks.plan import items_for
from golive.checks.portmap.judge import judge_jacks
from golive.checks.portmap.read import read_tables
from golive.lab.lab import Lab
from golive.runbook.schema import Runbook

KINDS = ("phone", "pc", "phone", "printer", "pc", "ap", "phone", "pc")  # every 8th jack; one modality per switch


def runbook(switches: int, ports: int) -> Runbook:
    """Old idf-old-N (hp_comware GE1/0/p) -> new idf-new-N (cisco_ios Gi1/0/p), one jack per port."""
    jacks = []
    for s in range(1, switches + 1):
        for p in range(1, ports + 1):
            kind = "modality" if p == ports else KINDS[p % len(KINDS)]
            jacks.append({
                "jack": f"{s}-{p:03d}", "old_device": f"idf-old-{s}", "old_port": f"GE1/0/{p}",
                "new_device": f"idf-new-{s}", "new_port": f"Gi1/0/{p}", "endpoint": f"{kind} {s}-{p:03d}",
                "kind": kind, "critical": kind == "modality",
            })  # fmt: skip
    inventory: dict[str, Any] = {}
    for s in range(1, switches + 1):
        inventory[f"idf-old-{s}"] = {"host": f"192.0.2.{s}", "platform": "hp_comware"}
        inventory[f"idf-new-{s}"] = {"host": f"192.0.2.{100 + s}", "platform": "cisco_ios"}
    return Runbook.model_validate({
        "runbook": {"id": "bench-jacks", "title": "bench", "version": 1,
                    "window": {"start": "2027-01-01T00:00-05:00", "end": "2027-01-01T04:00-05:00"}},
        "roles": {"net": "net"},
        "inventory": inventory,
        "portmap": {"jacks": jacks},
        "phases": [{"id": "p", "title": "p", "tasks": [
            {"id": "before", "title": "snapshot", "duration": "5m",
             "checks": [{"kind": "snapshot", "id": "snap-old"}]},
            {"id": "after", "title": "jacks", "duration": "5m", "after": ["before"],
             "checks": [{"kind": "jacks", "id": "jacks-all", "baseline": "snap-old"}]},
        ]}],
    })  # fmt: skip


async def read_all(engine: Engine, devices: list[str]) -> list[Any]:
    """(a) the floor: every device's tables, concurrently within the engine's bounds (its gate and a
    thread pool of the same size as the engine's: the default pool's few threads would make it slower)."""
    gate = asyncio.Semaphore(engine.max_devices)
    executor = ThreadPoolExecutor(max_workers=min(engine.max_devices, 64), thread_name_prefix="bench-read")

    async def one(device: str) -> Any:
        async with gate:
            return await read_tables(engine, device, executor=executor)

    try:
        return await asyncio.gather(*(one(device) for device in devices))
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def timed_read(engine: Engine, devices: list[str], keep: dict[str, Any] | None = None) -> float:
    started = time.monotonic()
    tables = asyncio.run(read_all(engine, devices))
    seconds = time.monotonic() - started
    bad = [f"{t.device}: {t.error}" for t in tables if t.error]
    assert not bad, bad
    if keep is not None:
        keep.update({t.device: t for t in tables})
    return seconds


def timed_judge(book: Runbook, baseline: dict[str, Any], tables: dict[str, Any]) -> float:
    """(c) the judge alone on tables already read: what (b) adds to the reads, in CPU."""
    assert book.portmap is not None
    started = time.process_time()
    judge_jacks(book.portmap.jacks, baseline, tables)
    return time.process_time() - started


def timed_jacks(engine: Engine, items: list[Any]) -> tuple[float, Any]:
    started = time.monotonic()
    results = asyncio.run(engine.run_all(items))
    seconds = time.monotonic() - started
    (result,) = results
    return seconds, result


def patch(lab: Lab) -> str:
    """Move every endpoint to its new port when the lab can; else the jacks are judged before the cut."""
    mover = getattr(lab, "patch", None)
    if mover is None:
        return "lab has no patch: jacks judged with every endpoint still on its old port"
    mover()
    return "lab patched: every endpoint on its new port"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--switches", type=int, default=8)
    parser.add_argument("--ports", type=int, default=48)
    parser.add_argument("--quick", action="store_true", help="2 x 12 ports, 1 repetition")
    args = parser.parse_args()
    if args.quick:
        args.switches, args.ports, args.repeat = 2, 12, 1
    logging.getLogger("paramiko").setLevel(logging.CRITICAL)
    book = runbook(args.switches, args.ports)
    started = time.monotonic()
    with Lab(book, register=False) as lab:
        assert lab.info is not None
        devices = sorted(book.inventory)
        jacks = len(book.portmap.jacks) if book.portmap else 0
        print(f"lab of {len(devices)} devices, {jacks} jacks, up in {time.monotonic() - started:.1f} s")
        engine = Engine(book, rehearsal=False, lab=lab.info)
        try:
            snap = asyncio.run(engine.run_all(items_for(book, "before")))
            print(f"snapshot: {snap[0].status} {snap[0].reason}")
            print(patch(lab))
            items = items_for(book, "after")
            timed_read(engine, devices)  # warm: imports, TextFSM index, first connections
            _, result = timed_jacks(engine, items)
            states = Counter(str(port.observed.get("state")) for port in result.ports.values())
            print(f"jacks: {result.status} {result.reason}; states {dict(states)}")
            baseline = {label: port.observed for label, port in snap[0].ports.items()}
            floor: list[float] = []
            whole: list[float] = []
            judge: list[float] = []
            tables: dict[str, Any] = {}
            for n in range(args.repeat):
                if n % 2 == 0:
                    floor.append(timed_read(engine, devices, tables))
                    whole.append(timed_jacks(engine, items)[0])
                else:
                    whole.append(timed_jacks(engine, items)[0])
                    floor.append(timed_read(engine, devices, tables))
                judge.append(timed_judge(book, baseline, tables))
                print(f"  run {n + 1}: (a) read_tables x {len(devices)} {floor[-1]:.2f} s   "
                      f"(b) jacks check {whole[-1]:.2f} s   ratio {whole[-1] / floor[-1]:.2f}x   "
                      f"(c) judge alone {judge[-1] * 1000:.0f} ms CPU")  # fmt: skip
        finally:
            engine.close()
    a, b = statistics.median(floor), statistics.median(whole)
    ratios = [w / f for w, f in zip(whole, floor, strict=True)]
    print(f"median: (a) {a:.2f} s, (b) {b:.2f} s: ratio {b / a:.2f}x (per-run ratios "
          f"{min(ratios):.2f}-{max(ratios):.2f}x); target <= 1.2x: {'MET' if b / a <= 1.2 else 'MISSED'}")  # fmt: skip
    print(f"judge alone on {jacks} jacks: {statistics.median(judge) * 1000:.0f} ms CPU median")


if __name__ == "__main__":
    main()
