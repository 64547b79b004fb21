"""The `golive` command: thin faces over the core, one subcommand each.

Imports are lazy on purpose: `golive validate` must start fast on a laptop in a closet and never
pull in Textual, Netmiko or pysnmp. Every user mistake becomes one line on stderr and an exit
code (0 ok, 1 bad runbook / log / check, 2 usage); a traceback appears only with GOLIVE_DEBUG=1.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from golive.cli.common import (  # noqa: F401 (re-exported)
    _actor,
    _actor_options,
    _fail,
    counted,
    db_option,
    friendly,
    json_option,
    pick_run,
    print_json,
    run_option,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="golive")
def cli() -> None:
    """Carry a cutover or go-live through from a YAML runbook, offline, with a signed journal.

    \b
    Start:  golive validate runbooks/idf-access-stack.yaml
            golive load runbooks/idf-access-stack.yaml --rehearsal
            golive status
    """


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-q", "--quiet", is_flag=True, help="Print nothing when the runbook is valid.")
@friendly
def validate(file: str, quiet: bool) -> None:
    """Check a runbook and report every problem, one `file:line:col: message` line each."""
    from golive.runbook.load import read_runbook
    from golive.safetext import visible

    loaded = read_runbook(file)
    if not quiet:
        rb = loaded.runbook
        checks = sum(len(t.checks) for t in rb.tasks.values())
        jacks = "" if rb.portmap is None else f", {counted(len(rb.portmap.jacks), 'jack')}"
        jacks += f" ({rb.portmap.file})" if rb.portmap is not None and rb.portmap.file else ""
        click.echo(
            visible(
                f"{file}: ok: {rb.runbook.id} v{rb.runbook.version}, {counted(len(rb.phases), 'phase')}, "
                f"{counted(len(rb.tasks), 'task')}, {counted(checks, 'check')}, "
                f"{counted(len(rb.inventory), 'device')}{jacks}"
            )
        )


@cli.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file instead of stdout.")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@friendly
def schema(output: str | None, force: bool) -> None:
    """Print the runbook JSON Schema (for editors: yaml-language-server)."""
    from pathlib import Path

    from golive.export.output import staged
    from golive.paths import resolve_db_path
    from golive.runbook.jsonschema import schema_text

    text = schema_text()
    if output:
        with staged([Path(output)], force, [resolve_db_path(None)]) as (temp,):
            temp.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--rehearsal", is_flag=True, help="A dry run: rehearse the runbook, learn its timings.")
@click.option("--new-run", is_flag=True, help="Start a separate run even if one is open for this runbook.")
@click.option("--upgrade", is_flag=True, help="Move the open run to this (changed) runbook file; journaled.")
@db_option
@_actor_options
@friendly
def load(
    file: str,
    rehearsal: bool,
    new_run: bool,
    upgrade: bool,
    db: str | None,
    name: str | None,
    initials: str | None,
    role: str,
) -> None:
    """Validate a runbook and load it into a run (live, or --rehearsal)."""
    from golive.paths import db_from_environment, machine_id, resolve_db_path
    from golive.runbook.load import read_runbook
    from golive.safetext import visible
    from golive.store.db import open_engine
    from golive.store.runs import load as load_run

    if new_run and upgrade:
        raise click.UsageError("--new-run and --upgrade exclude each other")
    loaded = read_runbook(file)
    path = resolve_db_path(db)
    if db is None and not db_from_environment():
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = open_engine(path)
    outcome = load_run(
        engine, loaded, rehearsal=rehearsal, actor=_actor(name, initials, role), machine=machine_id(),
        new_run=new_run, upgrade=upgrade,
    )  # fmt: skip
    run = outcome.run
    what = {"created": "loaded into new", "unchanged": "already loaded in", "upgraded": "upgraded"}[outcome.action]
    click.echo(visible(f"{file}: {what} {run.mode} run {run.name} (sha256 {run.sha256[:12]}) in {path}"))


@cli.command()
@click.argument("run", required=False)
@run_option
@db_option
@click.option("--all", "show_all", is_flag=True, help="List every task, not just the open ones.")
@json_option
@friendly
def status(run: str | None, run_ref: str | None, db: str | None, show_all: bool, as_json: bool) -> None:
    """Show a run's phases, late tasks, what is ready next, and the projected finish (site time)."""
    from golive.paths import resolve_db_path
    from golive.store.cutover import Cutover

    cutover = Cutover.open(resolve_db_path(db), pick_run(run, run_ref), unambiguous=True)
    if as_json:
        from golive.cli.status_view import status_document

        print_json(status_document(cutover))
        return
    from rich.console import Console

    from golive.cli.status_view import render_status

    console = Console()
    console.print(render_status(cutover, show_all=show_all, width=console.width))


@cli.command()
@db_option
@json_option
@friendly
def runs(db: str | None, as_json: bool) -> None:
    """List the runs in the database (names in full: the name is what --run takes)."""
    from golive.paths import resolve_db_path
    from golive.store.db import open_engine
    from golive.store.runs import list_runs

    found = list_runs(open_engine(resolve_db_path(db), create=False))
    if as_json:
        print_json({"runs": [
            {"name": r.name, "uuid": r.uuid, "mode": r.mode, "runbook": r.runbook_id, "sha256": r.sha256,
             "created_utc": r.created_at, "events": r.events, "closed": r.closed} for r in found
        ]})  # fmt: skip
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from golive.safetext import visible

    console = Console()
    longest = max((len(visible(r.name)) for r in found), default=3)
    table = Table(box=None)
    # the name is what --run and export take: never cut; the others give way (or fold) first
    table.add_column("run", no_wrap=True, min_width=longest)
    table.add_column("mode", no_wrap=True)
    table.add_column("runbook", overflow="fold")
    table.add_column("created (UTC)", overflow="fold")
    table.add_column("events", justify="right")
    table.add_column("state", no_wrap=True)
    if longest + 40 > console.width:  # too narrow for a table: the name on a line of its own
        for r in found:
            click.echo(visible(r.name))
            state = "closed" if r.closed else "open"
            console.print(Text(visible(f"  {r.mode.upper()}, {state}, {counted(r.events, 'event')}, "
                                       f"{r.runbook_id} {r.sha256[:8]}, created {r.created_at[:19]} UTC")))  # fmt: skip
        return
    for r in found:
        cells = (r.name, r.mode.upper(), f"{r.runbook_id} {r.sha256[:8]}", r.created_at[:19], str(r.events))
        table.add_row(*(Text(visible(c)) for c in (*cells, "closed" if r.closed else "open")))
    console.print(table)


@cli.command()
@click.argument("run", required=False)
@run_option
@db_option
@json_option
@friendly
def verify(run: str | None, run_ref: str | None, db: str | None, as_json: bool) -> None:
    """Recompute the journal's hash chain; name the first broken link. Exit 1 if any is broken.

    With no run, every run in the database is verified. RUN may also be a jsonl export
    (FILE.jsonl): its chain is checked from the file alone.
    """
    from golive.safetext import visible

    run = pick_run(run, run_ref)
    if run is not None and run.endswith(".jsonl"):
        from golive.export.jsonl_verify import verify_file

        line = verify_file(run)
        if as_json:
            print_json({"ok": True, "file": run, "results": [{"ok": True, "message": line}]})
        else:
            click.echo(visible(line))
        return
    from golive.paths import resolve_db_path
    from golive.problems import GoliveError
    from golive.store.verify import verify_database

    path = resolve_db_path(db)
    reports = verify_database(path, run)
    bad = sum(not ok for _, ok in reports)
    if as_json:
        print_json({"ok": not bad, "database": str(path), "results": [{"ok": ok, "message": m} for m, ok in reports]})
    else:
        for line, ok in reports:
            click.echo(visible(line), err=not ok)
    if bad:
        raise GoliveError(f"{path}: verification failed")


def _open(db: str | None, run_ref: str | None) -> Any:
    from golive.paths import resolve_db_path
    from golive.store.cutover import Cutover

    return Cutover.open(resolve_db_path(db), run_ref, unambiguous=True)


def _action(name: str, help_text: str, *, reason: bool = False) -> None:
    @cli.command(name=name, help=help_text)
    @click.argument("task")
    @run_option
    @db_option
    @_actor_options
    @click.option(
        "--reason",
        "-m",
        "text",
        required=reason,
        default="",
        help="Why (journaled)." if reason else "Comment (journaled).",
    )
    @click.option(
        "--outside-window", is_flag=True, hidden=name != "start",
        help="Start a LIVE run outside its change window (the start journals how far outside).",
    )  # fmt: skip
    @friendly
    def command(
        task: str, run_ref: str | None, db: str | None, name: str | None, initials: str | None, role: str, text: str,
        outside_window: bool,
    ) -> None:  # fmt: skip
        from golive.safetext import visible

        cutover = _open(db, run_ref)
        actor = _actor(name, initials, role)
        actions: dict[str, Callable[[], Any]] = {
            "start": lambda: _start(cutover, task, actor, outside_window),
            "signoff": lambda: cutover.sign_off(task, actor, text),
            "skip": lambda: cutover.skip(task, actor, text),
            "block": lambda: cutover.block(task, actor, text),
            "fail": lambda: cutover.fail(task, actor, text),
            "unblock": lambda: cutover.unblock(task, actor, text),
        }
        event = actions[command.name or ""]()
        state = cutover.state.tasks[task].state.value
        mode = cutover.run.mode.upper()
        click.echo(visible(f"{mode} {cutover.run.name}: #{event.seq} {event.kind.value} {task} by {actor} -> {state}"))


def _start(cutover: Any, task: str, actor: Any, confirmed: bool) -> Any:
    """Start `task`; a LIVE run's first start outside its window needs --outside-window, or a yes on a terminal."""
    from golive.problems import GoliveError, OutsideWindow
    from golive.safetext import visible

    try:
        return cutover.start(task, actor, outside_window=confirmed)
    except OutsideWindow as exc:
        if not (sys.stdin.isatty() and sys.stderr.isatty()):
            raise GoliveError(f"{exc} (--outside-window)", exit_code=2) from None
        if not click.confirm(visible(f"{exc}?"), err=True):
            raise GoliveError("not started", exit_code=1) from None
    return cutover.start(task, actor, outside_window=True)


_action("start", "Start a ready task (a LIVE run's first start outside its window asks first).")
_action("signoff", "Sign off a task (the runbook's sign-off rule applies).")
_action("skip", "Skip a task, with a reason.", reason=True)
_action("block", "Mark a task blocked, with a reason.", reason=True)
_action("fail", "Mark a task failed, with a reason.", reason=True)
_action("unblock", "Clear a block or failure so work can resume.")


@cli.command()
@click.argument("text")
@click.option("--task", default=None, help="Attach the note to a task.")
@run_option
@db_option
@_actor_options
@friendly
def note(
    text: str, task: str | None, run_ref: str | None, db: str | None, name: str | None, initials: str | None, role: str
) -> None:
    """Add a note to the journal."""
    from golive.safetext import visible

    cutover = _open(db, run_ref)
    event = cutover.note(_actor(name, initials, role), text, task)
    click.echo(visible(f"{cutover.run.name}: #{event.seq} note"))


@cli.command()
@click.argument("task")
@click.argument("jack")
@click.option("--reason", "-m", required=True, help="What you saw that proves the jack (journaled).")
@click.option("--check", "check_key", default=None, help="The jacks check (TASK#N) when the task has several.")
@run_option
@db_option
@_actor_options
@friendly
def confirm(
    task: str, jack: str, reason: str, check_key: str | None, run_ref: str | None, db: str | None,
    name: str | None, initials: str | None, role: str,
) -> None:  # fmt: skip
    """Confirm by hand a jack the switches left not seen (a quiet printer or modality), and why."""
    from golive.problems import GoliveError
    from golive.safetext import visible

    cutover = _open(db, run_ref)
    progress = cutover.state.tasks.get(task)
    if progress is None:
        raise GoliveError(f"no task {task!r} in this runbook", exit_code=2)
    keys = [f"{task}#{n}" for n, check in enumerate(progress.task.checks, 1) if str(check.kind) == "jacks"]
    if check_key is None:
        if len(keys) != 1:
            which = f"say which with --check ({', '.join(keys)})" if keys else "nothing to confirm"
            raise GoliveError(f"{task} has {len(keys)} jacks checks: {which}", exit_code=2)
        check_key = keys[0]
    event = cutover.confirm_jack(task, check_key, jack, _actor(name, initials, role), reason)
    click.echo(visible(f"{cutover.run.name}: #{event.seq} jack {jack} confirmed by hand ({check_key})"))


@cli.command()
@click.argument("task")
@click.option("--reason", "-m", required=True, help="Why the failed checks are acceptable (journaled).")
@click.option("--approver-name", required=True, help="The second person who approves the override.")
@click.option("--approver-initials", required=True)
@click.option("--approver-role", default="", help="The approver's role.")
@run_option
@db_option
@_actor_options
@friendly
def override(
    task: str, reason: str, approver_name: str, approver_initials: str, approver_role: str,
    run_ref: str | None, db: str | None, name: str | None, initials: str | None, role: str,
) -> None:  # fmt: skip
    """Accept a task's failed or errored checks, with a reason and a second person."""
    from golive.progress.events import Actor
    from golive.safetext import visible

    cutover = _open(db, run_ref)
    approver = Actor(approver_name.strip(), approver_initials.strip(), approver_role.strip())
    event = cutover.override(task, _actor(name, initials, role), approver, reason)
    click.echo(visible(f"{cutover.run.name}: #{event.seq} overridden {task}, approved by {approver}"))


@cli.command()
@click.argument("plan")
@click.option("--reason", "-m", required=True, help="Why the rollback starts (journaled).")
@click.option("--task", default=None, help="The task (often the gate) that called for it.")
@run_option
@db_option
@_actor_options
@friendly
def rollback(
    plan: str, reason: str, task: str | None, run_ref: str | None, db: str | None,
    name: str | None, initials: str | None, role: str,
) -> None:  # fmt: skip
    """Start a rollback plan from the runbook, and print its steps."""
    from golive.runbook.durations import format_duration
    from golive.safetext import visible

    cutover = _open(db, run_ref)
    event = cutover.start_rollback(plan, _actor(name, initials, role), reason, task)
    the_plan = cutover.runbook.rollback[plan]
    click.echo(visible(f"{cutover.run.name}: #{event.seq} rollback started: {the_plan.title}"))
    for number, step in enumerate(the_plan.steps, 1):
        click.echo(visible(f"  {number}. {step.title} ({format_duration(step.duration)}, {step.owner or 'any role'})"))


@cli.command()
@click.option("--reason", "-m", default="", help="A closing remark (journaled).")
@run_option
@db_option
@_actor_options
@friendly
def close(reason: str, run_ref: str | None, db: str | None, name: str | None, initials: str | None, role: str) -> None:
    """Close a run: nothing more can be journaled on it; its chain head is printed to record."""
    from golive.safetext import visible

    cutover = _open(db, run_ref)
    event = cutover.close(_actor(name, initials, role), reason)
    click.echo(visible(f"{cutover.run.name}: #{event.seq} run closed; chain head {cutover.head_hash}"))


# Commands kept in their own modules. Each module imports only click at the top, the rest lazily.
# (one line per module below; keep this block at the end of the file)
from golive.cli.merge_cmd import merge, report  # noqa: E402
from golive.cli.run_cmd import demo, run  # noqa: E402

cli.add_command(merge)
cli.add_command(run)
cli.add_command(demo)
cli.add_command(report)
from golive.cli.lab_cmd import lab  # noqa: E402

cli.add_command(lab)
from golive.cli.check_cmd import check  # noqa: E402

cli.add_command(check)
from golive.cli.export_cmd import export  # noqa: E402

cli.add_command(export)
from golive.cli.platforms_cmd import platforms  # noqa: E402

cli.add_command(platforms)
from golive.cli.portmap_cmd import portmap  # noqa: E402

cli.add_command(portmap)


def main() -> None:
    """Entry point of the installed `golive` command."""
    try:
        cli.main(prog_name="golive", standalone_mode=True)
    except BrokenPipeError:
        sys.exit(0)
