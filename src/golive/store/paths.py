"""Where golive keeps its state on this machine, and who this machine is.

The database lives in the platform's user data directory unless `--db` or `GOLIVE_DB` says
otherwise. The machine id is a random UUID made once and kept in the user config directory: it
tells journal events from different laptops apart without revealing anything about the laptop.
"""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path

import platformdirs

APP = "golive"
DB_ENV = "GOLIVE_DB"


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP, appauthor=False)) / "golive.db"


def resolve_db_path(explicit: str | os.PathLike[str] | None) -> Path:
    """`--db` first, then GOLIVE_DB, then the platform default."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env)
    return default_db_path()


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def machine_id() -> str:
    """`hostname/8-hex`, stable for this user on this machine."""
    path = config_dir() / "machine-id"
    try:
        ident = path.read_text(encoding="utf-8").strip()
    except OSError:
        ident = ""
    if len(ident) != 32:
        ident = uuid.uuid4().hex
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(ident + "\n", encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only home still gets a per-process id rather than a crash
    host = socket.gethostname().split(".")[0] or "host"
    return f"{host}/{ident[:8]}"
