"""net-snmp's real snmpd as a peer: it answers v2c and v3 authPriv, and reports a real link going
down (a veth whose far end is unplugged in a network namespace) as ifOperStatus down(2)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from tests.peers import SnmpQueryError, snmp_get, snmp_walk
from tests.peers.netns import veth_links
from tests.peers.snmpd import SnmpdPeer, running_snmpd, snmpd_peer

__all__ = ["snmpd_peer"]  # the fixture, used by name below

IF_DESCR = "1.3.6.1.2.1.2.2.1.2"
IF_OPER_STATUS = "1.3.6.1.2.1.2.2.1.8"
SYS_NAME = "1.3.6.1.2.1.1.5.0"


def test_snmpd_answers_v2c_and_v3(snmpd_peer: SnmpdPeer) -> None:
    v2c = snmp_get(snmpd_peer.v2c, SYS_NAME)[SYS_NAME]
    v3 = snmp_get(snmpd_peer.v3, SYS_NAME)[SYS_NAME]
    assert str(v2c) == str(v3) != ""
    assert any(str(name) == "lo" for name in snmp_walk(snmpd_peer.v2c, IF_DESCR).values())


def test_snmpd_refuses_a_wrong_community(snmpd_peer: SnmpdPeer) -> None:
    wrong = snmpd_peer.v2c.model_copy(update={"community": "not-" + snmpd_peer.v2c.community})
    with pytest.raises(SnmpQueryError, match="No SNMP response received before timeout"):
        snmp_get(wrong, SYS_NAME, timeout=0.5)


def test_snmpd_stops_at_teardown(tmp_path: Path) -> None:
    with running_snmpd(tmp_path / "snmpd") as peer:
        pid = peer.pid
    assert subprocess.run(["kill", "-0", str(pid)], capture_output=True, check=False).returncode != 0


def _status_of(peer: SnmpdPeer, interface: str) -> int | None:
    for oid, name in snmp_walk(peer.v2c, IF_DESCR).items():
        if str(name) == interface:
            index = oid.rsplit(".", 1)[1]
            return int(snmp_get(peer.v2c, f"{IF_OPER_STATUS}.{index}")[f"{IF_OPER_STATUS}.{index}"])
    return None


def _wait_for_status(peer: SnmpdPeer, interface: str, wanted: int, within_s: float) -> int | None:
    deadline = time.monotonic() + within_s
    status = _status_of(peer, interface)
    while status != wanted and time.monotonic() < deadline:
        time.sleep(0.5)
        status = _status_of(peer, interface)
    return status


def test_a_link_unplugged_in_a_namespace_reads_down_on_snmpd(tmp_path: Path) -> None:
    with veth_links(1) as (link,), running_snmpd(tmp_path / "snmpd") as peer:
        assert _wait_for_status(peer, link.near, 1, within_s=10) == 1
        link.set_far("down")
        assert _wait_for_status(peer, link.near, 2, within_s=10) == 2
        link.set_far("up")
        assert _wait_for_status(peer, link.near, 1, within_s=10) == 1
