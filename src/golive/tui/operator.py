"""Who is at the keyboard: the operator identity asked at start and remembered per machine.

The technician types their name, initials and role once; the next `golive run` on this laptop
offers them again, so a shift change is one edit, not three fields typed at 2 a.m. The file lives
in the user config directory beside the machine id and holds nothing secret.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from golive.paths import operator_file
from golive.progress.events import Actor, initials_of

__all__ = ["initials_of", "remember", "remembered"]


def _path() -> Path:
    return operator_file()


def remembered() -> Actor | None:
    """The identity last confirmed on this machine, if any."""
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
        actor = Actor(str(data["name"]), str(data["initials"]), str(data.get("role", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return actor if actor.name.strip() and actor.initials.strip() else None


def remember(actor: Actor) -> None:
    """Keep `actor` for the next start; a read-only home only loses the convenience."""
    path = _path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps({"name": actor.name, "initials": actor.initials, "role": actor.role}) + "\n", encoding="utf-8"
        )
        os.replace(tmp, path)
    except OSError:
        pass
