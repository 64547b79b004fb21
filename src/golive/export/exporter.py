"""Export one run in one format: plan the files, refuse what must be refused, write all or nothing.

Order matters for "nothing written": options are checked first, then the output paths (an
existing file needs `force`), then the run is read and verified (model.gather), all in this
process. A journal that does not verify is refused unless `allow_broken`, before any file is
made; with `allow_broken` the files carry the warning banner. Each file is written to a temporary
file beside its target and renamed over it only once every file is written.

`progress`, if given, is told each step as it starts (reading the run, writing the files), in
words, for a face that shows the person what a long export is doing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from golive.export.model import ExportData, gather
from golive.export.output import check_targets, staged
from golive.problems import GoliveError

FORMATS = ("csv", "xlsx", "jsonl", "html", "md")


@dataclass(frozen=True)
class Exported:
    files: list[Path]
    data: ExportData


def targets_for(fmt: str, output: Path, *, portmap: bool = False) -> list[Path]:
    """The files an export writes; a csv export of a run with a port map writes one more (known once read)."""
    if fmt == "csv":
        from golive.export.csv_export import paths_for

        return paths_for(output, portmap=portmap)
    return [output]


def _silent(_step: str) -> None:
    pass


def export_run(
    db: Path,
    run_ref: str | None,
    fmt: str,
    output: Path,
    *,
    force: bool = False,
    allow_broken: bool = False,
    redact_people: bool = False,
    bom: bool = False,
    now: datetime | None = None,
    progress: Callable[[str], None] = _silent,
) -> Exported:
    if fmt not in FORMATS:
        raise GoliveError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}", exit_code=2)
    if bom and fmt != "csv":
        raise GoliveError("--bom applies to --format csv only", exit_code=2)
    if redact_people and fmt == "jsonl":
        raise GoliveError(
            "--redact-people cannot apply to jsonl: the journal is exported verbatim so that it verifies; "
            "redact a csv, xlsx, html or md export instead",
            exit_code=2,
        )
    targets = targets_for(fmt, output)
    check_targets(targets, force, [db])
    progress(f"reading and verifying {f'run {run_ref}' if run_ref else 'the run'} in {db.name}")
    data = gather(db, run_ref, redact_people=redact_people, now=now)
    trust = data.trust
    if not trust.ok and not allow_broken:
        raise GoliveError(
            f"{data.run.name}: the journal does not verify ({trust.problems[0]}); nothing exported. "
            "--allow-broken exports it anyway, under a warning banner"
        )
    targets = targets_for(fmt, output, portmap=data.runbook.portmap is not None)  # staged() checks them all
    progress(f"writing {', '.join(p.name for p in targets)} ({trust.events:,} events of {data.run.name})")
    with staged(targets, force, [db]) as temps:
        _write(fmt, data, temps, bom)
    return Exported(targets, data)


def _write(fmt: str, data: ExportData, temps: list[Path], bom: bool) -> None:
    if fmt == "csv":
        from golive.export import csv_export

        csv_export.write(data, temps, bom=bom)
    elif fmt == "xlsx":
        from golive.export import xlsx_export

        xlsx_export.write(data, temps[0])
    elif fmt == "jsonl":
        from golive.export import jsonl_export

        jsonl_export.write(data, temps[0])
    elif fmt == "html":
        from golive.export import html_export

        html_export.write(data, temps[0])
    else:
        from golive.export import md_export

        md_export.write(data, temps[0])
