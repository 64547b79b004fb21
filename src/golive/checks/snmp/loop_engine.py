"""One pysnmp SnmpEngine per event loop, kept across runs, for SNMPv2c and SNMPv3 alike.

Why: building an SnmpEngine loads and executes pysnmp's MIB modules, and each agent it talks to
becomes a row of its local configuration (the hlapi caches those rows per engine), so a screen
that re-runs its checks must not build a new one each time. An engine belongs to the event loop
it first ran on: a keeper task closes its dispatcher when that loop shuts down (asyncio.run
cancels the task), and a run on another loop gets an engine of its own.

golive sends numeric OIDs only. pysnmp builds pysmi's MIB compiler (a parser setup dearer than a
whole batch) the first time it resolves any OID, whenever pysmi is importable (snmpsim, the lab's
agent, brings it); a stand-in set through the engine's MIB builder tells pysnmp a compiler is
there, so none is ever built. Each hlapi ObjectType is made once per engine: hlapi resolves every ObjectType it is
handed against its MIB view, and returns one it already resolved as it is.
"""

from __future__ import annotations

import asyncio
import socket
import tempfile
from typing import Any

OBJECT_TYPES_KEPT = 4096  # made ObjectTypes kept per engine (column OIDs and walk cursors)
RECEIVE_BUFFER = 4 * 1024 * 1024  # asked of the kernel for the engine's UDP socket (it caps it at rmem_max)


class _NoMibCompiler:
    """Stands in for pysmi's MIB compiler: golive never compiles a MIB."""

    def __bool__(self) -> bool:
        return True


class LoopEngine:
    """The SnmpEngine of the running event loop, and the ObjectTypes made for it."""

    def __init__(self) -> None:
        self._held: tuple[Any, asyncio.AbstractEventLoop, asyncio.Task[None]] | None = None
        self._objects: dict[str, Any] = {}

    @property
    def current(self) -> Any | None:
        """The engine held now (None before the first run and after close)."""
        return self._held[0] if self._held is not None else None

    def engine(self) -> Any:
        """The engine of the running loop, made on first use there."""
        from pysnmp.hlapi.v3arch.asyncio import SnmpEngine

        loop = asyncio.get_running_loop()
        if self._held is not None and self._held[1] is not loop:
            self.close()
        if self._held is None:
            engine = SnmpEngine()
            _udp_transport(engine)
            builder = engine.get_mib_builder()
            if not builder.get_mib_compiler():
                builder.set_mib_compiler(_NoMibCompiler(), tempfile.gettempdir())
            keeper = loop.create_task(_close_with_loop(engine), name="golive-pysnmp-engine")
            self._held = (engine, loop, keeper)
            self._objects = {}
        return self._held[0]

    def object_types(self, oids: list[str]) -> list[Any]:
        """hlapi ObjectTypes for numeric `oids`, each made once for the current engine."""
        from pysnmp.hlapi.v3arch.asyncio import ObjectIdentity, ObjectType

        made = self._objects
        if len(made) > OBJECT_TYPES_KEPT:
            made.clear()
        for oid in oids:
            if oid not in made:
                made[oid] = ObjectType(ObjectIdentity(oid))
        return [made[oid] for oid in oids]

    def close(self) -> None:
        """Let go of the engine; its dispatcher closes on its own loop (now, or when that loop runs again)."""
        if self._held is None:
            return
        _engine, loop, keeper = self._held
        self._held = None
        self._objects = {}
        if loop is _running_loop():
            keeper.cancel()
        elif not loop.is_closed():
            loop.call_soon_threadsafe(keeper.cancel)


def _udp_transport(engine: Any) -> None:
    """The engine's IPv4 socket, with a receive buffer for a batch's answers arriving at once.

    Every agent answers to this one socket, and pysnmp decodes one answer at a time: fifty
    switches answering a GETBULK of a few hundred varbinds within a few milliseconds overflow a
    default buffer, and each answer dropped costs its device a try (half its timeout). pysnmp opens
    the socket it is given (open_server_mode(sock=...)) as it would open its own."""
    from pysnmp.carrier.asyncio.dgram import udp
    from pysnmp.entity import config

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
    config.add_transport(engine, udp.DOMAIN_NAME, udp.UdpAsyncioTransport().open_server_mode(sock=sock))


async def _close_with_loop(engine: Any) -> None:
    try:
        await asyncio.get_running_loop().create_future()  # until cancelled: by close() or the loop's end
    finally:
        engine.close_dispatcher()


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
