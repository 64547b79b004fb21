"""`golive lab FILE`: simulated devices on 127.0.0.1 for a runbook, and faults sent to them.

One terminal runs the lab (until Ctrl-C); another sends it faults (`--fault`, `--clear`) or stops
it (`--stop`): they meet through the per-user lab registry and the lab's world.json. Everything
but click is imported inside the command so `golive --help` stays fast.
"""

from __future__ import annotations

import click

from golive.cli.common import friendly

APPLY_TIMEOUT_S = 10.0  # how long `--fault` / `--clear` wait for the running lab to say the change is in effect
FAULT_HELP = (
    "DEVICE:KIND[:ARG...] applied to the running lab of FILE. Kinds: port-down:PORT, wrong-vlan:PORT:VLAN, "
    "poe-off:PORT, neighbor-missing:PORT, mac-absent:PORT, errors:PORT:N, unreachable, bad-credentials, "
    "slow:SECONDS, host-key-changed, no-banner, dies, garbage, old-ssh, service-down:HOST:PORT "
    "(DEVICE may be '-' for a service). With --patch: swap[:JACK,JACK], forget[:JACK], vlan[:JACK], "
    "nopower[:JACK] (the jacks are picked when not named)."
)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--fault", "faults", multiple=True, metavar="DEVICE:KIND[:ARG...]", help=FAULT_HELP)
@click.option("--clear", "clear", is_flag=False, flag_value="*", default=None, metavar="[DEVICE]",
              help="Clear the faults of DEVICE, or of every device when none is named.")  # fmt: skip
@click.option("--stop", is_flag=True, help="Stop the running lab of FILE.")
@click.option("--patch", "patch", is_flag=True,
              help="Re-patch the running lab: every port-map jack's endpoint moves to its new port "
              "(--fault then names patch mistakes; vlan and nopower stay on their ports until --clear).")  # fmt: skip
@click.option("--unpatch", is_flag=True, help="Every port-map jack's endpoint back on its old port.")
@friendly
def lab(file: str, faults: tuple[str, ...], clear: str | None, stop: bool, patch: bool, unpatch: bool) -> None:
    """Start simulated devices on 127.0.0.1 for every device in FILE's inventory.

    \b
    SSH devices (FakeNOS) answer the show commands golive's checks send, SNMP agents (snmpsim)
    answer its GETs and walks, and every tcp check's host:port gets a listener. Values are
    generated from the runbook so its checks pass; inject faults from another terminal with
    `golive lab FILE --fault DEVICE:KIND[:ARG]`. `golive check FILE` talks to the lab while it runs.
    Credentials are random per lab and stay in the lab's directory (mode 0600).
    """
    from golive.problems import GoliveError
    from golive.runbook.load import read_runbook

    loaded = read_runbook(file)
    runbook_id = loaded.runbook.runbook.id
    if patch and unpatch:
        raise GoliveError("--patch and --unpatch: say one", exit_code=2)
    if faults or clear is not None or stop or patch or unpatch:
        _control(runbook_id, faults, clear, stop, "patch" if patch else "unpatch" if unpatch else None)
        return
    _run(loaded)


def _control(runbook_id: str, faults: tuple[str, ...], clear: str | None, stop: bool, move: str | None) -> None:
    import os
    import signal
    import time
    from pathlib import Path

    from golive.lab.faults import apply_fault, clear_faults, parse_fault
    from golive.lab.jacks import patch, unpatch
    from golive.lab.registry import find_lab, pid_alive
    from golive.lab.world import World, applied
    from golive.problems import GoliveError
    from golive.safetext import visible as safe

    info = find_lab(runbook_id)
    if info is None:
        raise GoliveError(f"no lab is running for runbook {runbook_id}: start one with `golive lab FILE`")
    if stop:
        os.kill(info.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        while pid_alive(info.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        click.echo(f"lab of {runbook_id} stopped" if not pid_alive(info.pid) else f"lab pid {info.pid} still stopping")
        return
    world_path = Path(info.world)
    world = World.read(world_path)
    if clear is not None:
        pristine = World.read(Path(info.directory) / "world.pristine.json")
        world = clear_faults(world, pristine, None if clear == "*" else clear)
        click.echo(f"cleared faults on {'every device' if clear == '*' else clear}")
    if move == "patch":
        world, said = patch(world, faults)
        click.echo(f"patched: {len(world.jacks)} jack(s) on their new ports")
        for line in said:
            click.echo(safe(line))
        faults = ()
    elif move == "unpatch":
        world = unpatch(world)
        click.echo(f"unpatched: {len(world.jacks)} jack(s) back on their old ports")
    for text in faults:
        device, kind, args = parse_fault(text)
        world = apply_fault(world, device, kind, args)
        click.echo(f"fault {kind} on {device}{(' ' + ' '.join(args)) if args else ''}")
    world = world.model_copy(update={"generation": world.generation + 1})
    world.write(world_path)
    deadline = time.monotonic() + APPLY_TIMEOUT_S
    while applied(world_path.parent) < world.generation:
        if time.monotonic() > deadline or not pid_alive(info.pid):
            raise GoliveError(
                f"the lab of {runbook_id} did not apply the change within {APPLY_TIMEOUT_S:.0f} s: is it still running?"
            )
        time.sleep(0.05)
    click.echo("in effect")


def _run(loaded: object) -> None:
    import signal
    import threading
    import time

    from rich.console import Console
    from rich.table import Table

    from golive.lab.lab import Lab
    from golive.lab.registry import find_lab
    from golive.problems import GoliveError
    from golive.runbook.load import LoadedRunbook

    assert isinstance(loaded, LoadedRunbook)
    runbook = loaded.runbook
    running = find_lab(runbook.runbook.id)
    if running is not None:
        raise GoliveError(
            f"a lab already runs for runbook {runbook.runbook.id} (pid {running.pid}); stop it with --stop"
        )
    console = Console(highlight=False)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    started = time.monotonic()
    with Lab(runbook, loaded.sha256, progress=console.print) as the_lab:
        info = the_lab.info
        assert info is not None
        console.print(f"lab ready in {time.monotonic() - started:.1f} s")
        table = Table(title=f"golive lab: {runbook.runbook.id}")
        for column in ("device", "platform", "real host", "lab SSH", "lab SNMP"):
            table.add_column(column)
        for name, device in runbook.inventory.items():
            endpoints = info.devices[name]
            ssh = str(endpoints.ssh.port) if endpoints.ssh else "-"
            snmp = f"{endpoints.snmp.port} (v{endpoints.snmp.version})" if endpoints.snmp else "-"
            table.add_row(name, device.platform, device.host, ssh, snmp)
        console.print(table)
        if info.services:
            services = Table(title="TCP services")
            services.add_column("runbook host:port")
            services.add_column("lab port")
            for key, port in info.services.items():
                services.add_row(key, str(port))
            console.print(services)
        console.print(f"all on 127.0.0.1; known_hosts: {info.known_hosts}")
        if the_lab.world.jacks:
            console.print(
                f"port map: {len(the_lab.world.jacks)} jack(s), every endpoint on its old port; re-patch with "
                "golive lab FILE --patch [--fault swap|forget|vlan|nopower]"
            )
        console.print("faults from another terminal: golive lab FILE --fault DEVICE:KIND[:ARG]; Ctrl-C stops")
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        console.print("stopping the lab...")
