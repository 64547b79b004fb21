"""Write export files all or nothing: temporary files beside the targets, renamed at the end.

`staged(targets, force)` refuses an existing target unless `force`, a target that is a directory,
and a target whose directory does not exist, before anything is written. Inside the block the
caller writes each temporary path; on success each is flushed to disk and renamed over its
target; on any error every temporary file is removed and no target is touched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from golive.problems import GoliveError


def check_targets(targets: Sequence[Path], force: bool) -> None:
    """One clear line for the first target that cannot be written."""
    for target in targets:
        parent = target.parent
        if not parent.is_dir():
            raise GoliveError(f"{target}: cannot write: no directory {parent}")
        if target.is_dir():
            raise GoliveError(f"{target}: is a directory; give a file name")
        if target.exists() and not force:
            raise GoliveError(f"{target}: already exists; add --force to replace it")


@contextlib.contextmanager
def staged(targets: Sequence[Path], force: bool) -> Iterator[list[Path]]:
    """Temporary paths, one per target, that replace the targets only if the block succeeds."""
    check_targets(targets, force)
    temps: list[Path] = []
    try:
        for target in targets:
            fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
            os.close(fd)
            temps.append(Path(name))
        yield temps
        mode = 0o666 & ~_umask()
        for temp in temps:
            with open(temp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.chmod(temp, mode)
        check_targets(targets, force)  # nothing appeared meanwhile
        for temp, target in zip(temps, targets, strict=True):
            os.replace(temp, target)
    except OSError as exc:
        raise GoliveError(f"{targets[0]}: cannot write: {exc.strerror or exc}") from None
    finally:
        for temp in temps:
            with contextlib.suppress(OSError):
                temp.unlink()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
