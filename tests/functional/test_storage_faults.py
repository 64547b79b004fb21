"""A fault of the disk or the file under the state database is one line, exit 1, and loses nothing.

Real faults, not simulated ones: another process holding SQLite's write lock; a disk that fills up
and a disk remounted read-only (a small tmpfs in a private mount namespace, `unshare -m`, so the
machine's own mounts are untouched). After each, the journal still verifies with every event it
had, and the next action once the fault is gone is saved.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import VALID

ENV = {"GOLIVE_NAME": "Ann Lee", "GOLIVE_INITIALS": "AL"}


def golive(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "golive", *args], capture_output=True, text=True, env={**os.environ, **ENV},
        timeout=120, cwd=cwd, check=False,
    )  # fmt: skip


def test_a_write_lock_held_by_another_program_is_one_line_and_reads_still_work(tmp_path: Path) -> None:
    runbook = tmp_path / "rb.yaml"
    runbook.write_text(VALID, encoding="utf-8")
    db = tmp_path / "s.db"
    assert golive("load", str(runbook), "--db", str(db)).returncode == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sqlite3, sys, time
            conn = sqlite3.connect({str(db)!r}, isolation_level=None)
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("CREATE TABLE IF NOT EXISTS held (a)")
            print("held", flush=True)
            sys.stdin.read()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        started = time.monotonic()
        status = golive("status", "--db", str(db))
        verify = golive("verify", "--db", str(db))
        assert time.monotonic() - started < 8  # a reader does not wait for the writer
        assert status.returncode == 0, status.stderr
        assert verify.returncode == 0, verify.stderr
        note = golive("note", "while locked", "--db", str(db))
    finally:
        holder.communicate("", timeout=10)
    assert note.returncode == 1
    assert note.stderr == (
        f"golive: {db}: another program holds the database locked (waited 10 s): nothing was saved; "
        "close it or wait, then try again\n"
    )
    assert golive("note", "after", "--db", str(db)).returncode == 0
    verified = golive("verify", "--db", str(db))
    assert verified.returncode == 0 and ": ok: 2 events" in verified.stdout


DRIVER = """
import json, os, subprocess, sys
from pathlib import Path

work, runbook, fault = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
disk = work / "disk"
disk.mkdir()
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(disk)], check=True)
db = disk / "s.db"
env = dict(os.environ)

def golive(*args):
    r = subprocess.run([sys.executable, "-m", "golive", *args, "--db", str(db)], capture_output=True, text=True, env=env)
    return {"code": r.returncode, "out": r.stdout, "err": r.stderr}

out = {"load": golive("load", runbook), "before": golive("note", "before the fault")}
if fault == "full":
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"x" * 4096)
                handle.flush()
        except OSError:
            pass
    out["fault"] = golive("note", "x" * 20000)
    filler.unlink()
else:
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    out["fault"] = golive("note", "on a read-only disk")
    out["read"] = golive("status")
    out["verify_ro"] = golive("verify")
    out["runs_ro"] = golive("runs")
    subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
out["after"] = golive("note", "after the fault")
out["verify"] = golive("verify")
print(json.dumps(out))
"""


def _in_private_mounts(tmp_path: Path, fault: str) -> dict[str, dict[str, object]]:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs root and unshare for a private tmpfs")
    runbook = tmp_path / "rb.yaml"
    runbook.write_text(VALID, encoding="utf-8")
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    result = subprocess.run(
        ["unshare", "-m", "--propagation", "private", sys.executable, str(driver), str(tmp_path), str(runbook), fault],
        capture_output=True, text=True, env={**os.environ, **ENV}, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out: dict[str, dict[str, object]] = json.loads(result.stdout)
    assert out["load"]["code"] == 0 and out["before"]["code"] == 0, out
    return out


def test_a_full_disk_is_one_line_nothing_half_saved_and_the_next_action_saves(tmp_path: Path) -> None:
    out = _in_private_mounts(tmp_path, "full")
    fault = out["fault"]
    assert fault["code"] == 1
    assert str(fault["err"]).endswith("free some space, then try again\n"), fault
    assert ": the disk is full" in str(fault["err"])
    assert str(fault["err"]).count("\n") == 1 and "Traceback" not in str(fault["err"])
    assert out["after"]["code"] == 0, out["after"]
    assert out["verify"]["code"] == 0 and ": ok: 3 events" in str(out["verify"]["out"]), out["verify"]


def test_a_read_only_disk_is_one_line_reads_work_and_nothing_is_lost(tmp_path: Path) -> None:
    out = _in_private_mounts(tmp_path, "read-only")
    fault = out["fault"]
    assert fault["code"] == 1
    assert "the database cannot be written (a read-only" in str(fault["err"]), fault
    assert "nothing was saved" in str(fault["err"]) and str(fault["err"]).count("\n") == 1
    for read in ("read", "verify_ro", "runs_ro"):  # a read-only disk can still be read, listed and verified
        assert out[read]["code"] == 0, out[read]
    assert ": ok: 2 events" in str(out["verify_ro"]["out"])
    assert out["after"]["code"] == 0, out["after"]
    assert out["verify"]["code"] == 0 and ": ok: 3 events" in str(out["verify"]["out"]), out["verify"]


def test_a_damaged_page_is_one_line_exit_1_for_reads(tmp_path: Path) -> None:
    runbook = tmp_path / "rb.yaml"
    runbook.write_text(VALID, encoding="utf-8")
    db = tmp_path / "s.db"
    assert golive("load", str(runbook), "--db", str(db)).returncode == 0
    data = bytearray(db.read_bytes())
    at = data.index(b'{"runbook":{"id"')  # the stored runbook's text: bad bytes in it, as a failing disk leaves
    data[at : at + 400] = b"\xab" * 400
    db.write_bytes(bytes(data))
    for command in ("status", "verify"):
        result = golive(command, "--db", str(db))
        assert result.returncode == 1, result
        assert result.stderr == (
            f"golive: {db}: the database is damaged (a stored text is no longer UTF-8); run golive verify, "
            "and restore it from a copy\n"
        )
