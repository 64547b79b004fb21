"""Small validated value types shared by the runbook models: ids, durations, hosts, ports, OIDs.

Each raises ValueError with a message written for the runbook's author; the validator turns it
into a `file:line:col:` line. Values that can reach a device are checked to a strict shape here.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Any

from pydantic import (
    AwareDatetime,
    BeforeValidator,
    GetCoreSchemaHandler,
    GetPydanticSchema,
    PlainSerializer,
    WithJsonSchema,
)
from pydantic_core import core_schema

from golive.runbook.durations import format_duration, parse_duration
from golive.runbook.ports import check_port_name, expand_ports
from golive.runbook.references import parse_reference

_IDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$", re.ASCII)
_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
)
_OID = re.compile(r"^\.?[0-2](?:\.(?:0|[1-9]\d{0,9})){1,127}$", re.ASCII)
# 00:1b:44:11:3a:b7, 00-1B-44-11-3A-B7, Cisco's 001b.4411.3ab7, Comware's 001b-4411-3ab7
_MAC = re.compile(
    r"^(?:[0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$|^[0-9a-fA-F]{4}([.-])[0-9a-fA-F]{4}\1[0-9a-fA-F]{4}$", re.ASCII
)
_OUI = re.compile(r"^(?:[0-9a-fA-F]{2}[:-]){2}[0-9a-fA-F]{2}(?:[:-]\*)?$", re.ASCII)


def bad_id(value: object) -> str:
    """The message for an id that is not one (golive.runbook.load words the `bad_id` error with it)."""
    return f"bad id {value!r}: use letters, digits, '.', '_' and '-', starting with a letter or digit"


def _checked_in_core(pattern: re.Pattern[str], error: str, message: str) -> GetPydanticSchema:
    """Text matching `pattern` (all of it), checked by pydantic-core itself with no Python call per
    value (a runbook has tens of thousands of ids, and reopening a run validates them all again).
    Any failure, a value of another type included, is one error of type `error`, which
    golive.runbook.load words for the author; `message` is its text anywhere else. (`pattern` is
    anchored and spells its classes out in ASCII, so Rust's regex reads it as Python's re does.)"""

    def schema(_tp: Any, _handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        strict_text = core_schema.str_schema(pattern=pattern.pattern, strict=True)
        return core_schema.custom_error_schema(strict_text, error, custom_error_message=message)

    return GetPydanticSchema(schema)


def _duration(value: object) -> int:
    return parse_duration(value)


def _host(value: object) -> str:
    if isinstance(value, str) and "%" not in value and value.isprintable():
        try:
            ipaddress.ip_address(value)
            return value
        except ValueError:
            if _HOSTNAME.fullmatch(value):
                return value
    raise ValueError(f"bad host {value!r}: expected an IP address or a DNS name")


def _port_name(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a port name like Gi1/0/1, got {value!r}")
    return check_port_name(value)


def _port_spec(value: object) -> str | list[str]:
    if not isinstance(value, str | list):
        raise ValueError(f"expected ports like Gi1/0/1-24 or a list of them, got {value!r}")
    expand_ports(value)  # raises PortSpecError (a ValueError) with the reason
    return value


def _oid(value: object) -> str:
    if not isinstance(value, str) or not _OID.fullmatch(value):
        raise ValueError(f"bad OID {value!r}: write it numerically, like 1.3.6.1.2.1.1.3.0")
    return value.lstrip(".")


def _credential(value: object) -> str:
    return str(parse_reference(value))


def check_mac_pattern(value: object) -> str:
    """A full MAC, or an OUI prefix (`00:1b:44` or `00:1b:44:*`), as given."""
    if isinstance(value, str) and (_MAC.fullmatch(value) or _OUI.fullmatch(value)):
        return value
    raise ValueError(
        f"bad MAC {value!r}: expected 00:1b:44:11:3a:b7, 001b.4411.3ab7, 001b-4411-3ab7 or an OUI like 00:1b:44:*"
    )


def _version(value: object) -> str:
    if isinstance(value, float):
        raise ValueError(f"version {value!r} reads as a number and may lose digits: quote it, like version: '{value}'")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value
    raise ValueError(f"bad version {value!r}: expected text or a whole number")


_OFFSET_TIME = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$"

Version = Annotated[str, BeforeValidator(_version), WithJsonSchema({"type": ["string", "integer"]})]
OffsetTime = Annotated[
    AwareDatetime,
    WithJsonSchema({"type": "string", "pattern": _OFFSET_TIME, "examples": ["2026-12-05T22:00-05:00"]}),
]
Ident = Annotated[
    str,
    _checked_in_core(
        _IDENT, "bad_id", "bad id: use letters, digits, '.', '_' and '-', starting with a letter or digit"
    ),
    WithJsonSchema({"type": "string", "pattern": _IDENT.pattern}),
]
Duration = Annotated[
    int,
    BeforeValidator(_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\s*(\d+\s*[hms]\s*)+$", "examples": ["45m", "1h30m"]}),
]
Host = Annotated[str, BeforeValidator(_host), WithJsonSchema({"type": "string", "format": "hostname"})]
PortName = Annotated[str, BeforeValidator(_port_name), WithJsonSchema({"type": "string", "examples": ["Gi1/0/1"]})]
PortSpec = Annotated[
    str | list[str],
    BeforeValidator(_port_spec),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
            "examples": ["Gi1/0/1-24", ["Gi1/0/10", "Gi1/0/11"]],
        }
    ),
]
Oid = Annotated[str, BeforeValidator(_oid), WithJsonSchema({"type": "string", "pattern": _OID.pattern})]
CredentialText = Annotated[
    str,
    BeforeValidator(_credential),
    WithJsonSchema({"type": "string", "pattern": r"^(prompt|env:[A-Za-z_][A-Za-z0-9_]*|keyring:\S+)$"}),
]
