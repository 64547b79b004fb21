"""A validated stored runbook's outline: all of it but its checks, kept per form digest in the
user's cache directory, so the TUI's first frame parses a third of the JSON.

For 5,000 tasks the stored form is 2.4 MB, two thirds of it checks (devices, ports, expectations)
that the first frame never reads; parsing them was a quarter of the preview's time. golive writes
the outline when it has validated a stored form or rebuilt one it had validated before
(golive.store.rebuild, golive.store.runs), and the preview reads it only for a digest the ledger
lists (golive.runbook.validated): it is never trusted more than the form it was made from. A file
that is missing, unreadable, of another format or for another digest is ignored, and the preview
reads the full form as before. Tasks are rows, not objects, because a list parses faster than a
dict with the same values.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from golive.runbook.stored import StoredPhase, StoredRunbook, StoredTask, read_stored
from golive.store.paths import APP

FORMAT = 1
KEEP = 32  # outlines kept: a machine meets few runbook versions, and each is rewritten on demand
STALE_TMP_SECONDS = 600  # a temporary file this old was left by a write that was killed


def outline_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP, appauthor=False)) / "outlines"


def outline_path(digest: str) -> Path:
    return outline_dir() / f"{digest}.json"


def outline_of(runbook: StoredRunbook, digest: str) -> dict[str, Any]:
    """The outline as JSON-ready values."""
    phases = [
        [phase.id, phase.title, [
            [t.id, t.title, t.instructions, t.owner, t.duration, t.after, t.gate, t.signoff, t.rollback]
            for t in phase.tasks
        ]]
        for phase in runbook.phases
    ]  # fmt: skip
    return {"format": FORMAT, "digest": digest, "runbook": runbook.meta, "roles": runbook.roles, "phases": phases}


def from_outline(data: Any, digest: str) -> StoredRunbook:
    """The StoredRunbook an outline holds; ValueError if it is not an outline of `digest`."""
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("digest") != digest:
        raise ValueError("not an outline, or one of another format or another runbook")
    try:
        phases = [
            StoredPhase(pid, title, [StoredTask(*row) for row in rows])
            for pid, title, rows in data["phases"]
        ]  # fmt: skip
        return StoredRunbook(data["runbook"], data["roles"], phases)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"not an outline's shape: {exc!r}") from None


def read_outline(digest: str) -> StoredRunbook | None:
    """The outline of the stored form `digest`, or None when there is none to trust. A file that
    cannot be used is removed, so the next validation of that form writes it again."""
    path = outline_path(digest)
    try:
        text = path.read_bytes()
    except OSError:
        return None
    try:
        return from_outline(json.loads(text), digest)
    except Exception:  # whatever is wrong with a cache file, the stored form is read instead
        discard_outline(digest)
        return None


def discard_outline(digest: str) -> None:
    """Remove the outline of `digest` (unusable: the preview reads the stored form instead)."""
    with contextlib.suppress(OSError):
        outline_path(digest).unlink(missing_ok=True)


def write_outline(runbook: StoredRunbook, digest: str) -> None:
    """Write the outline atomically; a read-only or full disk only costs the next start its speed."""
    folder = outline_dir()
    tmp: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{digest}.", suffix=".tmp")  # 0600, unique
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(outline_of(runbook, digest), fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, outline_path(digest))
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return
    _prune(folder)


def remember(normalized: str, digest: str) -> None:
    """Write the outline of a stored form golive has just validated (or rebuilt), unless it exists."""
    if not digest or outline_path(digest).is_file():
        return
    try:
        runbook = read_stored(normalized)
    except ValueError:
        return
    write_outline(runbook, digest)


def _prune(folder: Path) -> None:
    """Keep the KEEP most recently written outlines, and no temporary file a killed write left."""
    with contextlib.suppress(OSError):
        files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP:]:
            old.unlink(missing_ok=True)
        stale = time.time() - STALE_TMP_SECONDS
        for tmp in folder.glob(".*.tmp"):
            if tmp.stat().st_mtime < stale:
                tmp.unlink(missing_ok=True)
