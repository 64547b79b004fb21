"""TCP services of a lab (a PACS DICOM port, a web tier): listeners on 127.0.0.1 that accept and close.

A tcp check only asks "does it answer?", so a listener that accepts and closes is the whole
service. `up: false` in the world closes the listener: the port refuses, as a dead service does.
One thread serves every listener with a selector; refresh() follows the world after a fault.
"""

from __future__ import annotations

import selectors
import socket
import threading

from golive.lab.world import World

LOOPBACK = "127.0.0.1"


def reserve_port() -> socket.socket:
    """A bound (not yet listening) TCP socket on a free loopback port, kept until the owner listens.

    Holding the socket keeps the kernel from handing the port to anyone else (a parallel test
    worker, say); SO_REUSEPORT lets the peer that will serve the port bind it beside us.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if hasattr(socket, "SO_REUSEPORT"):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((LOOPBACK, 0))
    return sock


class Services:
    """Listeners for `ports` ("host:port" of the runbook -> local port), following world.services."""

    def __init__(self, ports: dict[str, int]) -> None:
        self.ports = dict(ports)
        self._listeners: dict[str, socket.socket] = {}
        self._selector = selectors.DefaultSelector()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._wake_r, self._wake_w = socket.socketpair()
        self._selector.register(self._wake_r, selectors.EVENT_READ, None)
        self._thread = threading.Thread(target=self._serve, name="lab-services", daemon=True)

    def start(self, world: World) -> None:
        self.refresh(world)
        self._thread.start()

    def refresh(self, world: World) -> None:
        with self._lock:
            for key, port in self.ports.items():
                service = world.services.get(key)
                up = service is not None and service.up
                if up and key not in self._listeners:
                    self._listeners[key] = self._listen(port)
                    self._selector.register(self._listeners[key], selectors.EVENT_READ, key)
                elif not up and key in self._listeners:
                    sock = self._listeners.pop(key)
                    self._selector.unregister(sock)
                    sock.close()
        self._wake_w.send(b"x")

    def is_listening(self, key: str) -> bool:
        with self._lock:
            return key in self._listeners

    @staticmethod
    def _listen(port: int) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if hasattr(socket, "SO_REUSEPORT"):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((LOOPBACK, port))
        sock.listen(64)
        sock.setblocking(False)
        return sock

    def _serve(self) -> None:
        while not self._stop.is_set():
            for key, _events in self._selector.select(timeout=0.5):
                if key.data is None:
                    key.fileobj.recv(64)  # type: ignore[union-attr]
                    continue
                try:
                    conn, _ = key.fileobj.accept()  # type: ignore[union-attr]
                    conn.close()
                except OSError:
                    pass

    def stop(self) -> None:
        self._stop.set()
        self._wake_w.send(b"x")
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        with self._lock:
            for sock in self._listeners.values():
                sock.close()
            self._listeners.clear()
        self._selector.close()
        self._wake_r.close()
        self._wake_w.close()
