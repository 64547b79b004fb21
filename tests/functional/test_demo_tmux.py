"""`golive demo` in a real terminal: the installed command, driven by tmux send-keys and read back
with capture-pane. The lab starts, the TUI opens on a rehearsal, a task's checks run live against
the simulated switches (with an engine that reads port maps: the old stack snapshotted, two cords
crossed, and the jacks check finds them), and quitting stops the lab."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

GOLIVE = Path(sys.executable).parent / "golive"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def _wait_for(session: str, text: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.3)
    raise AssertionError(f"{text!r} not on screen after {timeout}s:\n{screen}")


def test_demo_in_tmux(tmp_path: Path) -> None:
    session = f"golive-demo-{uuid.uuid4().hex[:8]}"
    env = (
        f"XDG_CONFIG_HOME={tmp_path}/config XDG_DATA_HOME={tmp_path}/data XDG_STATE_HOME={tmp_path}/state "
        f"XDG_CACHE_HOME={tmp_path}/cache"
    )
    command = f"cd {tmp_path} && env {env} {GOLIVE} demo; echo DEMO-EXIT=$?; sleep 30"
    _tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)
    try:
        screen = _wait_for(session, "Who is at the keyboard?", 90)
        # typed faster than any person: the Tab must still land between the two fields
        _tmux("send-keys", "-t", session, "Ana Ruiz", "Tab", "AR")
        time.sleep(0.5)
        screen = _tmux("capture-pane", "-p", "-t", session)
        assert "Ana RuizAR" not in screen
        assert re.search(r"█ AR +█", screen), screen  # the initials field holds the initials
        _tmux("send-keys", "-t", session, "Enter")
        screen = _wait_for(session, "s Start", 10)  # the footer of the main screen: the form is gone
        assert "REHEARSAL" in screen
        # the old stack snapshotted, two cords crossed: the hint, on the jacks task
        assert "cut-vlans" in screen and "swapped cords" in screen
        _tmux("send-keys", "-t", session, "c")
        screen = _wait_for(session, "misplugged", 60)  # read live from both simulated switches
        assert "cut-vlans#1 fail" in screen
        _tmux("send-keys", "-t", session, "Escape")
        time.sleep(0.5)  # a bare escape followed at once by q reads as alt+q
        _tmux("send-keys", "-t", session, "q")
        screen = _wait_for(session, "DEMO-EXIT=0", 30)
        assert "lab stopped" in screen
    finally:
        _tmux("kill-session", "-t", session)
    assert not any(p for p in os.listdir(tmp_path) if p.startswith("golive-demo-"))
