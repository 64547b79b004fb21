"""`golive merge` and `golive report --compare`: the morning after, several laptops' logs become one,
and the rehearsal is held against the night.

Thin faces over golive.store.merge and golive.report.compare; everything but click is imported
inside the commands so `golive --help` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from golive.cli.common import _actor, _actor_options, db_option, friendly, json_option

F = TypeVar("F", bound=Callable[..., Any])


@click.command()
@click.argument("databases", nargs=-1, required=True, metavar="DB[:RUN]...")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The merged database to write.")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@click.option("--rehearsal", is_flag=True, help="Merge the rehearsal runs (default: the live runs).")
@click.option(
    "--clock-tolerance", default=120.0, show_default=True, type=click.FloatRange(min=0), metavar="SECONDS",
    help="How far two laptops' clocks may disagree before a task finished on one before it started on another "
    "is reported.",
)  # fmt: skip
@_actor_options
@friendly
def merge(
    databases: tuple[str, ...], output: str, force: bool, rehearsal: bool, clock_tolerance: float,
    name: str | None, initials: str | None, role: str,
) -> None:  # fmt: skip
    """Merge several laptops' journals of one go-live into a new database.

    \b
    Each DB gives its one live run (--rehearsal: rehearsal run), or the run named as DB:RUN. All
    must be of the same runbook text. Events are kept once each (by UUID), ordered by time, in one
    new merged run; each laptop's chain stays verifiable inside it (checked before this returns).
    Conflicts (two people signing a one-person task, a sign-off after a rollback, clocks that
    disagree, a task done on one laptop and failed on another, forked copies of one run) are
    printed and stored with the merge, never dropped. Nothing is written if any input is refused.
    """
    from pathlib import Path

    from golive.export.output import check_targets, clean_stale
    from golive.paths import machine_id, resolve_db_path
    from golive.problems import GoliveError
    from golive.safetext import visible
    from golive.store.db import open_engine
    from golive.store.merge import merge as do_merge
    from golive.store.merge import verify_sources

    check_targets([Path(output)], force, [resolve_db_path(None)], database_ok=True)
    clean_stale(Path(output).parent)
    report = do_merge(
        databases, Path(output), actor=_actor(name, initials, role), machine=machine_id(),
        mode="rehearsal" if rehearsal else "live", force=force, tolerance_s=clock_tolerance,
    )  # fmt: skip
    for line in report.lines():
        click.echo(visible(line))
    checked = verify_sources(open_engine(Path(output), create=False), report.run_uuid)
    for line, ok in checked:
        click.echo(visible(f"re-read {line}"), err=not ok)
    if not all(ok for _, ok in checked):
        raise GoliveError(f"{output}: the merged database does not reproduce every source chain; please report it")


@click.command()
@click.option(
    "--compare", "runs", nargs=2, metavar="REHEARSAL LIVE", default=None,
    help="Two runs, each RUN (in --db) or DB:RUN.",
)  # fmt: skip
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "md", "csv"]), default="text", show_default=True)
@click.option("--margin", default=20, show_default=True, type=click.IntRange(0, 500), help="Percent added.")
@click.option("--step", default="5m", show_default=True, help="Round proposals up to a multiple of this.")
@click.option("--floor", default="5m", show_default=True, help="Never propose less than this.")
@json_option
@friendly
def report(
    runs: tuple[str, str] | None, db: str | None, fmt: str, margin: int, step: str, floor: str, as_json: bool
) -> None:
    """Compare a rehearsal with the live run, task by task, and propose planned durations.

    \b
    Per task: planned, the actual in each run (first start to the completing sign-off; only tasks
    that ended done), the variance of each against the plan, and the checks (by key TASK#N) that
    failed in one run and not the other.
    Proposed duration = the rehearsal actual plus --margin percent, rounded up to a multiple of
    --step, never below --floor (default: +20%, up to 5m, at least 5m; 23m -> 30m, 2m -> 5m).
    Tasks not done in the rehearsal, or done there in under 25% of their plan (clicked through,
    flagged TOO FAST), have no proposal: keep their plan. A task with no actual says why: skipped,
    blocked, failed, in progress or not reached. Runs given LIVE first are swapped back, with a note.
    """
    from pathlib import Path

    from golive.paths import resolve_db_path
    from golive.report.compare import ProposalRule, compare, load_pair, to_csv, to_markdown
    from golive.runbook.durations import parse_duration
    from golive.safetext import visible

    if runs is None:
        raise click.UsageError("say what to report: --compare REHEARSAL LIVE")
    seconds = {}
    for option, text in (("--step", step), ("--floor", floor)):
        try:
            seconds[option] = parse_duration(text)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint=option) from None
    if seconds["--step"] <= 0:
        raise click.BadParameter("must be longer than 0", param_hint="--step")
    rule = ProposalRule(margin=margin / 100, step_s=seconds["--step"], floor_s=seconds["--floor"])
    rehearsal, live, notice = load_pair(runs[0], runs[1], Path(resolve_db_path(db)))
    comparison = compare(rehearsal, live, rule, notice)
    if notice and not as_json and fmt != "md":
        click.echo(f"golive: note: {visible(notice)}", err=True)
    if as_json:
        from golive.cli.common import print_json
        from golive.report.compare import to_document

        print_json(to_document(comparison))
    elif fmt == "csv":
        click.echo(to_csv(comparison), nl=False)
    elif fmt == "md":
        click.echo(to_markdown(comparison), nl=False)
    else:
        _print_table(comparison)


def _print_table(c: Any) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from golive.report.compare import duration, run_summary
    from golive.safetext import visible

    def variance(seconds: float | None) -> Text:
        style = "red" if seconds is not None and seconds > 0 else "green" if seconds is not None else ""
        return Text(duration(seconds, signed=True), style=style)

    console = Console()
    for label, side, elapsed, totals in (
        ("Rehearsal", c.rehearsal, c.rehearsal_elapsed_s, c.rehearsal_totals),
        ("Live     ", c.live, c.live_elapsed_s, c.live_totals),
    ):
        console.print(Text.assemble((label, "bold"), visible(
            f" {side.label} ({side.mode}), {run_summary(totals)}, elapsed {duration(elapsed)}")))  # fmt: skip
    console.print(Text(f"Times of day in site time, {c.zone}", style="dim"))
    table = Table("task", "planned", "reh.", "live", "±reh.", "±live", "proposed", "failed only in", box=box.SIMPLE)
    for t in c.tasks:
        only = " ".join([*(f"R:{k}" for k in t.failed_only_rehearsal), *(f"L:{k}" for k in t.failed_only_live)])
        proposed = Text(duration(t.proposed_s), style="bold" if t.proposed_s not in (None, t.planned_s) else "")
        if t.too_fast:
            proposed = Text("TOO FAST", style="bold yellow")
        table.add_row(
            Text(visible(t.task)), duration(t.planned_s), t.rehearsal_word, t.live_word,
            variance(t.rehearsal_variance_s), variance(t.live_variance_s), proposed, only,
        )  # fmt: skip
    r, live = c.rehearsal_totals, c.live_totals
    if r is not None and live is not None:
        table.add_row(Text("total", style="bold"), duration(r.planned_s), duration(r.actual_s),
                      duration(live.actual_s), "", "", "", "")  # fmt: skip
    console.print(table)
    fast = [t for t in c.tasks if t.too_fast]
    for t in fast:
        console.print(Text(visible(f"{t.task}: {t.flag}"), style="yellow"))
    if c.checks:
        checks = Table("check", "task", "rehearsal", "live", "reason", title="Checks that failed in one run only")
        for k in c.checks:
            checks.add_row(k.key, k.task or "", k.rehearsal, k.live, k.reason)
        console.print(checks)
    console.print(f"[dim]{c.rule.describe()}[/]")
