"""golive's SSH session against the lab, on every platform: every answer, and nothing left open.

A read inside Netmiko's pattern loops waits on the channel (paramiko gives it a pipe to select on)
instead of polling: the answers must still all arrive, and a session must leave no descriptor
open (its connection, that pipe), or a long run of checks would run out of them.
"""

from __future__ import annotations

import gc
import os

import pytest

from golive.checks.engine import Engine
from golive.checks.ssh.commands import COMMANDS
from golive.checks.ssh.session import run_session
from golive.lab.lab import Lab


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.parametrize("device", ["ios", "nxos", "comware", "eos", "cx"])
def test_each_answer_arrives_and_no_descriptor_is_left_open(matrix_lab: Lab, device: str) -> None:
    platform = matrix_lab.world.devices[device].platform
    commands = sorted({c for cs in COMMANDS[platform].values() for c in cs})[:3]
    engine = Engine(matrix_lab.runbook, rehearsal=False, lab=matrix_lab.info)
    gc.disable()  # what is closed must be closed by the session, not by a collection of its objects
    try:
        run_session(engine.targets.ssh(device, 10), commands)  # warm: imports, known_hosts read once
        before = open_fds()
        for _ in range(3):
            result = run_session(engine.targets.ssh(device, 10), commands)
            assert {c: result.outputs[c].error for c in commands} == dict.fromkeys(commands, ""), result
        assert open_fds() <= before
    finally:
        gc.enable()
        engine.close()
