"""The port map as typed values: one row per jack, old port to new port, and what should be there.

Why a model of its own: a closet cutover is proven jack by jack, not interface by interface. The
map names each wall-plate jack, the old switch port its cord leaves and the new one it lands on,
and optionally the endpoint it serves (its label, kind, MAC or OUI, VLANs, whether it is
critical). A runbook names it (`portmap: rooms.csv` beside the runbook, or an inline list); the
loader reads the CSV (golive.runbook.portmap_csv) and cross-checks it against the inventory.
Pure: no I/O.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from golive.runbook.types import Ident, PortName, check_mac_pattern


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
    mac: str | None = Field(default=None, description="expected MAC or OUI prefix (a new build has no snapshot)")
    extra: dict[str, str] = Field(default_factory=dict, description="columns golive does not know, kept and shown")
    line: int = Field(default=0, exclude=True, description="the CSV line it came from (0: inline)")

    @field_validator("mac")
    @classmethod
    def _mac(cls, value: str | None) -> str | None:
        return None if value is None else check_mac_pattern(value)

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
    """Every jack of a cutover, in the order the map lists them."""

    file: str | None = Field(default=None, description="the CSV the runbook named, as written")
    jacks: list[Jack] = Field(min_length=1)
    columns: list[str] = Field(default_factory=list, description="the extra columns, in the file's order")

    def by_label(self) -> dict[str, Jack]:
        return {jack.jack: jack for jack in self.jacks}
