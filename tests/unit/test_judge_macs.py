"""A port with no MAC learned, judged against a VLAN (a printer's port while the printer sleeps or
its cord is not moved yet): a fail that says so, not an error blaming the device for not reporting
a VLAN; a port expected to have no MAC still passes."""

from __future__ import annotations

from pydantic import TypeAdapter

from golive.checks.facts import Facts
from golive.checks.judge import judge_macs
from golive.checks.verdicts import Status
from golive.runbook.checks import MacCheck

CHECK = TypeAdapter(MacCheck)


def test_an_empty_port_judged_on_vlan_is_a_fail_saying_no_mac_was_learned() -> None:
    facts = Facts(macs=[{"mac": "00:00:5e:00:00:01", "vlan": 250, "port": "Gi1/0/21"}])
    check = CHECK.validate_python(
        {"kind": "mac", "device": "sw", "ports": "Gi1/0/21-22", "expect": {"count": 1, "vlan": 250}}
    )
    outcomes = judge_macs(check, facts)
    assert outcomes["Gi1/0/21"].status is Status.PASS
    assert outcomes["Gi1/0/22"].status is Status.FAIL
    assert outcomes["Gi1/0/22"].reason.startswith("no MAC learned; expected ")
    assert "vlan == 250" in outcomes["Gi1/0/22"].reason


def test_a_port_expected_empty_still_passes() -> None:
    check = CHECK.validate_python({"kind": "mac", "device": "sw", "port": "Gi1/0/9", "expect": {"count": 0}})
    assert judge_macs(check, Facts())["Gi1/0/9"].status is Status.PASS
