"""Where a lab's simulated devices listen, and the lab-only credentials they accept.

Why here: the checks reach a device where the runbook says, unless a lab runs for the runbook;
then every device and TCP service is redirected to the lab on 127.0.0.1. The checks need only
these values, not the lab itself (golive.lab starts the simulators and writes them, as part of
its lab.json: golive.lab.endpoints.LabInfo), so golive.checks never imports golive.lab.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SshEndpoint(_Model):
    host: str = "127.0.0.1"
    port: int
    username: str
    password: str
    secret: str = ""  # enable secret, where the platform needs one


class SnmpEndpoint(_Model):
    host: str = "127.0.0.1"
    port: int
    version: Literal["2c", "3"]
    community: str = ""  # v2c
    user: str = ""  # v3
    auth: str = "sha"  # v3 auth protocol, the runbook's spelling (sha, sha256, ...)
    auth_key: str = ""
    priv: str = "aes"
    priv_key: str = ""
    context: str = ""  # v3 context name, where the agent selects data by context


class DeviceEndpoints(_Model):
    ssh: SshEndpoint | None = None
    snmp: SnmpEndpoint | None = None


class LabEndpoints(_Model):
    """Every device and service a lab simulates, and the known_hosts file holding its SSH host keys."""

    known_hosts: str  # OpenSSH known_hosts with every simulated device's [127.0.0.1]:port key
    devices: dict[str, DeviceEndpoints] = Field(default_factory=dict)
    services: dict[str, int] = Field(default_factory=dict)  # "host:port" of a tcp check -> local port
