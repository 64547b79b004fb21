"""SSH figure for issue 3: 50 FakeNOS devices x 3 commands, golive's side beside a sequential Netmiko loop.

`golive_side` is the function the engine will replace; today it is a ThreadPoolExecutor with one
Netmiko session per device per thread. Run: .venv/bin/python bench/bench_ssh.py [DEVICES]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from netmiko import ConnectHandler

from golive.lab.lab import Lab
from golive.runbook.schema import Runbook

COMMANDS = ("show interfaces status", "show interfaces switchport", "show mac address-table")


def runbook(devices: int) -> Runbook:
    return Runbook.model_validate({
        "runbook": {"id": "bench-ssh", "title": "bench", "version": 1,
                    "window": {"start": "2027-01-01T00:00-05:00", "end": "2027-01-01T04:00-05:00"}},
        "roles": {"net": "net"},
        "inventory": {f"sw{i:02d}": {"host": f"192.0.2.{i + 1}", "platform": "cisco_ios"} for i in range(devices)},
        "phases": [{"id": "p", "title": "p", "tasks": [{"id": "t", "title": "t", "duration": "1m", "checks": [
            {"kind": "port", "device": f"sw{i:02d}", "ports": "Gi1/0/1-24", "expect": {"status": "up"}}
            for i in range(devices)]}]}],
    })  # fmt: skip


def one_device(lab: Lab, name: str) -> float:
    assert lab.info is not None
    ssh = lab.info.devices[name].ssh
    assert ssh is not None
    started = time.monotonic()
    with ConnectHandler(
        device_type="cisco_ios", host="127.0.0.1", port=ssh.port, username=ssh.username, password=ssh.password,
        ssh_strict=True, system_host_keys=False, alt_host_keys=True, alt_key_file=lab.info.known_hosts,
    ) as conn:  # fmt: skip
        for command in COMMANDS:
            assert isinstance(conn.send_command(command, use_textfsm=True), list)
    return time.monotonic() - started


def golive_side(lab: Lab, names: list[str]) -> list[float]:
    """Replace me with the engine: every device's 3 commands, one session per device."""
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        return list(pool.map(lambda n: one_device(lab, n), names))


def timed(fn: Callable[[], object]) -> float:
    started = time.monotonic()
    fn()
    return time.monotonic() - started


def main() -> None:
    devices = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    started = time.monotonic()
    with Lab(runbook(devices), register=False) as lab:
        print(f"lab of {devices} devices up in {time.monotonic() - started:.1f} s (SSH {lab.timings['ssh']:.1f} s)")
        names = sorted(lab.ssh_devices())
        per_device: list[float] = []
        golive_s = timed(lambda: per_device.extend(golive_side(lab, names)))
        sequential_s = timed(lambda: [one_device(lab, n) for n in names])
        slowest = max(per_device)
        print(f"golive (threads): {golive_s:.2f} s; slowest single device inside it: {slowest:.2f} s")
        print(f"sequential Netmiko loop: {sequential_s:.2f} s")
        print(f"speed-up {sequential_s / golive_s:.1f}x (target >= 15x); golive / slowest device "
              f"{golive_s / slowest:.2f} (target <= 1.5)")  # fmt: skip


if __name__ == "__main__":
    main()
