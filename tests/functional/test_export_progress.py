"""An export runs in the calling process, and `golive export` shows a terminal what it is doing.

A run is made through the installed command (`python -m golive`), as a person would make it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ..conftest import VALID

FORMATS = ("csv", "xlsx", "jsonl", "html", "md")


def golive(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "golive", *args], capture_output=True, text=True, env={**os.environ, **env}, timeout=120,
    )  # fmt: skip


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A database with one live run of five events."""
    env = {"GOLIVE_DB": str(tmp_path / "s.db"), "GOLIVE_NAME": "Ana Ruiz", "GOLIVE_ROLE": "net"}
    runbook = tmp_path / "demo.yaml"
    runbook.write_text(VALID, encoding="utf-8")
    for args in (
        ("load", str(runbook)),
        ("start", "uplink", "--outside-window"),
        ("note", "rooms 301-318 done"),
        ("override", "uplink", "-m", "checked by hand", "--approver-name", "Lee Chan", "--approver-initials", "LC"),
        ("signoff", "uplink"),
    ):
        done = golive(*args, env=env)
        assert done.returncode == 0, done.stderr
    return env


def test_every_format_is_exported_without_a_second_process(env: dict[str, str], tmp_path: Path) -> None:
    """No fork: every fork of this interpreter passes through os.register_at_fork's hooks."""
    code = textwrap.dedent(f"""
        import os
        from pathlib import Path
        from golive.export.exporter import export_run
        forks = []
        os.register_at_fork(before=lambda: forks.append(os.getpid()))
        for fmt in {FORMATS!r}:
            done = export_run(Path({env["GOLIVE_DB"]!r}), None, fmt, Path({str(tmp_path)!r}) / f"run.{{fmt}}")
            assert done.data.trust.ok and done.data.trust.events == 5
        print(len(forks))
    """)
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "0"
    assert sorted(p.name for p in tmp_path.glob("run*")) == [
        "run-run.csv", "run-tasks.csv", "run.csv", "run.html", "run.jsonl", "run.md", "run.xlsx",
    ]  # fmt: skip


def on_a_terminal(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    """`golive ARGS` with stderr on a pseudo-terminal 100 columns wide (stdout a pipe): exit code, what
    the terminal received, stdout."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "golive", *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave,
        env={**os.environ, **env},
    )  # fmt: skip
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the command ended and closed its side
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert proc.stdout is not None
    out = proc.stdout.read().decode("utf-8")
    return proc.wait(timeout=120), seen.decode("utf-8"), out


ERASE = "\r\x1b[2K"


def test_a_terminal_sees_each_step_on_one_line_erased_at_the_end(env: dict[str, str], tmp_path: Path) -> None:
    code, terminal, out = on_a_terminal("export", "demo-live-1", "-f", "xlsx", "-o", str(tmp_path / "n.xlsx"), env=env)
    assert code == 0, terminal
    assert terminal == (
        f"{ERASE}golive: reading and verifying run demo-live-1 in s.db..."
        f"{ERASE}golive: writing n.xlsx (5 events of demo-live-1)..."
        f"{ERASE}"
    )
    assert out.startswith(f"LIVE demo-live-1: wrote {tmp_path / 'n.xlsx'} (5 events, chain head ")
    code, terminal, _ = on_a_terminal("export", "demo-live-1", "-f", "csv", "-o", str(tmp_path / "n.csv"), env=env)
    assert code == 0 and "golive: writing n.csv, n-tasks.csv, n-run.csv (5 events of demo-live-1)..." in terminal


def test_an_error_on_a_terminal_is_its_own_clean_line(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "n.md"
    out.write_text("the PM's own file", encoding="utf-8")
    code, terminal, _ = on_a_terminal("export", "demo-live-1", "-f", "md", "-o", str(out), env=env)
    assert code == 1
    assert terminal == f"golive: {out}: already exists; add --force to replace it\r\n"  # refused before any step
    code, terminal, _ = on_a_terminal("export", "nosuch", "-f", "md", "-o", str(tmp_path / "x.md"), env=env)
    assert code == 1
    assert terminal == (
        f"{ERASE}golive: reading and verifying run nosuch in s.db...{ERASE}"
        "golive: no run 'nosuch' in this database (runs: demo-live-1)\r\n"
    )


def test_a_pipe_gets_no_steps(env: dict[str, str], tmp_path: Path) -> None:
    for fmt in ("csv", "xlsx"):
        done = golive("export", "demo-live-1", "-f", fmt, "-o", str(tmp_path / f"p.{fmt}"), env=env)
        assert done.returncode == 0 and done.stderr == "", (fmt, done.stderr)
