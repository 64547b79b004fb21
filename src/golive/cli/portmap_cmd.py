"""`golive portmap draft`: a first port-map CSV, read off the old switch, for the technician to correct.

Thin: it reads one device's tables (golive.checks.portmap.read, over SSH or SNMP as its platform
allows) where `golive check` would reach it (the lab when one runs for this runbook, never for a
LIVE run: that reads the site's device), hands them to golive.export.portmap_draft, and writes the
CSV all or nothing (golive.export.output), never over an existing file without --force.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import click

from golive.cli.common import counted, db_option, friendly, json_option, print_json


@click.group()
def portmap() -> None:
    """The port map: draft one from a live (or lab) old switch."""


@portmap.command()
@click.argument("runbook_file", metavar="RUNBOOK", type=click.Path(dir_okay=False))
@click.option("--from", "old", required=True, metavar="OLD_DEVICE", help="The old switch to read (inventory name).")
@click.option("--to", "new", required=True, metavar="NEW_DEVICE", help="The new switch its cords go to.")
@click.option(
    "--rule", "rules", multiple=True, metavar="RULE",
    help="same (default), offset:N (port number + N) or member:A=B (stack member A's ports go to member B);"
    " repeat to compose.",
)  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="The CSV to write (default: stdout).")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@click.option("--ports", "port_spec", default=None, metavar="RANGE", help="Only these old ports, e.g. GE1/0/1-24.")
@click.option("--rehearsal", is_flag=True, help="With no run of this runbook: read the lab (it must run).")
@click.option(
    "--trust-new-hosts", is_flag=True, help="Accept an unknown SSH host key (its fingerprint is printed)."
)  # fmt: skip
@click.option("--timeout", type=click.FloatRange(1, 600), default=None, help="Read timeout, seconds [15].")
@db_option
@json_option
@friendly
def draft(
    runbook_file: str, old: str, new: str, rules: tuple[str, ...], output: str | None, force: bool,
    port_spec: str | None, rehearsal: bool, trust_new_hosts: bool, timeout: float | None, db: str | None,
    as_json: bool,
) -> None:  # fmt: skip
    """Write a port-map CSV of every OLD_DEVICE port with an endpoint, mapped to NEW_DEVICE by the rules.

    \b
    A row per port with a learned MAC, a CDP/LLDP neighbor or PoE drawn (uplinks left out): the
    port's description as the jack label (else OLD_DEVICE-PORT, to be edited), the neighbor's name
    as the endpoint, phone/ap from its capabilities, its VLANs, and the new port by the rules
    (the port type spelled as NEW_DEVICE's platform spells it). Edit it in Excel, then name it in
    the runbook (`portmap: rooms.csv`).
    """
    from golive.checks.ifnames import canonical
    from golive.checks.portmap.read import read_tables
    from golive.export.portmap_draft import csv_text, draft_rows
    from golive.export.portmap_rules import RuleError, parse_rules
    from golive.problems import GoliveError
    from golive.runbook.load import read_runbook
    from golive.runbook.ports import PortSpecError, expand_ports
    from golive.runbook.semantic import suggest
    from golive.safetext import visible

    try:
        parsed = parse_rules(list(rules))
    except RuleError as exc:
        raise GoliveError(f"--rule: {exc}", exit_code=2) from None
    only = None
    if port_spec is not None:
        try:
            only = {canonical(port) for port in expand_ports(port_spec)}
        except PortSpecError as exc:
            raise GoliveError(f"--ports: {exc}", exit_code=2) from None
    target = Path(output) if output else None
    if target is not None:
        _check_target(target, force, db)
    loaded = read_runbook(runbook_file)
    runbook = loaded.runbook
    for option, device in (("--from", old), ("--to", new)):
        if device not in runbook.inventory:
            raise GoliveError(
                f"{runbook_file}: {option} {device!r} is not a device in the inventory"
                f"{suggest(device, set(runbook.inventory))}"
            )
    engine, where = _engine(runbook, Path(runbook_file), loaded.sha256, db, rehearsal, trust_new_hosts, timeout)
    click.echo(visible(f"reading {old} ({where})…"), err=True)
    try:
        tables = asyncio.run(read_tables(engine, old))
    finally:
        engine.close()
    for device, (kind, fingerprint, _b64) in engine.new_host_keys.items():
        click.echo(visible(f"trusted new host key for {device}: {kind} {fingerprint}"), err=True)
    if tables.error:
        raise GoliveError(f"{old} could not be read: {tables.error}")
    result = draft_rows(
        tables, old_platform=runbook.inventory[old].platform, new_device=new,
        new_platform=runbook.inventory[new].platform, rules=parsed, only=only,
    )  # fmt: skip
    if not result.rows:
        scope = f" among {port_spec}" if port_spec else ""
        raise GoliveError(f"nothing to draft: no port of {old}{scope} has an endpoint (a MAC, a neighbor or PoE)")
    text = csv_text(result)
    if target is not None:
        _write(target, text, force, db)
    elif not as_json:
        sys.stdout.write(text)
        sys.stdout.flush()
    todo = [f"{result.need_label} need a label"] if result.need_label else []
    if result.need_port:
        todo.append(f"{result.need_port} {'a' if todo else 'need a'} new port")
    summary = counted(len(result.rows), "jack") + (f" ({', '.join(todo)})" if todo else "")
    line = f"wrote {output}: {summary}" if output else f"{summary}"
    if result.uplinks:
        line += f"; left out {counted(len(result.uplinks), 'uplink')}: {', '.join(result.uplinks[:8])}"
        line += " …" if len(result.uplinks) > 8 else ""
    if as_json:
        print_json(_document(output, result, parsed.describe(), old, new, None if target else text))
    click.echo(visible(line), err=target is None or as_json)


def _check_target(target: Path, force: bool, db: str | None) -> None:
    """Refuse before any device is read: an existing file (without --force), a directory, the database."""
    from golive.export.output import check_targets
    from golive.paths import resolve_db_path

    check_targets([target], force, [resolve_db_path(db)])


def _write(target: Path, text: str, force: bool, db: str | None) -> None:
    from golive.export.output import staged
    from golive.paths import resolve_db_path

    with staged([target], force, [resolve_db_path(db)]) as (temp,):
        temp.write_text(text, encoding="utf-8", newline="")


def _engine(
    runbook: Any, runbook_file: Path, sha256: str, db: str | None, rehearsal: bool, trust_new_hosts: bool,
    timeout: float | None,
) -> tuple[Any, str]:  # fmt: skip
    """An Engine reaching the devices as `golive check` would, and the words for where it reaches them."""
    from golive.checks.credentials import Credentials
    from golive.checks.engine import DEFAULT_TIMEOUT, Engine
    from golive.checks.targets import default_known_hosts
    from golive.cli.check_cmd import _open_run_of, _prompt
    from golive.lab.registry import find_lab
    from golive.paths import resolve_db_path
    from golive.problems import GoliveError

    cutover = _open_run_of(resolve_db_path(db), sha256)
    live_run = cutover is not None and not cutover.run.rehearsal
    rehearsal = cutover.run.rehearsal if cutover is not None else rehearsal
    lab = None if live_run else find_lab(runbook.runbook.id)
    if rehearsal and lab is None:
        raise GoliveError(
            f"a rehearsal reads the lab, and none runs for {runbook.runbook.id}: start `golive lab {runbook_file}`"
        )
    engine = Engine(
        runbook, rehearsal=rehearsal, lab=lab, credentials=Credentials(_prompt), trust_new_hosts=trust_new_hosts,
        known_hosts=default_known_hosts(runbook_file, runbook), default_timeout=timeout or DEFAULT_TIMEOUT,
    )  # fmt: skip
    where = f"the lab, pid {lab.pid}" if lab is not None else "the live device"
    if live_run and find_lab(runbook.runbook.id) is not None:
        where += f"; LIVE run {cutover.run.name}: the lab that runs is never used"
    return engine, where


def _document(output: str | None, result: Any, rules: str, old: str, new: str, text: str | None) -> dict[str, Any]:
    """`golive portmap draft --json`: what was written, and each row (the CSV itself when not written to a file)."""
    from golive.export.portmap_draft import HEADER

    rows = [dict(zip(HEADER, row.values(), strict=True)) for row in result.rows]
    return {
        "file": output, "from": old, "to": new, "rules": rules, "jacks": len(result.rows),
        "need_label": result.need_label, "need_port": result.need_port, "uplinks": result.uplinks,
        "rows": rows, **({"csv": text} if text is not None else {}),
    }  # fmt: skip
