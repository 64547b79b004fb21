"""Every simulated platform x command parses with ntc-templates into the world's values, and faults show."""

from __future__ import annotations

import pytest
from ntc_templates.parse import parse_output

from golive.checks.ssh.commands import COMMANDS, FIELDS, looks_like
from golive.lab.faults import apply_fault
from golive.lab.ssh_outputs import render
from golive.lab.world import DeviceWorld, Errors, LearnedMac, Neighbor, Poe, Port, World

PORT_NAMES = {
    "cisco_ios": ("Gi1/0/5", "Te1/1/1"),
    "cisco_nxos": ("Eth1/5", "Eth1/49"),
    "arista_eos": ("Ethernet5", "Ethernet49/1"),
    "hp_comware": ("GE1/0/5", "XGE1/0/49"),
    "aruba_aoscx": ("1/1/5", "1/1/49"),
}


def _world(platform: str) -> World:
    access, uplink = PORT_NAMES[platform]
    ports = {
        access: Port(
            ifindex=5, description="RM205-A", access_vlan=120, voice_vlan=130, poe=Poe(watts=6.5, **{"class": 2}),
            neighbors=[Neighbor(protocol="lldp", device="AP-RVP-2E-05", port="GigabitEthernet0", platform="Cisco AP C9120AXI")]
            + ([Neighbor(protocol="cdp", device="AP-RVP-2E-05", port="GigabitEthernet0", platform="cisco C9120AXI-B")]
               if platform.startswith("cisco") else []),
            macs=[LearnedMac(mac="0000.5eef.102a", vlan=120)],
        ),
        uplink: Port(
            ifindex=49, speed_mbps=10000, mode="trunk", trunk_allowed="1,120,130", errors=Errors(crc=3, input=4),
            neighbors=[Neighbor(protocol="lldp", device="RVP-CORE-01.example.org", port="Ethernet1/21", platform="Cisco NX-OS")],
        ),
    }  # fmt: skip
    return World(runbook_id="t", devices={"sw": DeviceWorld(platform=platform, hostname="SW1", ports=ports)})


def _parse(world: World, command: str) -> list[dict[str, object]]:
    device = world.devices["sw"]
    records = parse_output(platform=device.platform, command=command, data=render(device.platform, command, device))
    return [dict(r) for r in records]


CASES = [
    (p, c) for p, kinds in COMMANDS.items() if p != "cisco_xe" for c in sorted({c for cs in kinds.values() for c in cs})
]


@pytest.mark.parametrize(("platform", "command"), CASES)
def test_every_command_parses_with_its_fields(platform: str, command: str) -> None:
    records = _parse(_world(platform), command)
    assert records, f"{platform} {command!r} parsed to nothing"
    for field in FIELDS[(platform, command)]:
        assert all(field in r for r in records), f"{field} missing"


@pytest.mark.parametrize(("platform", "command"), CASES)
def test_every_command_carries_its_signature_and_garbage_does_not(platform: str, command: str) -> None:
    from golive.lab._ssh_child import GARBAGE

    device = _world(platform).devices["sw"]
    assert looks_like(platform, command, render(platform, command, device))
    assert not looks_like(platform, command, GARBAGE)
    assert not looks_like(platform, command, "% Unknown command or computer name\n")


def _row(records: list[dict[str, object]], key: str, suffix: str) -> dict[str, object] | None:
    return next((r for r in records if str(r.get(key, "")).endswith(suffix)), None)


@pytest.mark.parametrize("platform", list(PORT_NAMES))
def test_neighbor_name_and_port_survive_parsing(platform: str) -> None:
    command = COMMANDS[platform]["neighbor:lldp"][0]
    records = _parse(_world(platform), command)
    names = {str(r["neighbor_name"]) for r in records}
    assert names == {"AP-RVP-2E-05", "RVP-CORE-01.example.org"}
    assert "Ethernet1/21" in {str(r["neighbor_interface"]) for r in records}


PORT_STATUS = {  # (command, key column, status column, up value, down value)
    "cisco_ios": ("show interfaces status", "port", "status", "connected", "notconnect"),
    "cisco_nxos": ("show interface status", "port", "status", "connected", "notconnec"),
    "arista_eos": ("show interfaces status", "port", "status", "connected", "notconnect"),
    "hp_comware": ("display interface brief", "interface", "link", "UP", "DOWN"),
    "aruba_aoscx": ("show interface", "interface", "link_status", "up", "down"),
}


@pytest.mark.parametrize("platform", list(PORT_NAMES))
def test_port_down_and_wrong_vlan_change_the_parse(platform: str) -> None:
    command, key, column, up, down = PORT_STATUS[platform]
    access = PORT_NAMES[platform][0]
    suffix = access.split("/")[-1] if "/" in access else "5"
    world = _world(platform)
    assert (_row(_parse(world, command), key, "/" + suffix if "/" in access else suffix) or {})[column] == up
    broken = apply_fault(world, "sw", "port-down", [access])
    assert (_row(_parse(broken, command), key, "/" + suffix if "/" in access else suffix) or {})[column] == down
    wrong = apply_fault(world, "sw", "wrong-vlan", [access, "999"])
    vlan_command = COMMANDS[platform]["vlan"][0]
    assert "999" in str(_parse(wrong, vlan_command))
    assert "999" not in str(_parse(world, vlan_command))


@pytest.mark.parametrize("platform", list(PORT_NAMES))
def test_neighbor_missing_and_mac_absent_change_the_parse(platform: str) -> None:
    access = PORT_NAMES[platform][0]
    world = _world(platform)
    lldp, mac = COMMANDS[platform]["neighbor:lldp"][0], COMMANDS[platform]["mac"][0]
    assert "AP-RVP-2E-05" in str(_parse(world, lldp))
    assert "AP-RVP-2E-05" not in str(_parse(apply_fault(world, "sw", "neighbor-missing", [access]), lldp))
    assert "102a" in str(_parse(world, mac)).replace(":", "").replace("-", "").replace(".", "")
    absent = str(_parse(apply_fault(world, "sw", "mac-absent", [access]), mac))
    assert "102a" not in absent.replace(":", "").replace("-", "").replace(".", "")


def test_poe_off_and_errors_change_the_ios_parse() -> None:
    world = _world("cisco_ios")
    poe = _row(_parse(world, "show power inline"), "interface", "1/0/5")
    assert poe is not None and poe["operational_status"] == "on" and poe["power"] == "6.5"
    off = _row(_parse(apply_fault(world, "sw", "poe-off", ["Gi1/0/5"]), "show power inline"), "interface", "1/0/5")
    assert off is not None and off["operational_status"] == "off"
    counters = _row(
        _parse(apply_fault(world, "sw", "errors", ["Te1/1/1", "10"]), "show interfaces"), "interface", "1/1/1"
    )
    assert counters is not None and counters["crc"] == "13" and counters["input_errors"] == "14"
