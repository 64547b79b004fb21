"""`golive run` (the TUI on a run) and `golive demo` (the lab, a sample runbook and the TUI).

Only click is imported at the top: `golive validate` must never pay for Textual. `golive run`
loads a runbook file into its run (idempotent: the same text resumes the same run) or names a run,
then starts the TUI, which opens that run in a worker; a run that cannot be opened ends it with
the one-line reason. `golive demo` is the README's first command: it
starts simulated switches on 127.0.0.1 for a bundled sample, breaks one uplink on purpose so a
failing check shows, opens a rehearsal in a throwaway database, and stops the lab on exit.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from golive.cli.common import _actor, db_option, friendly, pick_run, run_option

if TYPE_CHECKING:
    from golive.tui.app import GoliveApp

DEMO_RUNBOOK = "idf-access-stack.yaml"
# the fault the demo injects: core-a's port to the new stack has taken CRC errors, so the
# baseline check (crc <= 100) fails once the newcomer reaches pre-baseline
DEMO_FAULT = ("core-a", "errors", "Eth1/21", 250)
DEMO_TASK = "pre-uplink"
DEMO_HINT = (
    "Demo: on pre-uplink press s (start), c (run its checks), o (sign off). Then pre-baseline: "
    "core-a Eth1/21 has CRC errors on purpose, so one check fails: v overrides it (a reason and a second person)."
)


def _looks_like_file(target: str) -> bool:
    return target.endswith((".yaml", ".yml")) or os.sep in target or Path(target).is_file()


def _loader_actor() -> Any:
    """Who loads the run: GOLIVE_NAME, else the operator remembered here, else asked on a terminal."""
    from golive import paths
    from golive.problems import GoliveError

    env = os.environ
    try:
        return _actor(env.get(paths.NAME_ENV), env.get(paths.INITIALS_ENV), env.get(paths.ROLE_ENV, ""))
    except GoliveError:
        if not (sys.stdin.isatty() and sys.stderr.isatty()):
            raise
    name = str(click.prompt("Your name (journaled as who loaded this run)", err=True))
    return _actor(name, None, "")


def _load(path: Path, file: str, *, rehearsal: bool, actor: Any = None) -> Any:
    """Load `file` into its run (created, or found unchanged); the run's info."""
    from golive.paths import machine_id
    from golive.runbook.load import read_runbook
    from golive.store.db import open_engine
    from golive.store.runs import load as load_run

    loaded = read_runbook(file)
    path.parent.mkdir(parents=True, exist_ok=True)
    actor = actor or _loader_actor()
    outcome = load_run(open_engine(path), loaded, rehearsal=rehearsal, actor=actor, machine=machine_id())
    return outcome.run


def _unchanged_run(path: Path, file: str, *, rehearsal: bool) -> str | None:
    """The run that loading `file` would find unchanged, found without parsing it, or None.

    A run names the runbook text it holds by that text's digest (golive.runbook.text_digest): when
    the newest open run of this runbook in this mode holds exactly these bytes, golive validated
    them when it stored them, and `load` would answer "unchanged". Parsing and validating a
    5,000-task file again would cost seconds of every start. Anything else (no database yet, a pipe,
    a text that is not UTF-8, another version) is left to `load`, which says what is wrong."""
    from golive.problems import GoliveError
    from golive.runbook.portmap_file import file_digest

    if not path.is_file():
        return None  # (a pipe is read once, by the load; file_digest leaves it alone)
    digest = file_digest(Path(file))  # a port-map CSV included (golive.runbook.bundle)
    if digest is None:
        return None
    from golive.store.db import open_engine
    from golive.store.runs import unchanged_run

    try:
        found = unchanged_run(open_engine(path, create=False), digest, "rehearsal" if rehearsal else "live")
    except GoliveError:
        return None
    return found.uuid if found is not None else None


@click.command()
@click.argument("target", required=False, metavar="[FILE|RUN]")
@db_option
@click.option("--rehearsal", is_flag=True, help="When loading FILE: a dry run, not the live night.")
@run_option
@friendly
def run(target: str | None, db: str | None, rehearsal: bool, run_ref: str | None) -> None:
    """Open the TUI on a run: load FILE (or resume its open run), or resume RUN by name.

    \b
    golive run runbooks/idf-access-stack.yaml --rehearsal   # load, or resume the same run
    golive run                                             # the only open run
    golive run rvp-idf2b-stack-2026-12-live-1              # a run by name (or --run NAME)
    """
    if run_ref is not None and target is not None and _looks_like_file(target):
        raise click.UsageError("give a runbook FILE or --run NAME, not both")
    _run_app(open_app(pick_run(target, run_ref), db, rehearsal=rehearsal))


def open_app(target: str | None, db: str | None, *, rehearsal: bool) -> GoliveApp:
    """The GoliveApp `golive run` shows (not started): FILE's run (the same run again for the same
    text, else FILE loaded: created, or refused), or the run named. Separate from `run` so the
    start-up benchmark times exactly this path."""
    from golive.paths import resolve_db_path

    path = resolve_db_path(db)
    ref = target
    if target is not None and _looks_like_file(target):
        ref = _unchanged_run(path, target, rehearsal=rehearsal) or _load(path, target, rehearsal=rehearsal).uuid
    elif rehearsal:
        raise click.UsageError("--rehearsal applies when loading a FILE; a run keeps the mode it was loaded in")
    from golive.tui.app import GoliveApp

    return GoliveApp(path, ref, unambiguous=ref is None)


def _run_app(app: GoliveApp) -> None:
    """Run the TUI; a run it could not open is reported as every command reports an error."""
    app.run()
    if app.failure is not None:
        raise app.failure


def demo_runbook() -> Path:
    """The bundled sample: $GOLIVE_DEMO_RUNBOOK, the repository's runbooks/ (editable install),
    or the installed share/golive/runbooks/."""
    import golive

    candidates = []
    from golive.paths import demo_runbook_override

    if (override := demo_runbook_override()) is not None:
        candidates.append(override)
    package = Path(golive.__file__).resolve().parent
    candidates.append(package.parents[1] / "runbooks" / DEMO_RUNBOOK)  # src/golive -> repository
    candidates.append(Path(sys.prefix) / "share" / "golive" / "runbooks" / DEMO_RUNBOOK)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    from golive.problems import GoliveError

    raise GoliveError(f"cannot find the sample runbook {DEMO_RUNBOOK}: pass one with --runbook FILE")


def _demo_actor() -> Any:
    """The demo's throwaway run is loaded by whoever is remembered here, else by the demo itself."""
    from golive.progress.events import Actor
    from golive.tui.operator import remembered

    return remembered() or Actor("golive demo", "GD")


@click.command()
@click.option("--runbook", "file", type=click.Path(dir_okay=False, exists=True), default=None,
              help="Demo another runbook (default: the bundled IDF stack replacement).")  # fmt: skip
@click.option("--no-fault", is_flag=True, help="Do not unplug an uplink: every check passes.")
@friendly
def demo(file: str | None, no_fault: bool) -> None:
    """A first look: simulated switches on 127.0.0.1, a sample runbook, a rehearsal, the TUI.

    Nothing is written outside a temporary directory, and nothing leaves this machine. One uplink
    is unplugged on purpose so a failing check shows beside passing ones; with the bundled sample's
    port map, the old switch is snapshotted and two cords are crossed, for the jacks check to find.
    """
    import tempfile

    from golive.lab.lab import Lab
    from golive.runbook.load import read_runbook
    from golive.safetext import visible

    sample = Path(file) if file else demo_runbook()
    loaded = read_runbook(str(sample))
    with tempfile.TemporaryDirectory(prefix="golive-demo-") as scratch:
        db = Path(scratch) / "demo.db"
        run_info = _load(db, str(sample), rehearsal=True, actor=_demo_actor())
        click.echo(f"golive demo: starting simulated devices for {loaded.runbook.runbook.id} on 127.0.0.1 …", err=True)

        def progress(message: str) -> None:
            click.echo(f"  {message}", err=True)

        with Lab(loaded.runbook, loaded.sha256, directory=Path(scratch) / "lab", register=False,
                 progress=progress) as lab:  # fmt: skip
            hint, focus = "Press c on a task to run its checks.", None
            if not no_fault and file is None:
                device, kind, port, count = DEMO_FAULT
                lab.fault(device, kind, port, count)
                hint, focus = DEMO_HINT, DEMO_TASK
                from golive.cli.demo_jacks import stage_misplug

                misplug = stage_misplug(lab, loaded.runbook, db, _demo_actor())
                if misplug is not None:
                    click.echo(f"  {visible(misplug.swapped)}", err=True)
                    hint, focus = misplug.hint, misplug.task
            from golive.tui.app import GoliveApp

            _run_app(GoliveApp(db, run_info.uuid, lab=lab.info, hint=hint, focus_task=focus))
        click.echo("golive demo: lab stopped; the demo database was removed.", err=True)
