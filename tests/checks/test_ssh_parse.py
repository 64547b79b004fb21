"""golive's ntc-templates parsing gives exactly ntc-templates' records and errors, for every command of
every platform the lab simulates, and for garbage."""

from __future__ import annotations

import pytest
import textfsm
from ntc_templates.parse import parse_output as ntc_parse

from golive.checks.ssh.commands import COMMANDS
from golive.checks.ssh.observe import template_platform
from golive.checks.ssh.parse import parse_output
from golive.lab._ssh_child import GARBAGE
from golive.lab.generate import world_for
from golive.lab.ssh_outputs import render
from golive.runbook.load import parse_runbook

from .matrix_runbook import MATRIX

WORLD = world_for(parse_runbook(MATRIX, "matrix.yaml").runbook)
CASES = [
    (name, command)
    for name, device in WORLD.devices.items()
    for command in sorted({c for cs in COMMANDS[device.platform].values() for c in cs})
]


@pytest.mark.parametrize(("device", "command"), CASES)
def test_the_same_records_as_ntc_templates(device: str, command: str) -> None:
    platform = template_platform(WORLD.devices[device].platform)
    output = render(WORLD.devices[device].platform, command, WORLD.devices[device])
    expected = ntc_parse(platform=platform, command=command, data=output)
    assert parse_output(platform, command, output) == expected


@pytest.mark.parametrize(("device", "command"), CASES)
def test_the_same_verdict_on_garbage(device: str, command: str) -> None:
    platform = template_platform(WORLD.devices[device].platform)
    try:
        expected: object = ntc_parse(platform=platform, command=command, data=GARBAGE)
    except textfsm.TextFSMError:
        expected = textfsm.TextFSMError
    if expected is textfsm.TextFSMError:
        with pytest.raises(textfsm.TextFSMError):
            parse_output(platform, command, GARBAGE)
    else:
        assert parse_output(platform, command, GARBAGE) == expected


def test_an_unknown_command_has_no_template() -> None:
    with pytest.raises(Exception, match="No template"):
        parse_output("cisco_ios", "show nothing at all", "x")


# a trunk whose allowed list wraps: the template's `Continue` rules, then its Trunk state
TRUNK = """Name: Gi1/0/48
Switchport: Enabled
Administrative Mode: trunk
Operational Mode: trunk
Negotiation of Trunking: On
Access Mode VLAN: 1 (default)
Trunking Native Mode VLAN: 99 (NATIVE)
Voice VLAN: none
Trunking VLANs Enabled: 10,20,30-35,40,50,60,70,80,90,100,110,120,130,140,150,160,170,180,190,200,
     210,220,230-240,250
Pruning VLANs Enabled: 2-1001

Name: Gi1/0/47
Switchport: Enabled
Administrative Mode: trunk
Operational Mode: trunk
Trunking Native Mode VLAN: 1 (default)
Trunking VLANs Enabled: 10,20,30
"""


def test_continue_rules_and_state_changes_as_ntc_templates() -> None:
    expected = ntc_parse(platform="cisco_ios", command="show interfaces switchport", data=TRUNK)
    assert len(expected[0]["trunking_vlans"]) > 20
    assert parse_output("cisco_ios", "show interfaces switchport", TRUNK) == expected
    assert parse_output("cisco_ios", "show interfaces switchport", TRUNK) == expected  # remembered rules


def test_a_reused_fsm_starts_clean_after_an_error() -> None:
    """Each thread reuses its compiled FSM: an output that stopped it mid-way leaves nothing behind."""
    good = render(
        "cisco_ios", "show interfaces switchport", next(d for d in WORLD.devices.values() if d.platform == "cisco_ios")
    )
    expected = ntc_parse(platform="cisco_ios", command="show interfaces switchport", data=good)
    with pytest.raises(textfsm.TextFSMError):
        parse_output("cisco_ios", "show interfaces switchport", good[: len(good) // 2] + GARBAGE)
    assert parse_output("cisco_ios", "show interfaces switchport", good) == expected
