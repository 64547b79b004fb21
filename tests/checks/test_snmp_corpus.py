"""golive's SNMP checks against real walks of real devices (tests/corpus/snmp), served by snmpsim on
127.0.0.1. Each device's expectations were written by hand from reading its walk (the YAML beside
it names the rows each comes from), never by running golive: `right` must pass, and each of
`wrong` (one wrong or unanswerable expectation per kind) must end as the status it names with a
reason that says why in words, or (`refused`) be refused at validation: the device's `platform:` (default
linux) decides what SNMP can answer there (golive.runbook.platforms)."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import snmpsim
import yaml

from golive.checks.endpoints import SnmpEndpoint
from golive.checks.engine import Engine
from golive.checks.plan import items_for
from golive.checks.results import CheckResult, Status
from golive.problems import ProblemsFound
from golive.runbook.load import parse_runbook
from tests.peers import SnmpQueryError, snmp_get
from tests.peers.snmpd import _free_udp_port

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "snmp"
DEVICES = sorted(path.stem for path in CORPUS.glob("*.snmprec"))
SYS_OBJECT_ID = "1.3.6.1.2.1.1.2.0"


@contextmanager
def serving(data: Path, community: str) -> Iterator[int]:
    """snmpsim on 127.0.0.1 serving the .snmprec files in `data` (the v2c community is a file's name),
    up once `community` answers; its UDP port."""
    directory = data.parent
    variation = directory / "variation"  # only `numeric` (the lab's ticking sysUpTime); recorded walks use none
    variation.mkdir(exist_ok=True)
    shutil.copyfile(Path(snmpsim.__file__).parent / "variation" / "numeric.py", variation / "numeric.py")
    port = _free_udp_port()
    command = [
        sys.executable, "-m", "snmpsim.commands.responder", f"--data-dir={data}",
        f"--cache-dir={directory / 'cache'}", f"--agent-udpv4-endpoint=127.0.0.1:{port}",
        f"--variation-modules-dir={directory / 'variation'}", "--log-level=error",
    ]  # fmt: skip
    with (directory / "snmpsim.log").open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=log, env={**os.environ, "SNMPSIM_ALLOW_ROOT": "true"})
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    snmp_get(SnmpEndpoint(port=port, version="2c", community=community), SYS_OBJECT_ID, timeout=0.5)
                    break
                except SnmpQueryError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError((directory / "snmpsim.log").read_text()) from None
            yield port
        finally:
            process.terminate()
            process.wait(10)


@pytest.fixture(scope="module")
def corpus_agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """snmpsim serving every walk of the corpus; its UDP port."""
    data = tmp_path_factory.mktemp("corpus-snmpsim") / "data"
    shutil.copytree(CORPUS, data, ignore=shutil.ignore_patterns("*.yaml", "*.md"))
    with serving(data, DEVICES[0]) as port:
        yield port


def _expectations(device: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((CORPUS / f"{device}.yaml").read_text())
    return loaded


def run_checks(
    device: str, port: int, checks: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, platform: str = "linux"
) -> list[CheckResult]:
    """The checks as one task of a runbook whose one device is the walk, run by golive's engine."""
    monkeypatch.setenv("GL_CORPUS_SSH", "unused")
    monkeypatch.setenv("GL_CORPUS_COMMUNITY", device)
    runbook = {
        "runbook": {"id": f"corpus-{device.replace('_', '-')}", "title": device, "version": 1,
                    "window": {"start": "2026-12-05T22:00-05:00", "end": "2026-12-06T02:00-05:00"}},
        "roles": {"net": "Network"},
        "inventory": {"sw": {"host": "127.0.0.1", "platform": platform, "credentials": "env:GL_CORPUS_SSH",
                             "snmp": {"version": "2c", "port": port, "community": "env:GL_CORPUS_COMMUNITY"}}},
        "phases": [{"id": "p", "title": "P", "tasks": [{"id": "t", "title": "T", "duration": "5m",
                    "checks": [{"via": "snmp", "device": "sw", **check} for check in checks]}]}],
    }  # fmt: skip
    loaded = parse_runbook(yaml.safe_dump(runbook, sort_keys=False), f"{device}.yaml").runbook
    engine = Engine(loaded, rehearsal=False, lab=None, default_timeout=10.0)
    try:
        results = asyncio.run(engine.run_all(items_for(loaded)))
    finally:
        engine.close()
    return sorted(results, key=lambda result: result.index)


def _said(check: dict[str, Any], result: CheckResult) -> str:
    return f"{check} -> {result.status.value}: {result.reason}"


@pytest.mark.parametrize("device", DEVICES)
def test_every_expectation_read_from_the_walk_passes(
    device: str, corpus_agent: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks = _expectations(device)["right"]
    results = run_checks(device, corpus_agent, checks, monkeypatch, _expectations(device).get("platform", "linux"))
    wrong = [
        _said(check, result) for check, result in zip(checks, results, strict=True) if result.status is not Status.PASS
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("device", DEVICES)
def test_a_wrong_expectation_of_each_kind_fails_for_the_right_reason(
    device: str, corpus_agent: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    expectations = _expectations(device)
    platform = expectations.get("platform", "linux")
    # a twin golive cannot answer on the device's platform is refused before it runs (golive validate)
    refused = [twin for twin in expectations["wrong"] if twin["status"] == "refused"]
    for twin in refused:
        with pytest.raises(ProblemsFound, match=re.escape(twin["reason"])):
            run_checks(device, corpus_agent, [twin["check"]], monkeypatch, platform)
    twins = [twin for twin in expectations["wrong"] if twin not in refused]
    results = run_checks(device, corpus_agent, [twin["check"] for twin in twins], monkeypatch, platform)
    wrong = [
        _said(twin["check"], result) + f"  (wanted {twin['status']}: {twin['reason']!r})"
        for twin, result in zip(twins, results, strict=True)
        if result.status.value != twin["status"] or twin["reason"] not in result.reason
    ]
    assert not wrong, "\n".join(wrong)
    assert all(".1.3.6" not in result.reason and "1.3.6.1" not in result.reason for result in results)
