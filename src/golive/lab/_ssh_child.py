"""The child process that runs every simulated SSH device of a lab (FakeNOS), then waits.

Why a child process: after a failed login, a non-daemon paramiko thread blocks in accept() and
a Python process that ran FakeNOS never exits; killing a child is instant and always works.
All devices share one process and one NOS object per platform (50 devices start in about 2 s).

Each show command is answered by a callable that re-reads world.json (cached by mtime), so a
fault applied while a session is open shows in its next command. A watcher applies the faults
that live in the server rather than in an output: unreachable (the listener closes), bad
credentials (the accepted password changes), a changed host key, and it exits when the parent dies.

Usage: python -m golive.lab._ssh_child CONFIG.json   (prints READY once every device listens)
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from golive.lab.ssh_outputs import shell_for
from golive.lab.world import DeviceWorld, World

POLL_S = 0.1


class WorldCache:
    """world.json, re-read only when its mtime or size changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int] = (-1, -1)
        self._world: World | None = None
        self._lock = threading.Lock()

    def get(self) -> World:
        with self._lock:
            try:
                stat = self.path.stat()
                stamp = (stat.st_mtime_ns, stat.st_size)
                if stamp != self._stamp or self._world is None:
                    self._world = World.read(self.path)
                    self._stamp = stamp
            except (OSError, ValueError):
                if self._world is None:
                    raise
            return self._world


def _output(cache: WorldCache, name: str, command: str) -> Any:
    def answer(_device: object, base_prompt: str = "", current_prompt: str = "", command: str = command) -> str:
        device = cache.get().devices[name]
        if device.slow_s > 0:
            time.sleep(device.slow_s)
        shell = shell_for(device.platform)
        assert shell is not None
        return shell.outputs[command](device)

    return answer


def _nos_plugin(platform: str) -> Any:
    from fakenos.core.nos import Nos

    shell = shell_for(platform)
    assert shell is not None
    prompts = [shell.prompt]
    commands: dict[str, Any] = {
        cmd: {"output": reply or None, "help": "session setting", "prompt": prompts}
        for cmd, reply in shell.session.items()
    }
    commands["exit"] = {"output": True, "help": "leave", "prompt": prompts}
    commands["enable"] = {"output": None, "help": "already privileged", "prompt": prompts}
    commands["_default_"] = {"output": "% Invalid input detected at '^' marker.", "help": "unknown command"}
    return Nos(name=f"golive_{platform}", initial_prompt=shell.prompt, dict_args={"commands": commands})


def build(config: dict[str, Any], cache: WorldCache) -> Any:
    from fakenos import FakeNOS

    hosts: dict[str, Any] = {}
    platforms: set[str] = set()
    for name, spec in config["devices"].items():
        platform = spec["platform"]
        shell = shell_for(platform)
        assert shell is not None
        platforms.add(platform)
        commands = {
            cmd: {"output": _output(cache, name, cmd), "help": "show", "prompt": [shell.prompt]}
            for cmd in shell.outputs
        }
        hosts[name] = {
            "username": spec["username"],
            "password": spec["password"],
            "port": spec["port"],
            "server": {
                "plugin": "ParamikoSshServer",
                "configuration": {"ssh_key_file": spec["key_file"], "address": "127.0.0.1", "timeout": 1},
            },
            "shell": {"plugin": "CMDShell", "configuration": {"base_prompt": spec["hostname"], "intro": ""}},
            "nos": {"plugin": f"golive_{platform}", "configuration": {"commands": commands}},
        }
    net = FakeNOS(inventory={"hosts": hosts})
    for platform in platforms:
        net.nos_plugins[f"golive_{platform}"] = _nos_plugin(platform)
    return net


class FaultWatcher:
    """Applies server-side faults from world.json to the running servers."""

    def __init__(self, net: Any, config: dict[str, Any], cache: WorldCache) -> None:
        import paramiko

        self.net = net
        self.config = config
        self.cache = cache
        self.alt_key = paramiko.RSAKey.from_private_key_file(config["alt_key_file"])
        self.keys = {
            name: paramiko.RSAKey.from_private_key_file(spec["key_file"]) for name, spec in config["devices"].items()
        }
        self.down: set[str] = set()
        self._lock = threading.Lock()

    def apply(self, world: World) -> None:
        with self._lock:
            self._apply(world)

    def _apply(self, world: World) -> None:
        for name, host in self.net.hosts.items():
            device: DeviceWorld = world.devices[name]
            spec = self.config["devices"][name]
            if device.down and name not in self.down:
                self.down.add(name)
                host.stop()
            elif not device.down and name in self.down:
                self.down.discard(name)
                host.start()
            server = host.server
            if server is None:
                continue
            server.password = secrets.token_urlsafe(24) if device.reject_login else spec["password"]
            server._ssh_server_key = self.alt_key if device.host_key_changed else self.keys[name]


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.CRITICAL)
    config = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    parent = os.getppid()
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    cache = WorldCache(Path(config["world"]))
    net = build(config, cache)
    net.start()
    watcher = FaultWatcher(net, config, cache)
    watcher.apply(cache.get())
    print("READY", flush=True)
    stamp = None
    while True:
        time.sleep(POLL_S)
        if os.getppid() != parent:
            os._exit(0)
        try:
            world = cache.get()
        except (OSError, ValueError):
            continue
        if world is not stamp:
            stamp = world
            threading.Thread(target=watcher.apply, args=(world,), daemon=True).start()


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except Exception as exc:  # the parent reads this line instead of READY
        print(f"ERROR {type(exc).__name__}: {exc}", flush=True)
        os._exit(1)
