"""Write golive's output files all or nothing, and never over what golive guards.

`staged(targets, force, guarded)` checks every target before anything is written
(`check_targets`), then hands the caller one temporary path per target; on success each is
flushed to disk and renamed over its target; on any error every temporary file is removed and no
target is touched. Every `-o` of golive (export, schema, merge) goes through these checks:

- the state database (each path in `guarded`) and its `-wal`, `-shm` and `-journal` files are
  refused however they are reached: the path itself, a relative path, a symlink, a hard link
  (the same device and inode), with or without `--force`;
- an existing SQLite database is never overwritten by an export (`database_ok` is for merge,
  whose output is a database);
- anything but a regular file (a device node such as /dev/null, a FIFO, a socket, a directory) is
  refused, also with `--force`, also as root: the rename would replace the node itself;
- an existing file (or a symlink, even a dangling one) needs `force`;
- the directory must exist.

Temporary files are named `.<target name>.golive-<pid>-<random>.part`, beside their target (the
rename must not cross file systems). A run killed with SIGKILL cannot remove its own; the next
`staged` for a target in that directory removes every such file older than `STALE_AFTER_S` whose
process no longer runs (`clean_stale`). The same goes for merge's `.<name>.merging-<pid>` files.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from golive.problems import GoliveError

STALE_AFTER_S = 300.0
_SQLITE_MAGIC = b"SQLite format 3\x00"
_DB_SIDE_FILES = ("", "-wal", "-shm", "-journal")
_TEMP = re.compile(r"^\..+\.(?:golive-(?P<pid>\d+)-[0-9a-f]{8}\.part|merging-(?P<mpid>\d+)(?:-wal|-shm|-journal)?)$")


def _same(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _stat(path: Path | str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _guarded_reason(target: Path, guarded: Sequence[Path]) -> str | None:
    """Why `target` is one of the guarded databases' files, or None."""
    real = os.path.realpath(target)
    here = _stat(target)
    for db in guarded:
        for suffix in _DB_SIDE_FILES:
            side = f"{db}{suffix}"
            there = _stat(side)
            if real == os.path.realpath(side) or (here is not None and there is not None and _same(here, there)):
                what = "golive's state database" if not suffix else f"the {suffix[1:]} file of golive's state database"
                return f"is {what} ({db}): it would be destroyed; write the file elsewhere"
    return None


def _is_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC
    except OSError:
        return False


def check_targets(
    targets: Sequence[Path], force: bool, guarded: Sequence[Path] = (), *, database_ok: bool = False
) -> None:
    """One clear line for the first target that must not or cannot be written."""
    for target in targets:
        parent = target.parent
        if not parent.is_dir():
            raise GoliveError(f"{target}: cannot write: no directory {parent}")
        why = _guarded_reason(target, guarded)
        if why:
            raise GoliveError(f"{target}: {why}")
        if not os.path.lexists(target):
            continue
        info = _stat(target)
        if info is not None and stat.S_ISDIR(info.st_mode):
            raise GoliveError(f"{target}: is a directory; give a file name")
        if info is not None and not stat.S_ISREG(info.st_mode):
            raise GoliveError(f"{target}: is not a regular file (a device, pipe or socket); give a file name")
        if not database_ok and _is_sqlite(target):
            raise GoliveError(f"{target}: is an SQLite database; golive does not write over a database")
        if not force:
            raise GoliveError(f"{target}: already exists; add --force to replace it")


@contextlib.contextmanager
def staged(
    targets: Sequence[Path], force: bool, guarded: Sequence[Path] = (), *, database_ok: bool = False
) -> Iterator[list[Path]]:
    """Temporary paths, one per target, that replace the targets only if the block succeeds."""
    check_targets(targets, force, guarded, database_ok=database_ok)
    for directory in {t.parent for t in targets}:
        clean_stale(directory)
    temps: list[Path] = []
    try:
        for target in targets:
            temps.append(new_temp(target))
        yield temps
        for temp in temps:
            with open(temp, "rb+") as fh:
                os.fsync(fh.fileno())
        check_targets(targets, force, guarded, database_ok=database_ok)  # nothing appeared meanwhile
        for temp, target in zip(temps, targets, strict=True):
            os.replace(temp, target)
    except OSError as exc:
        raise GoliveError(f"{targets[0]}: cannot write: {exc.strerror or exc}") from None
    finally:
        for temp in temps:
            with contextlib.suppress(OSError):
                temp.unlink()


def new_temp(target: Path) -> Path:
    """An empty file beside `target`, created with the mode an ordinary new file gets (the umask applies)."""
    while True:
        temp = target.with_name(f".{target.name}.golive-{os.getpid()}-{secrets.token_hex(4)}.part")
        try:
            os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return temp


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except OSError:
        return True  # someone else's process (EPERM): alive
    return True


def clean_stale(directory: Path, *, now: float | None = None) -> list[Path]:
    """Remove golive's temporary files in `directory` left by a killed run; the paths removed.

    Only files named as golive names them, older than STALE_AFTER_S, whose process is gone.
    """
    removed: list[Path] = []
    now = time.time() if now is None else now
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP.match(entry.name)
        if match is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        pid = int(match.group("pid") or match.group("mpid"))
        if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < STALE_AFTER_S or _running(pid):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed
