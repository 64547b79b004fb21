"""Where a running lab's simulated devices listen, and the lab-only credentials they accept.

`golive lab` writes this as `lab.json` in its directory and registers it per runbook id, so that
`golive check`, `golive run` and rehearsals find the lab and talk to it instead of the runbook's
real addresses. The secrets here are random, generated per lab, and good for nothing but the lab;
the file is created mode 0600 all the same.
"""

from __future__ import annotations

import os
from pathlib import Path
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


class LabInfo(_Model):
    runbook_id: str
    runbook_sha256: str
    pid: int  # the process that runs the lab; a dead pid means a stale file
    directory: str  # the lab's working directory (world.json, known_hosts, agent data)
    world: str  # path of world.json
    known_hosts: str  # OpenSSH known_hosts with every simulated device's [127.0.0.1]:port key
    devices: dict[str, DeviceEndpoints] = Field(default_factory=dict)
    services: dict[str, int] = Field(default_factory=dict)  # "host:port" of a tcp check -> local port

    def write(self, path: Path) -> None:
        fd = os.open(path.with_suffix(".tmp"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(self.model_dump_json(indent=1))
        os.replace(path.with_suffix(".tmp"), path)

    @classmethod
    def read(cls, path: Path) -> LabInfo:
        return cls.model_validate_json(path.read_bytes())
