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
