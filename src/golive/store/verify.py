"""Verify a state database: every run's hash chain, and everything the chain relies on.

The chain covers the journal; the runbook texts and the run rows sit beside it. So verify also
checks that each stored runbook text still hashes to its address and still reads as the runbook
golive uses, that each run row still says what its `loaded` event says, that the append-only
triggers are present and unaltered, and SQLite's own integrity check.

Returns lines to print rather than printing, so the CLI and the tests share it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from golive.problems import GoliveError, ProblemsFound
from golive.progress.payloads import Loaded
from golive.runbook.load import parse_runbook
from golive.runbook.schema import Runbook
from golive.store import journal, merge
from golive.store.db import APPEND_ONLY, trigger_statements
from golive.store.repository import Reader, Repository, RunInfo

Line = tuple[str, bool]


def verify_database(path: Path, run_ref: str | None = None) -> list[Line]:
    """(line, ok) for the database and for each run (or the one named)."""
    with Repository.at(path).read() as tx:
        return _verify(tx, path, run_ref)


def _verify(tx: Reader, path: Path, run_ref: str | None) -> list[Line]:
    out = beside_chains(tx, path)
    runs = [tx.find_run(run_ref)] if run_ref else tx.runs()
    if not runs:
        raise GoliveError(f"{path}: no runs to verify")
    known = {r.uuid for r in tx.run_rows()}
    for stray in sorted(tx.journal_runs() - known):
        out.append((f"{path}: journal rows for an unknown run {stray}", False))
    for run in runs:
        rows = tx.rows(run.uuid)
        report = journal.verify_rows(run.uuid, rows)
        if not report.ok:
            out.append((f"{run.name}: broken at event #{report.broken_at}: {report.reason}", False))
        elif problem := run_row_problem(tx, run):
            out.append((problem, False))
        else:
            out.append((f"{run.name}: ok: {report.events} events, chain head {report.head_hash}", True))
        # a merged run carries each laptop's chain inside it: re-check those too (nothing for other runs)
        out.extend(merge.verify_source_rows(rows))
    return out


def beside_chains(tx: Reader, path: Path) -> list[Line]:
    """What the chains rely on but do not cover: SQLite's integrity, the append-only triggers, and
    the stored runbook texts. (A run row is checked against its chain by `run_row_problem`.)"""
    return [*database_lines(tx, path), *version_lines(path, read_versions(tx))]


def database_lines(tx: Reader, path: Path) -> list[Line]:
    """SQLite's integrity check and the append-only triggers (the part of `beside_chains` that reads)."""
    integrity = tx.integrity()
    ok = integrity == ["ok"]
    return [(f"{path}: SQLite integrity: {'ok' if ok else '; '.join(integrity[:5])}", ok), *_triggers(tx, path)]


StoredText = tuple[str, str, str, str]  # a runbook_version row: sha256, source, normalized, file_name


def read_versions(tx: Reader) -> list[StoredText]:
    """Every stored runbook text, for `version_lines`."""
    return [(v.sha256, v.source, v.normalized, v.file_name) for v in tx.versions()]


def run_row_problem(tx: Reader, run: RunInfo) -> str:
    """'' when the run row says what the run's `loaded` event says, else a line naming the change."""
    mismatch = _run_row_mismatch(tx, run)
    return f"{run.name}: the run row was changed: {mismatch}" if mismatch else ""


def _triggers(tx: Reader, path: Path) -> list[Line]:
    found = tx.triggers()
    expected = trigger_statements(stored_form=True)
    out: list[Line] = []
    missing = sorted(name for name in expected if name not in found)
    if missing:
        out.append((f"{path}: append-only triggers were removed: {', '.join(missing)}", False))
    altered = sorted(
        name for name in expected if name in found and " ".join(str(found[name]).split()) != expected[name]
    )
    if altered:
        out.append((f"{path}: append-only triggers were altered: {', '.join(altered)}", False))
    unknown = sorted(name for name in found if name not in expected)
    if unknown:
        out.append((f"{path}: triggers golive did not make (they can drop or change what is stored): "
                    f"{', '.join(unknown)}", False))  # fmt: skip
    assert set(expected) == {f"{t}_no_{a}" for t in APPEND_ONLY for a in ("update", "delete")}
    return out


def version_lines(path: Path, versions: list[StoredText]) -> list[Line]:
    """A problem line for each stored runbook text that no longer hashes to its address or no longer
    reads as its stored form. Pure computation on rows already read (an export runs it beside its
    writing, in another process)."""
    out: list[Line] = []
    for sha256, source, normalized, file_name in versions:
        label = f"{path}: runbook text {sha256[:12]} ({file_name})"
        if hashlib.sha256(source.encode("utf-8")).hexdigest() != sha256:
            out.append((f"{label} was edited: it no longer hashes to its address", False))
            continue
        try:
            parsed = parse_runbook(source, file_name).runbook
            # the stored form is this very serialisation (store.runs): the same text is the same runbook,
            # without validating it a second time; any other text is compared as the runbook it reads as
            if parsed.model_dump_json(by_alias=True, exclude_unset=True) == normalized:
                continue
            fresh = parsed.model_dump()
            stored = Runbook.model_validate_json(normalized).model_dump()
        except (ProblemsFound, ValueError):
            out.append((f"{label}: its stored form no longer reads as a runbook", False))
            continue
        if fresh != stored:
            out.append((f"{label}: its stored form was edited: it differs from the text", False))
    return out


def _run_row_mismatch(tx: Reader, run: RunInfo) -> str:
    row = tx.run_row(run.uuid)
    first = tx.first_row(run.uuid)
    if first is None or first["kind"] != "loaded":
        return "its first event is not the load"
    loaded = Loaded.from_json(first["payload"])
    said = {"runbook_sha256": loaded.sha256, "mode": loaded.mode, "name": loaded.run, "runbook_id": loaded.runbook}
    for column, value in said.items():
        if getattr(row, column) != value:
            return f"{column} is {getattr(row, column)!r} but the journal's load event says {value!r}"
    return ""
