"""A running lab: simulated devices on 127.0.0.1 for every device in a runbook's inventory.

The lab generates the world from the runbook (so its checks pass), starts the SSH devices in
one FakeNOS child process, the SNMP agents (golive.lab.snmp_agents), and the TCP services, then
writes lab.json (LabInfo, mode 0600) and registers it so `golive check` finds it. A fault is an
edit to world.json: the SSH child and the SNMP relay read it; a watcher here refreshes the
services and the SNMP data when world.json changes, whoever changed it (another terminal too).
Credentials are random per lab and never printed.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from golive.checks.endpoints import DeviceEndpoints, SnmpEndpoint, SshEndpoint
from golive.lab import registry
from golive.lab.endpoints import LabInfo
from golive.lab.faults import apply_fault, clear_faults
from golive.lab.generate import world_for
from golive.lab.jacks import patch, unpatch
from golive.lab.processes import stop_child
from golive.lab.services import Services, reserve_port
from golive.lab.ssh_outputs import shell_for
from golive.lab.world import World, acknowledge, applied
from golive.problems import GoliveError
from golive.runbook.schema import Runbook

SSH_READY_TIMEOUT_S = 60.0
APPLY_TIMEOUT_S = 10.0  # how long a patch waits for the SSH child to serve it
WATCH_INTERVAL_S = 0.2
Progress = Callable[[str], None]


class LabError(GoliveError):
    """The lab could not start (a peer did not come up); the message says which and why."""


LAB_DIR_PREFIX = "golive-lab-"
OWNER_FILE = "owner.pid"  # written first: which process this directory (and its lab credentials) belongs to
_ORPHAN_AGE = 3600.0  # a directory with no owner file (an older golive's) is left alone for an hour


def prune_stale_lab_dirs(root: Path | None = None) -> list[Path]:
    """Remove the temporary directories of labs whose process died without stopping them (a SIGKILL,
    a power cut): they hold the lab's one-time credentials. Only this user's directories; a live
    owner's is never touched."""
    root = Path(tempfile.gettempdir()) if root is None else root
    removed: list[Path] = []
    for path in root.glob(f"{LAB_DIR_PREFIX}*"):
        try:
            info = path.lstat()
            if not path.is_dir() or path.is_symlink() or info.st_uid != os.getuid():
                continue
            owner = path / OWNER_FILE
            if owner.exists():
                if registry.pid_alive(int(owner.read_text(encoding="ascii").strip() or "0")):
                    continue
            elif time.time() - info.st_mtime < _ORPHAN_AGE:
                continue
        except (OSError, ValueError):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


class Lab:
    """Use as a context manager: `with Lab(runbook, sha256) as lab: ...`."""

    def __init__(
        self,
        runbook: Runbook,
        sha256: str = "",
        *,
        directory: Path | None = None,
        register: bool = True,
        progress: Progress | None = None,
        stock_fakenos: bool = False,
    ) -> None:
        self.runbook = runbook
        self.sha256 = sha256
        self._own_dir = directory is None
        if directory is None:
            prune_stale_lab_dirs()
            directory = Path(tempfile.mkdtemp(prefix=LAB_DIR_PREFIX))
            (directory / OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.world_path = self.directory / "world.json"
        self.pristine_path = self.directory / "world.pristine.json"
        self.known_hosts = self.directory / "known_hosts"
        self.info_path = self.directory / "lab.json"
        self.register = register
        self.progress = progress or (lambda _message: None)
        self.stock_fakenos = stock_fakenos  # True: FakeNOS as shipped (golive.lab.fakenos_tune not applied)
        self.world = world_for(runbook)
        self.info: LabInfo | None = None
        self.ssh_process: subprocess.Popen[str] | None = None
        self.timings: dict[str, float] = {}
        self._snmp: object | None = None
        self._services: Services | None = None
        self._watcher: threading.Thread | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()

    # ---- lifecycle
    def __enter__(self) -> Lab:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> LabInfo:
        try:
            return self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> LabInfo:
        self.world.write(self.world_path)
        self.world.write(self.pristine_path)
        devices: dict[str, DeviceEndpoints] = {}
        ssh = self._start_ssh()
        snmp = self._start_snmp()
        for name in self.world.devices:
            devices[name] = DeviceEndpoints(ssh=ssh.get(name), snmp=snmp.get(name))
        services = self._start_services()
        self.info = LabInfo(
            runbook_id=self.runbook.runbook.id,
            runbook_sha256=self.sha256,
            pid=os.getpid(),
            directory=str(self.directory),
            world=str(self.world_path),
            known_hosts=str(self.known_hosts),
            devices=devices,
            services=services,
        )
        self.info.write(self.info_path)
        acknowledge(self.directory, "lab", World.read(self.world_path).generation)
        if self.register:
            registry.register(self.info)
        self._watcher = threading.Thread(target=self._watch, name="lab-watch", daemon=True)
        self._watcher.start()
        return self.info

    def stop(self) -> None:
        """Stop every peer; idempotent. The SSH child is terminated (then killed if it lingers)."""
        self._stop.set()
        if self._watcher is not None and self._watcher is not threading.current_thread():
            self._watcher.join(timeout=2)
        if self._services is not None:
            self._services.stop()
            self._services = None
        if self._snmp is not None:
            self._snmp.stop()  # type: ignore[attr-defined]
            self._snmp = None
        process, self.ssh_process = self.ssh_process, None
        stop_child(process)
        if process is not None and process.stdout is not None:
            process.stdout.close()
        if self.info is not None and self.register:
            registry.unregister(self.info.runbook_id, self.info.pid)
        if self._own_dir:
            shutil.rmtree(self.directory, ignore_errors=True)

    # ---- faults
    def fault(self, device: str, kind: str, port: str | None = None, value: str | float | None = None) -> None:
        """Apply a fault (see golive.lab.faults.KINDS) to the running lab, at once."""
        args = [a for a in (port, None if value is None else str(value)) if a is not None]
        if kind == "slow" and port is not None and value is None:
            args = [port]
        with self._lock:
            world = apply_fault(World.read(self.world_path), device, kind, args)
            world.write(self.world_path)
        self.refresh()

    def patch(self, faults: list[str] | tuple[str, ...] = ()) -> list[str]:
        """Move every port-map endpoint to its new port (golive.lab.jacks.patch faults: swap, forget,
        vlan, nopower), at once; returns which jacks each fault hit."""
        with self._lock:
            world, said = patch(World.read(self.world_path), faults)
            self._publish(world)
        return said

    def unpatch(self) -> None:
        """Every port-map endpoint back on its old port, at once."""
        with self._lock:
            self._publish(unpatch(World.read(self.world_path)))

    def _publish(self, world: World) -> None:
        """Write the next generation of the world and return once every peer serves it."""
        world = world.model_copy(update={"generation": world.generation + 1})
        world.write(self.world_path)
        self.refresh()
        deadline = time.monotonic() + APPLY_TIMEOUT_S
        while applied(self.directory) < world.generation and time.monotonic() < deadline:
            time.sleep(0.02)

    def clear(self, device: str | None = None) -> None:
        with self._lock:
            world = clear_faults(World.read(self.world_path), World.read(self.pristine_path), device)
            world.write(self.world_path)
        self.refresh()

    def refresh(self) -> None:
        """Make the services and SNMP agents follow world.json now (the SSH child reads it itself),
        then say which generation of the world they serve."""
        world = World.read(self.world_path)
        if self._services is not None:
            self._services.refresh(world)
        if self._snmp is not None:
            self._snmp.refresh()  # type: ignore[attr-defined]
        acknowledge(self.directory, "lab", world.generation)

    def _watch(self) -> None:
        stamp = self._stamp()
        while not self._stop.wait(WATCH_INTERVAL_S):
            current = self._stamp()
            if current != stamp:
                stamp = current
                try:
                    self.refresh()
                except (OSError, ValueError):
                    continue

    def _stamp(self) -> tuple[int, int]:
        try:
            stat = self.world_path.stat()
        except OSError:
            return (0, 0)
        return (stat.st_mtime_ns, stat.st_size)

    # ---- SSH
    def ssh_devices(self) -> list[str]:
        return [name for name, dev in self.world.devices.items() if shell_for(dev.platform) is not None]

    def _start_ssh(self) -> dict[str, SshEndpoint]:
        names = self.ssh_devices()
        if not names:
            return {}
        started = time.monotonic()
        self.progress(f"starting {len(names)} SSH device{'s' if len(names) != 1 else ''}...")
        keys_dir = self.directory / "keys"
        keys_dir.mkdir(mode=0o700, exist_ok=True)
        _new_host_key(keys_dir / "changed.pem")
        reserved = {name: reserve_port() for name in names}
        endpoints: dict[str, SshEndpoint] = {}
        config: dict[str, object] = {
            "world": str(self.world_path),
            "alt_key_file": str(keys_dir / "changed.pem"),
            "stock_fakenos": self.stock_fakenos,
            "devices": {},
        }
        known_hosts: list[str] = []
        for name in names:
            dev = self.world.devices[name]
            port = reserved[name].getsockname()[1]
            user = self.runbook.inventory[name].username or "golive"
            endpoint = SshEndpoint(
                port=port, username=user, password=secrets.token_urlsafe(18), secret=secrets.token_urlsafe(18)
            )
            endpoints[name] = endpoint
            key_file = keys_dir / f"{name}.pem"
            _, public = _new_host_key(key_file)
            known_hosts.append(f"[127.0.0.1]:{port} {public}")
            config["devices"][name] = {  # type: ignore[index]
                "platform": dev.platform,
                "hostname": dev.hostname,
                "port": port,
                "username": endpoint.username,
                "password": endpoint.password,
                "key_file": str(key_file),
            }
        _write_private(self.known_hosts, "\n".join(known_hosts) + "\n")
        config_path = self.directory / "ssh.json"
        _write_private(config_path, json.dumps(config))
        try:
            self.ssh_process = subprocess.Popen(
                [sys.executable, "-m", "golive.lab._ssh_child", str(config_path)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                start_new_session=True,
            )
            line = _read_line(self.ssh_process, SSH_READY_TIMEOUT_S)
        finally:
            for sock in reserved.values():
                sock.close()
        if line.strip() != "READY":
            raise LabError(f"the SSH devices did not start: {line.strip() or 'no answer'}")
        self.timings["ssh"] = time.monotonic() - started
        self.progress(f"  SSH ready in {self.timings['ssh']:.1f} s")
        return endpoints

    # ---- SNMP
    def _start_snmp(self) -> dict[str, SnmpEndpoint]:
        versions: dict[str, str] = {
            name: dev.snmp.version for name, dev in self.runbook.inventory.items() if dev.snmp is not None
        }
        if not versions:
            return {}
        from golive.lab.snmp_agents import SnmpAgents, allocate_endpoints

        started = time.monotonic()
        self.progress(f"starting {len(versions)} SNMP agent{'s' if len(versions) != 1 else ''}...")
        protocols: dict[str, tuple[str, str]] = {
            name: (dev.snmp.auth, dev.snmp.priv)
            for name, dev in self.runbook.inventory.items()
            if dev.snmp is not None and dev.snmp.version == "3"
        }
        endpoints = allocate_endpoints(self.world, versions, protocols=protocols)
        agents = SnmpAgents(self.directory, self.world_path, endpoints)
        self._snmp = agents
        agents.start()
        self.timings["snmp"] = time.monotonic() - started
        self.progress(f"  SNMP ready in {self.timings['snmp']:.1f} s")
        return endpoints

    # ---- TCP services
    def _start_services(self) -> dict[str, int]:
        if not self.world.services:
            return {}
        reserved = {key: reserve_port() for key in self.world.services}
        ports = {key: sock.getsockname()[1] for key, sock in reserved.items()}
        services = Services(ports)
        try:
            services.start(self.world)
        finally:
            for sock in reserved.values():
                sock.close()
        self._services = services
        self.progress(f"{len(ports)} TCP service{'s' if len(ports) != 1 else ''} listening")
        return ports


def _new_host_key(path: Path) -> tuple[object, str]:
    """A fresh RSA host key written to `path` (0600); returns (key, "ssh-rsa BASE64")."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    _write_private(path, pem.decode("ascii"))
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    kind, blob = public.decode("ascii").split()[:2]
    base64.b64decode(blob)  # a well-formed key line, or fail here rather than in a client
    return key, f"{kind} {blob}"


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def _read_line(process: subprocess.Popen[str], timeout_s: float) -> str:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout_s)
    if not ready:
        return f"no READY within {timeout_s:.0f} s"
    return process.stdout.readline() or f"exited with code {process.wait()}"


def loopback_refuses(port: int) -> bool:
    """True when nothing accepts on 127.0.0.1:port (used by tests and the CLI's self-check)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) != 0
