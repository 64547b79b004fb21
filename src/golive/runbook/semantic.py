"""Cross-reference checks that a schema alone cannot make, run on the raw YAML data.

They work on plain dicts and lists, not on the pydantic models, so they still run when other
parts of the file are malformed: the author sees every problem in one pass. Each check is
defensive about types; anything unexpected is left for the schema to report.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from golive.problems import Problem
from golive.runbook.ifnames import canonical
from golive.runbook.platforms import FIELDS, choose, matrix_kind
from golive.runbook.ports import PortSpecError, check_port_name, expand_ports
from golive.runbook.references import HOWTO, SECRET_KEYS, is_reference
from golive.runbook.schema import NETMIKO_PLATFORMS
from golive.runbook.source import Located

Path = tuple[Any, ...]
DEVICE_KINDS = ("port", "vlan", "poe", "neighbor", "mac", "errors", "state")
MAP_KINDS = ("snapshot", "jacks")
MERGED = "merged cells in Excel export as blanks: write the device on every row"


@dataclass(frozen=True)
class MapRow:
    """One jack of the port map as read, inline or from the CSV, and how to point at its fields:
    `problem(field, message)` names the YAML node or the CSV line and column. `broken` lists the
    fields already reported (a malformed cell), so nothing is reported twice."""

    values: Mapping[str, Any]
    line: int
    problem: Callable[[str, str], Problem]
    broken: frozenset[str] = frozenset()

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        return value if isinstance(value, str) and value else None


@dataclass
class MapInfo:
    """The port map as the cross-checks see it; `complete` is False when it could not be read in
    full (a missing CSV, a broken header): then nothing is said about labels it might hold."""

    rows: list[MapRow] = field(default_factory=list)
    complete: bool = True


def inline_rows(src: Located) -> MapInfo | None:
    """The rows of an inline port map (`portmap: [...]` or `portmap: {jacks: [...]}`), None when
    the runbook names no port map, an empty MapInfo when it names a CSV (the loader reads that)."""
    data = src.data
    if not isinstance(data, dict) or data.get("portmap") is None:
        return None
    node = data["portmap"]
    path: Path = ("portmap",)
    if isinstance(node, dict):
        node, path = node.get("jacks"), ("portmap", "jacks")
    if not isinstance(node, list):
        return MapInfo(complete=False)
    rows = []
    for index, item in _dicts(node):
        where = path + (index,)

        def problem(name: str, message: str, where: Path = where) -> Problem:
            return src.problem(where + (name,), message)

        broken = frozenset(
            k
            for k, v in item.items()
            if not isinstance(v, str) and k in ("jack", "old_port", "new_port", "old_device", "new_device")
        )
        rows.append(MapRow(item, src.position(where)[0], problem, broken))
    return MapInfo(rows, complete=all(isinstance(item, dict) for item in node))


def _declared(devices: Mapping[Any, Any]) -> dict[str, set[str]]:
    """Each device's declared `ports:` as canonical keys, when it declares a well-formed spec."""
    out: dict[str, set[str]] = {}
    for name, entry in devices.items():
        spec = entry.get("ports") if isinstance(entry, dict) else None
        if isinstance(spec, str | list):
            with contextlib.suppress(PortSpecError):  # else the schema reports it at the device
                out[str(name)] = {canonical(port) for port in expand_ports(spec)}
    return out


def _mac_problem(entry: Mapping[Any, Any], via: str | None) -> str:
    platform = entry.get("platform")
    if platform not in NETMIKO_PLATFORMS:
        return ""  # the schema reports it
    return choose("mac", platform, set(), via=via, has_snmp=bool(entry.get("snmp"))).problem


def check_portmap(info: MapInfo, devices: Mapping[Any, Any]) -> list[Problem]:
    """Problems across the jacks: duplicates, devices and ports the inventory lacks, an old port
    without its device (or the reverse), a device that cannot read a MAC table."""
    out: list[Problem] = []
    declared = _declared(devices)
    names = {str(d) for d in devices}
    labels: dict[str, MapRow] = {}
    ports: dict[tuple[str, str, str], tuple[MapRow, str]] = {}
    platform_told: set[str] = set()
    for row in info.rows:
        label = row.text("jack")
        if label is not None:
            if label in labels:
                out.append(row.problem("jack", f"duplicate jack {label!r} (first at line {labels[label].line})"))
            else:
                labels[label] = row
        for side in ("old", "new"):
            device, port = row.text(f"{side}_device"), row.text(f"{side}_port")
            if side == "old" and not {"old_device", "old_port"} & row.broken:
                if port is not None and device is None:
                    out.append(row.problem("old_device", f"old_port {port!r} has no old_device ({MERGED})"))
                elif device is not None and port is None:
                    out.append(row.problem("old_port", f"old_device {device!r} has no old_port ({MERGED})"))
            if device is None:
                continue
            entry = devices.get(device)
            if entry is None:
                out.append(
                    row.problem(
                        f"{side}_device", f"{side}_device {device!r} is not in the inventory{suggest(device, names)}"
                    )
                )
                continue
            if isinstance(entry, dict) and device not in platform_told and (why := _mac_problem(entry, None)):
                platform_told.add(device)
                out.append(row.problem(f"{side}_device", f"{device} cannot read a MAC table for the port map: {why}"))
            if port is None:
                continue
            try:
                check_port_name(port)
            except PortSpecError:
                continue  # reported where it stands
            if device in declared and canonical(port) not in declared[device]:
                out.append(row.problem(f"{side}_port", f"{side}_port {port!r} is not a port of {device}"))
            key = (side, device, canonical(port))  # Gi1/0/1 and GigabitEthernet1/0/1 are one port
            if key in ports:
                first, first_label = ports[key]
                out.append(
                    row.problem(
                        f"{side}_port",
                        f"{side} port {device} {port} is mapped twice "
                        f"(first by jack {first_label!r} at line {first.line})",
                    )
                )
            else:
                ports[key] = (row, label or "?")
    return out


def suggest(word: str, choices: list[str] | set[str]) -> str:
    """`" (did you mean X?)"` for the closest choice, or empty."""
    close = difflib.get_close_matches(str(word), sorted(str(c) for c in choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def _dicts(value: Any) -> Iterator[tuple[int, dict[Any, Any]]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def _names(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


class _Checker:
    def __init__(self, src: Located, portmap: MapInfo | None) -> None:
        self.src = src
        self.portmap = portmap
        self.problems: list[Problem] = []
        self.secret_paths: set[Path] = set()
        self.kinds: dict[str, Any] = {}  # check id -> its kind
        self.snapshots = 0  # snapshot checks, with an id or not

    def add(self, path: Path, message: str, *, key: bool = False) -> None:
        self.problems.append(self.src.problem(path, message, key=key))

    def run(self) -> None:
        data = self.src.data
        self.find_secrets(data, ())
        if not isinstance(data, dict):
            return
        roles = set(data["roles"]) if isinstance(data.get("roles"), dict) else None
        devices: dict[Any, Any] = data["inventory"] if isinstance(data.get("inventory"), dict) else {}
        plans = set(data["rollback"]) if isinstance(data.get("rollback"), dict) else set()
        tasks = self.collect_tasks(data)
        check_ids = self.collect_check_ids(data)
        if self.portmap is not None:
            self.problems.extend(check_portmap(self.portmap, devices))
        for path, task in tasks.values():
            self.check_task(path, task, roles, devices, plans, tasks, check_ids)
        self.check_cycles(tasks)
        if isinstance(data.get("rollback"), dict):
            for plan_id, plan in data["rollback"].items():
                if isinstance(plan, dict):
                    seen: dict[str, Path] = {}
                    for index, step in _dicts(plan.get("steps")):
                        path = ("rollback", plan_id, "steps", index)
                        self.check_unique(seen, step.get("id"), path, "rollback step")
                        self.check_role(path + ("owner",), step.get("owner"), roles)
                        self.check_checks(path, step.get("checks"), devices, check_ids)

    def find_secrets(self, node: Any, path: Path) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and key.lower() in SECRET_KEYS and value is not None:
                    if not is_reference(value):
                        self.secret_paths.add(path + (key,))
                        hint = "community: env:NAME" if key == "community" else "credentials:"
                        self.add(
                            path + (key,),
                            f"inline secret in {key!r}: never write a secret in a runbook; {HOWTO} (e.g. {hint})",
                        )
                    continue
                self.find_secrets(value, path + (key,))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                self.find_secrets(value, path + (index,))

    def check_unique(self, seen: dict[str, Path], ident: Any, path: Path, what: str) -> None:
        if not isinstance(ident, str):
            return
        if ident in seen:
            first = self.src.position(seen[ident] + ("id",))[0]
            self.add(path + ("id",), f"duplicate {what} id {ident!r} (first at line {first})")
        else:
            seen[ident] = path

    def collect_tasks(self, data: dict[Any, Any]) -> dict[str, tuple[Path, dict[Any, Any]]]:
        tasks: dict[str, tuple[Path, dict[Any, Any]]] = {}
        seen_tasks: dict[str, Path] = {}
        seen_phases: dict[str, Path] = {}
        for p_index, phase in _dicts(data.get("phases")):
            self.check_unique(seen_phases, phase.get("id"), ("phases", p_index), "phase")
            for t_index, task in _dicts(phase.get("tasks")):
                path = ("phases", p_index, "tasks", t_index)
                ident = task.get("id")
                self.check_unique(seen_tasks, ident, path, "task")
                if isinstance(ident, str) and ident not in tasks:
                    tasks[ident] = (path, task)
        return tasks

    def collect_check_ids(self, data: dict[Any, Any]) -> set[str]:
        ids: set[str] = set()
        seen: dict[str, Path] = {}
        for p_index, phase in _dicts(data.get("phases")):
            for t_index, task in _dicts(phase.get("tasks")):
                for c_index, check in _dicts(task.get("checks")):
                    path = ("phases", p_index, "tasks", t_index, "checks", c_index)
                    self.check_unique(seen, check.get("id"), path, "check")
                    self.snapshots += check.get("kind") == "snapshot"
                    if isinstance(check.get("id"), str):
                        ids.add(check["id"])
                        self.kinds.setdefault(check["id"], check.get("kind"))
        return ids

    def check_role(self, path: Path, role: Any, roles: set[str] | None) -> None:
        if roles is not None and isinstance(role, str) and role not in roles:
            self.add(path, f"unknown role {role!r}{suggest(role, roles)}")

    def check_task(
        self,
        path: Path,
        task: dict[Any, Any],
        roles: set[str] | None,
        devices: dict[Any, Any],
        plans: set[str],
        tasks: dict[str, tuple[Path, dict[Any, Any]]],
        check_ids: set[str],
    ) -> None:
        self.check_role(path + ("owner",), task.get("owner"), roles)
        signoff = task.get("signoff")
        if isinstance(signoff, dict):
            raw = signoff.get("roles")
            if isinstance(raw, str):
                self.check_role(path + ("signoff", "roles"), raw, roles)
            for index, role in enumerate(raw if isinstance(raw, list) else []):
                self.check_role(path + ("signoff", "roles", index), role, roles)
        plan = task.get("rollback")
        if isinstance(plan, str) and plan not in plans:
            self.add(path + ("rollback",), f"unknown rollback plan {plan!r}{suggest(plan, plans)}")
        after = task.get("after")
        targets = (
            [(path + ("after",), after)]
            if isinstance(after, str)
            else [(path + ("after", i), name) for i, name in enumerate(after) if isinstance(name, str)]
            if isinstance(after, list)
            else []
        )
        for where, name in targets:
            if name not in tasks:
                self.add(where, f"after names unknown task {name!r}{suggest(name, set(tasks))}")
        self.check_checks(path, task.get("checks"), devices, check_ids)

    def check_checks(self, path: Path, checks: Any, devices: dict[Any, Any], check_ids: set[str]) -> None:
        for index, check in _dicts(checks):
            where = path + ("checks", index)
            device = check.get("device")
            if isinstance(device, str):
                if device not in devices:
                    names = {str(d) for d in devices}
                    self.add(where + ("device",), f"unknown device {device!r}{suggest(device, names)}")
                else:
                    entry = devices[device]
                    wants_snmp = check.get("kind") == "snmp" or check.get("via") == "snmp"
                    if wants_snmp and isinstance(entry, dict) and not entry.get("snmp"):
                        self.add(where + ("device",), f"device {device!r} has no snmp settings in the inventory")
                    elif isinstance(entry, dict):
                        self.check_answerable(where, check, entry)
            if check.get("kind") in MAP_KINDS:
                self.check_map_check(where, check, devices)
            self.check_baselines(where + ("expect",), check.get("expect"), check_ids)

    def check_map_check(self, where: Path, check: dict[Any, Any], devices: dict[Any, Any]) -> None:
        """A snapshot or jacks check against the port map it reads."""
        kind = check["kind"]
        if self.portmap is None:
            self.add(where + ("kind",), f"a {kind} check reads the port map, and this runbook names no portmap")
            return
        info = self.portmap
        old = {d for row in info.rows if (d := row.text("old_device"))}
        labels = {j for row in info.rows if (j := row.text("jack"))}
        wanted = _names(check.get("devices")) if kind == "snapshot" else []
        for index, device in enumerate(wanted if isinstance(check.get("devices"), list) else []):
            if isinstance(device, str) and info.complete and device not in old:
                self.add(
                    where + ("devices", index), f"{device!r} is not an old_device of the port map{suggest(device, old)}"
                )
        if kind == "jacks":
            chosen = check.get("jacks")
            for index, label in enumerate(chosen if isinstance(chosen, list) else []):
                if isinstance(label, str) and info.complete and label not in labels:
                    self.add(where + ("jacks", index), f"jack {label!r} is not in the port map{suggest(label, labels)}")
            self.check_jacks_baseline(where, check)
        via = check.get("via")
        if via in ("ssh", "snmp"):
            named = wanted or sorted(
                old if kind == "snapshot" else old | {d for row in info.rows if (d := row.text("new_device"))}
            )
            for device in named:
                entry = devices.get(device)
                if isinstance(entry, dict) and (why := _mac_problem(entry, via)):
                    self.add(where + ("via",), f"{device} cannot read its MAC table via {via}: {why}")

    def check_jacks_baseline(self, where: Path, check: dict[Any, Any]) -> None:
        baseline = check.get("baseline")
        snapshots = sorted(i for i, k in self.kinds.items() if k == "snapshot")
        if isinstance(baseline, str):
            kind = self.kinds.get(baseline)
            if kind is None:
                self.add(
                    where + ("baseline",), f"baseline names unknown check {baseline!r}{suggest(baseline, snapshots)}"
                )
            elif kind != "snapshot":
                self.add(where + ("baseline",), f"baseline {baseline!r} is a {kind} check, not a snapshot check")
            return
        if self.snapshots > 1:
            named = ", ".join(snapshots) or "give each an id"
            self.add(where, f"the runbook has {self.snapshots} snapshot checks: say which with baseline: ({named})")
        elif not self.snapshots and self.portmap is not None and self.portmap.complete:
            chosen = set(_names(check.get("jacks"))) if isinstance(check.get("jacks"), list) else None
            unproven = [
                j
                for row in self.portmap.rows
                if (j := row.text("jack"))
                and (chosen is None or j in chosen)
                and row.text("old_port")
                and not row.text("mac")
            ]
            if unproven:
                self.add(
                    where,
                    f"no snapshot check to compare with: add a kind: snapshot check before the cut, or give every "
                    f"jack a mac ({len(unproven)} with an old port have none, e.g. {unproven[0]!r})",
                )

    def check_answerable(self, where: Path, check: dict[Any, Any], device: dict[Any, Any]) -> None:
        """Refuse a check its device's platform cannot answer over the transport it would get."""
        kind, platform, via, expect = check.get("kind"), device.get("platform"), check.get("via"), check.get("expect")
        if kind not in DEVICE_KINDS or platform not in NETMIKO_PLATFORMS or via not in (None, "ssh", "snmp"):
            return  # the schema reports what is malformed
        if not isinstance(expect, dict):
            return
        protocol = check.get("protocol")
        name = matrix_kind(kind, protocol if isinstance(protocol, str) else None)
        fields = {k for k in expect if isinstance(k, str) and k in FIELDS[name]}
        choice = choose(
            name,
            platform,
            fields,
            via=via,
            has_snmp=bool(device.get("snmp")),
            interval=check.get("interval") is not None,
        )
        if choice.problem:
            self.add(where + (("expect", choice.field) if choice.field else ()), choice.problem, key=bool(choice.field))

    def check_baselines(self, path: Path, node: Any, check_ids: set[str]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "baseline" and isinstance(value, str) and value not in check_ids:
                    self.add(path + (key,), f"baseline names unknown check {value!r}{suggest(value, check_ids)}")
                else:
                    self.check_baselines(path + (key,), value, check_ids)

    def check_cycles(self, tasks: dict[str, tuple[Path, dict[Any, Any]]]) -> None:
        graph = {name: [d for d in _names(task.get("after")) if d in tasks] for name, (_, task) in tasks.items()}
        # a gate holds back every task in a later phase: those are dependencies too
        gates = [(path[1], name) for name, (path, task) in tasks.items() if task.get("gate") is True]
        via_gate: set[tuple[str, str]] = set()
        for name, (path, _) in tasks.items():
            for phase_index, gate in gates:
                if phase_index < path[1] and gate not in graph[name]:
                    graph[name].append(gate)
                    via_gate.add((name, gate))
        state: dict[str, int] = {}  # 1 visiting, 2 done
        reported: set[frozenset[str]] = set()
        for start in list(graph):
            if state.get(start):
                continue
            stack: list[tuple[str, Iterator[str]]] = [(start, iter(graph[start]))]
            trail = [start]
            state[start] = 1
            while stack:
                node, deps = stack[-1]
                for dep in deps:
                    if state.get(dep) == 1:
                        cycle = trail[trail.index(dep) :] + [dep]
                        if frozenset(cycle) not in reported:
                            reported.add(frozenset(cycle))
                            first = cycle[0]
                            order = list(reversed(cycle))
                            held = sorted({g for t, g in zip(order[1:], order, strict=False) if (t, g) in via_gate})
                            note = "".join(f" (gate {g} holds back every later phase)" for g in held)
                            self.add(tasks[first][0] + ("after",), "dependency cycle: " + " -> ".join(order) + note)
                    elif not state.get(dep):
                        state[dep] = 1
                        stack.append((dep, iter(graph[dep])))
                        trail.append(dep)
                        break
                else:
                    state[node] = 2
                    stack.pop()
                    trail.pop()


def cross_check(src: Located, portmap: MapInfo | None = None) -> tuple[list[Problem], set[Path]]:
    """Problems across the runbook, and the paths reported as inline secrets. `portmap` is the map
    the loader read from a CSV; an inline map is read here."""
    checker = _Checker(src, portmap if portmap is not None else inline_rows(src))
    checker.run()
    return checker.problems, checker.secret_paths
