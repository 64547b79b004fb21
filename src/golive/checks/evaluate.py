"""Does an observed value satisfy a runbook expectation? Pure, and explained in words.

`equals` is a full match after both sides are normalized for their field (never a substring:
Vlan5 never matches Vlan5554); `regex` must match the whole value; `contains` looks inside lists
(a trunk's allowed VLANs, a port's MACs) or text; `delta` compares the change since a baseline.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from typing import Any

from golive.checks.ifnames import canonical
from golive.checks.normalize import FIELD_NORMALIZERS, mac_matches, speed_mbps, vlan_list
from golive.runbook.expectations import Expectation


def _norm(field: str) -> Callable[[Any], Any]:
    return FIELD_NORMALIZERS.get(field, lambda v: v)


def _number(field: str, value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if field == "speed":
        return speed_mbps(value)
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _same(field: str, observed: Any, wanted: Any) -> bool:
    if field == "mac":
        return mac_matches(str(wanted), str(observed))
    if field == "trunk_allowed":
        return vlan_list(observed) == vlan_list(wanted)
    if field == "port":
        return canonical(str(observed)) == canonical(str(wanted))
    norm = _norm(field)
    left, right = norm(observed), norm(wanted)
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right if isinstance(left, bool) and isinstance(right, bool) else False
    lnum, rnum = _number(field, left), _number(field, right)
    if lnum is not None and rnum is not None and field != "description":
        return lnum == rnum
    return str(left).strip().casefold() == str(right).strip().casefold()


def _contains(field: str, observed: Any, wanted: Any) -> bool:
    if field == "trunk_allowed":
        wanted_vlans = vlan_list(wanted)
        return bool(wanted_vlans) and set(wanted_vlans) <= set(vlan_list(observed))
    if isinstance(observed, list | tuple | set):
        return any(_same(field, item, wanted) for item in observed)
    return str(_norm(field)(wanted)).casefold() in str(_norm(field)(observed)).casefold()


def holds(exp: Expectation, observed: Any, field: str = "", baseline: Any = None) -> bool:
    """True when every operator in `exp` holds for `observed`."""
    checks: list[bool] = []
    if exp.equals is not None:
        checks.append(_same(field, observed, exp.equals))
    if exp.in_ is not None:
        checks.append(any(_same(field, observed, option) for option in exp.in_))
    if exp.regex is not None:
        checks.append(re.fullmatch(exp.regex, str(observed)) is not None)
    number = _number(field, observed)
    for bound, test in ((exp.gt, operator.gt), (exp.ge, operator.ge), (exp.lt, operator.lt), (exp.le, operator.le)):
        if bound is not None:
            checks.append(number is not None and test(number, bound))
    if exp.range is not None:
        checks.append(number is not None and exp.range[0] <= number <= exp.range[1])
    if exp.contains is not None:
        checks.append(_contains(field, observed, exp.contains))
    if exp.not_ is not None:
        checks.append(not holds(exp.not_, observed, field, baseline))
    if exp.delta is not None:
        base = _number(field, baseline)
        checks.append(number is not None and base is not None and holds(exp.delta, number - base, field))
    return all(checks)


def _literal(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)


def describe(exp: Expectation, field: str = "value") -> str:
    """`status == 'up'`, `watts >= 6.5 and watts <= 30`, for the expected column and the journal."""
    parts: list[str] = []
    if exp.equals is not None:
        parts.append(f"{field} == {_literal(exp.equals)}")
    if exp.in_ is not None:
        parts.append(f"{field} in [{', '.join(_literal(v) for v in exp.in_)}]")
    if exp.regex is not None:
        parts.append(f"{field} ~ /{exp.regex}/")
    for name, op in (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<=")):
        bound = getattr(exp, name)
        if bound is not None:
            parts.append(f"{field} {op} {bound:g}")
    if exp.range is not None:
        parts.append(f"{exp.range[0]:g} <= {field} <= {exp.range[1]:g}")
    if exp.contains is not None:
        parts.append(f"{field} contains {_literal(exp.contains)}")
    if exp.not_ is not None:
        parts.append(f"not ({describe(exp.not_, field)})")
    if exp.delta is not None:
        since = f" since {exp.baseline}" if exp.baseline else ""
        parts.append(f"change{since}: {describe(exp.delta, 'Δ' + field)}")
    return " and ".join(parts)
