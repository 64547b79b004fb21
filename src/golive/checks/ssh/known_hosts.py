"""known_hosts read once per file, not once per SSH session; keys accepted on first use appended.

Netmiko builds every session's SSH client by parsing the whole known_hosts file again: with 50
devices that is 50 x 50 host keys decoded, about a third of a session's CPU in golive's process,
where 50 sessions share one interpreter lock. Here the file is parsed once (again only when it
changes), and each session's client gets the entries of its own host name: the same verdicts
(unknown, matching, changed) paramiko would reach with the whole file.
"""

from __future__ import annotations

import threading
from pathlib import Path

import paramiko

_cache: dict[Path, tuple[tuple[int, int], paramiko.HostKeys]] = {}
_lock = threading.Lock()


def host_keys(path: Path) -> paramiko.HostKeys:
    """The parsed file (shared, read-only: never add to it)."""
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    with _lock:
        cached = _cache.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        keys = paramiko.HostKeys(str(path))
        _cache[path] = (stamp, keys)
        return keys


def client_for(
    host: str, port: int, known_hosts: Path | None, policy: paramiko.MissingHostKeyPolicy
) -> paramiko.SSHClient:
    """A fresh SSH client that knows the keys recorded for host:port (named as paramiko looks it up)."""
    client = paramiko.SSHClient()
    if known_hosts is not None and known_hosts.is_file():
        name = host if port == 22 else f"[{host}]:{port}"
        entries = host_keys(known_hosts).lookup(name)
        if entries is not None:
            for key_type, key in entries.items():
                client.get_host_keys().add(name, key_type, key)
    client.set_missing_host_key_policy(policy)
    return client


def remember(path: Path, host: str, port: int, key: tuple[str, str, str]) -> None:
    """Append a key accepted on first use (type, fingerprint, base64) to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    name = host if port == 22 else f"[{host}]:{port}"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"{name} {key[0]} {key[2]}\n")
