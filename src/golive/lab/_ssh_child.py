"""The child process that runs every simulated SSH device of a lab (FakeNOS), then waits.

Why a child process: after a failed login, a non-daemon paramiko thread blocks in accept() and
a Python process that ran FakeNOS never exits; killing a child is instant and always works.
All devices share one process and one NOS object per platform (50 devices start in about 2 s).

Each show command is answered by a callable that re-reads world.json (cached by mtime), so a
fault applied while a session is open shows in its next command (garbage answers, a session
dropped after its first answer). A watcher applies the faults that live in the server rather than
in an output: unreachable (the listener closes), no banner (a silent listener takes the port), bad
credentials (the accepted password changes), a changed host key, an old switch's SSH (only SHA-1 key
exchange and ssh-rsa host keys), and it exits when the parent dies.

A device of the config may carry `captures` (command -> text): real devices' outputs, served
verbatim instead of the world's rendering (the corpus tests: golive's checks on captured data).

Usage: python -m golive.lab._ssh_child CONFIG.json   (prints READY once every device listens)
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

from golive.lab import fakenos_tune
from golive.lab.ssh_outputs import shell_for
from golive.lab.world import DeviceWorld, World, acknowledge

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


# What a device with the `garbage` fault answers to every show command: no template's rows, and
# ntc-templates' catch-all Error rules reject it (a parser must not read it as "no ports").
GARBAGE = (
    "\x1b[2J#### fwd-table walk aborted (0x7f3a: slot 1 not ready) ####\n"
    "7f3a 0000 0040 a1c3 dead beef 0000 0001\n"
    "retrying in 5 ... 4 ... 3 ...\n"
)

# Show commands answered so far by each session (a session is one FakeNOS shell thread): the
# `dies` fault drops a session once it has had its first answer.
_answered = threading.local()


def _output(cache: WorldCache, name: str, command: str) -> Any:
    def answer(_device: object, base_prompt: str = "", current_prompt: str = "", command: str = command) -> str | bool:
        device = cache.get().devices[name]
        if device.slow_s > 0:
            time.sleep(device.slow_s)
        count = getattr(_answered, "count", 0)
        _answered.count = count + 1
        if device.dies and count >= 1:
            return True  # FakeNOS's "exit": the shell ends and the server closes the SSH connection
        if device.garbage:
            return GARBAGE
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
        for cmd, text in spec.get("captures", {}).items():  # a real device's answer, served verbatim
            commands[cmd] = {"output": text, "help": "show", "prompt": [shell.prompt]}
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


class SilentListener:
    """The `no-banner` fault: a TCP listener on a device's port that accepts and never says a word."""

    def __init__(self, port: int) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen()
        self.sock.settimeout(POLL_S)
        self.accepted: list[socket.socket] = []
        self.running = True
        self.thread = threading.Thread(target=self._accept, name=f"silent-{port}", daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                client, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted.append(client)  # held open, unread, until the fault is cleared

    def close(self) -> None:
        """Release the port before FakeNOS listens on it again: a socket closed while another thread
        waits in accept() keeps listening until that accept returns, so wake it and wait for it."""
        self.running = False
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.thread.join(timeout=2)
        for sock in [self.sock, *self.accepted]:
            with contextlib.suppress(OSError):
                sock.close()


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
        self.silent: dict[str, SilentListener] = {}
        self._lock = threading.Lock()

    def apply(self, world: World) -> None:
        with self._lock:
            self._apply(world)

    def _apply(self, world: World) -> None:
        for name, host in self.net.hosts.items():
            device: DeviceWorld = world.devices[name]
            spec = self.config["devices"][name]
            off = device.down or device.no_banner  # FakeNOS does not listen: nothing, or a silent listener
            if off and name not in self.down:
                self.down.add(name)
                host.stop()
            silent = self.silent.pop(name, None)
            if silent is not None and not device.no_banner:
                silent.close()
            elif silent is not None:
                self.silent[name] = silent
            if device.no_banner and name not in self.silent:
                self.silent[name] = SilentListener(spec["port"])
            if not off and name in self.down:
                self.down.discard(name)
                host.start()
            server = host.server
            if server is None:
                continue
            if device.old_ssh:
                fakenos_tune.old_ssh_ports.add(spec["port"])
            else:
                fakenos_tune.old_ssh_ports.discard(spec["port"])
            server.password = secrets.token_urlsafe(24) if device.reject_login else spec["password"]
            server._ssh_server_key = self.alt_key if device.host_key_changed else self.keys[name]


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.CRITICAL)
    config = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    parent = os.getppid()
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    cache = WorldCache(Path(config["world"]))
    if not config.get("stock_fakenos"):
        fakenos_tune.apply()
    fakenos_tune.offer_old_ssh_only()
    net = build(config, cache)
    net.start()
    watcher = FaultWatcher(net, config, cache)
    _apply_and_acknowledge(watcher, cache.get(), cache.path)
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
            threading.Thread(target=_apply_and_acknowledge, args=(watcher, world, cache.path), daemon=True).start()


_ACK_LOCK = threading.Lock()


def _apply_and_acknowledge(watcher: FaultWatcher, world: World, path: Path) -> None:
    with _ACK_LOCK:  # one world at a time, so an older generation is never acknowledged after a newer one
        watcher.apply(world)
        acknowledge(path.parent, "ssh", world.generation)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except Exception as exc:  # the parent reads this line instead of READY
        print(f"ERROR {type(exc).__name__}: {exc}", flush=True)
        os._exit(1)
