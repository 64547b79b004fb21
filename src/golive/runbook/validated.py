"""Which stored runbook forms golive has validated on this machine, by a digest of their bytes and
of the schema's code.

Validation is a pure function of the JSON text and of golive.runbook's source, so its result can
be remembered by their SHA-256 in a per-user file (golive.store.rebuild explains the whole scheme).
This part imports neither pydantic nor the schema: the TUI asks it before its first frame, to know
whether the stored form it is about to show as it is has passed validation here before.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import golive.runbook
from golive.store.paths import APP


@functools.cache
def schema_fingerprint() -> str:
    """SHA-256 over the source of golive.runbook (the schema and its validators); '' if unreadable."""
    digest = hashlib.sha256()
    try:
        folder = Path(next(iter(golive.runbook.__path__)))
        for path in sorted(folder.glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    except (OSError, StopIteration):
        return ""
    return digest.hexdigest()


def form_digest(normalized: str) -> str:
    """The key of a stored form: its bytes under this schema's code."""
    fingerprint = schema_fingerprint()
    if not fingerprint:
        return ""
    return hashlib.sha256(f"golive-runbook:{fingerprint}:".encode() + normalized.encode("utf-8")).hexdigest()


def _ledger() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP, appauthor=False)) / "validated-runbooks"


def validated(digest: str) -> bool:
    """Whether golive noted `digest` as validated on this machine."""
    if not digest:
        return False
    try:
        with _ledger().open("rb") as fh:
            needle = digest.encode("ascii")
            return any(line.strip() == needle for line in fh)
    except OSError:
        return False


def note_validated(digest: str) -> None:
    """Remember that golive validated this stored form (one appended line; a read-only home loses only speed)."""
    if not digest or validated(digest):
        return
    path = _ledger()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, digest.encode("ascii") + b"\n")
        finally:
            os.close(fd)
    except OSError:
        pass
