"""A UDP proxy on 127.0.0.1 that holds every answer of a real agent back by a fixed delay.

A slow agent (a loaded switch CPU, a long WAN link) answers, only late: each request is forwarded
at once from a socket of the proxy's own per client, and each answer is sent back `delay_s` later,
without holding the others up. Requests and answers are passed on byte for byte.
"""

from __future__ import annotations

import selectors
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

LOOPBACK = "127.0.0.1"


class DelayProxy:
    def __init__(self, upstream_port: int, delay_s: float) -> None:
        self.delay_s = delay_s
        self._upstream = (LOOPBACK, upstream_port)
        self._front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._front.bind((LOOPBACK, 0))
        self.port = int(self._front.getsockname()[1])
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._front, selectors.EVENT_READ, None)
        self._behind: dict[tuple[str, int], socket.socket] = {}  # client -> the socket that speaks for it
        self._due: list[tuple[float, tuple[str, int], bytes]] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="delay-proxy", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopping.is_set():
            wait = min([0.05, *(due - time.monotonic() for due, _client, _data in self._due)])
            for key, _events in self._selector.select(max(wait, 0.0)):
                if key.data is None:
                    data, client = self._front.recvfrom(65535)
                    self._speaker(client).send(data)
                else:
                    data = key.fileobj.recv(65535)  # type: ignore[union-attr]
                    self._due.append((time.monotonic() + self.delay_s, key.data, data))
            now = time.monotonic()
            for entry in [entry for entry in self._due if entry[0] <= now]:
                self._due.remove(entry)
                self._front.sendto(entry[2], entry[1])

    def _speaker(self, client: tuple[str, int]) -> socket.socket:
        if client not in self._behind:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind((LOOPBACK, 0))
            sock.connect(self._upstream)
            self._selector.register(sock, selectors.EVENT_READ, client)
            self._behind[client] = sock
        return self._behind[client]

    def close(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
        for sock in [self._front, *self._behind.values()]:
            sock.close()
        self._selector.close()


@contextmanager
def delayed(upstream_port: int, delay_s: float) -> Iterator[DelayProxy]:
    """A proxy in front of the agent at 127.0.0.1:`upstream_port`, closed afterwards."""
    proxy = DelayProxy(upstream_port, delay_s)
    try:
        yield proxy
    finally:
        proxy.close()
