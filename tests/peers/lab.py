"""`running_lab(runbook_path)`: a whole golive lab for a test, stopped (no child left) afterwards.

The lab registers under a per-test GOLIVE_LAB_DIR when the caller sets one (tests/conftest.py
isolates XDG dirs); ports come from the kernel and are held until each peer listens, so parallel
pytest-xdist workers never clash.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from golive.lab.lab import Lab
from golive.runbook.load import read_runbook


@contextmanager
def running_lab(runbook_path: str | Path, *, register: bool = True) -> Iterator[Lab]:
    loaded = read_runbook(runbook_path)
    with Lab(loaded.runbook, loaded.sha256, register=register) as lab:
        yield lab
