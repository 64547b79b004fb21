"""Real peers for the port map tests: FakeNOS serving real CLI captures, snmpsim serving real walks.

One helper so the read tests and the engine tests run golive against the same devices: each SSH device
is a set of ntc-templates captures (tests/corpus/ssh), each SNMP device a recorded walk
(tests/corpus/snmp); the yielded endpoints are what a running lab hands the engine.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import yaml

from golive.checks.endpoints import DeviceEndpoints, LabEndpoints, SnmpEndpoint
from golive.checks.engine import Engine
from golive.runbook.load import parse_runbook

from .capture_peer import capture, serve
from .test_snmp_corpus import CORPUS as SNMP_CORPUS
from .test_snmp_corpus import serving

# device -> (platform, command -> capture file): one switch each, every command a port map sends
SSH_DEVICES: dict[str, tuple[str, dict[str, str]]] = {
    "ios": ("cisco_ios", {
        "show interfaces status": "cisco_ios_show_interfaces_status.raw",
        "show interfaces switchport": "cisco_ios_show_interfaces_switchport4.raw",
        "show power inline": "cisco_ios_show_power_inline.raw",
        "show cdp neighbors detail": "cisco_ios_show_cdp_neighbors_detail2.raw",
        "show lldp neighbors detail": "cisco_ios_show_lldp_neighbors_detail3.raw",
        "show mac address-table": "cisco_ios_show_mac-address-table2.raw",
    }),
    "comware": ("hp_comware", {
        "display interface brief": "hp_comware_display_interface_brief_release_9119P17.raw",
        "display lldp neighbor-information verbose": "hp_comware_display_lldp_neighbor-information_verbose.raw",
        "display mac-address": "hp_comware_display_mac-address.raw",
    }),
    "cx": ("aruba_aoscx", {
        "show interface": "show_interface2.raw",
        "show lldp neighbors-info detail": "show_lldp_neighbors-info_detail.raw",
        "show mac-address-table": "show_mac-address-table.raw",
    }),
}  # fmt: skip

# device -> (platform, walk file stem, which is also its v2c community)
SNMP_DEVICES: dict[str, tuple[str, str]] = {
    "eos-snmp": ("arista_eos", "arista_eos"),
    "cx-snmp": ("aruba_aoscx", "arubaos_cx_8325"),
    "a5500-snmp": ("hp_comware", "comware_a5500"),
}


def runbook_text(portmap: list[dict[str, object]] | None = None, checks: list[dict[str, object]] | None = None) -> str:
    """A runbook whose inventory is every peer above; optionally a port map and one task's checks."""
    inventory: dict[str, object] = {
        name: {"host": f"192.0.2.{10 + i}", "platform": platform, "credentials": "env:GOLIVE_TEST_SSH"}
        for i, (name, (platform, _)) in enumerate(SSH_DEVICES.items())
    }
    for i, (name, (platform, _)) in enumerate(SNMP_DEVICES.items()):
        inventory[name] = {
            "host": f"192.0.2.{50 + i}", "platform": platform, "credentials": "env:GOLIVE_TEST_SSH",
            "snmp": {"version": "2c", "community": "env:GOLIVE_TEST_COMMUNITY"},
        }  # fmt: skip
    task = {"id": "cut", "title": "Re-patch", "duration": "30m", "checks": checks or []}
    document: dict[str, object] = {
        "runbook": {"id": "portmap-read", "title": "Port map reads", "version": 1,
                    "window": {"start": "2026-12-05T22:00-05:00", "end": "2026-12-06T02:00-05:00"}},
        "roles": {"net": "Network engineer"},
        "inventory": inventory,
    }  # fmt: skip
    if portmap is not None:
        document["portmap"] = {"jacks": portmap}
    document["phases"] = [{"id": "p", "title": "P", "tasks": [task] if checks else [{**task, "checks": []}]}]
    return yaml.safe_dump(document, sort_keys=False)


@contextlib.contextmanager
def peers(directory: Path) -> Iterator[LabEndpoints]:
    """Every SSH device served by FakeNOS and every SNMP device by snmpsim, as one lab's endpoints."""
    data = directory / "snmp" / "data"
    data.mkdir(parents=True)
    for _, stem in SNMP_DEVICES.values():
        shutil.copyfile(SNMP_CORPUS / f"{stem}.snmprec", data / f"{stem}.snmprec")
    served = {
        name: (platform, {c: capture(platform, f) for c, f in cmds.items()})
        for name, (platform, cmds) in SSH_DEVICES.items()
    }
    with serving(data, SNMP_DEVICES["eos-snmp"][1]) as port, serve(served, directory) as lab:
        devices = dict(lab.devices)
        for name, (_, stem) in SNMP_DEVICES.items():
            devices[name] = DeviceEndpoints(snmp=SnmpEndpoint(port=port, version="2c", community=stem))
        yield LabEndpoints(known_hosts=lab.known_hosts, devices=devices)


def engine_for(text: str, lab: LabEndpoints, **options: object) -> Engine:
    loaded = parse_runbook(text, "portmap.yaml")
    return Engine(loaded.runbook, rehearsal=False, lab=lab, default_timeout=10.0, **options)  # type: ignore[arg-type]
