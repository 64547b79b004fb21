"""Generate a large, valid, realistic golive runbook for the benchmarks.

    .venv/bin/python bench/gen_runbook.py OUT.yaml                  # 5,000 tasks, 10,000 checks
    .venv/bin/python bench/gen_runbook.py OUT.yaml --tasks 10       # a small one
    .venv/bin/python bench/gen_runbook.py OUT.yaml --tasks 200 --independent

Default shape: N tasks spread over ~50 phases, each phase worked in 4 parallel lanes (`after`
chains inside a lane), the first task of each lane after the last task of the same lane in the
previous phase, a go/no-go gate closing every 10th phase, several roles, two-role sign-offs on
some tasks, rollback plans, ~50 inventory devices on documentation addresses (192.0.2.0/24,
198.51.100.0/24) with credentials given only as `env:NAME` references, and 2 checks per task
cycling through every check kind (port, vlan, poe, neighbor, mac, errors, state, snmp, tcp),
some errors checks taking a delta against an earlier check's baseline.

`--independent`: no `after`, no gates, and every task owned by its own role (for the sign-off
latency benchmark, where any task can be started and signed in any order).

Deterministic: the same arguments always give the same bytes (seeded RNG).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

import yaml

from golive.runbook import platforms

ROLES = {
    "lead": "Cutover lead: runs the call, owns go/no-go",
    "neteng": "Network engineer on site",
    "netremote": "Network engineer on the bridge (remote)",
    "tech": "Field technician: cabling, patching, rack work",
    "clinical": "Clinical applications analyst",
    "pacs": "PACS / imaging administrator",
    "security": "Information security",
    "facilities": "Facilities: power and cooling",
}
WORK_ROLES = ["neteng", "netremote", "tech", "tech", "neteng", "clinical", "pacs", "security", "facilities"]
PLATFORMS = ["cisco_ios", "cisco_xe", "cisco_nxos", "arista_eos", "juniper_junos", "aruba_aoscx"]
PORT_PREFIX = {
    "cisco_ios": ("Gi1/0/", "Te1/1/"), "cisco_xe": ("Gi1/0/", "Te1/1/"), "cisco_nxos": ("Eth1/", "Eth1/"),
    "arista_eos": ("Ethernet", "Ethernet"), "juniper_junos": ("ge-0/0/", "xe-0/1/"), "aruba_aoscx": ("1/1/", "1/1/"),
}  # fmt: skip
VERBS = ["Patch", "Verify", "Migrate", "Re-home", "Enable", "Shut", "Configure", "Label", "Test", "Move"]
THINGS = ["access uplinks", "AP ports", "VoIP phones", "modality ports", "badge readers", "printers",
          "nurse call gateway", "infusion pump VLAN", "PACS workstations", "trunk to core"]  # fmt: skip


class _Dumper(yaml.SafeDumper):
    pass


class Flow(dict):  # type: ignore[type-arg]
    """A mapping written inline, as people write `expect: {status: up}`."""


class FlowList(list):  # type: ignore[type-arg]
    """A list written inline, as people write `after: [a, b]`."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(Flow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True))
_Dumper.add_representer(FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def _flow(value: Any) -> Any:
    """Small leaf mappings and lists inline, everything else in block style."""
    if isinstance(value, dict):
        inner = {k: _flow(v) for k, v in value.items()}
        leaf = all(not isinstance(v, dict | list) or isinstance(v, Flow | FlowList) for v in inner.values())
        return Flow(inner) if leaf and len(inner) <= 4 and len(str(inner)) < 90 else inner
    if isinstance(value, list):
        items = [_flow(v) for v in value]
        leaf = all(not isinstance(v, dict | list) for v in items)
        return FlowList(items) if leaf and len(str(items)) < 90 else items
    return value


def _inventory(rng: random.Random, n_devices: int) -> dict[str, dict[str, Any]]:
    devices: dict[str, dict[str, Any]] = {}
    n_servers = max(1, n_devices // 10)
    n_switches = max(1, n_devices - n_servers)
    for i in range(n_switches):
        platform = PLATFORMS[i % len(PLATFORMS)]
        name = f"idf{i // 2 + 1:02d}-sw{i % 2 + 1}" if i >= 2 else f"core-sw{i + 1}"
        dev: dict[str, Any] = {
            "host": f"192.0.2.{10 + i}",
            "platform": platform,
            "username": "netops",
            "credentials": "env:GOLIVE_SSH_PASSWORD",
            "description": f"{'core' if i < 2 else 'access'} switch, rack {i // 4 + 1}",
        }
        if platform.startswith("cisco"):
            dev["enable"] = "env:GOLIVE_ENABLE_SECRET"
        if i % 3 != 2:  # two thirds answer SNMP
            if i % 7 == 0:
                dev["snmp"] = {"version": "2c", "community": "env:GOLIVE_SNMP_COMMUNITY"}
            else:
                dev["snmp"] = {
                    "version": "3", "user": "golive-ro", "auth": "sha256", "priv": "aes",
                    "credentials": "env:GOLIVE_SNMP_AUTH", "priv_credentials": "env:GOLIVE_SNMP_PRIV",
                }  # fmt: skip
        devices[name] = dev
    for j in range(n_servers):
        devices[f"srv{j + 1:02d}"] = {
            "host": f"198.51.100.{20 + j}",
            "platform": "linux",
            "username": "svc-golive",
            "credentials": "env:GOLIVE_SERVER_PASSWORD",
            "description": ["PACS archive", "EHR interface engine", "print server", "DHCP/DNS"][j % 4],
        }
    return devices


class _Checks:
    """Cycles through the check kinds, picking devices that can serve each."""

    KINDS = ("port", "vlan", "poe", "neighbor", "mac", "errors", "state", "snmp", "tcp")

    def __init__(self, rng: random.Random, devices: dict[str, dict[str, Any]]) -> None:
        self.rng = rng
        self.devices = devices
        self.switches = [d for d, v in devices.items() if v["platform"] != "linux"]
        self.snmp = [d for d in self.switches if "snmp" in devices[d]]
        self.servers = [d for d, v in devices.items() if v["platform"] == "linux"]
        self.n = 0
        self.baselines: list[str] = []

    def _port(self, dev: str, uplink: bool = False) -> str:
        prefix = PORT_PREFIX[self.devices[dev]["platform"]][1 if uplink else 0]
        return f"{prefix}{self.rng.randint(1, 4) if uplink else self.rng.randint(1, 48)}"

    def _ports(self, dev: str) -> str | list[str]:
        prefix = PORT_PREFIX[self.devices[dev]["platform"]][0]
        lo = self.rng.randint(1, 40)
        if self.rng.random() < 0.3:
            return [f"{prefix}{lo}", f"{prefix}{lo + 2}-{lo + 6}"]
        return f"{prefix}{lo}-{lo + self.rng.randint(1, 8)}"

    def make(self, task_id: str, index: int) -> dict[str, Any]:
        kind = self.KINDS[self.n % len(self.KINDS)]
        self.n += 1
        rng = self.rng
        check: dict[str, Any] = {"kind": kind}
        if rng.random() < 0.3 or kind == "errors":
            check["id"] = f"{task_id}-c{index + 1}"
        if kind in ("port", "vlan", "poe", "neighbor", "errors", "state"):
            dev = rng.choice(self.switches)
            check["device"] = dev
            if kind == "neighbor" or rng.random() < 0.5:
                check["port"] = self._port(dev, uplink=kind == "neighbor")
            else:
                check["ports"] = self._ports(dev)
            if dev in self.snmp and kind in ("port", "errors") and rng.random() < 0.5:
                check["via"] = "snmp"
            if kind == "port":
                check["title"] = "access ports up"
                check["expect"] = rng.choice([
                    {"status": "up", "admin": "up"},
                    {"status": {"in": ["up", "connected"]}, "speed": "1G", "duplex": "full"},
                    {"description": {"regex": "^(AP|PH|WS)-[0-9]+$"}, "status": "connected"},
                ])  # fmt: skip
            elif kind == "vlan":
                check["expect"] = rng.choice([
                    {"mode": "access", "access": rng.choice([110, 120, 130]), "voice": 210},
                    {"mode": "trunk", "trunk_allowed": {"contains": 110}, "native": 999},
                ])  # fmt: skip
            elif kind == "poe":
                check["expect"] = {"powered": True, "watts": {"ge": 6.5}, "class": {"in": [3, 4]}}
            elif kind == "neighbor":
                check["protocol"] = rng.choice(["cdp", "lldp", "any"])
                check["expect"] = {"device": {"regex": "^core-sw[12]"}, "port": {"matches": "^(Te|Eth|xe-).*"}}
            elif kind == "errors":
                check["interval"] = "30s"
                check["timeout"] = "45s"
                if self.baselines and rng.random() < 0.5:
                    check["expect"] = {"crc": {"delta": {"le": 0}, "baseline": rng.choice(self.baselines[-50:])}}
                else:
                    check["expect"] = {"crc": {"delta": {"le": 0}}, "input": {"lt": 100}}
                    self.baselines.append(check["id"])
            else:
                check["expect"] = {"err_disabled": False, "stp": {"in": ["forwarding", "disabled"]}}
        elif kind == "mac":
            dev = rng.choice(self.switches)
            check["device"] = dev
            if rng.random() < 0.5:
                check["port"] = self._port(dev)
                check["expect"] = {"count": {"ge": 1}, "mac": "00:1b:44:*"}
            else:
                check["mac"] = f"00:1b:44:{rng.randrange(256):02x}:{rng.randrange(256):02x}:{rng.randrange(256):02x}"
                check["expect"] = {"port": self._port(dev), "vlan": 110}
        elif kind == "snmp":
            check["device"] = rng.choice(self.snmp)
            if rng.random() < 0.5:
                check["oid"] = "1.3.6.1.2.1.1.3.0"
                check["expect"] = {"gt": 0}
            else:
                check["oid"] = "1.3.6.1.2.1.2.2.1.8"
                check["walk"] = True
                check["count"] = {"ge": 24}
                check["expect"] = {"in": [1, 2]}
        else:  # tcp
            if rng.random() < 0.5:
                check["host"] = f"198.51.100.{rng.randint(100, 200)}"
                check["port"] = rng.choice([104, 443, 2575, 11112])
            else:
                check["device"] = rng.choice(self.servers)
                check["port"] = 22
            check["timeout"] = "5s"
        if "device" in check and kind not in ("snmp", "tcp"):
            self._answerable(check)
        return check

    def _answerable(self, check: dict[str, Any]) -> None:
        """Move a device check to a device (or onto SNMP) that golive can answer it on: `golive
        validate` refuses the others (golive.runbook.platforms), as it would a real runbook's."""
        kind = platforms.matrix_kind(check["kind"], check.get("protocol"))
        fields = set(check.get("expect", {})) - {"baseline"}
        interval = "interval" in check
        def candidates() -> Any:
            yield check["device"]
            yield from self.rng.sample(self.switches, len(self.switches))  # drawn only when needed

        for dev in candidates():
            platform = self.devices[dev]["platform"]
            for via in (check.get("via"), "snmp"):
                if via == "snmp" and dev not in self.snmp:
                    continue
                choice = platforms.choose(kind, platform, fields, via=via, has_snmp=dev in self.snmp, interval=interval)
                if not choice.problem:
                    if dev != check["device"]:
                        check["device"] = dev
                        if "port" in check:
                            check["port"] = self._port(dev, uplink=check["kind"] == "neighbor")
                        if "ports" in check:
                            check["ports"] = self._ports(dev)
                        if "expect" in check and "port" in check["expect"] and check["kind"] == "mac":
                            check["expect"]["port"] = self._port(dev)
                    if via is not None:
                        check["via"] = via
                    return
        raise ValueError(f"no device in the generated inventory can answer {check}")


def generate(tasks: int = 5000, phases: int = 50, checks_per_task: int = 2, devices: int = 50,
             lanes: int = 4, independent: bool = False, seed: int = 1) -> dict[str, Any]:  # fmt: skip
    """The runbook as plain data, ready for yaml.safe_dump."""
    rng = random.Random(seed)
    phases = max(1, min(phases, tasks // 5 or 1))
    inventory = _inventory(rng, devices)
    checks = _Checks(rng, inventory)
    roles = dict(ROLES)
    if independent:
        roles.update({f"r{i + 1:05d}": f"owner of task {i + 1}" for i in range(tasks)})
    plans = {
        "rb-core": {"title": "Restore the old core uplinks", "decide_by": "1h", "steps": [
            {"id": "rb-core-1", "title": "Move uplinks back to the old core", "owner": "neteng", "duration": "20m",
             "checks": [{"kind": "port", "device": "core-sw1", "port": "Te1/1/1", "expect": {"status": "up"}}]},
            {"id": "rb-core-2", "title": "Confirm EHR reachability", "owner": "clinical", "duration": "10m"},
        ]},
        "rb-access": {"title": "Re-patch access closets", "decide_by": "45m", "steps": [
            {"id": "rb-access-1", "title": "Re-patch from the photo record", "owner": "tech", "duration": "1h",
             "instructions": "Use the before photos in the change record.\nOne closet at a time."},
        ]},
    }  # fmt: skip
    out_phases: list[dict[str, Any]] = []
    per_phase = [tasks // phases + (1 if p < tasks % phases else 0) for p in range(phases)]
    lane_tail: list[str | None] = [None] * lanes
    last_gate: str | None = None
    counter = 0
    for p in range(phases):
        pid = f"p{p + 1:02d}"
        n = per_phase[p]
        gate_here = not independent and (p + 1) % 10 == 0 and n >= 2
        phase_tasks: list[dict[str, Any]] = []
        tails: list[str | None] = list(lane_tail)
        for t in range(n):
            counter += 1
            tid = f"{pid}-t{t + 1:03d}"
            lane = t % lanes
            verb, thing = rng.choice(VERBS), rng.choice(THINGS)
            task: dict[str, Any] = {
                "id": tid,
                "title": f"{verb} {thing} ({pid}, step {t + 1})",
                "owner": f"r{counter:05d}" if independent else rng.choice(WORK_ROLES),
                "duration": rng.choice(["5m", "10m", "15m", "20m", "30m", "45m", "1h", "1h30m", "90s"]),
            }
            if rng.random() < 0.4:
                task["instructions"] = (
                    f"{verb} the {thing} listed in the closet sheet.\n"
                    f"Record anything unexpected as a note (golive note --task {tid}).\n"
                )
            if not independent:
                is_gate = gate_here and t == n - 1
                if is_gate:
                    task["title"] = f"Go/no-go after phase {p + 1}"
                    task["owner"] = "lead"
                    task["gate"] = True
                    task["after"] = sorted({x for x in tails if x})
                    task["signoff"] = {"roles": ["lead", "clinical"]}
                    last_gate = tid
                else:
                    deps = [tails[lane]] if tails[lane] else []
                    if t < lanes and p > 0 and rng.random() < 0.3:  # cross-lane dependency on the previous phase
                        other = lane_tail[(lane + 1) % lanes]
                        if other and other not in deps:
                            deps.append(other)
                    if deps:
                        task["after"] = deps[0] if len(deps) == 1 and rng.random() < 0.5 else deps
                    tails[lane] = tid
                    if rng.random() < 0.05:
                        task["signoff"] = {
                            "roles": [task["owner"], "security"]
                            if task["owner"] != "security"
                            else ["security", "lead"]
                        }
                    elif rng.random() < 0.03:
                        task["signoff"] = {"people": 2}
                if rng.random() < 0.1:
                    task["rollback"] = rng.choice(list(plans))
            task["checks"] = [checks.make(tid, c) for c in range(checks_per_task)]
            phase_tasks.append(task)
        if not independent:
            lane_tail = [last_gate] * lanes if gate_here else tails
        out_phases.append({"id": pid, "title": f"Phase {p + 1}: {rng.choice(THINGS)}", "tasks": phase_tasks})
    return {
        "runbook": {
            "id": "bench-campus-cutover" if not independent else "bench-independent",
            "title": "Benchmark: campus access-layer cutover (generated)",
            "version": "1.0",
            "site": "Example Regional Hospital, building C",
            "change": "CHG0012345",
            "window": {"start": "2026-12-05T22:00:00-05:00", "end": "2026-12-07T06:00:00-05:00"},
            "description": "Generated by bench/gen_runbook.py; documentation addresses only.",
        },
        "roles": roles,
        "inventory": inventory,
        "ssh": {"known_hosts": "known_hosts"},
        "phases": out_phases,
        "rollback": plans,
    }


def write(path: str | Path, **kwargs: Any) -> Path:
    """Generate and write a runbook; returns the path."""
    data = generate(**kwargs)
    dump: dict[str, Any] = {}
    for key, value in data.items():
        if key == "roles":
            dump[key] = value  # one role a line
        elif key == "runbook":
            dump[key] = {k: _flow(v) for k, v in value.items()}
        elif key == "inventory":
            dump[key] = {name: {k: _flow(v) for k, v in dev.items()} for name, dev in value.items()}
        else:
            dump[key] = _flow(value)
    text = yaml.dump(dump, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=120, allow_unicode=True)
    out = Path(path)
    out.write_text("# yaml-language-server: $schema=golive-runbook.schema.json\n" + text, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", help="where to write the YAML")
    ap.add_argument("--tasks", type=int, default=5000)
    ap.add_argument("--phases", type=int, default=50)
    ap.add_argument("--checks-per-task", type=int, default=2)
    ap.add_argument("--devices", type=int, default=50)
    ap.add_argument("--independent", action="store_true", help="no dependencies; one owner role per task")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    out = write(args.out, tasks=args.tasks, phases=args.phases, checks_per_task=args.checks_per_task,
                devices=args.devices, independent=args.independent, seed=args.seed)  # fmt: skip
    size = out.stat().st_size
    print(
        f"{out}: {args.tasks} tasks, {args.tasks * args.checks_per_task} checks, {size / 1e6:.2f} MB", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
