"""The lab's simulated switches print in the layout real switches print, not in golive's guess of it.

For every platform x command the SSH checks send, each layout line of the lab's answer (a header,
a legend, a rule, a label: a line with no digit and none of the world's own values in it) is a
line of a real device's answer to the same command, from the corpus of captures (tests/corpus/ssh).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from golive.checks.ssh.commands import COMMANDS
from golive.lab.ssh_outputs import render
from golive.lab.world import World

from .test_lab_outputs import PORT_NAMES, _world

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "ssh"
# a command whose ntc-templates folder is named for its template (both directions of Comware's counters)
FOLDER = {"display counters inbound interface": "display_counters_bound_interface",
          "display counters outbound interface": "display_counters_bound_interface"}  # fmt: skip


def _layout(text: str, data: set[str]) -> set[str]:
    return {
        line.rstrip()
        for line in text.splitlines()
        if line.strip() and not re.search(r"\d", line) and not any(value in line for value in data)
    }


def _data(world: World) -> set[str]:
    """The world's own words (descriptions, neighbors' names, ports and platforms): data, not layout."""
    values: set[str] = set()
    for device in world.devices.values():
        for port in device.ports.values():
            values |= {port.description} | {v for n in port.neighbors for v in (n.device, n.port, n.platform)}
    return {value for value in values if value}


CASES = [
    (platform, command)
    for platform in PORT_NAMES
    for command in sorted({c for commands in COMMANDS[platform].values() for c in commands})
]


@pytest.mark.parametrize(("platform", "command"), CASES, ids=[f"{p}-{c}" for p, c in CASES])
def test_every_layout_line_is_a_real_switch_line(platform: str, command: str) -> None:
    folder = FOLDER.get(command, command.replace(" ", "_"))
    folders = {folder, folder.replace("mac_address", "mac-address")}  # IOS's folder says mac-address-table
    captures = [path.read_text(encoding="utf-8") for f in folders for path in (CORPUS / platform).glob(f"{f}/*.raw")]
    assert captures, f"no real capture of {command!r} on {platform} in the corpus"
    world = _world(platform)
    real = set().union(*(_layout(capture, set()) for capture in captures))
    invented = _layout(render(platform, command, world.devices["sw"]), _data(world)) - real
    assert not invented, sorted(invented)
