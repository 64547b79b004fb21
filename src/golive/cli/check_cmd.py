"""`golive check`: run a task's, a phase's or a whole runbook's checks now, results painted as they land.

Thin: it resolves what to run and where (the lab when one runs for this runbook, except for a LIVE
run: it only ever reaches the site's devices), hands the
items to the engine, paints each result as it arrives, and journals it into the run when there
is one. Exit 1 when any check failed or could not tell (error).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path
from typing import Any

import click

from golive.cli.common import _actor, _actor_options, counted, db_option, friendly, json_option, print_json

STATUS_STYLE = {"pass": "bold green", "fail": "bold red", "error": "bold magenta", "simulated": "cyan"}
STATUS_MARK = {"pass": "✔ pass", "fail": "✘ FAIL", "error": "! ERROR", "simulated": "~ simulated"}


def _shown(text: str) -> str:
    """Runbook or device text as a table cell shows it: no markup, no raw control characters."""
    from rich.markup import escape

    from golive.safetext import visible

    return escape(visible(text))


def _row(result: Any) -> list[str]:
    reason = result.reason or ("" if result.status != "pass" else result.expected)
    return [
        f"[{STATUS_STYLE[result.status]}]{STATUS_MARK[result.status]}[/]",
        _shown(result.key),
        _shown(result.kind),
        _shown(result.device or "-"),
        _shown(result.target),
        _shown(result.transport),
        f"{result.duration_ms / 1000:.1f}s",
        _shown(reason[:300]),
    ]


def _table(rows: list[list[str]], title: str) -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left", expand=True)
    columns: list[tuple[str, dict[str, Any]]] = [
        ("result", {"no_wrap": True}), ("check", {"no_wrap": True}), ("kind", {}), ("device", {}),
        ("target", {"overflow": "fold"}), ("via", {}), ("took", {"justify": "right"}),
        ("observed / reason", {"ratio": 1}),
    ]  # fmt: skip
    for name, kwargs in columns:
        table.add_column(name, **kwargs)
    for row in rows:
        table.add_row(*row)
    return table


@click.command()
@click.argument("target")
@click.option("--task", "task", default=None, help="Only this task's checks.")
@click.option("--phase", "phase", default=None, help="Only this phase's checks.")
@click.option("--rehearsal", is_flag=True, help="With a runbook file and no run: treat as a rehearsal.")
@click.option(
    "--trust-new-hosts", is_flag=True, help="Accept unknown SSH host keys (their fingerprints are journaled)."
)
@click.option("--no-journal", is_flag=True, help="Do not record the results in the run's journal.")
@click.option("--timeout", type=click.FloatRange(1, 600), default=None, help="Default per-check timeout, seconds [15].")
@db_option
@_actor_options
@json_option
@friendly
def check(
    target: str, task: str | None, phase: str | None, rehearsal: bool, trust_new_hosts: bool, no_journal: bool,
    timeout: float | None, db: str | None, name: str | None, initials: str | None, role: str, as_json: bool,
) -> None:  # fmt: skip
    """Run checks now: TARGET is a runbook file or a run; exit 1 if any check fails or errors.

    When `golive lab` runs for the runbook, every device is reached in the lab, except for a LIVE
    run: it only ever reaches the site's devices. Results are
    journaled in the open run of the same runbook (or the run given).
    """
    from golive.checks.credentials import Credentials
    from golive.checks.engine import DEFAULT_TIMEOUT, Engine
    from golive.checks.plan import items_for
    from golive.lab.registry import find_lab
    from golive.problems import GoliveError
    from golive.safetext import visible

    runbook, runbook_file, cutover, rehearsal = _resolve(target, db, rehearsal, no_journal)
    if task is not None and task not in runbook.tasks:
        raise GoliveError(f"no task {task!r} in runbook {runbook.runbook.id}")
    if phase is not None and phase not in {p.id for p in runbook.phases}:
        raise GoliveError(f"no phase {phase!r} in runbook {runbook.runbook.id}")
    items = items_for(runbook, task, phase)
    if not items:
        click.echo("no checks to run", err=True)
        if as_json:
            print_json({"run": cutover.run.name if cutover else None, "counts": {}, "results": []})
        return
    # a LIVE run checks the site's devices only: a lab that happens to run is never asked
    live_run = cutover is not None and not cutover.run.rehearsal
    lab = None if live_run else find_lab(runbook.runbook.id)
    from golive.checks.targets import default_known_hosts

    engine = Engine(
        runbook, rehearsal=rehearsal, lab=lab, credentials=Credentials(_prompt), trust_new_hosts=trust_new_hosts,
        known_hosts=default_known_hosts(runbook_file, runbook), baselines=_baselines(cutover),
        default_timeout=timeout or DEFAULT_TIMEOUT,
    )  # fmt: skip
    actor = _actor(name, initials, role)
    where = f"the lab (pid {lab.pid})" if lab else "simulated (rehearsal, no lab)" if rehearsal else "live devices"
    if live_run and find_lab(runbook.runbook.id) is not None:
        where += " (a lab runs for this runbook: a LIVE run never uses it)"
    journal = f"journaled in {cutover.run.name}" if cutover else "not journaled"
    title = f"{runbook.runbook.id}: {counted(len(items), 'check')} against {where}; {journal}"
    sampled = [float(i.check.interval) for i in items if getattr(i.check, "interval", None)]
    if sampled and not (rehearsal and lab is None):  # a simulated run does not wait
        from golive.runbook.durations import format_duration

        click.echo(
            f"golive: {counted(len(sampled), 'check')} {'samples' if len(sampled) == 1 else 'sample'} counters"
            f" twice, up to {format_duration(max(sampled))}"
            f" apart: the last results come in about {format_duration(max(sampled))}", err=True,
        )  # fmt: skip
    with contextlib.redirect_stdout(sys.stderr) if as_json else contextlib.nullcontext():  # stdout: the JSON
        results = asyncio.run(_paint(engine, items, title, cutover, actor))
    engine.close()
    with contextlib.redirect_stdout(sys.stderr) if as_json else contextlib.nullcontext():
        _print_jacks(results)
    counts = {s: sum(r.status == s for r in results) for s in ("pass", "fail", "error", "simulated")}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    click.echo(summary, err=True)
    if as_json:
        print_json(_document(cutover, counts, results))
    if engine.new_host_keys:
        for device, (kind, fp, _b64) in engine.new_host_keys.items():
            click.echo(visible(f"trusted new host key for {device}: {kind} {fp}"), err=True)
    if counts["fail"] or counts["error"]:
        sys.exit(1)


def _document(cutover: Any, counts: dict[str, int], results: list[Any]) -> dict[str, Any]:
    """`golive check --json`: the counts and each result (keys documented in the README)."""
    return {
        "run": cutover.run.name if cutover else None,
        "counts": counts,
        "results": [
            {"key": r.key, "task": r.task, "check_id": r.check_id, "kind": r.kind, "device": r.device,
             "transport": r.transport, "target": r.target, "status": str(r.status), "lab": r.lab,
             "expected": r.expected, "reason": r.reason, "duration_ms": r.duration_ms,
             "failed_ports": [n for n, o in r.ports.items() if o.status in ("fail", "error")],
             **({"jacks": _jacks_json(r)} if r.kind in PORTMAP_KINDS else {})}
            for r in results
        ],
    }  # fmt: skip


PORTMAP_KINDS = ("snapshot", "jacks")
JACK_LINES = 50  # problem jacks listed per check; the rest counted (the JSON and `golive status` have them all)


def _jacks_json(result: Any) -> list[dict[str, Any]]:
    """Per jack of a snapshot or jacks result, in the result's order (problems first for a jacks check)."""
    return [
        {"jack": label, "status": str(o.status), "reason": o.reason, **o.observed} for label, o in result.ports.items()
    ]


def _print_jacks(results: list[Any]) -> None:
    """Under the table, for each snapshot or jacks result: a summary line, then every jack that needs a person
    (misplugged, wrong, unpowered, unexpected, not seen; critical first within a state), one line each."""
    from rich.console import Console

    from golive.progress.jacks import PROBLEMS, WORDS, JackState, problems_first, state_of, summary_line
    from golive.safetext import visible

    console = Console(stderr=False, emoji=False)
    for result in results:
        if result.kind not in PORTMAP_KINDS or str(result.status) == "simulated":
            continue
        if result.kind == "snapshot":
            unread = [(label, o) for label, o in result.ports.items() if str(o.status) != "pass"]
            console.print(visible(f"snapshot {result.key}: {result.reason}"), markup=False, soft_wrap=True)
            for label, outcome in unread[:JACK_LINES]:
                console.print(visible(f"  ! {label}: {outcome.reason}"), markup=False, soft_wrap=True)
            continue
        states = {label: (state_of(o.observed), bool(o.observed.get("critical"))) for label, o in result.ports.items()}
        console.print(visible(f"jacks {result.key}: {summary_line(states)}"), markup=False, soft_wrap=True)
        shown = [label for label in problems_first(states) if states[label][0] in PROBLEMS | {JackState.NOT_SEEN}]
        for label in shown[:JACK_LINES]:
            state, critical = states[label]
            mark = "✘" if state in PROBLEMS else "?"
            line = f"  {mark} {label}{' (critical)' if critical else ''}: {WORDS[state]}: {result.ports[label].reason}"
            console.print(visible(line), markup=False, soft_wrap=True)
        if len(shown) > JACK_LINES:
            console.print(f"  ... and {len(shown) - JACK_LINES} more (golive status, or --json)", markup=False)


async def _paint(engine: Any, items: list[Any], title: str, cutover: Any, actor: Any) -> list[Any]:
    from rich.console import Console
    from rich.live import Live

    from golive.safetext import visible

    console = Console(stderr=False, emoji=False)  # a MAC's `:cd:` is text, not the emoji code
    rows: list[list[str]] = []
    results: list[Any] = []
    pending = f"[dim]… {counted(len(items), 'check')} running[/]"
    if console.is_terminal:
        title = _shown(title)
        with Live(_table(rows, title), console=console, refresh_per_second=8) as live:
            live.update(_table(rows, f"{title}\n{pending}"))
            async for result in engine.run(items):
                results.append(result)
                rows.append(_row(result))
                _journal(cutover, actor, result, engine)
                left = len(items) - len(results)
                live.update(_table(rows, title + (f"\n[dim]… {left} still running[/]" if left else "")))
    else:
        console.print(visible(title), markup=False)
        async for result in engine.run(items):
            results.append(result)
            _journal(cutover, actor, result, engine)
            reason = result.reason or result.expected
            line = (
                f"{result.status.upper():9} {result.key:<24} {result.kind:<8} {result.device or '-':<12} "
                f"{result.target}  {result.duration_ms / 1000:.1f}s  {reason}"
            )
            console.print(visible(line), markup=False, soft_wrap=True)
    return results


def _journal(cutover: Any, actor: Any, result: Any, engine: Any) -> None:
    if cutover is None:
        return
    from golive.progress.payloads import HostKey

    payload = result.to_payload()
    if result.device and result.device in engine.new_host_keys:
        kind, fp, _b64 = engine.new_host_keys[result.device]
        payload = payload.model_copy(update={"host_key_trusted": HostKey(type=kind, fingerprint=fp)})
    cutover.record_check(result.task, actor, payload)


def _baselines(cutover: Any) -> dict[str, Any]:
    """The latest result of each named check in the run: the baseline a delta compares against."""
    if cutover is None:
        return {}
    from golive.checks.results import CheckResult
    from golive.progress.payloads import Checked

    out: dict[str, Any] = {}
    for event in cutover.events:
        if isinstance(event.payload, Checked) and event.payload.check_id:
            out[event.payload.check_id] = CheckResult.from_payload(event.task, event.payload)
    return out


def _prompt(purpose: str) -> str:
    if not sys.stdin.isatty():
        return ""
    return str(click.prompt(purpose, hide_input=True, err=True))


def _resolve(target: str, db: str | None, rehearsal: bool, no_journal: bool) -> tuple[Any, Path | None, Any, bool]:
    """(runbook, its file if known, the run to journal into or None, rehearsal?)."""
    from golive.paths import resolve_db_path
    from golive.runbook.load import read_runbook
    from golive.store.cutover import Cutover

    path = Path(target)
    db_path = resolve_db_path(db)
    if path.suffix.lower() in (".yaml", ".yml") or path.is_file():
        loaded = read_runbook(path)
        cutover = None if no_journal else _open_run_of(db_path, loaded.sha256)
        mode = cutover.run.rehearsal if cutover else rehearsal
        return loaded.runbook, path, cutover, mode
    cutover = Cutover.open(db_path, target, unambiguous=True)
    return cutover.runbook, None, (None if no_journal else cutover), cutover.run.rehearsal


def _open_run_of(db_path: Path, sha256: str) -> Any:
    """The one open run of this exact runbook text, if the database has one."""
    if not db_path.exists():
        return None
    from golive.store.cutover import Cutover
    from golive.store.db import open_engine
    from golive.store.runs import list_runs

    engine = open_engine(db_path, create=False)
    runs = [r for r in list_runs(engine) if not r.closed and r.sha256 == sha256]
    if len(runs) != 1:
        return None
    return Cutover(engine, runs[0])
