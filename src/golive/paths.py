"""Every place golive keeps something on this machine, and every `GOLIVE_*` variable it reads.

One module, so a newcomer (or an auditor asking "what does this tool write, and where?") finds
them all in one look. Directories follow the platform (platformdirs): the database in the user
data directory unless `--db` or `GOLIVE_DB` says otherwise; the machine id and the remembered
operator in the user config directory; the running labs in the user state directory. Nothing here
holds a secret. The machine id is a random UUID made once: it tells journal events from different
laptops apart without revealing anything about the laptop.
"""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path

import platformdirs

APP = "golive"

# the environment variables golive reads (click reads the actor ones through these names too)
DB_ENV = "GOLIVE_DB"  # the state database
DEBUG_ENV = "GOLIVE_DEBUG"  # show a traceback for an internal error
NAME_ENV = "GOLIVE_NAME"  # who acts, for CLI actions
INITIALS_ENV = "GOLIVE_INITIALS"
ROLE_ENV = "GOLIVE_ROLE"
LAB_DIR_ENV = "GOLIVE_LAB_DIR"  # where running labs register
DEMO_RUNBOOK_ENV = "GOLIVE_DEMO_RUNBOOK"  # the runbook `golive demo` opens
SSH_USER_ENV = "GOLIVE_SSH_USER"  # the SSH login when a device names none


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


def db_from_environment() -> bool:
    """Whether GOLIVE_DB names the database (so a message can say where it came from)."""
    return os.environ.get(DB_ENV) is not None


def debug() -> bool:
    return bool(os.environ.get(DEBUG_ENV))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def operator_file() -> Path:
    """The operator last confirmed on this machine (name, initials, role: nothing secret)."""
    return config_dir() / "operator.json"


def labs_dir() -> Path:
    """Where each running lab leaves a small file naming its ports: $GOLIVE_LAB_DIR, else the
    user state directory."""
    override = os.environ.get(LAB_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_state_dir(APP)) / "labs"


def golive_known_hosts() -> Path:
    """SSH host keys accepted with --trust-new-hosts (each also journaled)."""
    return Path(platformdirs.user_data_dir(APP)) / "known_hosts"


def user_known_hosts() -> Path:
    """The user's own OpenSSH known_hosts, read (never written) when verifying a host key."""
    return Path.home() / ".ssh" / "known_hosts"


def demo_runbook_override() -> Path | None:
    value = os.environ.get(DEMO_RUNBOOK_ENV)
    return Path(value) if value else None


def ssh_user_override() -> str | None:
    return os.environ.get(SSH_USER_ENV) or None


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
