"""Which lab runs for which runbook: one small file per runbook id in a per-user directory.

`golive check` and `golive run` call find_lab(runbook_id) to talk to the lab instead of the
runbook's real addresses. The directory is platformdirs' user state dir (golive/labs), or
$GOLIVE_LAB_DIR. A file whose process is dead is stale: ignored and removed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from pydantic import ValidationError

from golive.lab.endpoints import LabInfo
from golive.paths import labs_dir


def _entry(runbook_id: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", runbook_id)
    return labs_dir() / f"{safe}.json"


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def register(info: LabInfo) -> Path:
    """Record `info` as the running lab of its runbook (mode 0600, directory 0700)."""
    directory = labs_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = _entry(info.runbook_id)
    info.write(path)
    return path


def unregister(runbook_id: str, pid: int | None = None) -> None:
    """Forget a runbook's lab (only if `pid` still owns the entry, when given)."""
    path = _entry(runbook_id)
    if pid is not None:
        current = _read(path)
        if current is not None and current.pid != pid:
            return
    path.unlink(missing_ok=True)


def find_lab(runbook_id: str) -> LabInfo | None:
    """The running lab of this runbook, or None (no lab, or a stale entry whose process died)."""
    path = _entry(runbook_id)
    info = _read(path)
    if info is None:
        return None
    if not pid_alive(info.pid):
        path.unlink(missing_ok=True)
        return None
    return info


def _read(path: Path) -> LabInfo | None:
    try:
        return LabInfo.read(path)
    except (OSError, ValidationError, ValueError):
        return None
