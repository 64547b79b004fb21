"""golive.checks.snmp.ber against pyasn1: the same varbinds from the same bytes, and no crash on bad bytes.

The messages are built and encoded by pysnmp's v2c message API and pyasn1 (what an agent's answer
looks like on the wire), so the reader is checked against an independent encoder; the values come
from hypothesis, across every type an agent answers with.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyasn1.codec.ber import decoder, encoder  # type: ignore[import-untyped]
from pysnmp.proto import api, rfc1902, rfc1905

from golive.checks.snmp.ber import BerError, Missing, decode_response
from golive.checks.snmp.client import from_pysnmp, value_of

V2C = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]

arcs = st.lists(st.integers(0, 2**32 - 1), min_size=0, max_size=20)
oids = st.builds(lambda first, second, rest: (first, second, *rest), st.integers(0, 1), st.integers(0, 39), arcs) | (
    st.builds(lambda second, rest: (2, second, *rest), st.integers(0, 2**20), arcs)
)
values = st.one_of(
    st.integers(-(2**31), 2**31 - 1).map(rfc1902.Integer32),
    st.binary(max_size=300).map(rfc1902.OctetString),
    st.text(max_size=80).map(lambda t: rfc1902.OctetString(t.encode("utf-8"))),
    st.binary(min_size=4, max_size=4).map(rfc1902.IpAddress),
    st.integers(0, 2**32 - 1).map(rfc1902.Counter32),
    st.integers(0, 2**32 - 1).map(rfc1902.Gauge32),
    st.integers(0, 2**32 - 1).map(rfc1902.TimeTicks),
    st.integers(0, 2**64 - 1).map(rfc1902.Counter64),
    oids.map(rfc1902.ObjectName),
    st.sampled_from([rfc1905.noSuchObject, rfc1905.noSuchInstance, rfc1905.endOfMibView, V2C.null]),
)


def _response(request_id: int, status: int, index: int, varbinds: list[tuple[Any, Any]]) -> bytes:
    pdu = V2C.ResponsePDU()
    V2C.apiPDU.set_defaults(pdu)
    V2C.apiPDU.set_request_id(pdu, request_id)
    V2C.apiPDU.set_error_status(pdu, status)
    V2C.apiPDU.set_error_index(pdu, index)
    V2C.apiPDU.set_varbinds(pdu, varbinds)
    return _wire(V2C, pdu)


def _wire(module: Any, pdu: Any) -> bytes:
    """`pdu` in a message of `module`'s SNMP version (community "public"), BER-encoded by pyasn1."""
    message = module.Message()
    module.apiMessage.set_defaults(message)
    module.apiMessage.set_community(message, "public")
    module.apiMessage.set_pdu(message, pdu)
    return bytes(encoder.encode(message))


@settings(max_examples=300, deadline=None)
@given(
    st.integers(-(2**31), 2**31 - 1),
    st.integers(0, 18),
    st.integers(0, 40),
    st.lists(st.tuples(oids, values), max_size=40),
)
def test_reads_what_pyasn1_reads(request_id: int, status: int, index: int, varbinds: list[tuple[Any, Any]]) -> None:
    wire = _response(request_id, status, index, varbinds)
    ours = decode_response(wire)
    message, rest = decoder.decode(wire, asn1Spec=V2C.Message())
    pdu = V2C.apiMessage.get_pdu(message)
    assert not rest
    assert (ours.request_id, ours.error_status, ours.error_index) == (
        int(V2C.apiPDU.get_request_id(pdu)), int(V2C.apiPDU.get_error_status(pdu)), int(pdu.getComponentByPosition(2))  # get_error_index checks it against the varbinds,
    )  # fmt: skip
    theirs = [from_pysnmp(name, value) for name, value in V2C.apiPDU.get_varbinds(pdu)]
    assert ours.varbinds == theirs
    assert [value_of(v) for _, v in ours.varbinds] == [value_of(v) for _, v in theirs]


def test_plain_values() -> None:
    wire = _response(7, 0, 0, [
        ("1.3.6.1.2.1.31.1.1.1.1.5", rfc1902.OctetString(b"Gi1/0/5")),
        ("1.3.6.1.2.1.17.4.3.1.1.1", rfc1902.OctetString(bytes.fromhex("0011a2b3c4d5"))),
        ("1.3.6.1.2.1.2.2.1.5.5", rfc1902.Gauge32(4294967295)),
        ("1.3.6.1.2.1.1.2.0", rfc1902.ObjectName("1.3.6.1.4.1.9.1.2066")),
        ("1.3.6.1.2.1.2.2.1.8.9", rfc1905.endOfMibView),
    ])  # fmt: skip
    varbinds = decode_response(wire).varbinds
    assert [value_of(v) for _, v in varbinds[:4]] == [
        "Gi1/0/5",
        "00:11:a2:b3:c4:d5",
        4294967295,
        "1.3.6.1.4.1.9.1.2066",
    ]
    assert varbinds[4] == ((1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 9), Missing.END_OF_MIB_VIEW)


def test_truncated_or_padded_messages_are_refused() -> None:
    wire = _response(1, 0, 0, [("1.3.6.1.2.1.1.5.0", rfc1902.OctetString(b"core-1"))])
    for cut in range(len(wire)):
        with pytest.raises(BerError):
            decode_response(wire[:cut])
    with pytest.raises(BerError):
        decode_response(wire + b"\x00")


def test_other_messages_are_refused() -> None:
    v1 = api.PROTOCOL_MODULES[api.SNMP_VERSION_1]
    pdu = v1.GetResponsePDU()
    v1.apiPDU.set_defaults(pdu)
    with pytest.raises(BerError, match="not an SNMPv2c"):
        decode_response(_wire(v1, pdu))
    request = V2C.GetRequestPDU()
    V2C.apiPDU.set_defaults(request)
    with pytest.raises(BerError, match="tag 0xa0"):
        decode_response(_wire(V2C, request))
    indefinite = b"\x30\x80" + b"\x02\x01\x01" + b"\x00\x00"
    with pytest.raises(BerError, match="indefinite"):
        decode_response(indefinite)


@settings(max_examples=2000, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_never_crash(data: bytes) -> None:
    with contextlib.suppress(BerError):  # anything else raised fails the test
        decode_response(data)


@settings(max_examples=500, deadline=None)
@given(st.data())
def test_flipped_bytes_are_read_or_refused(data: st.DataObject) -> None:
    wire = bytearray(_response(3, 0, 0, [("1.3.6.1.2.1.2.2.1.2.1", rfc1902.OctetString(b"eth0"))] * 3))
    position = data.draw(st.integers(0, len(wire) - 1))
    wire[position] = data.draw(st.integers(0, 255))
    with contextlib.suppress(BerError):  # anything else raised fails the test
        decode_response(bytes(wire))
