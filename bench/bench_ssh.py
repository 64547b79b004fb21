"""SSH figure for issue 3: 50 FakeNOS devices x 3 commands, golive's engine beside a sequential Netmiko loop.

golive's side is its real path: `golive.checks.engine.Engine` over a runbook whose every device has
a port, a vlan and a mac check (cisco_ios: `show interfaces status`, `show interfaces switchport`,
`show mac address-table`, one SSH session per device carrying the three, parsed with ntc-templates).
The reference is the loop a script would write: one device after another, Netmiko's defaults,
`send_command(..., use_textfsm=True)` for the same three commands, host keys checked the same way.

In the same run, interleaved: the engine over all devices (`--repeat` times), then, device by
device, golive alone on that device (the engine over its three checks) and Netmiko alone on it,
alternating which goes first. The sum of the Netmiko-alone times is the sequential loop; the
slowest golive-alone device is the floor a perfectly parallel run would reach.

Run: .venv/bin/python bench/bench_ssh.py [--devices 50] [--repeat 3] [--stock-lab] [--quick]
(`--stock-lab`: FakeNOS as shipped, without golive.lab.fakenos_tune, for the before/after record.)
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import time
from collections import defaultdict

from netmiko import ConnectHandler

from golive.checks.engine import Engine
from golive.checks.plan import items_for
from golive.checks.results import CheckResult, Status
from golive.lab.lab import Lab
from golive.runbook.schema import Runbook

COMMANDS = ("show interfaces status", "show interfaces switchport", "show mac address-table")


def runbook(devices: int) -> Runbook:
    """Per device: a port check (status), a vlan check (switchport) and a mac check (MAC table)."""
    checks = []
    for i in range(devices):
        name = f"sw{i:02d}"
        checks += [
            {"kind": "port", "device": name, "ports": "Gi1/0/1-24", "expect": {"status": "up"}},
            {"kind": "vlan", "device": name, "port": "Gi1/0/2", "expect": {"access": 120}},
            {"kind": "mac", "device": name, "port": "Gi1/0/3", "expect": {"count": {"ge": 1}}},
        ]
    return Runbook.model_validate({
        "runbook": {"id": "bench-ssh", "title": "bench", "version": 1,
                    "window": {"start": "2027-01-01T00:00-05:00", "end": "2027-01-01T04:00-05:00"}},
        "roles": {"net": "net"},
        "inventory": {f"sw{i:02d}": {"host": f"192.0.2.{i + 1}", "platform": "cisco_ios"} for i in range(devices)},
        "phases": [{"id": "p", "title": "p", "tasks": [{"id": "t", "title": "t", "duration": "1m", "checks": checks}]}],
    })  # fmt: skip


def netmiko_one(lab: Lab, name: str) -> float:
    """The reference: one device with Netmiko's defaults, the three commands parsed with TextFSM."""
    assert lab.info is not None
    ssh = lab.info.devices[name].ssh
    assert ssh is not None
    started = time.monotonic()
    with ConnectHandler(
        device_type="cisco_ios", host="127.0.0.1", port=ssh.port, username=ssh.username, password=ssh.password,
        ssh_strict=True, system_host_keys=False, alt_host_keys=True, alt_key_file=lab.info.known_hosts,
    ) as conn:  # fmt: skip
        for command in COMMANDS:
            records = conn.send_command(command, use_textfsm=True)
            assert isinstance(records, list) and records, f"{name} {command}: {records!r}"
    return time.monotonic() - started


def golive_run(lab: Lab, device: str | None = None) -> tuple[float, list[CheckResult]]:
    """golive's engine over every device's checks (or one device's), as `golive check` runs them."""
    items = [item for item in items_for(lab.runbook) if device is None or item.device == device]
    engine = Engine(lab.runbook, rehearsal=False, lab=lab.info)
    started = time.monotonic()
    try:
        results = asyncio.run(engine.run_all(items))
    finally:
        engine.close()
    seconds = time.monotonic() - started
    bad = [f"{r.key} {r.status} {r.reason}" for r in results if r.status is not Status.PASS]
    assert len(results) == len(items) and not bad, bad[:5]
    return seconds, results


def cpu_of(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def golive_once(lab: Lab, child: int, walls: list[float], inside: list[float]) -> None:
    """One engine run over every device, with its CPU (golive's process, the lab's SSH child)."""
    names = lab.ssh_devices()
    own, child_cpu = time.process_time(), cpu_of(child)
    wall, results = golive_run(lab)
    per_device: dict[str, int] = defaultdict(int)
    for result in results:
        per_device[str(result.device)] = max(per_device[str(result.device)], result.duration_ms)
    walls.append(wall)
    inside.append(max(per_device.values()) / 1000)
    cpu = f"CPU golive {time.process_time() - own:.2f} s, lab child {cpu_of(child) - child_cpu:.2f} s"
    print(f"golive engine, {len(names)} devices: {wall:.2f} s wall "
          f"(slowest device inside {inside[-1]:.2f} s; {cpu})")  # fmt: skip


def worker(devices: int, lab_json: str, part: int, parts: int) -> None:
    """what-if child: the engine over every `parts`-th device; READY once imported, then waits for GO."""
    import sys
    from pathlib import Path

    from golive.lab.endpoints import LabInfo

    book = runbook(devices)
    info = LabInfo.read(Path(lab_json))
    names = sorted(book.inventory)[part::parts]
    items = [item for item in items_for(book) if item.device in names]
    engine = Engine(book, rehearsal=False, lab=info)
    asyncio.run(engine.run_all([i for i in items if i.device == names[0]]))  # warm, as the parent was
    print("READY", flush=True)
    sys.stdin.readline()
    results = asyncio.run(engine.run_all(items))
    engine.close()
    bad = [r.key for r in results if r.status is not Status.PASS]
    print(f"DONE {len(results)} {len(bad)}", flush=True)


def in_processes(lab: Lab, devices: int, parts: int) -> float:
    """what-if: golive's engine split over `parts` processes (the second core), started and warmed
    beforehand; the wall time from GO to the last one done."""
    import subprocess
    import sys

    children = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", str(devices), str(lab.info_path), str(part), str(parts)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for part in range(parts)
    ]
    for child in children:
        assert child.stdout is not None and child.stdout.readline().strip() == "READY"
    started = time.monotonic()
    for child in children:
        assert child.stdin is not None
        child.stdin.write("GO\n")
        child.stdin.flush()
    lines = [child.stdout.readline().split() for child in children if child.stdout is not None]
    seconds = time.monotonic() - started
    for child in children:
        child.wait()
    assert all(line[0] == "DONE" and line[2] == "0" for line in lines), lines
    return seconds


def main() -> None:
    import sys

    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stock-lab", action="store_true")
    parser.add_argument("--quick", action="store_true", help="10 devices, 1 repetition")
    parser.add_argument(
        "--what-if-processes", type=int, default=0, metavar="N",
        help="what-if: golive's engine split over N processes, beside each run",
    )  # fmt: skip
    args = parser.parse_args()
    if args.quick:
        args.devices, args.repeat = 10, 1
    # paramiko logs a peer's reset at teardown to stderr when nothing is configured; not a result
    logging.getLogger("paramiko").setLevel(logging.CRITICAL)
    started = time.monotonic()
    with Lab(runbook(args.devices), register=False, stock_fakenos=args.stock_lab) as lab:
        assert lab.ssh_process is not None
        child = lab.ssh_process.pid
        names = sorted(lab.ssh_devices())
        print(f"lab of {len(names)} cisco_ios devices ({'stock' if args.stock_lab else 'tuned'} FakeNOS) up in "
              f"{time.monotonic() - started:.1f} s (SSH {lab.timings['ssh']:.1f} s)")  # fmt: skip
        golive_run(lab, names[0])  # warm: imports, TextFSM index, first connection
        netmiko_one(lab, names[0])

        walls: list[float] = []
        inside: list[float] = []
        split: list[float] = []
        for _ in range(args.repeat):
            golive_once(lab, child, walls, inside)
            if args.what_if_processes:
                split.append(in_processes(lab, args.devices, args.what_if_processes))
                print(f"what-if, the engine in {args.what_if_processes} processes: {split[-1]:.2f} s wall")
        alone_golive: dict[str, float] = {}
        alone_netmiko: dict[str, float] = {}
        for index, name in enumerate(names):
            first_golive = index % 2 == 0
            if first_golive:
                alone_golive[name] = golive_run(lab, name)[0]
            alone_netmiko[name] = netmiko_one(lab, name)
            if not first_golive:
                alone_golive[name] = golive_run(lab, name)[0]

    sequential = sum(alone_netmiko.values())
    wall = statistics.median(walls)
    slowest_golive = max(alone_golive.values())
    slowest_netmiko = max(alone_netmiko.values())
    print()
    print(
        f"sequential Netmiko loop, {len(names)} devices (sum of each alone): {sequential:.2f} s "
        f"(per device median {statistics.median(alone_netmiko.values()):.2f} s, slowest {slowest_netmiko:.2f} s)"
    )
    print(
        f"golive alone on one device: median {statistics.median(alone_golive.values()):.2f} s, "
        f"slowest {slowest_golive:.2f} s"
    )
    print(f"golive over all devices: median {wall:.2f} s of {[round(w, 2) for w in walls]}")
    if split:
        print(f"what-if {args.what_if_processes} processes: median {statistics.median(split):.2f} s of "
              f"{[round(w, 2) for w in split]}: speed-up {sequential / statistics.median(split):.1f}x, "
              f"{statistics.median(split) / slowest_golive:.2f} of the slowest device alone")  # fmt: skip
    print(f"speed-up {sequential / wall:.1f}x (target >= 15x); golive / slowest single device alone "
          f"{wall / slowest_golive:.2f} (golive's own session; {wall / slowest_netmiko:.2f} against Netmiko's), "
          f"golive / slowest device inside the run {wall / statistics.median(inside):.2f} (target <= 1.5)")  # fmt: skip


if __name__ == "__main__":
    main()
