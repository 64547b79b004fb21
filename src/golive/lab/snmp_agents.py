"""The lab's SNMP agents: one snmpsim child process serving every simulated device on 127.0.0.1.

Why this shape (measured on the project's 2-core machine, snmpsim 1.2.2):
- One snmpsim process and one SNMP engine hold every device's data file; a request picks its
  device by v2c community or v3 context name, both equal to the data file's name. One engine per
  device (`--v3-engine-id` blocks) took 26 s to start for 50 devices; one engine takes ~1 s.
- snmpsim indexes each data file with `dbm.dumb` at start, ~0.18 s per 1,000-line device (9 s for
  50). We write that index ourselves, in the format snmpsim reads, in milliseconds; if it ever
  did not match, snmpsim would rebuild it (it checks format and mtime), so it costs only speed.
- Each device still gets its own UDP port: a small relay in this process (a thread) forwards a
  device's port to snmpsim. The relay is where the world's faults live, because snmpsim has no
  per-device switch for them: `down` drops the device's requests (a GET times out), `slow_s`
  holds its answers back without blocking other devices (snmpsim's `delay` variation sleeps in
  its only thread, stalling every device), `reject_login` drops them too. It also makes each
  port behave like its device: only its own community for v2c, only SNMPv3 for a v3 device.
- v3: all lab users live in the one engine (`--v3-user` with SHA*/AES* keys, passed in an args
  file of mode 0600, never on the command line, and snmpsim logs at error level so keys are
  never logged). A v3 request must carry the device's context name (SnmpEndpoint.context);
  without it snmpsim finds no data and drops the request. Any lab v3 user can read any v3
  device's context: the relay cannot see inside encrypted PDUs. The lab is not a security test.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import secrets
import selectors
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from pyasn1.codec.ber import decoder, encoder  # type: ignore[import-untyped]
from pysnmp.proto import api

from golive.checks.endpoints import SnmpEndpoint
from golive.lab import snmprec
from golive.lab.processes import stop_child
from golive.lab.world import DeviceWorld, World

LOOPBACK = "127.0.0.1"
AUTH_PROTOCOLS = {
    "md5": "MD5",
    "sha": "SHA",
    "sha224": "SHA224",
    "sha256": "SHA256",
    "sha384": "SHA384",
    "sha512": "SHA512",
}
PRIV_PROTOCOLS = {"des": "DES", "aes": "AES", "aes192": "AES192", "aes256": "AES256"}
DATA_NAME = re.compile(r"[a-z0-9]{1,32}")  # community / context: a file name snmpsim keeps as is
READY_TIMEOUT_S = 30.0
PROBE_TIMEOUT_S = 0.2
UPSTREAM_IDLE_S = 120.0
MAX_DATAGRAM = 65535

# The child: snmpsim's own responder, plus a watchdog that ends it if this process dies.
CHILD_BOOTSTRAP = """\
import os, runpy, sys, threading, time
parent = int(sys.argv.pop(1))
def watch():
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)
threading.Thread(target=watch, daemon=True).start()
runpy.run_module("snmpsim.commands.responder", run_name="__main__", alter_sys=True)
"""


class SnmpLabError(RuntimeError):
    """The SNMP agents could not be started or a device never answered."""


def allocate_endpoints(
    world: World,
    versions: dict[str, str],
    *,
    protocols: dict[str, tuple[str, str]] | None = None,
) -> dict[str, SnmpEndpoint]:
    """An SnmpEndpoint for each device in `versions` ("2c" or "3"): a free port and random
    lab-only credentials. `protocols` gives a v3 device's (auth, priv) in the runbook's
    spelling (sha, sha256, ... / aes, aes256, ...); SHA/AES when absent."""
    chosen = protocols or {}
    endpoints: dict[str, SnmpEndpoint] = {}
    ports = _free_udp_ports(len(versions))
    for (name, version), port in zip(sorted(versions.items()), ports, strict=True):
        if name not in world.devices:
            raise ValueError(f"SNMP device {name!r} is not in the lab world")
        data_name = "lab" + secrets.token_hex(8)
        if version == "2c":
            endpoints[name] = SnmpEndpoint(port=port, version="2c", community=data_name)
        elif version == "3":
            auth, priv = chosen.get(name, ("sha", "aes"))
            if auth not in AUTH_PROTOCOLS or priv not in PRIV_PROTOCOLS:
                raise ValueError(f"SNMP device {name!r}: unsupported protocols {auth}/{priv}")
            endpoints[name] = SnmpEndpoint(
                port=port,
                version="3",
                user="golive" + secrets.token_hex(4),
                auth=auth,
                auth_key=secrets.token_hex(16),
                priv=priv,
                priv_key=secrets.token_hex(16),
                context=data_name,
            )
        else:
            raise ValueError(f"SNMP device {name!r}: version must be '2c' or '3', not {version!r}")
    return endpoints


class SnmpAgents:
    """snmpsim serving `endpoints` (device name -> SnmpEndpoint) from the world at `world_path`.

    `directory` holds the data files, snmpsim's index cache, its args file and its log
    (snmp/ inside it). Use as a context manager, or call start() and stop().
    """

    def __init__(
        self,
        directory: Path,
        world_path: Path,
        endpoints: dict[str, SnmpEndpoint],
        *,
        ready_timeout_s: float = READY_TIMEOUT_S,
    ) -> None:
        self.directory = directory / "snmp"
        self.world_path = world_path
        self.endpoints = dict(endpoints)
        self.ready_timeout_s = ready_timeout_s
        self.startup_s = 0.0  # wall time of the last start(), for the lab's report
        self._epoch = 0.0  # the moment every device's sysUpTime equals the world's uptime_s
        self._rendered: dict[str, str] = {}
        self._mtimes: dict[str, int] = {}
        self._process: subprocess.Popen[bytes] | None = None
        self._upstream_port = 0
        self._relay: _Relay | None = None
        for name, endpoint in self.endpoints.items():
            _data_name(name, endpoint)  # fail early on an endpoint snmpsim cannot serve

    @property
    def data_dir(self) -> Path:
        return self.directory / "data"

    @property
    def log_path(self) -> Path:
        return self.directory / "snmpsim.log"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        """Render every device, start snmpsim and the relay, and wait until each device answers."""
        if self._process is not None:
            raise SnmpLabError("SNMP agents already started")
        started = time.monotonic()
        self._epoch = time.time()
        world = World.read(self.world_path)
        self._write_all(world, build_index=True)
        try:
            self._spawn()
            self._wait_until_answering(world)
            self._relay = _Relay(self._upstream_port)
            self._relay.start(
                {name: endpoint.port for name, endpoint in self.endpoints.items()},
                self._rules(world),
            )
        except BaseException:
            self.stop()
            raise
        self.startup_s = time.monotonic() - started

    def refresh(self) -> None:
        """Re-read the world after a fault: rewrite the data files that changed, apply
        down / slow_s / reject_login at once. snmpsim re-reads a changed file on its next request."""
        if self._process is None or self._relay is None:
            raise SnmpLabError("SNMP agents are not running")
        # the lab's watcher thread and a fault() call can refresh at the same moment
        with _REFRESH_LOCK:
            world = World.read(self.world_path)
            self._write_all(world, build_index=False)
            self._relay.set_rules(self._rules(world))

    def stop(self) -> None:
        """Stop the relay and the snmpsim child; idempotent."""
        if self._relay is not None:
            self._relay.stop()
            self._relay = None
        process, self._process = self._process, None
        stop_child(process)

    def __enter__(self) -> SnmpAgents:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- data files ----------------------------------------------------------------------------

    def _write_all(self, world: World, *, build_index: bool) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.directory / "cache").mkdir(exist_ok=True)
        for name, endpoint in self.endpoints.items():
            device = _device(world, name)
            text = snmprec.render(device, now=self._epoch)
            if self._rendered.get(name) == text:
                continue
            path = self.data_dir / f"{_data_name(name, endpoint)}.snmprec"
            # snmpsim notices a change by mtime in whole seconds, and rebuilds its index only
            # when the text is not older than the index: always move forward, past "now".
            mtime = max(self._mtimes.get(name, 0) + 1, int(time.time()) + 1)
            _write_atomically(path, text.encode("utf-8"), mtime)
            if build_index:
                _write_snmpsim_index(path, self.directory / "cache", text.encode("utf-8"), mtime + 1)
            self._rendered[name] = text
            self._mtimes[name] = mtime

    def _rules(self, world: World) -> dict[str, _Rule]:
        rules: dict[str, _Rule] = {}
        for name, endpoint in self.endpoints.items():
            device = _device(world, name)
            rules[name] = _Rule(
                down=device.down,
                slow_s=max(device.slow_s, 0.0),
                reject=device.reject_login,
                version=endpoint.version,
                community=endpoint.community.encode("utf-8"),
            )
        return rules

    # -- the child -----------------------------------------------------------------------------

    def _spawn(self) -> None:
        cache = self.directory / "cache"
        cache.mkdir(parents=True, exist_ok=True)
        args_file = self.directory / "snmpsim.args"
        last_error = ""
        for _attempt in range(3):  # a free port can be taken between our probe and snmpsim's bind
            self._upstream_port = _free_udp_ports(1)[0]
            _write_private(args_file, self._snmp_args())
            command = [
                sys.executable,
                "-c",
                CHILD_BOOTSTRAP,
                str(os.getpid()),
                f"--data-dir={self.data_dir.resolve()}",
                f"--cache-dir={cache.resolve()}",
                f"--agent-udpv4-endpoint={LOOPBACK}:{self._upstream_port}",
                f"--args-from-file={args_file.resolve()}",
                f"--variation-modules-dir={self._variation_dir().resolve()}",
                "--log-level=error",
            ]
            environment = {**os.environ, "SNMPSIM_ALLOW_ROOT": "true"}
            with self.log_path.open("ab") as log:
                self._process = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                    env=environment,
                    start_new_session=True,  # a Ctrl-C in the terminal is for the lab, not for it
                )
            if self._first_answer_or_exit():
                return
            last_error = self._log_tail()
        raise SnmpLabError(f"snmpsim did not start: {last_error}")

    def _variation_dir(self) -> Path:
        """Only the `numeric` variation (sysUpTime): loading all of snmpsim's takes 0.5 s and
        logs errors for the redis and sql ones, which need servers."""
        spec = importlib.util.find_spec("snmpsim")
        if spec is None or not spec.submodule_search_locations:
            raise SnmpLabError("snmpsim is not installed")
        package = Path(next(iter(spec.submodule_search_locations)))
        variation = self.directory / "variation"
        variation.mkdir(exist_ok=True)
        shutil.copyfile(package / "variation" / "numeric.py", variation / "numeric.py")
        return variation

    def _snmp_args(self) -> str:
        lines: list[str] = []
        for endpoint in self.endpoints.values():
            if endpoint.version != "3":
                continue
            lines += [
                f"--v3-user={endpoint.user}",
                f"--v3-auth-key={endpoint.auth_key}",
                f"--v3-auth-proto={AUTH_PROTOCOLS[endpoint.auth]}",
                f"--v3-priv-key={endpoint.priv_key}",
                f"--v3-priv-proto={PRIV_PROTOCOLS[endpoint.priv]}",
            ]
        return "\n".join(lines) + "\n"

    def _first_answer_or_exit(self) -> bool:
        """True once snmpsim answers any device; False if the child exited first."""
        name, endpoint = next(iter(self.endpoints.items()), ("", None))
        deadline = time.monotonic() + self.ready_timeout_s
        while time.monotonic() < deadline:
            if self._process is None or self._process.poll() is not None:
                return False
            if endpoint is None or _probe(self._upstream_port, _data_name(name, endpoint)) is not None:
                return True
        return True  # alive but silent: _wait_until_answering names the device

    def _wait_until_answering(self, world: World) -> None:
        deadline = time.monotonic() + self.ready_timeout_s
        for name, endpoint in self.endpoints.items():
            expected = _device(world, name).hostname
            while True:
                answer = _probe(self._upstream_port, _data_name(name, endpoint))
                if answer == expected:
                    break
                if self._process is None or self._process.poll() is not None:
                    raise SnmpLabError(f"snmpsim exited before device {name} answered: {self._log_tail()}")
                if time.monotonic() > deadline:
                    seen = "no answer" if answer is None else f"sysName {answer!r}"
                    raise SnmpLabError(
                        f"SNMP agent for device {name} did not answer within "
                        f"{self.ready_timeout_s:.0f} s ({seen}); see {self.log_path}"
                    )

    def _log_tail(self) -> str:
        try:
            lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return "no log"
        return " | ".join(line.strip() for line in lines[-3:]) or "no log"


# -- the relay: a device's own port, its faults, in front of the shared snmpsim ---------------


@dataclass(frozen=True)
class _Rule:
    down: bool
    slow_s: float
    reject: bool
    version: str
    community: bytes

    def admits(self, datagram: bytes) -> bool:
        """Would this device's agent take the request? (version and v2c community)"""
        if self.down or self.reject:
            return False
        try:
            version = int(api.decodeMessageVersion(datagram))
            if self.version == "3":
                return version == 3
            if version not in (api.SNMP_VERSION_1, api.SNMP_VERSION_2C):
                return False
            module = api.PROTOCOL_MODULES[version]
            message, _ = decoder.decode(datagram, asn1Spec=module.Message())
            return bytes(module.apiMessage.get_community(message)) == self.community
        except Exception:  # anything undecodable is dropped, as an agent would
            return False


@dataclass
class _Upstream:
    sock: socket.socket
    device: str
    client: tuple[str, int]
    used: float = field(default_factory=time.monotonic)


class _Relay:
    """One thread, one selector: device ports in front, a socket per (device, client) behind."""

    def __init__(self, upstream_port: int) -> None:
        self._upstream_port = upstream_port
        self._selector = selectors.DefaultSelector()
        self._fronts: dict[str, socket.socket] = {}
        self._upstreams: dict[tuple[str, tuple[str, int]], _Upstream] = {}
        self._rules: dict[str, _Rule] = {}
        self._delayed: list[tuple[float, str, tuple[str, int], bytes]] = []
        self._lock = threading.Lock()
        self._wake_read, self._wake_write = socket.socketpair()
        self._stopping = False
        self._thread: threading.Thread | None = None

    def start(self, ports: dict[str, int], rules: dict[str, _Rule]) -> None:
        self._rules = rules
        try:
            for name, port in ports.items():
                front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                self._fronts[name] = front
                try:
                    front.bind((LOOPBACK, port))
                except OSError as exc:
                    raise SnmpLabError(f"SNMP port {port} for device {name} is taken: {exc}") from exc
                front.setblocking(False)
                self._selector.register(front, selectors.EVENT_READ, self._request_handler(name))
        except BaseException:
            self._close_all()
            raise
        self._wake_read.setblocking(False)
        self._selector.register(self._wake_read, selectors.EVENT_READ, None)
        self._thread = threading.Thread(target=self._run, name="golive-snmp-relay", daemon=True)
        self._thread.start()

    def set_rules(self, rules: dict[str, _Rule]) -> None:
        self._rules = rules  # one reference swap: the relay thread sees old or new, never half

    def stop(self) -> None:
        self._stopping = True
        self._wake_write.send(b"x")
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._close_all()

    def _run(self) -> None:
        last_sweep = time.monotonic()
        while not self._stopping:
            timeout = self._next_delay()
            for key, _events in self._selector.select(timeout):
                if key.data is None:
                    self._wake_read.recv(64)
                else:
                    key.data()
            self._send_due()
            if time.monotonic() - last_sweep > UPSTREAM_IDLE_S / 4:
                self._sweep()
                last_sweep = time.monotonic()

    def _request_handler(self, device: str) -> Callable[[], None]:
        def on_request() -> None:
            front = self._fronts[device]
            while True:
                try:
                    datagram, client = front.recvfrom(MAX_DATAGRAM)
                except (BlockingIOError, InterruptedError):
                    return
                except OSError:
                    return
                rule = self._rules.get(device)
                if rule is None or not rule.admits(datagram):
                    continue
                upstream = self._upstream(device, client)
                upstream.used = time.monotonic()
                try:
                    upstream.sock.send(datagram)
                except OSError:
                    continue

        return on_request

    def _upstream(self, device: str, client: tuple[str, int]) -> _Upstream:
        key = (device, client)
        upstream = self._upstreams.get(key)
        if upstream is None:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind((LOOPBACK, 0))
            sock.connect((LOOPBACK, self._upstream_port))
            sock.setblocking(False)
            upstream = _Upstream(sock, device, client)
            self._upstreams[key] = upstream
            self._selector.register(sock, selectors.EVENT_READ, self._response_handler(upstream))
        return upstream

    def _response_handler(self, upstream: _Upstream) -> Callable[[], None]:
        def on_response() -> None:
            while True:
                try:
                    datagram = upstream.sock.recv(MAX_DATAGRAM)
                except (BlockingIOError, InterruptedError):
                    return
                except OSError:
                    return
                upstream.used = time.monotonic()
                rule = self._rules.get(upstream.device)
                if rule is None or rule.down:
                    continue
                if rule.slow_s > 0:
                    due = time.monotonic() + rule.slow_s
                    self._delayed.append((due, upstream.device, upstream.client, datagram))
                else:
                    self._reply(upstream.device, upstream.client, datagram)

        return on_response

    def _reply(self, device: str, client: tuple[str, int], datagram: bytes) -> None:
        front = self._fronts.get(device)
        if front is None:
            return
        with contextlib.suppress(OSError):
            front.sendto(datagram, client)

    def _next_delay(self) -> float | None:
        if not self._delayed:
            return UPSTREAM_IDLE_S / 4
        return max(0.0, min(due for due, *_ in self._delayed) - time.monotonic())

    def _send_due(self) -> None:
        now = time.monotonic()
        due = [item for item in self._delayed if item[0] <= now]
        if due:
            self._delayed = [item for item in self._delayed if item[0] > now]
            for _when, device, client, datagram in sorted(due, key=lambda item: item[0]):
                self._reply(device, client, datagram)

    def _sweep(self) -> None:
        idle = time.monotonic() - UPSTREAM_IDLE_S
        for key, upstream in list(self._upstreams.items()):
            if upstream.used < idle:
                self._selector.unregister(upstream.sock)
                upstream.sock.close()
                del self._upstreams[key]

    def _close_all(self) -> None:
        for sock in [*self._fronts.values(), *(u.sock for u in self._upstreams.values())]:
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(sock)
            sock.close()
        self._fronts.clear()
        self._upstreams.clear()
        self._selector.close()
        self._wake_read.close()
        self._wake_write.close()


# -- helpers -----------------------------------------------------------------------------------


def _data_name(device: str, endpoint: SnmpEndpoint) -> str:
    name = endpoint.community if endpoint.version == "2c" else endpoint.context
    if not DATA_NAME.fullmatch(name):
        raise ValueError(
            f"SNMP device {device}: the {'community' if endpoint.version == '2c' else 'context'} "
            "must be 1-32 lowercase letters and digits (it names snmpsim's data file)"
        )
    if endpoint.host != LOOPBACK:
        raise ValueError(f"SNMP device {device}: the lab listens on {LOOPBACK} only")
    if endpoint.version == "3" and (endpoint.auth not in AUTH_PROTOCOLS or endpoint.priv not in PRIV_PROTOCOLS):
        raise ValueError(f"SNMP device {device}: unsupported protocols {endpoint.auth}/{endpoint.priv}")
    return name


def _device(world: World, name: str) -> DeviceWorld:
    try:
        return world.devices[name]
    except KeyError:
        raise SnmpLabError(f"SNMP device {name} is not in the lab world") from None


def _free_udp_ports(count: int) -> list[int]:
    """Ports the kernel hands out as free right now (all held at once, so all distinct)."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind((LOOPBACK, 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _probe(port: int, community: str) -> str | None:
    """A real SNMPv2c GET of sysName straight to snmpsim; its value, or None on no answer."""
    module: Any = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]
    pdu = module.GetRequestPDU()
    module.apiPDU.set_defaults(pdu)
    module.apiPDU.set_varbinds(pdu, [(module.ObjectIdentifier(snmprec.SYS_NAME), module.Null(""))])
    message = module.Message()
    module.apiMessage.set_defaults(message)
    module.apiMessage.set_community(message, community)
    module.apiMessage.set_pdu(message, pdu)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(PROBE_TIMEOUT_S)
        try:
            sock.sendto(encoder.encode(message), (LOOPBACK, port))
            datagram = sock.recv(MAX_DATAGRAM)
        except OSError:
            return None
    try:
        answer, _ = decoder.decode(datagram, asn1Spec=module.Message())
        varbinds = module.apiPDU.get_varbinds(module.apiMessage.get_pdu(answer))
        return str(varbinds[0][1])
    except Exception:  # an unreadable answer is no answer
        return None


_REFRESH_LOCK = threading.RLock()


def _write_atomically(path: Path, data: bytes, mtime: int) -> None:
    """Readers see the old file or the new one, never half (no fsync: lab data is regenerated)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.utime(temporary, (mtime, mtime))
    os.replace(temporary, path)


def _write_private(path: Path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def _write_snmpsim_index(text_path: Path, cache_dir: Path, text: bytes, mtime: int) -> None:
    """snmpsim's record index for `text` (what its RecordIndex.create writes through dbm.dumb:
    OID -> "offset,subtree,prev_offset", plus "last"), written in one go, newer than the text."""
    entries: list[tuple[str, str]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        oid = line.split(b"|", 1)[0].decode("ascii")
        entries.append((oid, f"{offset},0,-1"))
        offset += len(line)
    entries.append(("last", f"{offset},0,-1"))
    full_path = str(text_path.resolve())
    stem = full_path[: full_path.rindex(os.path.extsep)] + os.path.extsep + "dbm"
    base = cache_dir / os.path.splitdrive(stem)[1].replace(os.path.sep, "_")
    block = 512  # dbm.dumb puts each value at a 512-byte boundary
    data = bytearray()
    directory_lines: list[str] = []
    for key, value in entries:
        encoded = value.encode("ascii")
        position = len(data)
        data += encoded.ljust(block, b"\0")
        directory_lines.append(f"{key!r}, {(position, len(encoded))!r}\n")
    _write_atomically(base.with_name(base.name + ".dat"), bytes(data), mtime)
    _write_atomically(base.with_name(base.name + ".dir"), "".join(directory_lines).encode("latin-1"), mtime)
