"""The runbook as typed values (pydantic v2): metadata, roles, inventory, phases, rollback plans.

Pure: no I/O, no Textual, no network. Cross-references (an `after` naming a task, an owner naming
a role) are checked by golive.runbook.semantic so that every problem is reported in one pass.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, WithJsonSchema, model_validator

from golive.runbook.checks import Check
from golive.runbook.portmap import PortMap
from golive.runbook.types import CredentialText, Duration, Host, Ident, OffsetTime, PortSpec, Version

NETMIKO_PLATFORMS = (
    "cisco_ios", "cisco_xe", "cisco_nxos", "cisco_xr", "cisco_asa", "cisco_s300",
    "arista_eos", "juniper_junos", "hp_comware", "hp_procurve", "aruba_os", "aruba_aoscx",
    "aruba_procurve", "dell_os10", "dell_force10", "extreme_exos", "extreme_vsp",
    "ruckus_fastiron", "brocade_fastiron", "huawei", "mikrotik_routeros", "fortinet", "paloalto_panos",
    "linux",
)  # fmt: skip
Platform = Literal[NETMIKO_PLATFORMS]  # type: ignore[valid-type]


def _listify(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Window(_Strict):
    start: OffsetTime = Field(description="with a UTC offset, e.g. 2026-12-05T22:00-05:00")
    end: OffsetTime

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.end <= self.start:
            raise ValueError("the window ends before it starts")
        if not (self.start.year >= 2000 and self.end.year <= 2199):
            raise ValueError("the window must fall between the years 2000 and 2199")
        return self

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


class Meta(_Strict):
    id: Ident
    title: str = Field(min_length=1)
    version: Version
    site: str | None = None
    window: Window
    description: str | None = None
    change: str | None = Field(default=None, description="change record number, e.g. CHG0012345")


class SnmpSettings(_Strict):
    version: Annotated[
        Literal["2c", "3"],
        BeforeValidator(lambda v: str(v) if isinstance(v, int) else v),
        WithJsonSchema({"enum": ["2c", "3", 3]}),
    ] = Field(default="3", description="3 (authPriv) unless the runbook says 2c explicitly")
    port: int = Field(default=161, ge=1, le=65535)
    community: CredentialText | None = Field(default=None, description="v2c only: a reference, never the string")
    user: str | None = Field(default=None, description="v3 user name (not a secret)")
    auth: Literal["sha", "sha224", "sha256", "sha384", "sha512", "md5"] = "sha"
    priv: Literal["aes", "aes192", "aes256", "des"] = "aes"
    credentials: CredentialText | None = Field(default=None, description="v3 auth key reference")
    priv_credentials: CredentialText | None = Field(default=None, description="v3 priv key; defaults to credentials")

    @model_validator(mode="after")
    def _complete(self) -> SnmpSettings:
        if self.version == "2c":
            if self.community is None:
                raise ValueError("SNMP v2c needs community: a reference such as env:NAME")
            if self.user is not None or self.credentials is not None:
                raise ValueError("SNMP v2c takes community, not user/credentials")
        else:
            if self.community is not None:
                raise ValueError("community is for v2c; say version: 2c explicitly or use a v3 user")
            if self.user is None or self.credentials is None:
                raise ValueError("SNMP v3 needs user and credentials (a reference)")
        return self


class Device(_Strict):
    host: Host
    port: int = Field(default=22, ge=1, le=65535, description="SSH port")
    platform: Platform = Field(description="a Netmiko device_type, e.g. cisco_ios")
    username: str | None = Field(default=None, description="SSH user name (not a secret)")
    credentials: CredentialText = Field(default="prompt", description="SSH password reference")
    enable: CredentialText | None = Field(default=None, description="enable secret reference")
    snmp: SnmpSettings | None = None
    description: str | None = None
    ports: PortSpec | None = Field(
        default=None, description="the ports it has, e.g. Gi1/0/1-48: a port map naming another is refused"
    )


class SignoffRule(_Strict):
    roles: Annotated[list[Ident], BeforeValidator(_listify)] = Field(
        default_factory=list, description="every role listed must sign; empty: the owner's role"
    )
    distinct: StrictBool = Field(default=True, description="each sign-off by a different person")
    people: int | None = Field(default=None, ge=1, le=20, description="at least this many distinct people")

    @model_validator(mode="after")
    def _consistent(self) -> SignoffRule:
        if len(set(self.roles)) != len(self.roles):
            raise ValueError("a role is listed twice in signoff roles")
        if self.distinct and self.people is not None and self.people < len(self.roles):
            raise ValueError(
                f"people: {self.people} is fewer than the {len(self.roles)} roles that must each sign "
                "(distinct people); raise people or set distinct: false"
            )
        return self


class Task(_Strict):
    id: Ident
    title: str = Field(min_length=1)
    instructions: str = Field(default="", description="Markdown shown to the technician")
    owner: Ident | None = Field(default=None, description="the role that does the task")
    duration: Duration
    after: Annotated[list[Ident], BeforeValidator(_listify)] = Field(default_factory=list)
    gate: StrictBool = Field(default=False, description="a go/no-go gate: nothing behind it is ready until signed")
    signoff: SignoffRule | None = None
    rollback: Ident | None = Field(default=None, description="a plan under rollback:")
    checks: list[Check] = Field(default_factory=list)

    def signoff_rule(self) -> SignoffRule:
        """The rule in force: the runbook's, or one sign-off by the owner's role."""
        return self._rule

    @cached_property
    def _rule(self) -> SignoffRule:
        if self.signoff is not None and self.signoff.roles:
            return self.signoff
        roles = [self.owner] if self.owner else []
        base = self.signoff or SignoffRule()
        return SignoffRule(roles=roles, distinct=base.distinct, people=base.people)

    def people_needed(self) -> int:
        """How many sign-offs the rule asks for: its `people`, else one per role when each must be a
        different person, else one."""
        rule = self.signoff_rule()
        if rule.people is not None:
            return rule.people
        return max(1, len(rule.roles)) if rule.distinct else 1


class Phase(_Strict):
    id: Ident
    title: str = Field(min_length=1)
    description: str | None = None
    tasks: list[Task] = Field(min_length=1)


class RollbackStep(_Strict):
    id: Ident
    title: str = Field(min_length=1)
    instructions: str = ""
    owner: Ident | None = None
    duration: Duration
    checks: list[Check] = Field(default_factory=list)


class RollbackPlan(_Strict):
    title: str = Field(min_length=1)
    description: str | None = None
    decide_by: Duration | None = Field(default=None, description="decide this long before the window ends")
    steps: list[RollbackStep] = Field(min_length=1)


class SshSettings(_Strict):
    known_hosts: str | None = Field(default=None, description="known_hosts file, relative to the runbook")


class Runbook(_Strict):
    """A whole runbook. Build it with golive.runbook.load, which reports problems with positions."""

    schema_: str | None = Field(default=None, alias="$schema", exclude=True)
    runbook: Meta
    roles: dict[Ident, str] = Field(min_length=1, description="role id: what the role is")
    inventory: dict[Ident, Device] = Field(default_factory=dict)
    ssh: SshSettings = SshSettings()
    phases: list[Phase] = Field(min_length=1)
    rollback: dict[Ident, RollbackPlan] = Field(default_factory=dict)
    portmap: PortMap | None = Field(
        default=None, description="the jacks: a CSV beside the runbook (portmap: rooms.csv) or an inline list"
    )

    @cached_property
    def tasks(self) -> dict[str, Task]:
        """Every task by id, in runbook order."""
        return {task.id: task for phase in self.phases for task in phase.tasks}

    @cached_property
    def phase_of(self) -> dict[str, str]:
        """The phase id each task belongs to."""
        return {task.id: phase.id for phase in self.phases for task in phase.tasks}
