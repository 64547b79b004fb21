"""SNMPv2c without pysnmp's full engine: pysnmp's v2c message API on a UDP socket of our own.

Why: for v2c, pysnmp's SnmpEngine brings nothing golive needs (no USM, no engine-id discovery),
yet building one costs ~0.3 s and configuring each target in it (the MIB-instrumented LCD) costs
more than the whole round trip to the agent. Here the PDUs are still built, BER-encoded and
decoded by pysnmp (`pysnmp.proto.api` v2c) and pyasn1, exactly as its engine would on the wire;
only the dispatching is ours: one connected datagram endpoint per device, requests matched to
answers by request-id, retransmitted `retries` times after `timeout` s each. SNMPv3 keeps going
through pysnmp's engine and USM (golive.checks.snmp.client.EngineClient).
"""

from __future__ import annotations

import asyncio
from typing import Any

from pyasn1.codec.ber import decoder, encoder  # type: ignore[import-untyped]
from pyasn1.error import PyAsn1Error  # type: ignore[import-untyped]
from pysnmp.proto import api, rfc1905

from golive.checks.snmp.client import SnmpClient, SnmpTarget, Varbinds, failure, timeout_error

V2C = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]
_STATUS = rfc1905.errorStatus.getNamedValues()


class _Answers(asyncio.DatagramProtocol):
    """Hands each decoded response PDU to the request waiting for its request-id; drops the rest."""

    def __init__(self) -> None:
        self.waiting: dict[int, asyncio.Future[Any]] = {}

    def datagram_received(self, data: bytes, addr: Any) -> None:
        try:
            message, _rest = decoder.decode(data, asn1Spec=V2C.Message())
            pdu = V2C.apiMessage.get_pdu(message)
            request_id = int(V2C.apiPDU.get_request_id(pdu))
        except (PyAsn1Error, ValueError, TypeError):
            return  # not an SNMPv2c answer: an agent speaking another version, or noise
        future = self.waiting.get(request_id)
        if future is not None and not future.done():
            future.set_result(pdu)

    def error_received(self, exc: Exception) -> None:
        """An ICMP port unreachable: like pysnmp's engine, wait for the timeout and say so then."""


class V2cClient(SnmpClient):
    def __init__(self, target: SnmpTarget) -> None:
        super().__init__(target)
        self._transport: asyncio.DatagramTransport | None = None
        self._answers = _Answers()

    async def _endpoint(self) -> asyncio.DatagramTransport:
        if self._transport is None:
            loop = asyncio.get_running_loop()
            try:
                transport, _protocol = await loop.create_datagram_endpoint(
                    lambda: self._answers, remote_addr=(self.target.host, self.target.port)
                )
            except OSError as exc:
                raise failure(self.target, f"cannot reach the agent ({exc.strerror or type(exc).__name__})") from None
            self._transport = transport
        return self._transport

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    async def _ask(self, pdu: Any) -> Any:
        transport = await self._endpoint()
        request_id = int(V2C.apiPDU.get_request_id(pdu))
        message = V2C.Message()
        V2C.apiMessage.set_defaults(message)
        V2C.apiMessage.set_community(message, self.target.community)
        V2C.apiMessage.set_pdu(message, pdu)
        wire = encoder.encode(message)
        answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._answers.waiting[request_id] = answer
        try:
            for _attempt in range(self.target.retries + 1):
                transport.sendto(wire)
                try:
                    response = await asyncio.wait_for(asyncio.shield(answer), self.target.timeout)
                    break
                except TimeoutError:
                    continue
            else:
                raise timeout_error(self.target)
        finally:
            self._answers.waiting.pop(request_id, None)
            answer.cancel()
        status = int(V2C.apiPDU.get_error_status(response))
        if status:
            raise failure(self.target, _STATUS.getName(status) or f"error-status {status}")
        return response

    async def _get(self, oids: list[str]) -> Varbinds:
        pdu = V2C.GetRequestPDU()
        V2C.apiPDU.set_defaults(pdu)
        V2C.apiPDU.set_varbinds(pdu, [(oid, V2C.null) for oid in oids])
        return list(V2C.apiPDU.get_varbinds(await self._ask(pdu)))

    async def _bulk(self, oids: list[str], repetitions: int) -> Varbinds:
        pdu = V2C.GetBulkRequestPDU()
        V2C.apiBulkPDU.set_defaults(pdu)
        V2C.apiBulkPDU.set_non_repeaters(pdu, 0)
        V2C.apiBulkPDU.set_max_repetitions(pdu, repetitions)
        V2C.apiBulkPDU.set_varbinds(pdu, [(oid, V2C.null) for oid in oids])
        return list(V2C.apiBulkPDU.get_varbinds(await self._ask(pdu)))
