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
    """A database with one live run of four events."""
    env = {"GOLIVE_DB": str(tmp_path / "s.db"), "GOLIVE_NAME": "Ana Ruiz", "GOLIVE_ROLE": "net"}
    runbook = tmp_path / "demo.yaml"
    runbook.write_text(VALID, encoding="utf-8")
    for args in (("load", str(runbook)), ("start", "uplink"), ("note", "rooms 301-318 done"), ("signoff", "uplink")):
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
            assert done.data.trust.ok and done.data.trust.events == 4
        print(len(forks))
    """)
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "0"
    assert sorted(p.name for p in tmp_path.glob("run*")) == [
        "run-run.csv", "run-tasks.csv", "run.csv", "run.html", "run.jsonl", "run.md", "run.xlsx",
    ]  # fmt: skip
