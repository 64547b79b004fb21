"""A read-only SNMP client for one device over pysnmp 7: GETs and column walks, with deliberate timeouts.

pysnmp is golive's only SNMP stack: v2c (`CommunityData(..., mpModel=1)`) and v3 (USM) go through
the same hlapi calls on the same SnmpEngine (golive.checks.snmp.loop_engine), GET and GETBULK
only, numeric OIDs, `lookupMib=False` (answers are read by number). pysnmp returns errors as
values; here they become SnmpError with a plain reason. A timeout is reported as such, with the
reminder that a wrong community or v3 key looks exactly the same on the wire.

Walks fetch several columns of one table in each GETBULK, so one walk per table per device serves
every check that needs it. pysnmp's own `bulk_walk_cmd` follows one OID per walk, so the walk
here drives `bulk_cmd` itself: every column still walking rides in the next request.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pyasn1.type import univ  # type: ignore[import-untyped]
from pysnmp.proto import rfc1902, rfc1905

from golive.checks.snmp.loop_engine import LoopEngine

# pysnmp's hlapi (its engine, USM, MIB instrumentation) is slow to import: it is imported when
# a client is made (the engine warms it in a thread when a batch has SNMP checks)

AUTH = {
    "sha": "usmHMACSHAAuthProtocol", "sha224": "usmHMAC128SHA224AuthProtocol",
    "sha256": "usmHMAC192SHA256AuthProtocol", "sha384": "usmHMAC256SHA384AuthProtocol",
    "sha512": "usmHMAC384SHA512AuthProtocol", "md5": "usmHMACMD5AuthProtocol",
}  # fmt: skip
PRIV = {
    "aes": "usmAesCfb128Protocol", "aes192": "usmAesCfb192Protocol", "aes256": "usmAesCfb256Protocol",
    "des": "usmDESPrivProtocol",
}  # fmt: skip

GET_CHUNK = 40  # varbinds per GET: an answer must fit the agent's message size, or it is tooBig


class Missing(enum.Enum):
    """What an agent answered instead of a value (noSuchObject, noSuchInstance, endOfMibView)."""

    MISSING = 0


Varbinds = list[tuple[tuple[int, ...], Any]]  # (OID, plain value or Missing.MISSING)


class SnmpError(Exception):
    """The agent could not be asked or did not answer; the message is the reason, with no secret."""


@dataclass(frozen=True)
class SnmpTarget:
    name: str
    host: str
    port: int
    version: str  # "2c" | "3"
    community: str = field(default="", repr=False)
    user: str = ""
    auth: str = "sha"
    auth_key: str = field(default="", repr=False)
    priv: str = "aes"
    priv_key: str = field(default="", repr=False)
    context: str = ""
    timeout: float = 1.0  # seconds per try
    retries: int = 1


def plain(value: Any) -> Any:
    """A value pysnmp decoded, as a plain Python value: numbers as int, text as str (bytes that are not
    UTF-8, a MAC say, as colon-separated hex), an OID dotted, NULL as '', and Missing.MISSING for
    noSuchObject, noSuchInstance and endOfMibView."""
    if isinstance(value, rfc1905.NoSuchObject | rfc1905.NoSuchInstance | rfc1905.EndOfMibView):
        return Missing.MISSING
    if isinstance(value, rfc1902.OctetString):  # also IpAddress, Opaque and Bits
        octets = value.asOctets()
        try:
            return octets.decode("utf-8")
        except UnicodeDecodeError:
            return octets.hex(":")
    if isinstance(value, univ.ObjectIdentifier):
        return ".".join(map(str, value.asTuple()))
    if isinstance(value, univ.Null):
        return ""
    return int(value)


def _oid(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def timeout_error(target: SnmpTarget) -> SnmpError:
    where = f"{target.host}:{target.port}"
    wait = target.timeout * (target.retries + 1)
    what = "community" if target.version == "2c" else "v3 user or keys"
    return SnmpError(
        f"SNMP timeout: no answer from {where} within {wait:g} s (unreachable, or a wrong {what}: "
        "an agent silently drops requests it cannot authenticate)"
    )


def failure(target: SnmpTarget, text: str) -> SnmpError:
    """The plain reason for an error pysnmp or the agent reported."""
    where = f"{target.host}:{target.port}"
    lowered = text.lower()
    if "timed out" in lowered or "timeout" in lowered:
        return timeout_error(target)
    if "unknown user" in lowered or "wrong digest" in lowered or "authorization" in lowered:
        return SnmpError(f"SNMP v3 authentication failed at {where}: {text}")
    return SnmpError(f"SNMP error from {where}: {text}")


class SnmpClient:
    """GET and column walks for one device, through the SnmpEngine of the running loop."""

    def __init__(self, engine: LoopEngine, target: SnmpTarget) -> None:
        from pysnmp.hlapi.v3arch import asyncio as hl

        self.target = target
        self.evidence: list[str] = []
        self._engine = engine
        self._hl = hl
        self._transport: Any = None
        if target.version == "2c":
            self._auth: Any = hl.CommunityData(target.community, mpModel=1)  # noqa: S508 - only where the runbook says 2c
        else:
            self._auth = hl.UsmUserData(
                target.user, authKey=target.auth_key, privKey=target.priv_key or target.auth_key,
                authProtocol=getattr(hl, AUTH[target.auth]), privProtocol=getattr(hl, PRIV[target.priv]),
            )  # fmt: skip
        self._context = hl.ContextData(contextName=target.context) if target.context else hl.ContextData()

    async def _target(self) -> Any:
        """The agent's address for pysnmp: IPv4, else IPv6 (a literal, or a name with no IPv4 address)."""
        if self._transport is None:
            from pysnmp.error import PySnmpError

            address = (self.target.host, self.target.port)
            families = [self._hl.UdpTransportTarget, self._hl.Udp6TransportTarget]
            if ":" in self.target.host:
                families = families[1:]
            for family in families:
                with contextlib.suppress(PySnmpError):  # the name has no address of this family
                    self._transport = await family.create(
                        address, timeout=self.target.timeout, retries=self.target.retries
                    )
                    break
            else:
                raise failure(self.target, f"cannot reach the agent (no address for {self.target.host!r})")
        return self._transport

    async def _ask(self, oids: list[str], repetitions: int | None) -> Varbinds:
        """A GET (repetitions None) or a GETBULK of `oids`: (OID, plain value) in the answer's order."""
        target, hl = await self._target(), self._hl
        engine = self._engine.engine()
        objects = self._engine.object_types(oids)
        if repetitions is None:
            answer = await hl.get_cmd(engine, self._auth, target, self._context, *objects, lookupMib=False)
        else:
            answer = await hl.bulk_cmd(
                engine, self._auth, target, self._context, 0, repetitions, *objects, lookupMib=False
            )
        indication, status, _index, varbinds = answer
        if indication:
            raise failure(self.target, str(indication))
        if status:
            raise failure(self.target, status.prettyPrint() if hasattr(status, "prettyPrint") else str(status))
        return [(tuple(name.asTuple()), plain(value)) for name, value in varbinds]

    async def get(self, oids: list[str], evidence: list[str] | None = None) -> dict[str, Any]:
        """GET: numeric OID -> value; a missing OID maps to None. Each varbind read is written as a line
        of evidence to `evidence` (default: self.evidence), so a check can show what it was judged on."""
        sink = self.evidence if evidence is None else evidence
        out: dict[str, Any] = {}
        for name, value in await self._ask(oids, None):
            oid = ".".join(map(str, name))
            if value is Missing.MISSING:
                out[oid] = None
                sink.append(f"{oid} = (none)")
            else:
                out[oid] = value
                sink.append(f"{oid} = {value}")
        return out

    async def get_columns(
        self, columns: Iterable[str], indexes: Iterable[str], evidence: list[str] | None = None
    ) -> dict[str, dict[str, Any]]:
        """GET the given rows of the given columns: column -> {index -> value} (missing rows left out)."""
        wanted = [(column, index) for index in indexes for column in columns]
        result: dict[str, dict[str, Any]] = {column: {} for column in columns}
        for start in range(0, len(wanted), GET_CHUNK):
            chunk = wanted[start : start + GET_CHUNK]
            values = await self.get([f"{column}.{index}" for column, index in chunk], evidence)
            for column, index in chunk:
                value = values.get(f"{column}.{index}")
                if value is not None:
                    result[column][index] = value
        return result

    async def walk(
        self,
        columns: Sequence[str],
        max_repetitions: int = 48,
        first: int = 8,
        enough: Callable[[dict[str, dict[str, Any]], Iterable[str]], bool] | None = None,
        evidence: list[str] | None = None,
    ) -> dict[str, dict[str, Any]]:
        """Walk several columns of a table at once: column OID -> {index suffix -> value}.

        The first GETBULK asks for `first` rows (the engine sizes it from the ports the checks
        name) and each next one for twice as many (up to `max_repetitions`): a small table costs
        one short answer, a big one few round trips. Rows past a column's end are decoded and
        thrown away, and decoding is most of the cost. `enough(result, columns still walking)`,
        when given, ends the walk early once it returns true (every named port found, say).
        """
        repetitions = max(1, min(first, max_repetitions))
        result: dict[str, dict[str, Any]] = {column: {} for column in columns}
        prefixes = {column: _oid(column) for column in columns}
        cursor = dict.fromkeys(columns, "")
        sink = self.evidence if evidence is None else evidence
        while cursor:
            active = list(cursor)
            varbinds = await self._ask([cursor[c] or c for c in active], repetitions)
            repetitions = min(max_repetitions, repetitions * 2)
            width = len(active)
            finished: set[str] = set()
            for position, (oid, value) in enumerate(varbinds):
                column = active[position % width]
                if column in finished:
                    continue
                prefix = prefixes[column]
                if value is Missing.MISSING or oid[: len(prefix)] != prefix or len(oid) == len(prefix):
                    finished.add(column)  # a GETBULK answers past a column's end with endOfMibView only
                    continue
                index = ".".join(map(str, oid[len(prefix) :]))
                result[column][index] = value
                sink.append(f"{column}.{index} = {value}")
                cursor[column] = f"{column}.{index}"
            if not varbinds:
                finished.update(active)
            for column in finished:
                cursor.pop(column, None)
            if enough is not None and cursor and enough(result, cursor.keys()):
                break
        return result
