"""The lab's life as a user sees it: a lab killed without stopping (SIGKILL, a power cut) leaves its
temporary directory, which holds the lab's one-time credentials, and the next lab this user starts
removes it (never a live lab's); `golive lab --fault` returns once the fault is in effect."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from golive.lab.endpoints import LabInfo
from golive.lab.lab import LAB_DIR_PREFIX, OWNER_FILE, prune_stale_lab_dirs

RUNBOOK = Path(__file__).parents[2] / "runbooks" / "clinic-opening.yaml"


def _start_lab(tmp_path: Path) -> tuple[subprocess.Popen[str], Path]:
    env = {**os.environ, "TMPDIR": str(tmp_path), "GOLIVE_LAB_DIR": str(tmp_path / "labs")}
    process = subprocess.Popen(
        [sys.executable, "-m", "golive", "lab", str(RUNBOOK)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = [p for p in tmp_path.glob(f"{LAB_DIR_PREFIX}*") if (p / "lab.json").exists()]
        if found:
            return process, found[0]
        time.sleep(0.2)
    process.kill()
    raise AssertionError("the lab never started")


def test_a_live_labs_directory_is_kept_and_a_killed_ones_is_removed(tmp_path: Path) -> None:
    lab, directory = _start_lab(tmp_path)
    try:
        assert (directory / OWNER_FILE).exists()
        assert prune_stale_lab_dirs(tmp_path) == []
        assert (directory / "lab.json").exists()
    finally:
        os.killpg(lab.pid, signal.SIGKILL)
        lab.wait()
    assert (directory / "world.json").exists()  # killed: the lab cleaned nothing up itself

    assert prune_stale_lab_dirs(tmp_path) == [directory]
    assert not directory.exists()


def test_another_users_or_an_ownerless_young_directory_is_left_alone(tmp_path: Path) -> None:
    young = tmp_path / f"{LAB_DIR_PREFIX}starting"
    young.mkdir()  # an older golive's lab (no owner file), or one being created right now
    assert prune_stale_lab_dirs(tmp_path) == []
    old = time.time() - 2 * 3600
    os.utime(young, (old, old))
    assert prune_stale_lab_dirs(tmp_path) == [young]


def _golive(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TMPDIR": str(tmp_path), "GOLIVE_LAB_DIR": str(tmp_path / "labs")}
    return subprocess.run(
        [sys.executable, "-m", "golive", *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except ConnectionRefusedError:
        return True
    return False


def test_a_fault_is_in_effect_when_golive_lab_fault_returns(tmp_path: Path) -> None:
    lab, directory = _start_lab(tmp_path)
    try:
        info = LabInfo.read(directory / "lab.json")
        ssh = info.devices["ngc-mdf"].ssh
        assert ssh is not None and not _refused(ssh.port)
        for _ in range(5):  # the lab's peers poll world.json: without the acknowledgement, a race each time
            result = _golive(tmp_path, "lab", str(RUNBOOK), "--fault", "ngc-mdf:unreachable")
            assert result.returncode == 0, result.stderr
            assert result.stdout.splitlines()[-1] == "in effect"
            assert _refused(ssh.port)
            result = _golive(tmp_path, "lab", str(RUNBOOK), "--clear", "ngc-mdf")
            assert result.returncode == 0, result.stderr
            assert not _refused(ssh.port)
    finally:
        os.killpg(lab.pid, signal.SIGKILL)
        lab.wait()
    result = _golive(tmp_path, "lab", str(RUNBOOK), "--fault", "ngc-mdf:unreachable")
    assert result.returncode == 1
    assert result.stderr.startswith("golive: no lab is running")
