"""Check specs: what a runbook says must be true of a switch, a port or a service.

These are typed values, no I/O: the check engine (golive.checks) brings them to life. Each kind
names the fields its `expect` may hold, so a typo in an expectation is caught at validation,
not at 2 a.m. in front of the switch.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from golive.runbook.expectations import Expectation
from golive.runbook.ports import expand_ports
from golive.runbook.types import Duration, Host, Ident, Oid, PortName, PortSpec, check_mac_pattern

Transport = Literal["ssh", "snmp"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class _ExpectBase(_Strict):
    @model_validator(mode="after")
    def _something_expected(self) -> _ExpectBase:
        if not self.model_fields_set:
            fields = ", ".join(type(self).model_fields)
            raise ValueError(f"expect is empty: say what must hold ({fields})")
        return self


class _CheckBase(_Strict):
    id: Ident | None = Field(default=None, description="names the check, e.g. as a delta baseline")
    title: str | None = None
    timeout: Duration | None = Field(default=None, description="per-check timeout, e.g. 10s")


class _DeviceCheck(_CheckBase):
    device: Ident = Field(description="a device named in the inventory")
    via: Transport | None = Field(default=None, description="ssh or snmp; SNMP wins when both exist")


class _PortsCheck(_DeviceCheck):
    port: PortName | None = None
    ports: PortSpec | None = Field(default=None, description="Gi1/0/1-24, or a list of names and ranges")

    @model_validator(mode="after")
    def _one_target(self) -> _PortsCheck:
        if (self.port is None) == (self.ports is None):
            raise ValueError("give exactly one of port or ports")
        return self

    def port_list(self) -> list[str]:
        """Every port this check covers, ranges expanded."""
        if self.port is not None:
            return [self.port]
        assert self.ports is not None
        return expand_ports(self.ports)


class PortExpect(_ExpectBase):
    status: Expectation | None = Field(
        default=None, description="up, down, connected, notconnect, disabled, err-disabled"
    )
    admin: Expectation | None = Field(default=None, description="up or down")
    speed: Expectation | None = Field(default=None, description="e.g. 1G, 10G, 100M, auto")
    duplex: Expectation | None = None
    description: Expectation | None = None
    vlan: Expectation | None = Field(default=None, description="access VLAN")


class PortCheck(_PortsCheck):
    """Oper/admin status, speed, duplex, description of one or more ports."""

    kind: Literal["port"]
    expect: PortExpect


class VlanExpect(_ExpectBase):
    mode: Expectation | None = Field(default=None, description="access or trunk")
    access: Expectation | None = None
    voice: Expectation | None = None
    native: Expectation | None = None
    trunk_allowed: Expectation | None = Field(default=None, description="use contains or equals")


class VlanCheck(_PortsCheck):
    """Access, voice and trunk VLANs of ports."""

    kind: Literal["vlan"]
    expect: VlanExpect


class PoeExpect(_ExpectBase):
    powered: Expectation | None = None
    class_: Expectation | None = Field(default=None, alias="class")
    watts: Expectation | None = Field(default=None, description="e.g. {ge: 6.5}")


class PoeCheck(_PortsCheck):
    """Power over Ethernet on ports: powered, class, watts drawn."""

    kind: Literal["poe"]
    expect: PoeExpect


class NeighborExpect(_ExpectBase):
    device: Expectation | None = Field(default=None, description="neighbor's name")
    port: Expectation | None = Field(default=None, description="neighbor's port")
    platform: Expectation | None = None


class NeighborCheck(_PortsCheck):
    """CDP or LLDP neighbor seen on a port."""

    kind: Literal["neighbor"]
    protocol: Literal["cdp", "lldp", "any"] = "any"
    expect: NeighborExpect


class MacExpect(_ExpectBase):
    mac: Expectation | None = Field(default=None, description="a MAC or OUI prefix learned on the port")
    count: Expectation | None = Field(default=None, description="number of MACs learned")
    port: Expectation | None = Field(default=None, description="the port the check's mac is on")
    vlan: Expectation | None = None

    @field_validator("mac")
    @classmethod
    def _mac_shape(cls, value: Expectation | None) -> Expectation | None:
        if value is not None:
            for candidate in [value.equals, value.contains, *(value.in_ or [])]:
                if candidate is not None:
                    check_mac_pattern(candidate)
        return value


class MacCheck(_DeviceCheck):
    """A MAC learned on a port, a count of MACs, or which port a MAC is on."""

    kind: Literal["mac"]
    port: PortName | None = None
    ports: PortSpec | None = None
    mac: str | None = Field(default=None, description="find where this MAC is learned (with expect.port)")
    expect: MacExpect

    @field_validator("mac")
    @classmethod
    def _mac(cls, value: str | None) -> str | None:
        return None if value is None else check_mac_pattern(value)

    @model_validator(mode="after")
    def _target(self) -> MacCheck:
        if self.mac is None and self.port is None and self.ports is None:
            raise ValueError("give port/ports (what is learned there) or mac (where it is learned)")
        if self.port is not None and self.ports is not None:
            raise ValueError("give port or ports, not both")
        return self


class ErrorsExpect(_ExpectBase):
    input: Expectation | None = None
    crc: Expectation | None = None
    output: Expectation | None = None
    discards: Expectation | None = Field(default=None, description="input discards")
    out_discards: Expectation | None = None


class ErrorsCheck(_PortsCheck):
    """Error counters under a threshold, or not increasing across an interval."""

    kind: Literal["errors"]
    interval: Duration | None = Field(default=None, description="sample twice this far apart; expect the increase")
    expect: ErrorsExpect


class StateExpect(_ExpectBase):
    err_disabled: Expectation | None = None
    stp: Expectation | None = Field(default=None, description="forwarding, blocking, ...")


class StateCheck(_PortsCheck):
    """err-disabled and spanning-tree state of ports."""

    kind: Literal["state"]
    expect: StateExpect


class SnmpCheck(_CheckBase):
    """Any OID, by get or walk, against an expectation on its value(s)."""

    kind: Literal["snmp"]
    device: Ident
    oid: Oid
    walk: bool = False
    expect: Expectation | None = Field(default=None, description="on the value (each value, for a walk)")
    count: Expectation | None = Field(default=None, description="on the number of rows, for a walk")

    @model_validator(mode="after")
    def _something(self) -> SnmpCheck:
        if self.expect is None and self.count is None:
            raise ValueError("an snmp check needs expect (or count, for a walk)")
        if self.count is not None and not self.walk:
            raise ValueError("count only applies to a walk (walk: true)")
        return self


class TcpExpect(_ExpectBase):
    reachable: bool = True


class TcpCheck(_CheckBase):
    """A TCP service answers within a timeout (a PACS DICOM port, a web endpoint)."""

    kind: Literal["tcp"]
    host: Host | None = None
    device: Ident | None = Field(default=None, description="use this inventory device's host")
    port: int = Field(ge=1, le=65535)
    expect: TcpExpect = TcpExpect(reachable=True)

    @model_validator(mode="after")
    def _one_target(self) -> TcpCheck:
        if (self.host is None) == (self.device is None):
            raise ValueError("give exactly one of host or device")
        return self


class SnapshotCheck(_CheckBase):
    """Before the cut: every mapped old port's status, VLANs, MACs, neighbor and PoE, read once per
    device and journaled in full as the baseline the jacks check proves the cut against."""

    kind: Literal["snapshot"]
    devices: list[Ident] | None = Field(default=None, description="default: every old_device of the port map")
    via: Transport | None = Field(default=None, description="ssh or snmp; default: what the platform allows")


class JacksCheck(_CheckBase):
    """After the cut: every mapped jack proven by its endpoints' MACs, across the new and old switches."""

    kind: Literal["jacks"]
    baseline: Ident | None = Field(
        default=None, description="id of the snapshot check; default: the runbook's only snapshot check"
    )
    jacks: list[str] | None = Field(default=None, description="jack labels; default: every jack of the map")
    via: Transport | None = Field(default=None, description="ssh or snmp; default: what the platform allows")


Check = Annotated[
    PortCheck
    | VlanCheck
    | PoeCheck
    | NeighborCheck
    | MacCheck
    | ErrorsCheck
    | StateCheck
    | SnmpCheck
    | TcpCheck
    | SnapshotCheck
    | JacksCheck,
    Field(discriminator="kind"),
]
CHECK_KINDS = ("port", "vlan", "poe", "neighbor", "mac", "errors", "state", "snmp", "tcp", "snapshot", "jacks")
