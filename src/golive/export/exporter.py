"""Export one run in one format: plan the files, refuse what must be refused, write all or nothing.

Order matters for "nothing written": options are checked first, then the output paths (an
existing file needs `force`), then the run is read. The files are written each to a temporary
file beside its target while the journal is verified in a second process (model.start_gather);
they are renamed over the targets only once the journal verified, or, with `allow_broken`, after
being written again under the warning banner. A journal that does not verify without
`allow_broken` is refused and its temporary files removed: nothing reaches a target path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from golive.export import background
from golive.export.model import ExportData, start_gather
from golive.export.output import check_targets, staged
from golive.problems import GoliveError

FORMATS = ("csv", "xlsx", "jsonl", "html", "md")


@dataclass(frozen=True)
class Exported:
    files: list[Path]
    data: ExportData


def targets_for(fmt: str, output: Path) -> list[Path]:
    if fmt == "csv":
        from golive.export.csv_export import paths_for

        return paths_for(output)
    return [output]


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
    with background.collector_paused():
        return _export(db, run_ref, fmt, targets, force, allow_broken, redact_people, bom, now)


def _export(
    db: Path, run_ref: str | None, fmt: str, targets: list[Path], force: bool, allow_broken: bool,
    redact_people: bool, bom: bool, now: datetime | None,
) -> Exported:  # fmt: skip
    gathered = start_gather(db, run_ref, redact_people=redact_people, now=now)
    data = gathered.data
    try:
        with staged(targets, force, [db]) as temps:
            try:
                _write(fmt, data, temps, bom)  # meanwhile the journal is verified beside (model.start_gather)
            finally:
                trust = gathered.trust()
                if not trust.ok and not allow_broken:
                    raise GoliveError(
                        f"{data.run.name}: the journal does not verify ({trust.problems[0]}); nothing exported. "
                        "--allow-broken exports it anyway, under a warning banner"
                    )
            if not trust.ok:
                data.trust = trust
                _write(fmt, data, temps, bom)  # again, now under the warning banner
    finally:
        gathered.cancel()
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
