"""A read-only SNMP client for one device: GETs and column walks, with deliberate timeouts.

pysnmp returns errors as values; here they become SnmpError with a plain reason. A timeout is
reported as such, with the reminder that a wrong community or v3 key looks exactly the same on
the wire. Walks fetch several columns of one table in each GETBULK, so one walk per table per
device serves every check that needs it. The column walk lives here once; how a request reaches
the agent is the subclass's business: v3 through pysnmp's engine and USM (EngineClient), v2c
through pysnmp's message API on a socket of our own (golive.checks.snmp.v2c).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pyasn1.type import univ  # type: ignore[import-untyped]
from pysnmp.proto import rfc1902, rfc1905

from golive.checks.snmp.ber import Missing, Value

# pysnmp's hlapi (its engine, USM, MIB instrumentation) takes ~1 s to import: only SNMPv3 needs it,
# so it is imported when a v3 client is made (the engine warms it in a thread when a batch has v3)
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
# (OID as a tuple, value as golive.checks.snmp.ber reads it: int, bytes, OID tuple, None or Missing)
Varbinds = list[tuple[tuple[int, ...], Value]]
_PYSNMP_MISSING = {
    rfc1905.NoSuchObject: Missing.NO_SUCH_OBJECT, rfc1905.NoSuchInstance: Missing.NO_SUCH_INSTANCE,
    rfc1905.EndOfMibView: Missing.END_OF_MIB_VIEW,
}  # fmt: skip


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
    timeout: float = 1.0
    retries: int = 1


def value_of(value: Value) -> Any:
    """A varbind value as a plain Python value: numbers as int, text as str (bytes that are not
    UTF-8, a MAC say, as colon-separated hex), an OID dotted, NULL as ''."""
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value.hex(":")
    if isinstance(value, tuple):
        return ".".join(map(str, value))
    if value is None:
        return ""
    return value


def from_pysnmp(name: Any, value: Any) -> tuple[tuple[int, ...], Value]:
    """A varbind pysnmp's engine decoded (SNMPv3), in the form golive.checks.snmp.ber gives."""
    oid = tuple(name.asTuple())
    missing = _PYSNMP_MISSING.get(type(value))
    if missing is not None:
        return oid, missing
    if isinstance(value, rfc1902.OctetString):
        return oid, value.asOctets()
    if isinstance(value, univ.ObjectIdentifier):  # an ObjectName on the wire, not rfc1902's subclass
        return oid, tuple(value.asTuple())
    try:
        return oid, int(value)
    except (TypeError, ValueError):
        return oid, None  # NULL, the only other type an agent answers with


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
    """GET and column walks for one device; subclasses send the PDUs."""

    def __init__(self, target: SnmpTarget) -> None:
        self.target = target
        self.evidence: list[str] = []

    async def _get(self, oids: list[str]) -> Varbinds:
        raise NotImplementedError

    async def _bulk(self, oids: list[str], repetitions: int) -> Varbinds:
        raise NotImplementedError

    def close(self) -> None:
        """Release what the client holds (its socket); safe to call twice."""

    async def get(self, oids: list[str], evidence: list[str] | None = None) -> dict[str, Any]:
        """GET: numeric OID -> value; a missing OID maps to None. Each varbind read is written as a line
        of evidence to `evidence` (default: self.evidence), so a check can show what it was judged on."""
        sink = self.evidence if evidence is None else evidence
        out: dict[str, Any] = {}
        for name, value in await self._get(oids):
            oid = ".".join(map(str, name))
            if isinstance(value, Missing):
                out[oid] = None
                sink.append(f"{oid} = (none)")
            else:
                out[oid] = plain = value_of(value)
                sink.append(f"{oid} = {plain}")
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
            varbinds = await self._bulk([cursor[c] or c for c in active], repetitions)
            repetitions = min(max_repetitions, repetitions * 2)
            width = len(active)
            finished: set[str] = set()
            for position, (name, value) in enumerate(varbinds):
                column = active[position % width]
                if column in finished:
                    continue
                prefix = prefixes[column]
                oid = name
                if isinstance(value, Missing) or oid[: len(prefix)] != prefix or len(oid) == len(prefix):
                    finished.add(column)  # a GETBULK answers past a column's end with endOfMibView only
                    continue
                index = ".".join(map(str, oid[len(prefix) :]))
                result[column][index] = plain = value_of(value)
                sink.append(f"{column}.{index} = {plain}")
                cursor[column] = f"{column}.{index}"
            if not varbinds:
                finished.update(active)
            for column in finished:
                cursor.pop(column, None)
            if enough is not None and cursor and enough(result, cursor.keys()):
                break
        return result


class EngineClient(SnmpClient):
    """Through pysnmp's SnmpEngine (hlapi): what SNMPv3 needs (USM: engine-id discovery, keys, privacy)."""

    def __init__(self, engine: Any, target: SnmpTarget) -> None:
        from pysnmp.hlapi.v3arch import asyncio as hl

        super().__init__(target)
        self.engine = engine
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
        if self._transport is None:
            self._transport = await self._hl.UdpTransportTarget.create(
                (self.target.host, self.target.port), timeout=self.target.timeout, retries=self.target.retries
            )
        return self._transport

    def _objects(self, oids: list[str]) -> list[Any]:
        """hlapi ObjectTypes for `oids`, each made once per pysnmp engine: hlapi resolves every
        ObjectType it is given against its MIB view (~1 ms of CPU each, though golive reads the
        answers by number), and a resolved one is returned as is. 50 devices ask the same columns."""
        made: dict[str, Any] = self.engine.cache.setdefault("golive-object-types", {})
        if len(made) > 4096:
            made.clear()
        for oid in oids:
            if oid not in made:
                made[oid] = self._hl.ObjectType(self._hl.ObjectIdentity(oid))
        return [made[oid] for oid in oids]

    async def _get(self, oids: list[str]) -> Varbinds:
        target, hl = await self._target(), self._hl
        objects = self._objects(oids)
        indication, status, _index, varbinds = await hl.get_cmd(
            self.engine, self._auth, target, self._context, *objects, lookupMib=False
        )
        if indication or status:
            raise failure(self.target, str(indication or status))
        return [from_pysnmp(name, value) for name, value in varbinds]

    async def _bulk(self, oids: list[str], repetitions: int) -> Varbinds:
        target, hl = await self._target(), self._hl
        objects = self._objects(oids)
        indication, status, _index, varbinds = await hl.bulk_cmd(
            self.engine, self._auth, target, self._context, 0, repetitions, *objects, lookupMib=False
        )
        if indication or status:
            raise failure(self.target, str(indication or status))
        return [from_pysnmp(name, value) for name, value in varbinds]
