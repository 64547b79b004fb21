"""The lab's SNMP agents (snmpsim fed from the world file), queried by real clients: pysnmp 7
(v2c and v3 authPriv) and net-snmp's snmpget / snmpbulkwalk. Faults written to the world show up
after refresh(): a port going down, a device unreachable, a slow device; stop leaves no process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from golive.checks.endpoints import SnmpEndpoint
from golive.lab import snmprec
from golive.lab.snmp_agents import SnmpAgents, SnmpLabError, allocate_endpoints
from golive.lab.world import DeviceWorld, Errors, LearnedMac, Neighbor, Poe, Port, SnmpValue, World
from tests.peers import SnmpQueryError, snmp_get, snmp_walk

SYS = "1.3.6.1.2.1.1"
IF = "1.3.6.1.2.1.2.2.1"
IFX = "1.3.6.1.2.1.31.1.1.1"
SHA_NAMES = {"sha": "SHA", "sha256": "SHA-256"}


def _access(ifindex: int, **changes: object) -> Port:
    fields: dict[str, object] = {
        "ifindex": ifindex,
        "description": f"Room {300 + ifindex}",
        "access_vlan": 120,
        "voice_vlan": 130,
        "macs": [LearnedMac(mac=f"001b.4f00.00{ifindex:02x}", vlan=120)],
    }
    fields.update(changes)
    return Port.model_validate(fields)


def _world() -> World:
    edge = DeviceWorld(
        platform="cisco_ios",
        hostname="idf3b-sw1",
        sys_descr="Cisco IOS XE Software, Version 17.09.04a\nTechnical Support: http://www.cisco.com",
        uptime_s=3600,
        ports={
            "Gi1/0/1": _access(1, errors=Errors(input=7, crc=3, output=2, discards=5, out_discards=4)),
            "Gi1/0/2": _access(2, status="down", duplex="auto", stp="disabled"),
            "Gi1/0/3": _access(3, status="disabled"),
            "Gi1/0/10": _access(10, poe=Poe.model_validate({"powered": True, "class": 4, "watts": 15.4})),
            "Gi1/0/11": _access(11, poe=Poe.model_validate({"powered": False, "class": 2})),
            "Te1/1/1": Port(
                ifindex=1001,
                speed_mbps=10000,
                mode="trunk",
                native_vlan=999,
                description="Uplink to core-1 Eth1/12",
                neighbors=[
                    Neighbor(protocol="cdp", device="core-1", port="Ethernet1/12", platform="N9K-C93180YC-FX"),
                    Neighbor(protocol="lldp", device="core-1.hosp", port="Eth1/12", platform="Cisco NX-OS 10.3"),
                ],
            ),
        },
        extra_oids={"1.3.6.1.4.1.9.9.999.1.0": SnmpValue(tag=4, value="lab extra")},
    )
    core = DeviceWorld(platform="cisco_nxos", hostname="core-1", ports={"Eth1/12": Port(ifindex=436207616)})
    return World(runbook_id="lab-snmp-test", devices={"idf3b-sw1": edge, "core-1": core})


class Lab:
    def __init__(self, directory: Path) -> None:
        self.world_path = directory / "world.json"
        self.world = _world()
        self.world.write(self.world_path)
        versions = {"idf3b-sw1": "3", "core-1": "2c"}
        self.endpoints = allocate_endpoints(self.world, versions, protocols={"idf3b-sw1": ("sha256", "aes")})
        self.agents = SnmpAgents(directory, self.world_path, self.endpoints)

    def fault(self, device: str, **changes: object) -> None:
        updated = self.world.devices[device].model_copy(update=changes)
        self.world = self.world.model_copy(update={"devices": {**self.world.devices, device: updated}})
        self.world.write(self.world_path)
        self.agents.refresh()

    def set_port(self, device: str, port: str, **changes: object) -> None:
        ports = dict(self.world.devices[device].ports)
        ports[port] = ports[port].model_copy(update=changes)
        self.fault(device, ports=ports)


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    running = Lab(tmp_path)
    with running.agents:
        yield running


def _values(rows: dict[str, object]) -> dict[str, str]:
    return {
        oid: str(value) if not hasattr(value, "asOctets") else value.asOctets().decode() for oid, value in rows.items()
    }


# -- rendering -------------------------------------------------------------------------------


def test_render_sorts_numerically_and_keeps_every_line_one_record() -> None:
    text = snmprec.render(_world().devices["idf3b-sw1"], now=1_000_000.0)
    oids = [line.split("|", 1)[0] for line in text.splitlines()]
    keys = [tuple(int(part) for part in oid.split(".")) for oid in oids]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert oids.index(f"{IF}.1.2") < oids.index(f"{IF}.1.10")  # a string sort would put 10 first
    assert oids[0].startswith("1.0.8802.")  # LLDP-MIB sorts before mib-2
    assert "1.3.6.1.2.1.1.1.0|4x|" in text  # a multi-line sysDescr is hex-encoded
    assert "1.3.6.1.2.1.1.3.0|67:numeric|rate=100,atime=1,initial=-99640000\n" in text


def test_render_refuses_a_symbolic_extra_oid() -> None:
    device = (
        _world()
        .devices["core-1"]
        .model_copy(update={"extra_oids": {"SNMPv2-MIB::sysName.0": SnmpValue(tag=4, value="x")}})
    )
    with pytest.raises(ValueError, match="not numeric"):
        snmprec.render(device, now=0.0)


def test_allocate_endpoints_gives_distinct_ports_and_random_credentials() -> None:
    world = _world()
    first = allocate_endpoints(world, {"idf3b-sw1": "3", "core-1": "2c"})
    second = allocate_endpoints(world, {"idf3b-sw1": "3", "core-1": "2c"})
    assert first["idf3b-sw1"].port != first["core-1"].port
    assert first["idf3b-sw1"].auth_key != second["idf3b-sw1"].auth_key
    assert first["idf3b-sw1"].context and not first["idf3b-sw1"].community
    assert first["core-1"].community and not first["core-1"].user
    with pytest.raises(ValueError, match="not in the lab world"):
        allocate_endpoints(world, {"ghost": "2c"})
    with pytest.raises(ValueError, match="version"):
        allocate_endpoints(world, {"core-1": "1"})


# -- every table, read with pysnmp ---------------------------------------------------------


def test_system_group_over_v3_authpriv(lab: Lab) -> None:
    edge = lab.endpoints["idf3b-sw1"]
    rows = _values(snmp_get(edge, f"{SYS}.1.0", f"{SYS}.2.0", f"{SYS}.5.0", "1.3.6.1.4.1.9.9.999.1.0"))
    assert rows[f"{SYS}.1.0"].startswith("Cisco IOS XE Software, Version 17.09.04a\nTechnical")
    assert rows[f"{SYS}.2.0"] == "1.3.6.1.4.1.9.1.2494"
    assert rows[f"{SYS}.5.0"] == "idf3b-sw1"
    assert rows["1.3.6.1.4.1.9.9.999.1.0"] == "lab extra"
    first = int(snmp_get(edge, f"{SYS}.3.0")[f"{SYS}.3.0"])
    assert 360000 <= first < 360000 + 100 * 60  # uptime_s = 3600, ticking since the lab started
    time.sleep(1.1)
    assert int(snmp_get(edge, f"{SYS}.3.0")[f"{SYS}.3.0"]) >= first + 100


def test_if_tables(lab: Lab) -> None:
    edge = lab.endpoints["idf3b-sw1"]
    table = _values(snmp_walk(edge, IF))
    assert table[f"{IF}.1.1001"] == "1001"
    assert table[f"{IF}.2.1"] == "GigabitEthernet1/0/1"
    assert table[f"{IF}.2.1001"] == "TenGigabitEthernet1/1/1"
    assert table[f"{IF}.3.1"] == "6"
    assert table[f"{IF}.5.1"] == "1000000000"
    assert table[f"{IF}.5.1001"] == "4294967295"  # 10G does not fit ifSpeed
    assert [table[f"{IF}.7.{i}"] for i in (1, 2, 3)] == ["1", "1", "2"]  # admin: disabled is down
    assert [table[f"{IF}.8.{i}"] for i in (1, 2, 3)] == ["1", "2", "2"]
    assert [table[f"{IF}.{column}.1"] for column in (13, 14, 19, 20)] == ["5", "7", "4", "2"]
    extended = _values(snmp_walk(edge, IFX))
    assert extended[f"{IFX}.1.1"] == "Gi1/0/1"
    assert extended[f"{IFX}.15.1001"] == "10000"
    assert extended[f"{IFX}.18.1001"] == "Uplink to core-1 Eth1/12"
    ether = _values(snmp_walk(edge, "1.3.6.1.2.1.10.7.2.1"))
    assert ether["1.3.6.1.2.1.10.7.2.1.3.1"] == "3"
    assert [ether[f"1.3.6.1.2.1.10.7.2.1.19.{i}"] for i in (1, 2)] == ["3", "1"]


def test_bridge_and_vlan_tables(lab: Lab) -> None:
    edge = lab.endpoints["idf3b-sw1"]
    bridge = _values(snmp_walk(edge, "1.3.6.1.2.1.17"))
    assert bridge["1.3.6.1.2.1.17.1.4.1.2.10"] == "10"
    assert bridge["1.3.6.1.2.1.17.2.15.1.3.1"] == "5"
    assert bridge["1.3.6.1.2.1.17.2.15.1.3.2"] == "1"
    assert bridge["1.3.6.1.2.1.17.7.1.2.2.1.2.120.0.27.79.0.0.10"] == "10"  # 001b.4f00.000a on Gi1/0/10
    assert bridge["1.3.6.1.2.1.17.7.1.2.2.1.3.120.0.27.79.0.0.10"] == "3"  # learned
    assert not any(oid.startswith("1.3.6.1.2.1.17.7.1.4.5.1.1.") for oid in bridge)  # like a real IOS: no dot1qPvid
    cisco = _values(snmp_walk(edge, "1.3.6.1.4.1.9.9"))
    assert cisco["1.3.6.1.4.1.9.9.68.1.2.2.1.2.1"] == "120"  # vmVlan of an access port
    assert "1.3.6.1.4.1.9.9.68.1.2.2.1.2.1001" not in cisco  # none for the trunk
    trunking = "1.3.6.1.4.1.9.9.46.1.6.1.1.14"
    assert (cisco[f"{trunking}.1"], cisco[f"{trunking}.1001"]) == ("2", "1")  # notTrunking, trunking


def test_poe_tables(lab: Lab) -> None:
    edge = lab.endpoints["idf3b-sw1"]
    poe = _values(snmp_walk(edge, "1.3.6.1.2.1.105.1.1.1"))
    entry = "1.3.6.1.2.1.105.1.1.1"
    assert [poe[f"{entry}.{column}.1.10"] for column in (3, 6, 10)] == ["1", "3", "5"]
    assert [poe[f"{entry}.{column}.1.11"] for column in (3, 6, 10)] == ["1", "2", "3"]
    assert f"{entry}.3.1.1" not in poe  # no PoE on Gi1/0/1
    watts = _values(snmp_walk(edge, "1.3.6.1.4.1.9.9.402.1.2.1.11"))
    assert watts == {"1.3.6.1.4.1.9.9.402.1.2.1.11.1.10": "15400", "1.3.6.1.4.1.9.9.402.1.2.1.11.1.11": "0"}


def test_neighbor_tables(lab: Lab) -> None:
    edge = lab.endpoints["idf3b-sw1"]
    lldp = _values(snmp_walk(edge, "1.0.8802.1.1.2.1"))
    assert lldp["1.0.8802.1.1.2.1.3.7.1.3.1001"] == "Te1/1/1"
    remote = "1.0.8802.1.1.2.1.4.1.1"
    assert [lldp[f"{remote}.{column}.0.1001.1"] for column in (7, 8, 9, 10)] == [
        "Eth1/12",
        "Eth1/12",
        "core-1.hosp",
        "Cisco NX-OS 10.3",
    ]
    cdp = _values(snmp_walk(edge, "1.3.6.1.4.1.9.9.23.1.2.1.1"))
    assert cdp == {
        "1.3.6.1.4.1.9.9.23.1.2.1.1.6.1001.1": "core-1",
        "1.3.6.1.4.1.9.9.23.1.2.1.1.7.1001.1": "Ethernet1/12",
        "1.3.6.1.4.1.9.9.23.1.2.1.1.8.1001.1": "N9K-C93180YC-FX",
    }


def test_v2c_device_and_version_per_device(lab: Lab) -> None:
    core, edge = lab.endpoints["core-1"], lab.endpoints["idf3b-sw1"]
    assert str(snmp_get(core, f"{SYS}.5.0")[f"{SYS}.5.0"]) == "core-1"
    assert _values(snmp_get(core, f"{IFX}.1.436207616")) == {f"{IFX}.1.436207616": "Eth1/12"}
    # the v3 device does not answer v2c, even with its data's name as community; nor a wrong community
    as_v2c = SnmpEndpoint(port=edge.port, version="2c", community=edge.context)
    wrong = core.model_copy(update={"community": "wrong" + core.community})
    for endpoint in (as_v2c, wrong):
        with pytest.raises(SnmpQueryError, match="No SNMP response received before timeout"):
            snmp_get(endpoint, f"{SYS}.5.0", timeout=0.5)
    # v3 without the context selects no data: snmpsim drops it
    with pytest.raises(SnmpQueryError):
        snmp_get(edge.model_copy(update={"context": ""}), f"{SYS}.5.0", timeout=0.5)


# -- net-snmp's command-line tools -----------------------------------------------------------


def _net_snmp(tool: str, endpoint: SnmpEndpoint, *oids: str) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"net-snmp's {tool} is not installed")
    if endpoint.version == "2c":
        credentials = ["-v2c", "-c", endpoint.community]
    else:
        credentials = ["-v3", "-l", "authPriv", "-u", endpoint.user, "-a", SHA_NAMES[endpoint.auth]]
        credentials += ["-A", endpoint.auth_key, "-x", endpoint.priv.upper(), "-X", endpoint.priv_key]
        credentials += ["-n", endpoint.context]
    command = [tool, *credentials, "-On", "-Oe", "-t", "2", "-r", "1", f"127.0.0.1:{endpoint.port}", *oids]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=30, env={**os.environ, "MIBS": ""}, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_net_snmp_tools_read_the_lab(lab: Lab) -> None:
    edge, core = lab.endpoints["idf3b-sw1"], lab.endpoints["core-1"]
    got = _net_snmp("snmpget", edge, f"{SYS}.5.0", f"{IF}.8.2", "1.3.6.1.4.1.9.9.402.1.2.1.11.1.10")
    assert '.1.3.6.1.2.1.1.5.0 = STRING: "idf3b-sw1"' in got
    assert ".1.3.6.1.2.1.2.2.1.8.2 = INTEGER: 2" in got
    assert ".1.3.6.1.4.1.9.9.402.1.2.1.11.1.10 = Gauge32: 15400" in got
    walked = _net_snmp("snmpbulkwalk", edge, IF).splitlines()
    assert len(walked) == 6 * 10  # six ports, ten ifTable columns
    assert '.1.3.6.1.2.1.2.2.1.2.1001 = STRING: "TenGigabitEthernet1/1/1"' in walked
    core_walk = _net_snmp("snmpbulkwalk", core, "1.3.6.1.2.1.17.7.1.4.5")
    assert core_walk.strip() == ".1.3.6.1.2.1.17.7.1.4.5.1.1.436207616 = Gauge32: 1"


# -- faults ----------------------------------------------------------------------------------


def _poll(read: object, wanted: str, within_s: float) -> tuple[str, float]:
    assert callable(read)
    started = time.monotonic()
    value = read()
    while value != wanted and time.monotonic() - started < within_s:
        time.sleep(0.2)
        value = read()
    return value, time.monotonic() - started


def test_port_down_fault_shows_within_seconds(lab: Lab) -> None:
    edge = lab.endpoints["idf3b-sw1"]
    oper = f"{IF}.8.10"

    def read() -> str:
        return str(snmp_get(edge, oper)[oper])

    assert read() == "1"
    uptime_before = int(snmp_get(edge, f"{SYS}.3.0")[f"{SYS}.3.0"])
    lab.set_port("idf3b-sw1", "Gi1/0/10", status="down")
    value, waited = _poll(read, "2", within_s=5)
    assert value == "2", f"ifOperStatus still {value} after {waited:.1f} s"
    assert int(snmp_get(edge, f"{SYS}.3.0")[f"{SYS}.3.0"]) >= uptime_before  # no false reboot
    lab.set_port("idf3b-sw1", "Gi1/0/10", status="up")
    assert _poll(read, "1", within_s=5)[0] == "1"


def test_down_device_times_out_while_the_other_answers(lab: Lab) -> None:
    edge, core = lab.endpoints["idf3b-sw1"], lab.endpoints["core-1"]
    lab.fault("core-1", down=True)
    started = time.monotonic()
    with pytest.raises(SnmpQueryError, match="No SNMP response received before timeout"):
        snmp_get(core, f"{SYS}.5.0", timeout=0.5)
    assert time.monotonic() - started < 3
    assert str(snmp_get(edge, f"{SYS}.5.0")[f"{SYS}.5.0"]) == "idf3b-sw1"
    lab.fault("core-1", down=False)
    assert str(snmp_get(core, f"{SYS}.5.0")[f"{SYS}.5.0"]) == "core-1"


def test_slow_device_answers_late_without_slowing_the_other(lab: Lab) -> None:
    edge, core = lab.endpoints["idf3b-sw1"], lab.endpoints["core-1"]
    lab.fault("core-1", slow_s=1.5)
    started = time.monotonic()
    assert str(snmp_get(core, f"{SYS}.5.0", timeout=3)[f"{SYS}.5.0"]) == "core-1"
    assert time.monotonic() - started >= 1.5
    with pytest.raises(SnmpQueryError):
        snmp_get(core, f"{SYS}.5.0", timeout=0.5)  # a check with a short timeout sees a timeout
    started = time.monotonic()
    snmp_get(edge, f"{SYS}.5.0")
    assert time.monotonic() - started < 1.0


def test_stop_leaves_no_process_and_no_listener(tmp_path: Path) -> None:
    lab = Lab(tmp_path)
    with lab.agents:
        pid = lab.agents.pid
        assert pid is not None
        assert lab.agents.startup_s > 0
    assert not _alive(pid)
    with pytest.raises(SnmpQueryError):
        snmp_get(lab.endpoints["core-1"], f"{SYS}.5.0", timeout=0.5)
    log = (tmp_path / "snmp" / "snmpsim.log").read_text(encoding="utf-8")
    for endpoint in lab.endpoints.values():
        for secret in (endpoint.auth_key, endpoint.priv_key):
            assert not secret or secret not in log


def test_agents_die_with_their_parent(tmp_path: Path) -> None:
    """A lab process killed with SIGKILL must not leave snmpsim behind."""
    world = tmp_path / "world.json"
    _world().write(world)
    script = (
        "import sys, pathlib\n"
        "from golive.lab.world import World\n"
        "from golive.lab.snmp_agents import SnmpAgents, allocate_endpoints\n"
        "path = pathlib.Path(sys.argv[1])\n"
        "world = World.read(path)\n"
        "agents = SnmpAgents(path.parent, path, allocate_endpoints(world, {'core-1': '2c'}))\n"
        "agents.start()\n"
        "print(agents.pid, flush=True)\n"
        "sys.stdin.read()\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script, str(world)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert _alive(child)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child)


def test_a_device_missing_from_the_world_is_named(tmp_path: Path) -> None:
    lab = Lab(tmp_path)
    endpoints = {**lab.endpoints, "ghost": lab.endpoints["core-1"].model_copy(update={"community": "ghost"})}
    with pytest.raises(SnmpLabError, match="ghost"):
        SnmpAgents(tmp_path, lab.world_path, endpoints).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (exited, not yet reaped by its parent) counts as gone
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return True
