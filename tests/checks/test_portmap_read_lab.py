"""read_tables against the golive lab (the matrix runbook's five platforms): the same facts the matrix's own
checks assert, read whole, over the transport each device allows and over the one `via` forces."""

from __future__ import annotations

import asyncio

from golive.checks.engine import Engine
from golive.checks.ifnames import canonical
from golive.checks.portmap.read import read_tables
from golive.checks.portmap.tables import DeviceTables
from golive.lab.lab import Lab


def _read(lab: Lab, *reads: tuple[str, str | None]) -> list[DeviceTables]:
    engine = Engine(lab.runbook, rehearsal=False, lab=lab.info)

    async def every() -> list[DeviceTables]:
        return await asyncio.gather(*(read_tables(engine, device, via=via) for device, via in reads))

    try:
        return asyncio.run(every())
    finally:
        engine.close()


def _macs_on(tables: DeviceTables, port: str) -> list[str]:
    return [row.mac for row in tables.macs if canonical(row.port) == canonical(port)]


def test_every_platform_of_the_lab_reads_whole(matrix_lab: Lab) -> None:
    ios, nxos, comware, eos, cx, comware_ssh, cx_ssh, eos_ssh = _read(
        matrix_lab, ("ios", None), ("nxos", None), ("comware", None), ("eos", None), ("cx", None),
        ("comware", "ssh"), ("cx", "ssh"), ("eos", "ssh"),
    )  # fmt: skip
    # Catalyst IOS: MAC table per VLAN over SNMP, so SSH though it has SNMP settings
    assert [t.transport for t in (ios, nxos, comware, eos, cx)] == ["ssh", "snmp", "snmp", "snmp", "snmp"]
    assert not [t.error for t in (ios, nxos, comware, eos, cx, comware_ssh, cx_ssh, eos_ssh) if t.error]
    access = ios.ports["gi1/0/2"]
    assert (access["mode"], access["access"], access["voice"], access["up"]) == ("access", 120, 130, True)
    assert ios.ports["gi1/0/3"]["poe"] is not None and ios.ports["gi1/0/3"]["poe"]["powered"] is True
    uplink = ios.ports["te1/1/1"]
    assert uplink["mode"] == "trunk" and uplink["neighbor"] is not None
    assert uplink["neighbor"]["name"].startswith("CORE-1")
    assert ios.ports["gi1/0/4"]["neighbor"] is not None and ios.ports["gi1/0/4"]["neighbor"]["name"] == "AP-01"
    assert "00:1b:44:00:00:07" in _macs_on(ios, "Gi1/0/2")
    assert any(mac.startswith("00:1b:44:") for mac in _macs_on(ios, "Gi1/0/1"))
    assert nxos.macs and _macs_on(nxos, "Eth1/13")
    for tables in (comware, comware_ssh):
        assert tables.ports["gi1/0/5"]["up"] is True and len(_macs_on(tables, "GE1/0/5")) == 1
    assert comware_ssh.ports["gi1/0/5"]["access"] == 110 and comware_ssh.transport == "ssh"
    assert cx_ssh.ports["1/1/12"]["up"] is True and _macs_on(cx_ssh, "1/1/12") and _macs_on(cx, "1/1/12")
    assert eos_ssh.ports["eth3"]["neighbor"] is not None and eos_ssh.ports["eth3"]["neighbor"]["name"] == "PACS-SW"


def test_what_goes_wrong_on_a_device_comes_back_as_its_error_or_its_tables(matrix_lab: Lab) -> None:
    from .test_engine_lab import settle

    try:
        matrix_lab.fault("ios", "garbage")  # every show command answers text no template parses
        matrix_lab.fault("cx", "bad-credentials")
        matrix_lab.fault("comware", "unreachable")  # neither SSH nor SNMP answers
        matrix_lab.fault("nxos", "mac-absent", "Eth1/13")
        matrix_lab.fault("eos", "wrong-vlan", "Ethernet3", "999")
        settle(matrix_lab)
        engine = Engine(matrix_lab.runbook, rehearsal=False, lab=matrix_lab.info, default_timeout=3.0)

        async def every() -> list[DeviceTables]:
            reads = [("ios", None), ("cx", "ssh"), ("comware", None), ("nxos", "ssh"), ("eos", "ssh")]
            return await asyncio.gather(*(read_tables(engine, device, via=via) for device, via in reads))

        try:
            ios, cx, comware, nxos, eos = asyncio.run(every())
        finally:
            engine.close()
    finally:
        matrix_lab.clear()
        settle(matrix_lab)
    assert ios.error.startswith("its MAC table could not be read") and "not parseable" in ios.error
    assert "show mac address-table" in ios.evidence  # the raw answers kept
    assert cx.error and not cx.macs and cx.transport == "ssh"
    assert comware.error and comware.transport == "snmp" and "timeout" in comware.error.lower()
    # its only learned MAC gone: an empty table (its header and no rows) is read, not an error
    assert not nxos.error and not _macs_on(nxos, "Eth1/13") and "eth1/13" in nxos.ports
    assert eos.ports["eth3"]["access"] == 999
