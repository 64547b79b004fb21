"""A read-only SNMP client for one device: GETs and column walks, with deliberate timeouts.

pysnmp returns errors as values; here they become SnmpError with a plain reason. A timeout is
reported as such, with the reminder that a wrong community or v3 key looks exactly the same on
the wire. Walks fetch several columns of one table in each GETBULK, so one walk per table per
device serves every check that needs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pysnmp.hlapi.v3arch import asyncio as hl
from pysnmp.proto import rfc1902, rfc1905

AUTH = {
    "sha": hl.usmHMACSHAAuthProtocol, "sha224": hl.usmHMAC128SHA224AuthProtocol,
    "sha256": hl.usmHMAC192SHA256AuthProtocol, "sha384": hl.usmHMAC256SHA384AuthProtocol,
    "sha512": hl.usmHMAC384SHA512AuthProtocol, "md5": hl.usmHMACMD5AuthProtocol,
}  # fmt: skip
PRIV = {
    "aes": hl.usmAesCfb128Protocol, "aes192": hl.usmAesCfb192Protocol, "aes256": hl.usmAesCfb256Protocol,
    "des": hl.usmDESPrivProtocol,
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


def value_of(value: Any) -> Any:
    """A varbind value as a plain Python value (numbers as int, text as str)."""
    if isinstance(value, rfc1902.OctetString):
        raw = bytes(value.asOctets())
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.hex(":")
    if isinstance(value, rfc1902.ObjectIdentifier):
        return str(value)
    try:
        return int(value)
    except (TypeError, ValueError):
        return value.prettyPrint()


class SnmpClient:
    def __init__(self, engine: hl.SnmpEngine, target: SnmpTarget) -> None:
        self.engine = engine
        self.target = target
        self._transport: Any = None
        if target.version == "2c":
            self._auth: Any = hl.CommunityData(target.community, mpModel=1)  # noqa: S508 - only where the runbook says 2c
        else:
            self._auth = hl.UsmUserData(
                target.user, authKey=target.auth_key, privKey=target.priv_key or target.auth_key,
                authProtocol=AUTH[target.auth], privProtocol=PRIV[target.priv],
            )  # fmt: skip
        self._context = hl.ContextData(contextName=target.context) if target.context else hl.ContextData()
        self.evidence: list[str] = []

    async def _target(self) -> Any:
        if self._transport is None:
            self._transport = await hl.UdpTransportTarget.create(
                (self.target.host, self.target.port), timeout=self.target.timeout, retries=self.target.retries
            )
        return self._transport

    def _failed(self, indication: Any, status: Any) -> SnmpError:
        where = f"{self.target.host}:{self.target.port}"
        text = str(indication or status)
        if "timed out" in text.lower() or "timeout" in text.lower():
            wait = self.target.timeout * (self.target.retries + 1)
            what = "community" if self.target.version == "2c" else "v3 user or keys"
            return SnmpError(
                f"SNMP timeout: no answer from {where} within {wait:g} s (unreachable, or a wrong {what}: "
                "an agent silently drops requests it cannot authenticate)"
            )
        if "unknown user" in text.lower() or "wrong digest" in text.lower() or "authorization" in text.lower():
            return SnmpError(f"SNMP v3 authentication failed at {where}: {text}")
        return SnmpError(f"SNMP error from {where}: {text}")

    async def get(self, oids: list[str]) -> dict[str, Any]:
        """GET: numeric OID -> value; a missing OID maps to None."""
        target = await self._target()
        objects = [hl.ObjectType(hl.ObjectIdentity(oid)) for oid in oids]
        indication, status, _index, varbinds = await hl.get_cmd(
            self.engine, self._auth, target, self._context, *objects, lookupMib=False
        )
        if indication or status:
            raise self._failed(indication, status)
        out: dict[str, Any] = {}
        for name, value in varbinds:
            missing = isinstance(value, (rfc1905.NoSuchObject, rfc1905.NoSuchInstance, rfc1905.EndOfMibView))
            out[str(name)] = None if missing else value_of(value)
            self.evidence.append(f"{name} = {'(none)' if missing else value.prettyPrint()}")
        return out

    async def walk(self, columns: list[str], max_repetitions: int = 48) -> dict[str, dict[str, Any]]:
        """Walk several columns of a table at once: column OID -> {index suffix -> value}.

        The first GETBULK asks for a few rows and each next one for twice as many (up to
        `max_repetitions`): a small table costs one short answer, a big one few round trips. Rows
        past a column's end are decoded and thrown away, and decoding is most of the cost.
        """
        repetitions = 8
        target = await self._target()
        result: dict[str, dict[str, Any]] = {column: {} for column in columns}
        cursor = {column: column for column in columns}
        while cursor:
            active = list(cursor)
            objects = [hl.ObjectType(hl.ObjectIdentity(cursor[c])) for c in active]
            indication, status, _index, varbinds = await hl.bulk_cmd(
                self.engine, self._auth, target, self._context, 0, repetitions, *objects, lookupMib=False
            )
            repetitions = min(max_repetitions, repetitions * 2)
            if indication or status:
                raise self._failed(indication, status)
            width = len(active)
            finished: set[str] = set()
            for position, (name, value) in enumerate(varbinds):
                column = active[position % width]
                if column in finished:
                    continue
                oid = str(name)
                if isinstance(value, rfc1905.EndOfMibView) or not oid.startswith(column + "."):
                    finished.add(column)
                    continue
                result[column][oid[len(column) + 1 :]] = value_of(value)
                self.evidence.append(f"{oid} = {value.prettyPrint()}")
                cursor[column] = oid
            if not varbinds:
                finished.update(active)
            for column in finished:
                cursor.pop(column, None)
        return result
