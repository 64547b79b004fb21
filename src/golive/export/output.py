"""Write export files all or nothing: temporary files beside the targets, renamed at the end.

`staged(targets, force)` refuses an existing target unless `force`, a target that is a directory,
and a target whose directory does not exist, before anything is written. Inside the block the
caller writes each temporary path; on success each is flushed to disk and renamed over its
target; on any error every temporary file is removed and no target is touched.
"""

from __future__ import annotations

import contextlib
import os
import secrets
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
            temps.append(_new_temp(target))
        yield temps
        for temp in temps:
            with open(temp, "rb+") as fh:
                os.fsync(fh.fileno())
        check_targets(targets, force)  # nothing appeared meanwhile
        for temp, target in zip(temps, targets, strict=True):
            os.replace(temp, target)
    except OSError as exc:
        raise GoliveError(f"{targets[0]}: cannot write: {exc.strerror or exc}") from None
    finally:
        for temp in temps:
            with contextlib.suppress(OSError):
                temp.unlink()


def _new_temp(target: Path) -> Path:
    """An empty file beside `target`, created with the mode an ordinary new file gets (the umask applies)."""
    while True:
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return temp
