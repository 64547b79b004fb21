"""SNMP: every port of N real net-snmp agents checked by golive, beside net-snmp's own C tools.

Both sides run in the same invocation against the same agents (Debian's `snmpd`, one per UDP
port on 127.0.0.1). The reference is `snmpbulkwalk` of IF-MIB's ifTable, one process per agent,
fanned out with `xargs -P N`. golive runs one port check per agent over SNMP (every port the
agent has, expecting admin and oper status, speed and alias: ifName plus four columns), all
agents concurrently, judged and ready to journal.

Two golive figures: *cold*, a fresh Engine in a fresh event loop per run (what `golive check`
pays: everything but the Python imports, which the warm-up run before the clock loads); and
*warm*, one Engine re-running the checks in one loop (what the TUI pays on every re-run).
`--v3` does both sides over SNMPv3 authPriv (SHA/AES, snmpd `createUser`) instead of v2c.

A third figure beside them, *pysnmp alone*: a fresh SnmpEngine (made as golive makes it) sending
each agent one GETBULK of the same columns, as deep as golive's first, all at once with
asyncio.gather, and nothing else: the floor golive's SNMP stack (pysnmp) sets, cold.

    .venv/bin/python bench/bench_snmp.py [--agents 50] [--repeat 3] [--v3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
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
from golive.checks.plan import CheckItem, items_for
from golive.runbook.load import parse_runbook
from golive.runbook.ports import check_port_name
from golive.runbook.schema import Runbook


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Auth:
    """The v2c community, or the v3 user and keys, and the matching net-snmp command-line options."""

    def __init__(self, v3: bool) -> None:
        self.v3 = v3
        self.community = "b" + secrets.token_hex(8)
        self.user = "u" + secrets.token_hex(4)
        self.auth_key, self.priv_key = secrets.token_hex(12), secrets.token_hex(12)
        os.environ.update(BENCH_COMMUNITY=self.community, BENCH_AUTH=self.auth_key, BENCH_PRIV=self.priv_key)
        os.environ["BENCH_SSH"] = "unused"

    def conf(self) -> str:
        if not self.v3:
            return f"rocommunity {self.community} 127.0.0.1\n"
        return f'createUser {self.user} SHA "{self.auth_key}" AES "{self.priv_key}"\nrouser {self.user} priv\n'

    def options(self) -> list[str]:
        if not self.v3:
            return ["-v2c", "-c", self.community]
        return ["-v3", "-l", "authPriv", "-u", self.user, "-a", "SHA", "-A", self.auth_key, "-x", "AES",
                "-X", self.priv_key]  # fmt: skip

    def inventory(self, port: int) -> str:
        if not self.v3:
            return f"{{version: 2c, port: {port}, community: env:BENCH_COMMUNITY}}"
        return (f"{{version: 3, port: {port}, user: {self.user}, auth: sha, priv: aes, credentials: env:BENCH_AUTH,"
                " priv_credentials: env:BENCH_PRIV}")  # fmt: skip


def start_agents(n: int, directory: Path, auth: Auth) -> tuple[list[subprocess.Popen[bytes]], list[int]]:
    binary = shutil.which("snmpd") or "/usr/sbin/snmpd"
    procs, ports = [], []
    for i in range(n):
        port = free_port()
        conf = directory / f"snmpd{i}.conf"
        conf.write_text(f"agentAddress udp:127.0.0.1:{port}\n{auth.conf()}master no\n")
        env = {**os.environ, "MIBS": "", "SNMP_PERSISTENT_DIR": str(directory / f"persist{i}")}
        procs.append(subprocess.Popen([binary, "-f", "-Lf", str(directory / f"snmpd{i}.log"), "-C", "-c", str(conf),
                                       "-p", str(directory / f"snmpd{i}.pid")], env=env))  # fmt: skip
        ports.append(port)
    deadline = time.monotonic() + 30
    for port in ports:
        while time.monotonic() < deadline:
            probe = [
                "snmpget",
                *auth.options(),
                "-On",
                "-t",
                "0.5",
                "-r",
                "0",
                f"127.0.0.1:{port}",
                "1.3.6.1.2.1.1.5.0",
            ]
            done = subprocess.run(probe, capture_output=True, check=False, env={**os.environ, "MIBS": ""})
            if done.returncode == 0:
                break
    return procs, ports


def interfaces(port: int, auth: Auth) -> list[str]:
    out = subprocess.run(["snmpbulkwalk", *auth.options(), "-On", "-Oqv", f"127.0.0.1:{port}",
                          "1.3.6.1.2.1.31.1.1.1.1"], capture_output=True, text=True, check=True,
                         env={**os.environ, "MIBS": ""}).stdout  # fmt: skip
    names = [line.strip().strip('"') for line in out.splitlines() if line.strip()]
    usable = []
    for name in names:  # `lo` is no switch port name; the runbook validator refuses it
        try:
            check_port_name(name)
        except ValueError:
            continue
        usable.append(name)
    return usable


def runbook_text(ports: list[int], names: list[str], auth: Auth) -> str:
    devices = "\n".join(
        f"  a{i}: {{host: 127.0.0.1, platform: linux, credentials: env:BENCH_SSH, snmp: {auth.inventory(p)}}}"
        for i, p in enumerate(ports)
    )
    port_list = ", ".join(names)
    expect = (
        "{admin: {in: [up, down]}, status: {in: [up, down, disabled]}, "
        + 'speed: {regex: ".+"}, description: {regex: ".*"}}'
    )
    checks = "\n".join(
        f"          - {{kind: port, via: snmp, device: a{i}, ports: [{port_list}], expect: {expect}}}"
        for i in range(len(ports))
    )
    return textwrap.dedent("""\
        runbook: {id: bench-snmp, title: SNMP bench, version: 1,
                  window: {start: "2026-12-05T22:00-05:00", end: "2026-12-06T02:00-05:00"}}
        roles: {net: Network}
        inventory:
        """) + devices + "\nphases:\n  - id: p\n    title: P\n    tasks:\n      - id: t\n        title: T\n" \
        "        duration: 5m\n        checks:\n" + checks + "\n"  # fmt: skip


CPU: dict[str, list[float]] = {}  # side -> CPU seconds per run (the agents' CPU counts on neither side)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def reference(ports: list[int], auth: Auth, label: str = "reference") -> float:
    args = "\n".join(f"127.0.0.1:{p}" for p in ports)
    cpu = children_cpu()
    started = time.perf_counter()
    subprocess.run(
        ["xargs", "-P", str(len(ports)), "-I{}", "snmpbulkwalk", *auth.options(), "-On", "{}", "1.3.6.1.2.1.2.2"],
        input=args, text=True, capture_output=True, check=True, env={**os.environ, "MIBS": ""},
    )  # fmt: skip
    took = time.perf_counter() - started
    CPU.setdefault(label, []).append(children_cpu() - cpu)
    return took


def pysnmp_alone(ports: list[int], auth: Auth, rows: int) -> float:
    """One GETBULK of ifName + the four columns the checks expect per agent, `rows` deep, through a
    fresh pysnmp engine, every agent at once: pysnmp's own cost for what golive's cold run asks."""
    from pysnmp.hlapi.v3arch import asyncio as hl

    from golive.checks.snmp import observe
    from golive.checks.snmp.loop_engine import LoopEngine

    columns = [observe.IF_NAME, observe.IF_ADMIN, observe.IF_OPER, observe.IF_HIGH_SPEED, observe.IF_ALIAS]
    if auth.v3:
        credentials = hl.UsmUserData(
            auth.user, authKey=auth.auth_key, privKey=auth.priv_key,
            authProtocol=hl.usmHMACSHAAuthProtocol, privProtocol=hl.usmAesCfb128Protocol,
        )  # fmt: skip
    else:
        credentials = hl.CommunityData(auth.community, mpModel=1)

    async def go() -> None:
        engines = LoopEngine()
        engine, objects = engines.engine(), engines.object_types(columns)

        async def one(port: int) -> None:
            target = await hl.UdpTransportTarget.create(("127.0.0.1", port), timeout=5, retries=1)
            context = hl.ContextData()
            answer = await hl.bulk_cmd(engine, credentials, target, context, 0, rows, *objects, lookupMib=False)
            assert not answer[0] and not answer[1], answer[:2]

        await asyncio.gather(*(one(port) for port in ports))
        engines.close()

    cpu = time.process_time()
    started = time.perf_counter()
    asyncio.run(go())
    took = time.perf_counter() - started
    CPU.setdefault("pysnmp alone", []).append(time.process_time() - cpu)
    return took


def tally(results: list[object]) -> tuple[int, int]:
    passed = sum(getattr(r, "status", "") == "pass" for r in results)
    if passed < len(results):
        print("not passed:", next(getattr(r, "reason", "") for r in results if getattr(r, "status", "") != "pass"))
    return passed, len(results)


def golive_cold(runbook: Runbook, items: list[CheckItem]) -> tuple[float, int, int]:
    """A fresh Engine in a fresh event loop, as `golive check` runs once."""

    async def go() -> list[object]:
        engine = Engine(runbook, rehearsal=False, lab=None)
        try:
            return list(await engine.run_all(items))
        finally:
            engine.close()

    cpu = time.process_time()
    started = time.perf_counter()
    results = asyncio.run(go())
    took = time.perf_counter() - started
    CPU.setdefault("cold", []).append(time.process_time() - cpu)
    return (took, *tally(results))


def golive_warm(runbook: Runbook, items: list[CheckItem], ports: list[int], auth: Auth, repeat: int) -> tuple[
    list[float], list[float], tuple[int, int]]:  # fmt: skip
    """One Engine re-running the checks in one loop, as the TUI does; each run beside a reference run."""

    async def go() -> tuple[list[float], list[float], tuple[int, int]]:
        engine = Engine(runbook, rehearsal=False, lab=None)
        await engine.run_all(items)  # the first run of this Engine in this loop is the cold one
        refs, ours, counts = [], [], (0, 0)
        for _ in range(repeat):
            refs.append(reference(ports, auth, "warm reference"))  # blocks the loop: no golive work then
            cpu = time.process_time()
            started = time.perf_counter()
            results = await engine.run_all(items)
            ours.append(time.perf_counter() - started)
            CPU.setdefault("warm", []).append(time.process_time() - cpu)
            counts = tally(list(results))
        engine.close()
        return refs, ours, counts

    return asyncio.run(go())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--v3", action="store_true", help="SNMPv3 authPriv (SHA/AES) on both sides")
    args = parser.parse_args()
    if not shutil.which("snmpbulkwalk"):
        sys.exit("needs net-snmp: apt-get install snmpd snmp")
    auth = Auth(args.v3)
    with tempfile.TemporaryDirectory() as tmp:
        procs, ports = start_agents(args.agents, Path(tmp), auth)
        try:
            names = interfaces(ports[0], auth)
            loaded = parse_runbook(runbook_text(ports, names, auth), "bench.yaml")
            items = items_for(loaded.runbook)
            golive_cold(loaded.runbook, items)  # imports (pysnmp, pyasn1) before any clock starts
            rows = len(names) + 1  # golive's first GETBULK: the ports named, plus one row
            pysnmp_alone(ports, auth, rows)
            ref, cold, alone = [], [], []
            for _ in range(args.repeat):
                ref.append(reference(ports, auth))
                took, passed, total = golive_cold(loaded.runbook, items)
                cold.append(took)
                alone.append(pysnmp_alone(ports, auth, rows))
            warm_ref, warm, (warm_passed, _total) = golive_warm(loaded.runbook, items, ports, auth, args.repeat)
            version = "v3 authPriv SHA/AES" if args.v3 else "v2c"
            print(f"SNMP {version}; agents {args.agents}, ports per agent {len(names)} ({', '.join(names)}); "
                  f"cold {passed}/{total} passed, warm {warm_passed}/{total} passed")  # fmt: skip
            CPU["cold"] = CPU["cold"][1:]  # the untimed first run
            CPU["pysnmp alone"] = CPU["pysnmp alone"][1:]
            for label, ours, refs, beside in (
                ("cold", cold, ref, "reference"),
                ("warm", warm, warm_ref, "warm reference"),
            ):
                mine, theirs = statistics.median(CPU[label]), statistics.median(CPU[beside])
                print(f"  snmpbulkwalk ifTable fan-out (xargs -P {args.agents}): "
                      f"median {statistics.median(refs):.3f} s [{', '.join(f'{r:.3f}' for r in refs)}]")  # fmt: skip
                print(f"  golive port checks, {label}: median {statistics.median(ours):.3f} s "
                      f"[{', '.join(f'{r:.3f}' for r in ours)}]")  # fmt: skip
                ratio = statistics.median(ours) / statistics.median(refs)
                print(f"  ratio golive {label} / C fan-out: {ratio:.2f}x wall; "
                      f"CPU {mine:.3f} s vs {theirs:.3f} s (snmpbulkwalk processes): {mine / theirs:.2f}x")  # fmt: skip
            floor, theirs = statistics.median(CPU["pysnmp alone"]), statistics.median(CPU["reference"])
            print(f"  pysnmp alone, one GETBULK per agent ({rows} rows): median {statistics.median(alone):.3f} s "
                  f"[{', '.join(f'{r:.3f}' for r in alone)}]: {statistics.median(alone) / statistics.median(ref):.2f}x "
                  f"the cold C fan-out wall; CPU {floor:.3f} s: {floor / theirs:.2f}x")  # fmt: skip
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(timeout=10)


if __name__ == "__main__":
    main()
