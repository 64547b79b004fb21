"""The simulated world: what every lab device would say about itself and its ports.

One JSON file is the single source of truth for all simulated peers: the SSH devices render their
show-command outputs from it, the SNMP agents' records are generated from it, and a fault is an
edit to it (written atomically, so a peer never reads half a file). Port names are the runbook's.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PortStatus = Literal["up", "down", "disabled", "err-disabled"]
StpState = Literal["forwarding", "blocking", "listening", "learning", "disabled"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Neighbor(_Model):
    protocol: Literal["cdp", "lldp"]
    device: str  # the neighbor's system name
    port: str  # the neighbor's port
    platform: str = ""  # CDP platform or LLDP system description
    caps: list[str] = Field(default_factory=list)  # phone, ap, bridge, router, host; empty: a switch's (bridge, router)


class LearnedMac(_Model):
    mac: str  # 001b.4f00.0001 (Cisco dotted form; renderers convert per platform)
    vlan: int


class Poe(_Model):
    powered: bool = True
    class_: int = Field(default=4, alias="class", ge=0, le=8)
    watts: float = 15.4


class Errors(_Model):
    input: int = 0
    crc: int = 0
    output: int = 0
    discards: int = 0
    out_discards: int = 0


class Port(_Model):
    ifindex: int
    status: PortStatus = "up"
    speed_mbps: int = 1000
    duplex: Literal["full", "half", "auto"] = "full"
    description: str = ""
    mode: Literal["access", "trunk"] = "access"
    access_vlan: int = 1
    voice_vlan: int | None = None
    native_vlan: int = 1
    trunk_allowed: str = "1-4094"  # as a switch prints it: "1,120,130-131"
    poe: Poe | None = None
    neighbors: list[Neighbor] = Field(default_factory=list)
    macs: list[LearnedMac] = Field(default_factory=list)
    errors: Errors = Field(default_factory=Errors)
    stp: StpState = "forwarding"
    no_power: bool = False  # a fault: the port delivers no PoE to whatever is plugged in (golive.lab.jacks)


class SnmpValue(_Model):
    tag: int  # snmprec tag: 2 int, 4 str, 6 OID, 64 IpAddress, 65 Counter32, 66 Gauge32, 67 TimeTicks, 70 Counter64
    value: str


class DeviceWorld(_Model):
    platform: str
    hostname: str
    sys_descr: str = ""
    uptime_s: int = 864000
    ports: dict[str, Port] = Field(default_factory=dict)
    extra_oids: dict[str, SnmpValue] = Field(default_factory=dict)  # numeric OID -> value, for snmp checks
    # faults
    down: bool = False  # unreachable: neither SSH nor SNMP answers
    slow_s: float = 0.0  # every SSH command output and SNMP answer is delayed this long
    reject_login: bool = False  # the device refuses the lab credentials (bad credentials)
    host_key_changed: bool = False  # the SSH device presents a different host key
    no_banner: bool = False  # the SSH port accepts connections and never speaks
    dies: bool = False  # each SSH session is dropped by the device after its first show command's answer
    garbage: bool = False  # every show command answers text that no template parses
    old_ssh: bool = False  # the SSH device offers only SHA-1 key exchange and ssh-rsa host keys


class Service(_Model):
    up: bool = True


class JackWorld(_Model):
    """One port-map jack's endpoint, as a thing that moves: who it is, and the port its cord is on now."""

    kind: str  # phone, ap, pc, printer, modality (the map's, lower case; anything else is a pc)
    old: tuple[str, str] | None  # (device, port) as the world names it
    new: tuple[str, str]
    at: tuple[str, str] | None  # where its cord is plugged now (None: unplugged)
    macs: list[tuple[str, str]] = Field(default_factory=list)  # (dotted MAC, "data" | "voice")
    silent: bool = False  # never sends a frame: no MAC is learned for it (a modality waiting for work)
    neighbor: Neighbor | None = None  # its CDP/LLDP identity (protocol: the one it prefers)
    poe: Poe | None = None  # what it draws when powered


class World(_Model):
    runbook_id: str
    devices: dict[str, DeviceWorld] = Field(default_factory=dict)
    services: dict[str, Service] = Field(default_factory=dict)  # "host:port" of tcp checks
    jacks: dict[str, JackWorld] = Field(default_factory=dict)  # the runbook's port map, by jack label
    generation: int = 0  # bumped by each change sent to a running lab; its peers acknowledge it

    @classmethod
    def read(cls, path: Path) -> World:
        return cls.model_validate_json(path.read_bytes())

    def write(self, path: Path) -> None:
        """Atomically replace `path`, then bump its mtime (snmpsim compares whole seconds)."""
        data = self.model_dump_json(by_alias=True, indent=1)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".world-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


# The lab's peers that follow world.json and acknowledge each generation they applied: the lab
# process (SNMP agents, services) and its SSH child (server-side faults; show outputs re-read anyway).
PEERS = ("lab", "ssh")


def acknowledge(directory: Path, peer: str, generation: int) -> None:
    """Record that `peer` now serves `generation` of the world (atomic, beside world.json)."""
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".applied-{peer}-")
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(str(generation))
    os.replace(tmp, directory / f"applied.{peer}")


def applied(directory: Path) -> int:
    """The newest generation every peer has applied (-1 when one has not said yet)."""
    try:
        return min(int((directory / f"applied.{peer}").read_text(encoding="ascii")) for peer in PEERS)
    except (OSError, ValueError):
        return -1


def dump(world: World) -> str:
    return json.dumps(world.model_dump(by_alias=True), indent=1)
