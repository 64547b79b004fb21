"""The per-jack verdict on hand-written tables: every outcome the issue names, read as a technician would.

The tables are what two switches would report after a re-patch (written here by hand, not by golive's
lab), so each expectation is derived from the scene, not from the code under test.
"""

from __future__ import annotations

from typing import Any

from golive.checks.ifnames import canonical
from golive.checks.portmap.judge import judge_jacks, overall, snapshot_outcomes
from golive.checks.portmap.tables import DeviceTables, MacRow
from golive.checks.results import Status
from golive.progress.jacks import JackState
from golive.runbook.portmap import Jack

PHONE = "00:1b:44:11:3a:b7"
PC = "00:50:56:aa:00:01"
XRAY = "00:1b:44:22:00:07"
PRINTER = "00:80:77:31:00:09"


def jack(label: str, old: str | None, new: str, **more: Any) -> Jack:
    return Jack(jack=label, old_device="old" if old else None, old_port=old, new_device="new", new_port=new, **more)


def port(name: str, device: str, **values: Any) -> dict[str, Any]:
    return {"device": device, "port": name, "status": "connected", "up": True, "mode": "access", **values}


def tables(
    old_macs: list[tuple[str, int, str]], new_macs: list[tuple[str, int, str]], **new_ports: Any
) -> dict[str, DeviceTables]:
    old = DeviceTables("old", "ssh", macs=[MacRow(m, v, p) for m, v, p in old_macs])
    new = DeviceTables("new", "ssh", macs=[MacRow(m, v, p) for m, v, p in new_macs])
    for name, values in new_ports.items():
        new.ports[canonical(name.replace("_", "/"))] = port(name.replace("_", "/"), "new", **values)
    return {"old": old, "new": new}


PHONE_BEFORE = {
    "device": "old", "port": "GE1/0/17", "status": "up", "access": 120, "voice": 121,
    "macs": [{"mac": PHONE, "vlan": 121}, {"mac": PC, "vlan": 120}],
    "neighbor": {"name": "SEP001B44113AB7", "caps": ["phone"]}, "poe": {"powered": True, "watts": 6.1},
}  # fmt: skip
XRAY_BEFORE = {"device": "old", "port": "GE1/0/10", "access": 130, "voice": None, "macs": [{"mac": XRAY, "vlan": 130}]}
PHONE_AFTER = {"neighbor": {"name": "SEP001B44113AB7", "caps": ["phone"]}, "poe": {"powered": True, "watts": 6.0}}


def verdicts(jacks: list[Jack], baseline: dict[str, Any] | None, t: dict[str, DeviceTables]) -> dict[str, Any]:
    return {label: (o.observed["state"], o.status, o.reason) for label, o in judge_jacks(jacks, baseline, t).items()}


MAP = [
    jack("2-207-B", "GE1/0/17", "Gi1/0/17", kind="phone"),
    jack("2-230-A", "GE1/0/10", "Gi3/0/10", kind="modality", critical=True),
]
BASE = {"2-207-B": PHONE_BEFORE, "2-230-A": XRAY_BEFORE}


def test_both_back() -> None:
    t = tables([], [(PHONE, 121, "Gi1/0/17"), (PC, 120, "Gi1/0/17"), (XRAY, 130, "Gi3/0/10")], Gi1_0_17=PHONE_AFTER)
    got = verdicts(MAP, BASE, t)
    assert got["2-207-B"][:2] == ("back", Status.PASS)
    assert got["2-230-A"][:2] == ("back", Status.PASS)
    assert overall(judge_jacks(MAP, BASE, t)) == (Status.PASS, "2 back")


def test_two_jacks_swapped_read_as_a_swap() -> None:
    t = tables([], [(PHONE, 121, "Gi3/0/10"), (PC, 120, "Gi3/0/10"), (XRAY, 130, "Gi1/0/17")])
    got = verdicts(MAP, BASE, t)
    assert got["2-230-A"][0] == "misplugged"
    assert got["2-230-A"][2] == "swapped with jack 2-207-B: on new Gi1/0/17 (its port); its endpoint is on new Gi3/0/10"
    assert got["2-207-B"][2].startswith("swapped with jack 2-230-A: on new Gi3/0/10")
    results = judge_jacks(MAP, BASE, t)
    assert list(results) == ["2-230-A", "2-207-B"]  # both misplugged: the critical one first
    status, reason = overall(results)
    assert status is Status.FAIL
    assert reason.startswith("2 misplugged; 2-230-A (critical): swapped with jack 2-207-B")


def test_a_forgotten_jack_is_still_on_the_old_switch() -> None:
    t = tables([(XRAY, 130, "GE1/0/10")], [(PHONE, 121, "Gi1/0/17"), (PC, 120, "Gi1/0/17")])
    got = verdicts(MAP, BASE, t)
    assert got["2-230-A"][:2] == ("misplugged", Status.FAIL)
    assert got["2-230-A"][2] == "still on the old switch: old GE1/0/10 (not moved)"


def test_wrong_vlan_and_the_map_names_the_vlan() -> None:
    t = tables([], [(XRAY, 120, "Gi3/0/10")])
    assert verdicts(MAP[1:], BASE, t)["2-230-A"][:3] == (
        "wrong_vlan",
        Status.FAIL,
        "00:1b:44:22:00:07 in VLAN 120; expected 130",
    )
    moved = [jack("2-230-A", "GE1/0/10", "Gi3/0/10", vlan=120)]  # the new design moves imaging to 120
    assert verdicts(moved, BASE, t)["2-230-A"][0] == "back"


def test_a_phone_that_drew_power_and_has_none_now() -> None:
    t = tables([], [(PHONE, 121, "Gi1/0/17"), (PC, 120, "Gi1/0/17")])
    t["new"].ports = {
        canonical("Gi1/0/17"): port("Gi1/0/17", "new", neighbor=PHONE_AFTER["neighbor"], poe={"powered": False})
    }
    got = verdicts(MAP[:1], BASE, t)
    assert got["2-207-B"][:3] == ("no_power", Status.FAIL, "drew power before (6.1 W); not powered now")


def test_power_not_judged_where_the_platform_does_not_report_it() -> None:
    t = tables([], [(PHONE, 121, "Gi1/0/17"), (PC, 120, "Gi1/0/17")])
    t["new"].ports = {canonical("Gi1/0/17"): port("Gi1/0/17", "new")}  # no "poe" key: not read there
    assert verdicts(MAP[:1], BASE, t)["2-207-B"][0] == "back"


def test_an_unexpected_endpoint_on_a_mapped_port() -> None:
    t = tables([], [(XRAY, 130, "Gi3/0/10"), ("00:de:ad:be:ef:01", 130, "Gi3/0/10")])
    state, status, reason = verdicts(MAP[1:], BASE, t)["2-230-A"]
    assert (state, status) == ("unexpected", Status.FAIL)
    assert reason == "back, but also on its port: 00:de:ad:be:ef:01 (an endpoint not in the map)"


def test_a_quiet_device_is_not_seen_never_a_pass() -> None:
    t = tables([], [(PHONE, 121, "Gi1/0/17"), (PC, 120, "Gi1/0/17")])
    got = verdicts(MAP, BASE, t)
    assert got["2-230-A"][:2] == ("not_seen", Status.ERROR)
    assert "re-check later or confirm it by hand" in got["2-230-A"][2]
    status, _ = overall(judge_jacks(MAP, BASE, t))
    assert status is Status.ERROR


def test_a_jack_with_no_mac_at_the_snapshot_is_not_seen() -> None:
    quiet = {"2-230-A": {**XRAY_BEFORE, "macs": []}}
    got = verdicts(MAP[1:], quiet, tables([], []))
    assert got["2-230-A"][:3] == (
        "not_seen",
        Status.ERROR,
        "no MAC at the snapshot and none in the map: confirm it by hand",
    )


def test_macs_behind_an_uplink_say_nothing() -> None:
    uplink = [(f"00:00:5e:00:53:{n:02x}", 120, "Te1/1/1") for n in range(10)]
    t = tables(uplink[:4] + [(XRAY, 130, "Te1/0/48")] * 0, [*uplink, (XRAY, 130, "Te1/1/1"), (XRAY, 130, "Gi3/0/10")])
    assert verdicts(MAP[1:], BASE, t)["2-230-A"][0] == "back"
    trunk = tables([], [(XRAY, 130, "Te1/1/1")])
    trunk["new"].ports[canonical("Te1/1/1")] = port("Te1/1/1", "new", mode="trunk")
    assert verdicts(MAP[1:], BASE, trunk)["2-230-A"][0] == "not_seen"


def test_misplugged_onto_a_port_no_jack_maps() -> None:
    t = tables([], [(XRAY, 130, "Gi3/0/30")])
    assert verdicts(MAP[1:], BASE, t)["2-230-A"][2] == "on new Gi3/0/30, not new Gi3/0/10"


def test_a_new_build_is_proven_by_the_maps_mac_or_oui() -> None:
    build = [
        jack("1-101-A", None, "Gi1/0/1", mac="00:1b:44:22:00:07", vlan=130, critical=True),
        jack("1-102-A", None, "Gi1/0/2", mac="00:80:77:*"),
        jack("1-103-A", None, "Gi1/0/3", mac="00:80:77:*"),
    ]
    t = tables([], [(XRAY, 130, "Gi1/0/1"), (PRINTER, 140, "Gi1/0/2")])
    got = verdicts(build, None, t)
    assert got["1-101-A"][0] == "back"
    assert got["1-102-A"][0] == "back"
    # another printer of the same vendor elsewhere is no proof of where this one went
    assert got["1-103-A"][0] == "not_seen"


def test_a_device_that_could_not_be_read_leaves_its_jacks_unknown() -> None:
    t = tables([], [])
    t["new"].error = "SSH authentication failed"
    state, status, reason = verdicts(MAP[1:], BASE, t)["2-230-A"]
    assert (state, status) == ("not_seen", Status.ERROR)
    assert reason == "new could not be read: SSH authentication failed"


def test_the_snapshot_keeps_each_old_port_with_its_macs() -> None:
    old = DeviceTables("old", "ssh", macs=[MacRow(PHONE, 121, "GE1/0/17")])
    old.ports[canonical("GE1/0/17")] = port("GE1/0/17", "old", access=120, voice=121)
    old.ports[canonical("GE1/0/10")] = port("GE1/0/10", "old", status="down", up=False)
    got = snapshot_outcomes([*MAP, jack("2-299-Z", "GE1/0/77", "Gi1/0/77")], {"old": old})
    assert got["2-207-B"].status is Status.PASS
    assert got["2-207-B"].observed["macs"] == [{"mac": PHONE, "vlan": 121}]
    assert got["2-230-A"].observed["macs"] == []
    assert (got["2-299-Z"].status, got["2-299-Z"].reason) == (
        Status.ERROR,
        "GE1/0/77 is not in old's tables: check its name",
    )


def test_states_are_the_shared_vocabulary() -> None:
    t = tables([], [(XRAY, 130, "Gi3/0/10")])
    for outcome in judge_jacks(MAP, BASE, t).values():
        JackState(outcome.observed["state"])


def test_an_aps_roaming_clients_do_not_make_it_misplugged() -> None:
    clients = [f"a4:83:e7:00:00:{n:02x}" for n in range(8)]
    ap = jack("2-200-AP", "GE1/0/40", "Gi2/0/40", kind="ap")
    before = {"2-200-AP": {"macs": [{"mac": "00:3a:7d:00:00:01", "vlan": 10}] + [{"mac": c, "vlan": 200} for c in clients],
                           "neighbor": {"name": "AP-2-200", "caps": ["bridge", "wlan"]}}}  # fmt: skip
    # the AP is back; two of its clients roamed to another AP's port (in the new switch's table there)
    after = [
        ("00:3a:7d:00:00:01", 10, "Gi2/0/40"),
        *[(c, 200, "Gi2/0/40") for c in clients[2:]],
        *[(c, 200, "Gi2/0/41") for c in clients[:2]],
    ]
    t = tables([], after, Gi2_0_40={"neighbor": {"name": "AP-2-200", "caps": ["bridge", "wlan"]}})
    assert verdicts([ap], before, t)["2-200-AP"][0] == "back"


def test_a_pc_moved_elsewhere_while_its_phone_is_home_is_noted_not_misplugged() -> None:
    t = tables([], [(PHONE, 121, "Gi1/0/17"), (PC, 120, "Gi1/0/30")], Gi1_0_17=PHONE_AFTER)
    state, _, reason = verdicts(MAP[:1], BASE, t)["2-207-B"]
    assert state == "back"
    assert reason == "back on new Gi1/0/17; 00:50:56:aa:00:01 now on new Gi1/0/30"


def test_macs_behind_a_switch_neighbor_are_ignored() -> None:
    t = tables([], [(XRAY, 130, "Gi1/0/48")])  # a few MACs, no mode reported, but a switch neighbor
    t["new"].ports[canonical("Gi1/0/48")] = port(
        "Gi1/0/48", "new", neighbor={"name": "core-a", "caps": ["router", "bridge"]}
    )
    assert verdicts(MAP[1:], BASE, t)["2-230-A"][0] == "not_seen"


def test_a_phone_found_by_its_lldp_name_on_another_port() -> None:
    t = tables([], [], Gi1_0_18={"neighbor": {"name": "SEP001B44113AB7", "caps": ["phone"]}})
    state, _, reason = verdicts(MAP[:1], BASE, t)["2-207-B"]
    assert state == "misplugged"
    assert reason == "on new Gi1/0/18, not new Gi1/0/17 (found by its CDP/LLDP name)"


def test_not_moved_is_named_before_what_an_uplink_shows() -> None:
    t = tables([(XRAY, 130, "GE1/0/10")], [(XRAY, 130, "Te1/1/1")])  # the new switch sees it through its uplink
    assert verdicts(MAP[1:], BASE, t)["2-230-A"][2] == "still on the old switch: old GE1/0/10 (not moved)"
