"""The core never imports the UI, and `golive validate` never imports the heavy drivers.

Checked in a fresh interpreter, so what another test imported cannot hide a violation.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CORE = ["golive.runbook.load", "golive.runbook.jsonschema", "golive.progress.schedule", "golive.progress.rules",
        "golive.store.cutover", "golive.store.verify", "golive.store.merge", "golive.report.compare",
        "golive.checks.engine", "golive.lab.lab", "golive.export.model"]  # fmt: skip
UI_AND_DRIVERS = ("textual", "netmiko", "pysnmp", "paramiko")
# the check engine and the lab reach devices (they import the drivers lazily), never the UI
DRIVER_USERS = ("golive.checks.engine", "golive.lab.lab")


def imported_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    return {name.split(".")[0] for name in out.stdout.split()}


def test_the_core_never_imports_textual_or_the_drivers() -> None:
    loaded = imported_after("\n".join(f"import {m}" for m in CORE))
    assert "textual" not in loaded
    pure = [m for m in CORE if m not in DRIVER_USERS]
    assert not imported_after("\n".join(f"import {m}" for m in pure)) & set(UI_AND_DRIVERS)


def test_validate_stays_light(tmp_path: Path) -> None:
    from ..conftest import VALID

    path = tmp_path / "rb.yaml"
    path.write_text(VALID)
    code = (
        "import sys\nfrom golive.cli.main import cli\n"
        f"try:\n    cli.main(['validate', '-q', {str(path)!r}], standalone_mode=False)\nexcept SystemExit:\n    pass"
    )
    loaded = imported_after(code)
    assert not loaded & {*UI_AND_DRIVERS, "sqlalchemy", "sqlmodel"}
