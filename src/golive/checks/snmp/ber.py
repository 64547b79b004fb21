"""Reading an SNMPv2c Response message straight from its BER bytes, into plain values.

Why: decoding the answers was 65-75% of golive's CPU in an SNMP batch. pyasn1 builds a typed
object per tag, length, integer and sub-identifier (~3 ms for a 20-varbind answer); a Response
has one fixed shape (RFC 3416: message, PDU, varbind list) and a dozen value types, which this
module reads with slices and int.from_bytes. Requests are still built and encoded by pysnmp, and
SNMPv3 still goes through pysnmp's engine. tests/checks/test_snmp_ber.py compares this reader
with pyasn1 on generated messages and feeds it truncated and random bytes.

It is strict, because the bytes come from the network: definite lengths only, every length
inside its enclosing value, no trailing bytes, at most MAX_VARBINDS varbinds and MAX_ARCS
sub-identifiers per OID. Anything else raises BerError (a ValueError); the caller drops the
datagram, as it drops any answer it cannot read.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

MAX_VARBINDS = 2048
MAX_ARCS = 128
SNMP_V2C = 1
RESPONSE = 0xA2


class BerError(ValueError):
    """The bytes are not a well-formed SNMPv2c Response."""


class Missing(enum.Enum):
    """What an agent answers instead of a value (RFC 3416's exceptions)."""

    NO_SUCH_OBJECT = 0x80
    NO_SUCH_INSTANCE = 0x81
    END_OF_MIB_VIEW = 0x82


Value = int | str | tuple[int, ...] | bytes | Missing | None
Varbind = tuple[tuple[int, ...], Value]


@dataclass(frozen=True, slots=True)
class Response:
    request_id: int
    error_status: int
    error_index: int
    varbinds: list[Varbind]


_INTEGERS = frozenset({0x02, 0x41, 0x42, 0x43, 0x46})  # INTEGER, Counter32, Gauge32, TimeTicks, Counter64
_OCTETS = frozenset({0x04, 0x40, 0x44})  # OCTET STRING, IpAddress, Opaque: bytes, as pysnmp's asOctets()


def _header(data: bytes, at: int, end: int) -> tuple[int, int, int]:
    """(tag, start of contents, end of contents) of the value at `at`, which must end by `end`."""
    if at + 2 > end:
        raise BerError("truncated")
    tag, length = data[at], data[at + 1]
    at += 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4:
            raise BerError("indefinite or oversized length")
        if at + count > end:
            raise BerError("truncated")
        length = int.from_bytes(data[at : at + count], "big")
        at += count
    if at + length > end:
        raise BerError("a length runs past its enclosing value")
    return tag, at, at + length


def _integer(data: bytes, start: int, stop: int) -> int:
    if start == stop:
        raise BerError("an empty integer")
    return int.from_bytes(data[start:stop], "big", signed=True)


def _oid(data: bytes, start: int, stop: int) -> tuple[int, ...]:
    if start == stop:
        raise BerError("an empty OID")
    arcs: list[int] = []
    value = 0
    for byte in data[start:stop]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            if not arcs:
                arcs.extend((value // 40, value % 40) if value < 80 else (2, value - 80))
            else:
                arcs.append(value)
            value = 0
            if len(arcs) > MAX_ARCS:
                raise BerError("an OID too long")
    if data[stop - 1] & 0x80:
        raise BerError("an OID ends inside a sub-identifier")
    return tuple(arcs)


def _expect(data: bytes, at: int, end: int, tag: int) -> tuple[int, int]:
    found, start, stop = _header(data, at, end)
    if found != tag:
        raise BerError(f"tag 0x{found:02x} where 0x{tag:02x} belongs")
    return start, stop


def _value(data: bytes, tag: int, start: int, stop: int) -> Value:
    if tag in _INTEGERS:
        if tag != 0x02 and start < stop and data[start] & 0x80:
            raise BerError("a negative counter, gauge or time")
        return _integer(data, start, stop)
    if tag in _OCTETS:
        return data[start:stop]
    if tag == 0x06:
        return _oid(data, start, stop)
    if tag == 0x05:
        return None
    if tag in (0x80, 0x81, 0x82):
        return Missing(tag)
    raise BerError(f"value tag 0x{tag:02x} is not an SNMP type")


def decode_response(data: bytes) -> Response:
    """The Response PDU of an SNMPv2c message, or BerError."""
    end = len(data)
    start, stop = _expect(data, 0, end, 0x30)
    if stop != end:
        raise BerError("bytes after the message")
    at, body_end = _expect(data, start, stop, 0x02)
    if _integer(data, at, body_end) != SNMP_V2C:
        raise BerError("not an SNMPv2c message")
    _start, at = _expect(data, body_end, stop, 0x04)  # community: the socket already names the agent
    pdu_start, pdu_end = _expect(data, at, stop, RESPONSE)
    if pdu_end != stop:
        raise BerError("bytes after the PDU")
    fields: list[int] = []
    at = pdu_start
    for _ in range(3):
        start, at = _expect(data, at, pdu_end, 0x02)
        fields.append(_integer(data, start, at))
    at, list_end = _expect(data, at, pdu_end, 0x30)
    if list_end != pdu_end:
        raise BerError("bytes after the varbind list")
    varbinds: list[Varbind] = []
    while at < list_end:
        if len(varbinds) >= MAX_VARBINDS:
            raise BerError("too many varbinds")
        start, after = _expect(data, at, list_end, 0x30)
        name_start, name_stop = _expect(data, start, after, 0x06)
        tag, value_start, value_stop = _header(data, name_stop, after)
        if value_stop != after:
            raise BerError("bytes after a varbind's value")
        varbinds.append((_oid(data, name_start, name_stop), _value(data, tag, value_start, value_stop)))
        at = after
    return Response(fields[0], fields[1], fields[2], varbinds)
