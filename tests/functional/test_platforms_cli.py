"""`golive validate` refuses a check its platform cannot answer; `golive platforms` prints the matrix.

Through the installed command, as an author meets it: one `file:line:col: message` line per refused
check, pointing at the check or at the expectation field no transport can report, exit 1.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from golive.runbook import platforms

from .test_cli import REPO, golive, no_traceback

HEAD = """\
runbook: {id: t, title: t, version: 1, window: {start: "2026-12-05T22:00-05:00", end: "2026-12-06T02:00-05:00"}}
roles: {net: Network engineer}
inventory:
  cx: {host: 192.0.2.15, platform: aruba_aoscx, snmp: {version: 2c, community: env:C}}
  cx-plain: {host: 192.0.2.16, platform: aruba_aoscx}
  ios: {host: 192.0.2.17, platform: cisco_ios, snmp: {version: 2c, community: env:C}}
  eos: {host: 192.0.2.18, platform: arista_eos}
phases:
  - id: p
    title: p
    tasks:
      - id: t
        title: t
        duration: 5m
        checks:
"""


def write(tmp_path: Path, checks: str) -> Path:
    path = tmp_path / "runbook.yaml"
    path.write_text(HEAD + textwrap.indent(textwrap.dedent(checks), " " * 10))
    return path


def test_checks_no_transport_can_answer_are_refused_with_their_position(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        - {kind: poe, via: ssh, device: cx, port: 1/1/1, expect: {powered: true}}
        - kind: vlan
          via: snmp
          device: ios
          port: Gi1/0/1
          expect: {access: 10, voice: 20}
        - {kind: poe, device: cx-plain, port: 1/1/1, expect: {powered: true}}
        - {kind: errors, device: eos, port: Ethernet1, expect: {crc: 0}}
        - {kind: neighbor, protocol: cdp, device: eos, port: Ethernet1, expect: {device: X}}
        - {kind: state, device: cx, port: 1/1/1, expect: {err_disabled: false}}
        - {kind: poe, device: cx, port: 1/1/2, expect: {powered: true}}
        - {kind: vlan, device: ios, port: Gi1/0/1, expect: {voice: 20}}
        - {kind: vlan, device: eos, port: Ethernet1, expect: {access: 20}}
        """,
    )
    result = golive("validate", str(path))
    no_traceback(result)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{path}:16:13: poe checks are not supported on aruba_aoscx over ssh (use via: snmp)",
        f"{path}:21:34: snmp cannot report voice for vlan checks (use via: ssh)",
        f"{path}:22:13: poe checks are not supported on aruba_aoscx over ssh"
        " (give the device snmp: settings and use via: snmp)",
        f"{path}:23:13: errors checks are not supported on arista_eos over ssh"
        " (give the device snmp: settings and use via: snmp)",
        f"{path}:24:13: neighbor (cdp) checks are not supported on arista_eos over ssh"
        " (give the device snmp: settings and use via: snmp)",
        f"{path}:25:13: state checks are not supported on aruba_aoscx over ssh",
        "6 problems found",
    ]


def test_a_field_only_ssh_lacks_points_at_the_field(tmp_path: Path) -> None:
    path = write(tmp_path, "- {kind: vlan, device: eos, port: Ethernet1, expect: {access: 20, mode: trunk}}\n")
    line = f"{path}:16:77: ssh cannot report mode for vlan checks on arista_eos"
    result = golive("validate", str(path))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == line
    loading = golive("load", str(path), "--rehearsal", "--db", str(tmp_path / "golive.db"))
    assert (loading.returncode, loading.stderr.splitlines()[0]) == (1, line)
    assert not (tmp_path / "golive.db").exists()


def test_the_readme_holds_the_matrix_golive_platforms_prints() -> None:
    result = golive("platforms", "--markdown")
    assert result.returncode == 0, result.stderr
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    begin, end = "<!-- golive platforms --markdown: begin -->\n", "<!-- golive platforms --markdown: end -->"
    assert readme[readme.index(begin) + len(begin) : readme.index(end)] == result.stdout
    assert "| poe | all | all | - | - | - | - | all |" in result.stdout.replace(" (powered, class, watts)", "")


def test_platforms_json_has_stable_keys_and_the_matrix() -> None:
    result = golive("platforms", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == ["kinds", "snmp", "snmp_not_on", "snmp_only_platforms", "snmp_vendor", "ssh"]
    assert data["snmp_not_on"]["mac"]["platforms"] == ["cisco_ios", "cisco_xe"]
    assert data["snmp_vendor"]["vlan"]["mode"]["platforms"] == ["cisco_ios", "cisco_nxos", "cisco_xe"]
    assert data["ssh"]["aruba_aoscx"].get("poe") is None
    assert data["ssh"]["hp_comware"]["vlan"] == ["access", "mode", "native"]
    assert data["snmp"]["vlan"] == ["access", "mode"]
    assert set(data["ssh"]) == set(platforms.SSH_PLATFORMS)
    assert "juniper_junos" in data["snmp_only_platforms"]


def test_platforms_table_in_a_terminal_and_usage() -> None:
    table = golive("platforms", env={"COLUMNS": "200"})
    assert table.returncode == 0, table.stderr
    assert "aruba_aoscx" in table.stdout and "err_disabled" in table.stdout
    both = golive("platforms", "--json", "--markdown")
    assert both.returncode == 2
    no_traceback(both)


def test_macs_over_snmp_on_catalyst_ios_are_refused_and_go_over_ssh_unasked(tmp_path: Path) -> None:
    """A Catalyst keeps one BRIDGE-MIB per VLAN (community@vlan): read in the default context it shows
    VLAN 1's MACs only, so a MAC in any other VLAN would read "not learned" on a healthy port."""
    path = write(
        tmp_path,
        """\
        - {kind: mac, via: snmp, device: ios, port: Gi1/0/1, expect: {count: 1}}
        - {kind: mac, device: ios, port: Gi1/0/2, expect: {count: 1}}
        """,
    )
    result = golive("validate", str(path))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{path}:16:13: mac checks are not supported on cisco_ios over snmp (its MAC table is per VLAN over SNMP)"
        " (use via: ssh)",
        "1 problem found",
    ]
    runbook = platforms.choose("mac", "cisco_ios", {"count"}, via=None, has_snmp=True)
    assert runbook.transport == "ssh" and not runbook.problem
