"""`golive check` says at once when interval checks will make it wait (an errors check sampling its
counters 5 minutes apart printed nothing for five minutes: it looked hung)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

IDF = Path(__file__).parents[2] / "runbooks" / "idf-access-stack.yaml"


def test_an_interval_check_is_announced_before_the_wait(tmp_path: Path) -> None:
    env = {**os.environ, "GOLIVE_DB": str(tmp_path / "s.db"), "GOLIVE_NAME": "Sam Ode"}

    def golive(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "golive", *args], capture_output=True, text=True, env=env, timeout=120, check=False
        )

    assert golive("load", str(IDF)).returncode == 0
    result = golive("check", str(IDF), "--task", "post-errors", "--timeout", "2")
    assert result.stderr.splitlines()[0] == (
        "golive: 1 check samples counters twice, up to 5m apart: the last results come in about 5m"
    )
    simulated = golive("check", str(IDF), "--task", "post-errors", "--rehearsal", "--no-journal", "--db",
                       str(tmp_path / "other.db"))  # fmt: skip
    assert "samples counters" not in simulated.stderr  # a simulated run does not wait
