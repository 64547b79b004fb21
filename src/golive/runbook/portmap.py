"""The port map as typed values: one row per jack, old port to new port, and what should be there.

Why a model of its own: a closet cutover is proven jack by jack, not interface by interface. The
map names each wall-plate jack, the old switch port its cord leaves and the new one it lands on,
and optionally the endpoint it serves (its label, kind, MAC or OUI, VLANs, whether it is
critical). A runbook names it (`portmap: rooms.csv` beside the runbook, or an inline list); the
loader reads the CSV (golive.runbook.portmap_csv) and cross-checks it against the inventory
(golive.runbook.semantic). A MAC is stored in one spelling (lower-case, colons) whatever the PM
typed, so the map reads the same in every export. Pure: no I/O.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator, model_validator

from golive.runbook.types import Ident, PortName

# the fields of a jack in the order a CSV lists them (golive.runbook.portmap_csv)
FIELDS = (
    "jack", "old_device", "old_port", "new_device", "new_port",
    "endpoint", "kind", "critical", "vlan", "voice_vlan", "mac",
)  # fmt: skip

_HEX = re.compile(r"[0-9a-f]+", re.ASCII)
_SEPARATED = re.compile(
    r"(?:[0-9a-f]{2}([:-])){5}[0-9a-f]{2}|[0-9a-f]{4}([.-])[0-9a-f]{4}\2[0-9a-f]{4}"  # full MACs
    r"|(?:[0-9a-f]{2}([:-])){2}[0-9a-f]{2}(?:[:-]\*)?|[0-9a-f]{4}\.[0-9a-f]{2}",  # OUI prefixes
    re.ASCII,
)


def normalize_mac(value: object) -> str:
    """A MAC (`aa:bb:cc:dd:ee:ff`) or OUI prefix (`aa:bb:cc`) in golive's spelling, from any common
    one: aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff, aabb-ccdd-eeff, AABBCCDDEEFF, aa:bb:cc:*, AABBCC."""
    text = value.strip().lower() if isinstance(value, str) else ""
    bare = text.removesuffix(":*").removesuffix("-*")
    if text and (_SEPARATED.fullmatch(text) or (_HEX.fullmatch(bare) and len(bare) in (6, 12))):
        digits = "".join(ch for ch in bare if ch in "0123456789abcdef")
        if len(digits) in (6, 12):
            return ":".join(digits[i : i + 2] for i in range(0, len(digits), 2))
    raise ValueError(
        f"bad MAC {value!r}: expected a MAC like 00:1b:44:11:3a:b7, 001b.4411.3ab7 or 001B44113AB7, "
        "or an OUI like 00:1b:44"
    )


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Jack(_Strict):
    """One jack: where its cord was, where it goes, and what should answer on it."""

    jack: str = Field(min_length=1, max_length=64, description="the label on the wall plate or panel")
    old_device: Ident | None = Field(default=None, description="the old switch (none for a new build)")
    old_port: PortName | None = None
    new_device: Ident = Field(description="the new switch, a device in the inventory")
    new_port: PortName
    endpoint: str | None = Field(default=None, max_length=200, description="what is plugged in, e.g. DR X-ray PC")
    kind: str | None = Field(default=None, max_length=40, description="phone, ap, pc, printer, modality, ...")
    critical: StrictBool = Field(default=False, description="listed first; sign-off needs it proven or confirmed")
    vlan: int | None = Field(default=None, ge=1, le=4094, description="expected data VLAN (default: as before)")
    voice_vlan: int | None = Field(default=None, ge=1, le=4094, description="expected voice VLAN")
    mac: str | None = Field(
        default=None, description="expected MAC or OUI prefix, any common spelling (a new build has no snapshot)"
    )
    extra: dict[str, str] = Field(default_factory=dict, description="columns golive does not know, kept and shown")
    line: int = Field(default=0, exclude=True, repr=False, description="the CSV line it came from (0: inline)")

    @field_validator("jack", mode="before")
    @classmethod
    def _label(cls, value: Any) -> Any:
        # `jack: 101` in YAML is a number; on a wall plate it is a label
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("mac")
    @classmethod
    def _mac(cls, value: str | None) -> str | None:
        return None if value is None else normalize_mac(value)

    @property
    def old(self) -> tuple[str, str] | None:
        """(device, port) of the old port, when there is one."""
        if self.old_device is None or self.old_port is None:
            return None
        return self.old_device, self.old_port

    @property
    def new(self) -> tuple[str, str]:
        return self.new_device, self.new_port


class PortMap(_Strict):
    """Every jack of a cutover, in the order the map lists them.

    A runbook writes it as a CSV's name or as a bare list of jacks; the loader (golive.runbook.load)
    reads the CSV into this, and a bare list is taken as `jacks:` here."""

    file: str | None = Field(default=None, description="the CSV the runbook named, as written")
    jacks: list[Jack] = Field(min_length=1)
    columns: list[str] = Field(default_factory=list, description="the extra columns, in the file's order")

    @model_validator(mode="before")
    @classmethod
    def _bare_list(cls, value: Any) -> Any:
        return {"jacks": value} if isinstance(value, list) else value

    def by_label(self) -> dict[str, Jack]:
        return {jack.jack: jack for jack in self.jacks}
