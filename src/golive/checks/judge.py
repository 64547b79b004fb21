"""From a device's facts to a verdict per port: pass, fail (with what was seen) or error.

A port the device does not list is an error (its table has no row for it: a name golive reads
differently, a module missing, a typo; we cannot tell which); a field the device never reports is
an error too. Fail reasons say what was observed, as the device says it, then what was expected:
`notconnect; expected connected`, `speed 100M; expected 1G`; failing ports come first.
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
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value) or "none"
    return str(value) if str(value).strip() else "''"


def _wanted(exp: Expectation, name: str) -> str:
    """What was expected, in words: the value itself when it is one value, else the expression."""
    others = ("in_", "regex", "gt", "ge", "lt", "le", "range", "contains", "not_", "delta")
    if exp.equals is not None and all(getattr(exp, op) is None for op in others):
        return _show(exp.equals)
    return describe(exp, name)


def _problem(name: str, observed: Any, exp: Expectation) -> str:
    """`notconnect; expected connected` (a status says itself), `speed 100M; expected 1G`."""
    seen = _show(observed) if name == "status" else f"{name} {_show(observed)}"
    return f"{seen}; expected {_wanted(exp, name)}"


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
            problems.append(_problem(name, observed[name], exp))
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
                outcomes[port] = PortOutcome(Status.ERROR, {}, f"{port} is not in the device's output")
                continue
        if isinstance(check, ErrorsCheck) and first is not None:
            before = first.ports.get(key, {})
            observed = {k: v - before[k] for k, v in observed.items() if isinstance(v, int) and k in before}
        outcomes[port] = _fields(wanted, observed, (baseline or {}).get(port))
    return failing_first(outcomes)


def judge_neighbors(check: NeighborCheck, facts: Facts) -> dict[str, PortOutcome]:
    wanted = expectations(check.expect)
    outcomes: dict[str, PortOutcome] = {}
    for port in check.port_list():
        seen = [n for n in facts.neighbors.get(canonical(port), []) if check.protocol in ("any", n.get("protocol"))]
        if not seen:
            outcomes[port] = PortOutcome(Status.FAIL, {"neighbors": []}, f"no {check.protocol.upper()} neighbor")
            continue
        verdicts = [_fields(wanted, n, None) for n in seen]
        best = _best(verdicts)
        observed = {"neighbors": seen, **best.observed}
        outcomes[port] = PortOutcome(best.status, observed, best.reason)
    return failing_first(outcomes)


def _best(verdicts: list[PortOutcome]) -> PortOutcome:
    return min(verdicts, key=lambda v: [Status.PASS, Status.FAIL, Status.ERROR].index(v.status))


def judge_macs(check: MacCheck, facts: Facts) -> dict[str, PortOutcome]:
    """A MAC's entries (one per VLAN and port it is learned in) or a port's: every entry is judged, and
    the check holds when one entry satisfies every expectation (the same MAC in VLANs 669 and 2000)."""
    wanted = expectations(check.expect)
    if check.mac is not None:
        hits = [m for m in facts.macs if holds(Expectation(equals=check.mac), m["mac"], "mac")]
        if not hits:
            return {check.mac: PortOutcome(Status.FAIL, {"mac": check.mac}, f"{check.mac} is not learned on any port")}
        return {check.mac: _best([_fields(wanted, {**hit, "count": len(hits)}, None) for hit in hits])}
    outcomes: dict[str, PortOutcome] = {}
    ports = [check.port] if check.port else expand_ports(check.ports) if check.ports else []
    for port in ports:
        learned = [m for m in facts.macs if canonical(str(m["port"])) == canonical(port)]
        observed: dict[str, Any] = {"count": len(learned), "macs": [m["mac"] for m in learned]}
        mac_exp = wanted.get("mac")
        matching = [m for m in learned if mac_exp is None or holds(mac_exp, m["mac"], "mac")]
        if not matching and mac_exp is not None:
            reason = f"no MAC matching {describe(mac_exp, 'mac')}"
            seen = ", ".join(observed["macs"][:5]) or "none"
            outcomes[port] = PortOutcome(Status.FAIL, observed, f"{reason} (learned: {seen})")
            continue
        if not matching:
            if not learned and set(wanted) - {"count"}:  # nothing learned: a fail, not "did not report vlan"
                reason = f"no MAC learned; expected {expected_text(check.expect)}"
                outcomes[port] = PortOutcome(Status.FAIL, observed, reason)
            else:
                outcomes[port] = _fields(wanted, observed, None)
            continue
        entries = [{**observed, "mac": m["mac"], "vlan": m["vlan"], "port": port} for m in matching]
        outcomes[port] = _best([_fields(wanted, entry, None) for entry in entries])
    return failing_first(outcomes)


def failing_first(outcomes: dict[str, PortOutcome]) -> dict[str, PortOutcome]:
    """The same outcomes, the ports that fell short first (in their order), then the ones that passed."""
    return dict(sorted(outcomes.items(), key=lambda item: item[1].status is Status.PASS))


def _named(port: str, outcome: PortOutcome) -> str:
    """`Gi1/0/7 notconnect; expected connected` (a fail), `Gi1/0/7: the device did not report speed`."""
    if outcome.reason.startswith(port):
        return outcome.reason
    return f"{port} {outcome.reason}" if outcome.status is Status.FAIL else f"{port}: {outcome.reason}"


def overall(outcomes: dict[str, PortOutcome]) -> tuple[Status, str]:
    """The check's status (the worst port) and a reason naming the ports that fell short."""
    status = worst([o.status for o in outcomes.values()])
    bad = [_named(port, o) for port, o in outcomes.items() if o.status is not Status.PASS]
    if not bad:
        return status, ""
    more = f" (+{len(bad) - 3} more)" if len(bad) > 3 else ""
    return status, "; ".join(bad[:3]) + more
