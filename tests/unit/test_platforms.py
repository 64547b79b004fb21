"""The platform matrix agrees with what the SSH driver sends and reads and with what SNMP reports.

The matrix (golive.runbook.platforms) is what `golive validate` refuses by and what the engine picks a
transport by; the command table and the SNMP reader are what actually happens. When someone adds a
command, a template column or an SNMP field without the matrix (or the reverse), these fail.
"""

from __future__ import annotations

import pytest

from golive.checks.plan import transport_for
from golive.checks.snmp import observe
from golive.checks.snmp.observe import SNMP_FIELDS
from golive.checks.ssh.commands import COMMANDS
from golive.checks.ssh.commands import FIELDS as COLUMNS
from golive.checks.ssh.observe import template_platform
from golive.runbook import platforms
from golive.runbook.load import parse_runbook
from golive.runbook.schema import NETMIKO_PLATFORMS

# which template columns (as golive.checks.ssh.observe reads them) answer which expectation field
ANSWERS: dict[str, dict[str, set[str]]] = {
    "port": {
        "status": {"status", "link", "link_status"}, "admin": {"status", "link", "link_admin"},
        "speed": {"speed"}, "duplex": {"duplex"}, "description": {"name", "description", "interface_desc"},
        "vlan": {"vlan_id", "vlan_access"},
    },
    "vlan": {
        "mode": {"admin_mode", "mode", "type", "vlan_mode"}, "access": {"access_vlan", "vlan_access", "vlan_id"},
        "voice": {"voice_vlan"}, "native": {"native_vlan", "vlan_native", "vlan_id"},
        "trunk_allowed": {"trunking_vlans", "vlan_trunk"},
    },
    "poe": {"powered": {"operational_status"}, "class": {"class"}, "watts": {"power"}},
    "neighbor": {
        "device": {"neighbor_name"}, "port": {"neighbor_interface", "neighbor_port_id"},
        "platform": {"platform", "neighbor_description"},
    },
    "mac": {
        "mac": {"destination_address", "mac_address"}, "count": {"destination_address", "mac_address"},
        "port": {"destination_port", "ports", "interface", "port"}, "vlan": {"vlan_id"},
    },
    "errors": {
        "input": {"input_errors", "rx_errors", "packets_error"}, "crc": {"crc", "rx_crc_fcs"},
        "output": {"output_errors", "tx_errors", "packets_error"},
        "discards": {"input_discards", "queue_drops", "rx_dropped"},
        "out_discards": {"output_discards", "queue_output_drops", "tx_dropped"},
    },
    # the status column of the status table says err-disabled; spanning-tree tables carry a role
    "state": {"err_disabled": {"status"}, "stp": {"role"}},
}  # fmt: skip


def readable(platform: str, kind: str) -> set[str]:
    """The fields the columns of the commands golive sends for (platform, kind) can answer."""
    columns = {c for command in COMMANDS[platform][kind] for c in COLUMNS[template_platform(platform), command]}
    answers = ANSWERS[kind.partition(":")[0]]
    return {field for field, sources in answers.items() if columns & sources}


def test_every_ssh_cell_with_a_command_is_in_the_matrix_and_the_reverse() -> None:
    with_command = {(p, k) for p, kinds in COMMANDS.items() for k in kinds if readable(p, k)}
    in_matrix = {(p, k) for p, kinds in platforms.SSH.items() for k in kinds}
    assert in_matrix == with_command


@pytest.mark.parametrize("platform", platforms.SSH_PLATFORMS)
def test_the_matrix_claims_no_field_the_commands_cannot_read(platform: str) -> None:
    for kind, fields in platforms.SSH[platform].items():
        assert fields, (platform, kind)
        assert fields <= readable(platform, kind), (platform, kind, sorted(fields - readable(platform, kind)))


def test_the_ssh_platforms_are_the_ones_with_commands_and_the_schema_allows_them() -> None:
    assert set(platforms.SSH_PLATFORMS) == set(COMMANDS) == set(platforms.SSH)
    assert set(platforms.SSH_PLATFORMS) <= set(NETMIKO_PLATFORMS)


def test_snmp_cells_are_what_the_snmp_reader_reports() -> None:
    as_read = {platforms.matrix_kind(k, p): v for k, v in SNMP_FIELDS.items() for p in ("cdp", "lldp")}
    assert as_read == platforms.SNMP
    for platform in NETMIKO_PLATFORMS:  # a vendor MIB's field only where that MIB is
        for kind in platforms.KINDS:
            read = observe.snmp_fields(kind.partition(":")[0], platform)
            assert platforms.snmp_fields(kind, platform) == read, (kind, platform)


def test_every_field_of_every_kind_is_one_the_schema_knows() -> None:
    from golive.runbook.checks import (
        ErrorsExpect,
        MacExpect,
        NeighborExpect,
        PoeExpect,
        PortExpect,
        StateExpect,
        VlanExpect,
    )

    models = {"port": PortExpect, "vlan": VlanExpect, "poe": PoeExpect, "neighbor:cdp": NeighborExpect,
              "neighbor:lldp": NeighborExpect, "mac": MacExpect, "errors": ErrorsExpect, "state": StateExpect}  # fmt: skip
    for kind, model in models.items():
        names = {f.alias or name for name, f in model.model_fields.items()}
        assert set(platforms.FIELDS[kind]) == names, kind


INVENTORY = """\
runbook: {id: t, title: t, version: 1, window: {start: "2026-12-05T22:00-05:00", end: "2026-12-06T02:00-05:00"}}
roles: {net: Network engineer}
inventory:
  cx: {host: 192.0.2.15, platform: aruba_aoscx, snmp: {version: 2c, community: env:C}}
  cx-nosnmp: {host: 192.0.2.16, platform: aruba_aoscx}
  xr: {host: 192.0.2.17, platform: cisco_xr, snmp: {version: 2c, community: env:C}}
phases:
  - id: p
    title: p
    tasks:
      - id: t
        title: t
        duration: 5m
        checks:
          - {kind: poe, device: cx, port: 1/1/1, expect: {powered: true}}
          - {kind: vlan, device: cx, port: 1/1/1, expect: {mode: trunk, trunk_allowed: {contains: 10}}}
          - {kind: port, device: xr, port: Gi0/0/0/1, expect: {status: up}}
          - {kind: errors, device: cx, port: 1/1/1, interval: 30s, expect: {input: {delta: 0}}}
"""


def test_transport_for_takes_the_matrix_rule() -> None:
    runbook = parse_runbook(INVENTORY, "t.yaml").runbook
    checks = runbook.phases[0].tasks[0].checks
    choices = [transport_for(c, runbook.inventory[c.device]) for c in checks]  # type: ignore[union-attr]
    assert choices == [("snmp", ""), ("ssh", ""), ("snmp", ""), ("snmp", "")]


@pytest.mark.parametrize(
    ("kind", "platform", "fields", "via", "has_snmp", "transport", "problem"),
    [
        ("poe", "aruba_aoscx", {"powered"}, "ssh", True, "ssh",
         "poe checks are not supported on aruba_aoscx over ssh (use via: snmp)"),
        ("poe", "aruba_aoscx", {"powered"}, None, False, "ssh",
         "poe checks are not supported on aruba_aoscx over ssh (give the device snmp: settings and use via: snmp)"),
        ("vlan", "cisco_ios", {"voice"}, "snmp", True, "snmp", "snmp cannot report voice for vlan checks (use via: ssh)"),
        ("vlan", "aruba_aoscx", {"mode"}, "snmp", True, "snmp",
         "snmp cannot report mode for vlan checks on aruba_aoscx (use via: ssh)"),
        ("vlan", "aruba_aoscx", {"mode"}, None, True, "ssh", ""),
        ("vlan", "cisco_nxos", {"mode"}, None, True, "snmp", ""),
        ("vlan", "hp_comware", {"voice"}, None, True, "ssh", "ssh cannot report voice for vlan checks on hp_comware"),
        ("neighbor:cdp", "arista_eos", {"device"}, "ssh", True, "ssh",
         "neighbor (cdp) checks are not supported on arista_eos over ssh (use via: snmp)"),
        ("state", "aruba_aoscx", {"err_disabled"}, None, True, "ssh", "state checks are not supported on aruba_aoscx over ssh"),
        ("state", "cisco_ios", {"stp", "err_disabled"}, None, True, "ssh", ""),
        ("state", "cisco_ios", {"stp"}, None, True, "snmp", ""),
        ("port", "juniper_junos", {"status"}, None, False, "ssh",
         "port checks are not supported on juniper_junos over ssh (give the device snmp: settings and use via: snmp)"),
    ],
)  # fmt: skip
def test_choose(
    kind: str, platform: str, fields: set[str], via: str | None, has_snmp: bool, transport: str, problem: str
) -> None:
    choice = platforms.choose(kind, platform, fields, via=via, has_snmp=has_snmp)
    assert (choice.transport, choice.problem) == (transport, problem)
