"""Cross-reference checks that a schema alone cannot make, run on the raw YAML data.

They work on plain dicts and lists, not on the pydantic models, so they still run when other
parts of the file are malformed: the author sees every problem in one pass. Each check is
defensive about types; anything unexpected is left for the schema to report.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from golive.problems import Problem
from golive.runbook.platforms import FIELDS, choose, matrix_kind
from golive.runbook.references import HOWTO, SECRET_KEYS, is_reference
from golive.runbook.schema import NETMIKO_PLATFORMS
from golive.runbook.source import Located

Path = tuple[Any, ...]
DEVICE_KINDS = ("port", "vlan", "poe", "neighbor", "mac", "errors", "state")


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
    def __init__(self, src: Located) -> None:
        self.src = src
        self.problems: list[Problem] = []
        self.secret_paths: set[Path] = set()

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
                    if isinstance(check.get("id"), str):
                        ids.add(check["id"])
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
            self.check_baselines(where + ("expect",), check.get("expect"), check_ids)

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


def cross_check(src: Located) -> tuple[list[Problem], set[Path]]:
    """Problems across the runbook, and the paths reported as inline secrets."""
    checker = _Checker(src)
    checker.run()
    return checker.problems, checker.secret_paths
