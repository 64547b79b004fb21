"""Real protocol peers for tests (net-snmp's snmpd, network namespaces), and one small pysnmp 7
client that any of them, or the lab's snmpsim agents, can be queried with: no mocks anywhere."""

from __future__ import annotations

import asyncio
import atexit
from typing import Any

from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    bulk_walk_cmd,
    get_cmd,
    usmAesCfb128Protocol,
    usmAesCfb192Protocol,
    usmAesCfb256Protocol,
    usmDESPrivProtocol,
    usmHMAC128SHA224AuthProtocol,
    usmHMAC192SHA256AuthProtocol,
    usmHMAC256SHA384AuthProtocol,
    usmHMAC384SHA512AuthProtocol,
    usmHMACMD5AuthProtocol,
    usmHMACSHAAuthProtocol,
)

from golive.checks.endpoints import SnmpEndpoint

AUTH = {
    "md5": usmHMACMD5AuthProtocol,
    "sha": usmHMACSHAAuthProtocol,
    "sha224": usmHMAC128SHA224AuthProtocol,
    "sha256": usmHMAC192SHA256AuthProtocol,
    "sha384": usmHMAC256SHA384AuthProtocol,
    "sha512": usmHMAC384SHA512AuthProtocol,
}
PRIV = {
    "des": usmDESPrivProtocol,
    "aes": usmAesCfb128Protocol,
    "aes192": usmAesCfb192Protocol,
    "aes256": usmAesCfb256Protocol,
}


class SnmpQueryError(Exception):
    """The agent did not answer, or answered with an error (the text says which)."""


def _credentials(endpoint: SnmpEndpoint) -> Any:
    if endpoint.version == "2c":
        return CommunityData(endpoint.community, mpModel=1)
    return UsmUserData(
        endpoint.user,
        authKey=endpoint.auth_key,
        privKey=endpoint.priv_key,
        authProtocol=AUTH[endpoint.auth],
        privProtocol=PRIV[endpoint.priv],
    )


# One event loop and one SnmpEngine for the whole test process: an engine belongs to its loop,
# and building one (MIB loading) costs ~0.5 s, which a poll loop would pay on every query.
_RUNNER = asyncio.Runner()
_ENGINES: list[SnmpEngine] = []


def _engine() -> SnmpEngine:
    if not _ENGINES:
        _ENGINES.append(SnmpEngine())
    return _ENGINES[0]


@atexit.register
def _close() -> None:
    for engine in _ENGINES:
        engine.close_dispatcher()
    _RUNNER.close()


async def _get(endpoint: SnmpEndpoint, oids: list[str], timeout: float) -> dict[str, Any]:
    engine = _engine()
    target = await UdpTransportTarget.create((endpoint.host, endpoint.port), timeout=timeout, retries=0)
    indication, status, _index, varbinds = await get_cmd(
        engine,
        _credentials(endpoint),
        target,
        ContextData(contextName=endpoint.context),
        *[ObjectType(ObjectIdentity(oid)) for oid in oids],
        lookupMib=False,
    )
    if indication:
        raise SnmpQueryError(str(indication))
    if status:
        raise SnmpQueryError(status.prettyPrint())
    return {str(name): value for name, value in varbinds}


async def _walk(endpoint: SnmpEndpoint, root: str, timeout: float) -> dict[str, Any]:
    engine = _engine()
    rows: dict[str, Any] = {}
    target = await UdpTransportTarget.create((endpoint.host, endpoint.port), timeout=timeout, retries=1)
    async for indication, status, _index, varbinds in bulk_walk_cmd(
        engine,
        _credentials(endpoint),
        target,
        ContextData(contextName=endpoint.context),
        0,
        50,
        ObjectType(ObjectIdentity(root)),
        lexicographicMode=False,
        lookupMib=False,
    ):
        if indication:
            raise SnmpQueryError(str(indication))
        if status:
            raise SnmpQueryError(status.prettyPrint())
        for name, value in varbinds:
            rows[str(name)] = value
    return rows


def snmp_get(endpoint: SnmpEndpoint, *oids: str, timeout: float = 2.0) -> dict[str, Any]:
    """GET `oids` with pysnmp 7; numeric OID -> pysnmp value."""
    return _RUNNER.run(_get(endpoint, list(oids), timeout))


def snmp_walk(endpoint: SnmpEndpoint, root: str, timeout: float = 2.0) -> dict[str, Any]:
    """Bulk-walk the subtree under `root` with pysnmp 7; numeric OID -> pysnmp value."""
    return _RUNNER.run(_walk(endpoint, root, timeout))
