"""From a device's facts to a verdict per port: pass, fail (with what was seen) or error.

A port the device does not list is a fail (the device answered; the port is not what the runbook
says); a field the device never reports is an error (we cannot tell). Fail reasons say what was
observed and what was expected, in the technician's words.
"""

from __future__ import annotations

from typing import Any

from golive.checks.evaluate import describe, holds
from golive.checks.facts import Facts
from golive.checks.ifnames import canonical
from golive.checks.results import PortOutcome, Status, worst
from golive.runbook.checks import ErrorsCheck, MacCheck, NeighborCheck, PoeCheck
from golive.runbook.expectations import Expectation
from golive.runbook.ports import expand_ports

Baseline = dict[str, dict[str, Any]]  # port -> observed fields, from an earlier result


def expectations(expect: Any) -> dict[str, Expectation]:
    """The fields an `expect` block sets, by the name a device reports (class_ -> class)."""
    out: dict[str, Expectation] = {}
    for name in expect.model_fields_set:
        value = getattr(expect, name)
        if isinstance(value, Expectation):
            out["class" if name == "class_" else name] = value
    return out


def expected_text(expect: Any) -> str:
    return "; ".join(describe(exp, name) for name, exp in sorted(expectations(expect).items()))


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _fields(wanted: dict[str, Expectation], observed: dict[str, Any], baseline: dict[str, Any] | None) -> PortOutcome:
    problems: list[str] = []
    unknown: list[str] = []
    no_baseline: dict[str, list[str]] = {}
    for name, exp in wanted.items():
        if name not in observed:
            unknown.append(name)
            continue
        if exp.delta is not None and (baseline is None or name not in baseline):
            no_baseline.setdefault(exp.baseline or "the baseline check", []).append(name)
            continue
        if not holds(exp, observed[name], name, (baseline or {}).get(name)):
            problems.append(f"{name} is {_show(observed[name])}, expected {describe(exp, name)}")
    if unknown:
        return PortOutcome(Status.ERROR, observed, "the device did not report " + ", ".join(unknown))
    if no_baseline:
        which = "; ".join(f"{', '.join(fields)}: run {check} first" for check, fields in no_baseline.items())
        return PortOutcome(Status.ERROR, observed, f"no baseline yet ({which})")
    if problems:
        return PortOutcome(Status.FAIL, observed, "; ".join(problems))
    return PortOutcome(Status.PASS, observed)


def judge_ports(
    check: Any, facts: Facts, baseline: Baseline | None = None, first: Facts | None = None
) -> dict[str, PortOutcome]:
    """port/vlan/poe/errors/state checks: each port's fields against the expectation."""
    wanted = expectations(check.expect)
    outcomes: dict[str, PortOutcome] = {}
    for port in check.port_list():
        key = canonical(port)
        observed = facts.ports.get(key)
        if observed is None:
            if isinstance(check, PoeCheck) and facts.ports:
                observed = {"powered": False, "watts": 0.0, "class": "n/a"}
            else:
                outcomes[port] = PortOutcome(Status.FAIL, {}, f"{port} is not in the device's output (no such port?)")
                continue
        if isinstance(check, ErrorsCheck) and first is not None:
            before = first.ports.get(key, {})
            observed = {k: v - before[k] for k, v in observed.items() if isinstance(v, int) and k in before}
        outcomes[port] = _fields(wanted, observed, (baseline or {}).get(port))
    return outcomes


def judge_neighbors(check: NeighborCheck, facts: Facts) -> dict[str, PortOutcome]:
    wanted = expectations(check.expect)
    outcomes: dict[str, PortOutcome] = {}
    for port in check.port_list():
        seen = [n for n in facts.neighbors.get(canonical(port), []) if check.protocol in ("any", n.get("protocol"))]
        if not seen:
            outcomes[port] = PortOutcome(
                Status.FAIL, {"neighbors": []}, f"no {check.protocol.upper()} neighbor on {port}"
            )
            continue
        verdicts = [_fields(wanted, n, None) for n in seen]
        best = min(verdicts, key=lambda v: [Status.PASS, Status.FAIL, Status.ERROR].index(v.status))
        observed = {"neighbors": seen, **best.observed}
        outcomes[port] = PortOutcome(best.status, observed, best.reason)
    return outcomes


def judge_macs(check: MacCheck, facts: Facts) -> dict[str, PortOutcome]:
    wanted = expectations(check.expect)
    if check.mac is not None:
        hits = [m for m in facts.macs if holds(Expectation(equals=check.mac), m["mac"], "mac")]
        if not hits:
            return {check.mac: PortOutcome(Status.FAIL, {"mac": check.mac}, f"{check.mac} is not learned on any port")}
        return {check.mac: _fields(wanted, {**hits[0], "count": len(hits)}, None)}
    outcomes: dict[str, PortOutcome] = {}
    ports = [check.port] if check.port else expand_ports(check.ports) if check.ports else []
    for port in ports:
        learned = [m for m in facts.macs if canonical(str(m["port"])) == canonical(port)]
        observed: dict[str, Any] = {"count": len(learned), "macs": [m["mac"] for m in learned]}
        mac_exp = wanted.get("mac")
        match = next((m for m in learned if mac_exp is None or holds(mac_exp, m["mac"], "mac")), None)
        if match is not None:
            observed.update(mac=match["mac"], vlan=match["vlan"], port=port)
        elif mac_exp is not None:
            reason = f"no MAC matching {describe(mac_exp, 'mac')} on {port}"
            seen = ", ".join(observed["macs"][:5]) or "none"
            outcomes[port] = PortOutcome(Status.FAIL, observed, f"{reason} (learned: {seen})")
            continue
        outcomes[port] = _fields(wanted, observed, None)
    return outcomes


def overall(outcomes: dict[str, PortOutcome]) -> tuple[Status, str]:
    """The check's status (the worst port) and a reason naming the ports that fell short."""
    status = worst([o.status for o in outcomes.values()])
    bad = [f"{port}: {o.reason}" for port, o in outcomes.items() if o.status is not Status.PASS]
    if not bad:
        return status, ""
    more = f" (+{len(bad) - 3} more)" if len(bad) > 3 else ""
    return status, "; ".join(bad[:3]) + more
