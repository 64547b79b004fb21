"""SNMP: every port of N real net-snmp agents checked by golive, beside net-snmp's own C tools.

Both sides run in the same invocation against the same agents (Debian's `snmpd`, one per UDP
port on 127.0.0.1). The reference is `snmpbulkwalk` of IF-MIB's ifTable, one process per agent,
fanned out with `xargs -P N`. golive runs one port check per agent over SNMP (ifName, oper and
admin status, speed, alias, duplex), all agents concurrently, judged and ready to journal.

    .venv/bin/python bench/bench_snmp.py [--agents 50] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from golive.checks.engine import Engine
from golive.checks.plan import items_for
from golive.runbook.load import parse_runbook
from golive.runbook.ports import check_port_name


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_agents(n: int, directory: Path, community: str) -> tuple[list[subprocess.Popen[bytes]], list[int]]:
    binary = shutil.which("snmpd") or "/usr/sbin/snmpd"
    procs, ports = [], []
    for i in range(n):
        port = free_port()
        conf = directory / f"snmpd{i}.conf"
        conf.write_text(f"agentAddress udp:127.0.0.1:{port}\nrocommunity {community} 127.0.0.1\n")
        env = {**os.environ, "MIBS": ""}
        procs.append(subprocess.Popen([binary, "-f", "-Lf", str(directory / f"snmpd{i}.log"), "-C", "-c", str(conf),
                                       "-p", str(directory / f"snmpd{i}.pid")], env=env))  # fmt: skip
        ports.append(port)
    deadline = time.monotonic() + 30
    for port in ports:
        while time.monotonic() < deadline:
            probe = [
                "snmpget",
                "-v2c",
                "-c",
                community,
                "-On",
                "-t",
                "0.5",
                "-r",
                "0",
                f"127.0.0.1:{port}",
                "1.3.6.1.2.1.1.5.0",
            ]
            done = subprocess.run(probe, capture_output=True, check=False)
            if done.returncode == 0:
                break
    return procs, ports


def interfaces(port: int, community: str) -> list[str]:
    out = subprocess.run(["snmpbulkwalk", "-v2c", "-c", community, "-On", "-Oqv", f"127.0.0.1:{port}",
                          "1.3.6.1.2.1.31.1.1.1.1"], capture_output=True, text=True, check=True).stdout  # fmt: skip
    names = [line.strip().strip('"') for line in out.splitlines() if line.strip()]
    usable = []
    for name in names:  # `lo` is no switch port name; the runbook validator refuses it
        try:
            check_port_name(name)
        except ValueError:
            continue
        usable.append(name)
    return usable


def runbook_text(ports: list[int], names: list[str]) -> str:
    devices = "\n".join(
        f"  a{i}: {{host: 127.0.0.1, platform: linux, credentials: env:BENCH_SSH,"
        f" snmp: {{version: 2c, port: {p}, community: env:BENCH_COMMUNITY}}}}"
        for i, p in enumerate(ports)
    )
    port_list = ", ".join(names)
    checks = "\n".join(
        f"          - {{kind: port, via: snmp, device: a{i}, ports: [{port_list}],"
        " expect: {admin: {in: [up, down]}}}"
        for i in range(len(ports))
    )
    return textwrap.dedent("""\
        runbook: {id: bench-snmp, title: SNMP bench, version: 1,
                  window: {start: "2026-12-05T22:00-05:00", end: "2026-12-06T02:00-05:00"}}
        roles: {net: Network}
        inventory:
        """) + devices + "\nphases:\n  - id: p\n    title: P\n    tasks:\n      - id: t\n        title: T\n" \
        "        duration: 5m\n        checks:\n" + checks + "\n"  # fmt: skip


def reference(ports: list[int], community: str) -> float:
    args = "\n".join(f"127.0.0.1:{p}" for p in ports)
    started = time.perf_counter()
    subprocess.run(
        ["xargs", "-P", str(len(ports)), "-I{}", "snmpbulkwalk", "-v2c", "-c", community, "-On", "{}",
         "1.3.6.1.2.1.2.2"], input=args, text=True, capture_output=True, check=True,
    )  # fmt: skip
    return time.perf_counter() - started


def golive(text: str) -> tuple[float, int, int]:
    loaded = parse_runbook(text, "bench.yaml")
    items = items_for(loaded.runbook)

    async def go() -> list[object]:
        engine = Engine(loaded.runbook, rehearsal=False, lab=None)
        return await engine.run_all(items)

    started = time.perf_counter()
    results = asyncio.run(go())
    took = time.perf_counter() - started
    passed = sum(getattr(r, "status", "") == "pass" for r in results)
    if passed < len(results):
        print("not passed:", next(getattr(r, "reason", "") for r in results if getattr(r, "status", "") != "pass"))
    return took, passed, len(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("snmpbulkwalk"):
        sys.exit("needs net-snmp: apt-get install snmpd snmp")
    community = "b" + secrets.token_hex(8)
    os.environ["BENCH_COMMUNITY"] = community
    os.environ["BENCH_SSH"] = "unused"
    with tempfile.TemporaryDirectory() as tmp:
        procs, ports = start_agents(args.agents, Path(tmp), community)
        try:
            names = interfaces(ports[0], community)
            text = runbook_text(ports, names)
            golive(text)  # warm: imports, first pysnmp engine
            ref, ours = [], []
            for _ in range(args.repeat):
                ref.append(reference(ports, community))
                took, passed, total = golive(text)
                ours.append(took)
            print(f"agents {args.agents}, ports per agent {len(names)} ({', '.join(names)}); {passed}/{total} passed")
            print(f"snmpbulkwalk ifTable fan-out (xargs -P {args.agents}): median {statistics.median(ref):.3f} s {ref}")
            print(f"golive port checks, all agents: median {statistics.median(ours):.3f} s {ours}")
            print(f"ratio golive / C fan-out: {statistics.median(ours) / statistics.median(ref):.2f}x")
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(timeout=10)


if __name__ == "__main__":
    main()
