"""`golive export RUN --format csv|xlsx|jsonl|html|md -o PATH`: the run for the PM's tools.

A thin face over golive.export.exporter; everything but click is imported inside the command so
`golive --help` stays fast. On a terminal, stderr shows what the export is doing, one step at a
time on one line that the next step replaces, erased when the export ends; a pipe or a file gets
none of it (a script's stderr holds only warnings and errors).
"""

from __future__ import annotations

import os
import sys

import click

from golive.cli.common import counted, db_option, friendly, pick_run, run_option

FORMATS = ("csv", "xlsx", "jsonl", "html", "md")


class _Steps:
    """The export's current step on one line of the terminal (stderr), when stderr is a terminal."""

    def __init__(self) -> None:
        self.shown = sys.stderr.isatty()
        self.drawn = False

    def __call__(self, step: str) -> None:
        if self.shown:
            try:
                width = os.get_terminal_size(sys.stderr.fileno()).columns or 80  # 0: a terminal that did not say
            except (OSError, ValueError):
                width = 80
            line = f"golive: {step}..."[: max(width - 1, 20)]  # one row: \r and the erase reach its start
            click.echo(f"\r\x1b[2K{line}", err=True, nl=False)
            self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            click.echo("\r\x1b[2K", err=True, nl=False)
            self.drawn = False


@click.command()
@click.argument("run", required=False)
@run_option
@click.option("--format", "-f", "fmt", required=True, type=click.Choice(FORMATS), help="What to write.")
@click.option(
    "-o", "--output", required=True, type=click.Path(), metavar="PATH",
    help="The file to write (csv also writes PATH's -tasks and -run files beside it, and -portmap for a port map).",
)  # fmt: skip
@click.option("--force", is_flag=True, help="Replace files that exist.")
@click.option(
    "--allow-broken", is_flag=True,
    help="Export even if the journal does not verify; the export then carries a warning banner.",
)  # fmt: skip
@click.option("--redact-people", is_flag=True, help="Show people by their initials only (not for jsonl).")
@click.option("--bom", is_flag=True, help="csv: start each file with a UTF-8 BOM (Excel).")
@db_option
@friendly
def export(
    run: str | None, run_ref: str | None, fmt: str, output: str, force: bool, allow_broken: bool,
    redact_people: bool, bom: bool, db: str | None,
) -> None:  # fmt: skip
    """Export a run's journal, tasks, checks and sign-offs for Excel, Power BI, a change ticket or leadership.

    \b
    csv    the journal (PATH), tasks (PATH-tasks.csv) and the run (PATH-run.csv); UTF-8, ISO 8601 times;
           with a port map, the map as executed (PATH-portmap.csv), which reloads as a port map
    xlsx   sheets Summary, Tasks, Checks, Sign-offs, Port map (with a port map), Journal
    jsonl  the journal verbatim with its hashes: check it with `golive verify PATH`, no database needed
    html   one self-contained page (no network) with a timeline and a variance chart; prints to PDF
    md     a change-record summary: what was done, test results, exceptions, backout

    RUN (or --run NAME) may be left out when the database holds one open run, or one run.
    Times a person reads are in site time (the runbook window's offset, named in each file);
    jsonl and the csv journal's ts_utc keep UTC as machine data.

    Every export states the run, its mode and the journal's chain head. A run whose journal does not
    verify is refused unless --allow-broken. Nothing is written when anything is refused.
    """
    from pathlib import Path

    from golive.export.exporter import export_run
    from golive.paths import resolve_db_path

    steps = _Steps()
    try:
        done = export_run(
            resolve_db_path(db), pick_run(run, run_ref), fmt, Path(output), force=force, allow_broken=allow_broken,
            redact_people=redact_people, bom=bom, progress=steps,
        )  # fmt: skip
    finally:
        steps.clear()
    data = done.data
    trust = data.trust
    if not trust.ok:
        click.echo(f"golive: warning: {data.run.name}: the journal does not verify; exported under a banner", err=True)
    names = ", ".join(str(p) for p in done.files)
    state = "verified" if trust.ok else "NOT VERIFIED"
    click.echo(
        f"{data.run.mode_label} {data.run.name}: wrote {names} ({counted(trust.events, 'event')}, chain head "
        f"{trust.head_hash}, {state}{', names redacted' if data.redacted else ''})"
    )
