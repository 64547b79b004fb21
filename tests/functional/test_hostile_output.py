"""Every `-o` of golive (export, schema, merge) refuses to destroy what golive guards.

The state database and its -wal/-shm files, reached by any path (itself, relative, a symlink, a
hard link), a device node, a FIFO, another SQLite database; an existing file needs --force; and
the temporary files a SIGKILLed export leaves are removed by the next run. Each case is a real
`golive` process on a real SQLite file; the state database must still verify afterwards.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from golive.problems import GoliveError

from ..conftest import VALID


def golive(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "golive", *args], capture_output=True, text=True, env={**os.environ, **(env or {})},
        cwd=cwd, timeout=120,
    )  # fmt: skip


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.fixture
def state(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A state database with one live run of three events, named by GOLIVE_DB."""
    runbook = tmp_path / "demo.yaml"
    runbook.write_text(VALID, encoding="utf-8")
    db = tmp_path / "state.db"
    env = {"GOLIVE_DB": str(db), "GOLIVE_NAME": "Ana Ruiz", "GOLIVE_ROLE": "net"}
    assert golive("load", str(runbook), env=env).returncode == 0
    assert golive("start", "uplink", "--outside-window", env=env).returncode == 0
    assert golive("note", "a note", env=env).returncode == 0
    return db, env


def _intact(db: Path, env: dict[str, str], content: bytes) -> None:
    assert db.read_bytes() == content
    verified = golive("verify", env=env)
    assert verified.returncode == 0, verified.stderr
    assert "3 events" in verified.stdout


@pytest.mark.parametrize("fmt", ["md", "csv", "jsonl", "xlsx", "html"])
def test_export_over_the_state_database_is_refused(state: tuple[Path, dict[str, str]], fmt: str) -> None:
    db, env = state
    content = db.read_bytes()
    error = one_line_error(golive("export", "demo-live-1", "-f", fmt, "-o", str(db), "--force", env=env))
    assert error == f"golive: {db}: is golive's state database ({db}): it would be destroyed; write the file elsewhere"
    _intact(db, env, content)


def test_every_path_to_the_state_database_is_refused(state: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    db, env = state
    content = db.read_bytes()
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.md").symlink_to(db)
    (tmp_path / "sub" / "rel-link.md").symlink_to(Path("..") / "state.db")
    os.link(db, tmp_path / "hard.md")
    targets = ["state.db", "./sub/../state.db", "link.md", "sub/rel-link.md", "hard.md", "state.db-wal", "state.db-shm"]
    for target in targets:
        error = one_line_error(
            golive("export", "demo-live-1", "-f", "md", "-o", target, "--force", env=env, cwd=tmp_path)
        )
        what = "the wal file of" if target.endswith("-wal") else "the shm file of" if target.endswith("-shm") else ""
        assert f"is {what or ''}{' ' if what else ''}golive's state database" in error, (target, error)
    _intact(db, env, content)
    # csv writes PATH, PATH-tasks and PATH-run: a -tasks or -run name that is the database is refused too
    (tmp_path / "x-run.csv").symlink_to(db)
    error = one_line_error(golive("export", "demo-live-1", "-f", "csv", "-o", "x.csv", env=env, cwd=tmp_path))
    assert error.startswith("golive: x-run.csv: is golive's state database"), error
    assert not (tmp_path / "x.csv").exists()
    _intact(db, env, content)


def test_export_over_another_sqlite_database_or_a_non_regular_file_is_refused(
    state: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    db, env = state
    other = tmp_path / "other.db"
    other.write_bytes(db.read_bytes())  # some database: never overwritten by an export
    error = one_line_error(golive("export", "demo-live-1", "-f", "md", "-o", str(other), "--force", env=env))
    assert error == f"golive: {other}: is an SQLite database; golive does not write over a database"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    error = one_line_error(golive("export", "demo-live-1", "-f", "md", "-o", str(fifo), "--force", env=env))
    assert "is not a regular file" in error
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    if os.geteuid() == 0:  # root may make a device node: a private /dev/null in the test's directory
        node = tmp_path / "null"
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        error = one_line_error(golive("export", "demo-live-1", "-f", "md", "-o", str(node), "--force", env=env))
        assert "is not a regular file" in error
        assert stat.S_ISCHR(os.lstat(node).st_mode)
    (tmp_path / "dir.md").mkdir()
    error = one_line_error(
        golive("export", "demo-live-1", "-f", "md", "-o", str(tmp_path / "dir.md"), "--force", env=env)
    )
    assert "is a directory" in error


def test_dev_null_is_refused_before_anything_is_written() -> None:
    """`-o /dev/null --force` (as root it replaced the device node): refused by the check every `-o` makes
    first; called directly, so a regression could not touch the machine's /dev/null."""
    from golive.export.output import check_targets

    with pytest.raises(GoliveError, match="is not a regular file"):
        check_targets([Path("/dev/null")], True)
    with pytest.raises(GoliveError, match="is not a regular file"):
        check_targets([Path("/dev/null")], True, database_ok=True)


def test_schema_output_needs_force_and_never_writes_through_a_link(
    state: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    db, env = state
    existing = tmp_path / "schema.json"
    existing.write_text("mine", encoding="utf-8")
    error = one_line_error(golive("schema", "-o", str(existing), env=env))
    assert error == f"golive: {existing}: already exists; add --force to replace it"
    assert existing.read_text(encoding="utf-8") == "mine"

    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(precious)
    error = one_line_error(golive("schema", "-o", str(link), env=env))
    assert "already exists; add --force" in error
    forced = golive("schema", "-o", str(link), "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert precious.read_text(encoding="utf-8") == "keep me"  # the link is replaced, not written through
    assert not link.is_symlink() and '"$schema"' in link.read_text(encoding="utf-8")

    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere" / "x")
    assert "already exists" in one_line_error(golive("schema", "-o", str(dangling), env=env))

    content = db.read_bytes()
    for target in (db, tmp_path / "link-to-db.json"):
        if target != db:
            target.symlink_to(db)
        error = one_line_error(golive("schema", "-o", str(target), "--force", env=env))
        assert "is golive's state database" in error
    _intact(db, env, content)
    written = golive("schema", "-o", str(tmp_path / "new.json"), env=env)
    assert written.returncode == 0 and (tmp_path / "new.json").read_text(encoding="utf-8").startswith("{")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary left


def test_merge_output_over_the_state_database_is_refused(state: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    db, env = state
    content = db.read_bytes()
    laptop = tmp_path / "laptop.db"
    laptop.write_bytes(content)
    error = one_line_error(golive("merge", str(laptop), str(laptop), "-o", str(db), "--force", env=env))
    assert "is golive's state database" in error
    _intact(db, env, content)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_sigkilled_exports_temporary_file_is_removed_by_the_next_run(
    state: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    from golive.export.output import STALE_AFTER_S, clean_stale

    _db, env = state
    out = tmp_path / "out"
    out.mkdir()
    # a real export process, killed with SIGKILL while its temporary file is open
    code = (
        "import os, signal\nfrom pathlib import Path\nfrom golive.export.output import staged\n"
        f"with staged([Path({str(out / 'night.md')!r})], False) as (temp,):\n"
        "    temp.write_text('half an export')\n    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    killed = subprocess.run([sys.executable, "-c", code], timeout=60, check=False)
    assert killed.returncode == -signal.SIGKILL
    (left,) = out.iterdir()
    assert left.name.startswith(".night.md.golive-") and left.name.endswith(".part")
    recent = out / f".other.md.golive-{_dead_pid()}-0123abcd.part"  # dead, but too recent to be sure
    recent.write_text("x")
    alive = out / f".mine.md.golive-{os.getpid()}-0123abcd.part"  # old, but its process still runs
    alive.write_text("x")
    merging = [out / f".merged.db.merging-{_dead_pid()}{s}" for s in ("", "-wal", "-shm")]  # a killed merge
    unrelated = out / ".notes.md.golive-1-xyz.part"  # not a name golive makes
    for path in (*merging, unrelated):
        path.write_text("x")
    for path in (left, alive, *merging, unrelated):
        _age(path, STALE_AFTER_S + 60)

    result = golive("export", "demo-live-1", "-f", "md", "-o", str(out / "night.md"), env=env)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(["night.md", recent.name, alive.name, unrelated.name])
    assert clean_stale(out, now=time.time() + STALE_AFTER_S + 1) == [recent]
