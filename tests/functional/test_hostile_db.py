"""Another application's SQLite file is "not a golive database", whatever its user_version says;
a golive database from a newer golive is still "made by a newer golive"."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import VALID


def golive(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "golive", *args], capture_output=True, text=True, env={**os.environ, **(env or {})},
        timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("command", [("status",), ("runs",), ("note", "x")])
def test_a_foreign_sqlite_file_with_a_high_version_is_not_a_golive_database(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    other = tmp_path / "places.sqlite"  # a browser's history: its own tables and schema version
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        conn.execute("PRAGMA user_version = 74")
    result = golive(*command, "--db", str(other))
    assert result.returncode == 1, result.stdout
    assert result.stderr.strip() == f"golive: {other}: this SQLite file is not a golive database"


def test_a_newer_golive_database_is_still_named_as_such(tmp_path: Path) -> None:
    runbook = tmp_path / "demo.yaml"
    runbook.write_text(VALID, encoding="utf-8")
    db = tmp_path / "s.db"
    assert golive("load", str(runbook), "--db", str(db)).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 99")
    result = golive("status", "--db", str(db))
    assert result.returncode == 1
    assert result.stderr.strip() == f"golive: {db}: made by a newer golive (schema 99); upgrade golive to open it"


def test_a_foreign_trigger_that_drops_inserts_is_caught_by_every_command(tmp_path: Path) -> None:
    """An extra trigger (RAISE(IGNORE) before each insert) made golive print "#2 note" and exit 0 with
    nothing stored; verify said ok and merge took the file."""
    runbook = tmp_path / "demo.yaml"
    runbook.write_text(VALID, encoding="utf-8")
    db = tmp_path / "s.db"
    env = {"GOLIVE_NAME": "Ann Lee", "GOLIVE_INITIALS": "AL"}
    assert golive("load", str(runbook), "--db", str(db), env=env).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TRIGGER quiet BEFORE INSERT ON journal BEGIN SELECT RAISE(IGNORE); END")

    note = golive("note", "lost?", "--db", str(db), env=env)
    assert note.returncode == 1, note.stdout
    assert note.stderr == (
        f"golive: {db}: the database did not keep event #2 as written (a trigger golive did not make?): "
        "nothing was saved; run golive verify\n"
    )
    verify = golive("verify", "--db", str(db))
    assert verify.returncode == 1
    assert f"{db}: triggers golive did not make (they can drop or change what is stored): quiet" in verify.stdout + verify.stderr
    other = tmp_path / "other.db"
    assert golive("load", str(runbook), "--db", str(other), env=env).returncode == 0
    merged = golive("merge", str(other), str(db), "-o", str(tmp_path / "m.db"), env=env)
    assert merged.returncode == 1
    assert "its triggers were removed, altered or added to" in merged.stderr
    assert not (tmp_path / "m.db").exists()
