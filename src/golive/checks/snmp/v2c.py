"""SNMPv2c without pysnmp's full engine: pysnmp's v2c message API on a UDP socket of our own.

Why: for v2c, pysnmp's SnmpEngine brings nothing golive needs (no USM, no engine-id discovery),
yet building one costs ~0.3 s and configuring each target in it (the MIB-instrumented LCD) costs
more than the whole round trip to the agent. Here the requests are still built and BER-encoded by
pysnmp (`pysnmp.proto.api` v2c) and pyasn1, exactly as its engine would on the wire; the answers
are read by golive.checks.snmp.ber (decoding them with pyasn1 was most of a batch's CPU), and the
dispatching is ours: one connected datagram endpoint per device, requests matched to answers by
request-id, retransmitted `retries` times after `timeout` s each. SNMPv3 keeps going through
pysnmp's engine and USM (golive.checks.snmp.client.EngineClient).
"""

from __future__ import annotations

import asyncio
from typing import Any

from pyasn1.codec.ber import encoder  # type: ignore[import-untyped]
from pysnmp.proto import api, rfc1905

from golive.checks.snmp.ber import BerError, Response, decode_response
from golive.checks.snmp.client import SnmpClient, SnmpTarget, Varbinds, failure, timeout_error

V2C = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]
_STATUS = rfc1905.errorStatus.getNamedValues()


class _Answers(asyncio.DatagramProtocol):
    """Hands each decoded response PDU to the request waiting for its request-id; drops the rest."""

    def __init__(self) -> None:
        self.waiting: dict[int, asyncio.Future[Response]] = {}

    def datagram_received(self, data: bytes, addr: Any) -> None:
        try:
            response = decode_response(data)
        except BerError:
            return  # not an SNMPv2c answer: an agent speaking another version, or noise
        future = self.waiting.get(response.request_id)
        if future is not None and not future.done():
            future.set_result(response)

    def error_received(self, exc: Exception) -> None:
        """An ICMP port unreachable: like pysnmp's engine, wait for the timeout and say so then."""


class V2cClient(SnmpClient):
    def __init__(self, target: SnmpTarget, requests: dict[tuple[Any, ...], tuple[int, bytes]] | None = None) -> None:
        super().__init__(target)
        self._transport: asyncio.DatagramTransport | None = None
        self._answers = _Answers()
        self._used: set[int] = set()  # request-ids sent from this client's socket
        self._requests = {} if requests is None else requests  # encoded requests, shared by an Engine's clients

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

    def _request(self, oids: list[str], repetitions: int | None) -> tuple[int, bytes]:
        """A GET (repetitions None) or GETBULK, encoded by pysnmp and pyasn1: (request-id, datagram).
        Every device of a batch sends the same few requests and each has its own socket, so one
        encoding serves them all (the request-id matches answers per socket, and a socket never sees
        one request-id twice, so a late answer to an earlier request is never taken for a new one)."""
        key = (self.target.community, repetitions, *oids)
        cached = self._requests.get(key)
        if cached is not None and cached[0] not in self._used:
            self._used.add(cached[0])
            return cached
        if repetitions is None:
            pdu = V2C.GetRequestPDU()
            V2C.apiPDU.set_defaults(pdu)
            V2C.apiPDU.set_varbinds(pdu, [(oid, V2C.null) for oid in oids])
        else:
            pdu = V2C.GetBulkRequestPDU()
            V2C.apiBulkPDU.set_defaults(pdu)
            V2C.apiBulkPDU.set_non_repeaters(pdu, 0)
            V2C.apiBulkPDU.set_max_repetitions(pdu, repetitions)
            V2C.apiBulkPDU.set_varbinds(pdu, [(oid, V2C.null) for oid in oids])
        message = V2C.Message()
        V2C.apiMessage.set_defaults(message)
        V2C.apiMessage.set_community(message, self.target.community)
        V2C.apiMessage.set_pdu(message, pdu)
        request = (int(V2C.apiPDU.get_request_id(pdu)), encoder.encode(message))
        self._used.add(request[0])
        if len(self._requests) >= 256:
            self._requests.clear()
        self._requests[key] = request
        return request

    async def _ask(self, oids: list[str], repetitions: int | None) -> Varbinds:
        transport = await self._endpoint()
        request_id, wire = self._request(oids, repetitions)
        answer: asyncio.Future[Response] = asyncio.get_running_loop().create_future()
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
        status = response.error_status
        if status:
            raise failure(self.target, _STATUS.getName(status) or f"error-status {status}")
        return response.varbinds

    async def _get(self, oids: list[str]) -> Varbinds:
        return await self._ask(oids, None)

    async def _bulk(self, oids: list[str], repetitions: int) -> Varbinds:
        return await self._ask(oids, repetitions)
