"""Merge the journals several laptops kept of one go-live into one database, losing nothing.

How laptops come to hold the same go-live: each loaded the same runbook text (one SHA-256), either
on its own (separate runs, each named `<runbook>-live-1`) or from a database copied off another
laptop before the night (one run UUID, whose chain then forks as each laptop appends). Neither can
be copied row for row into one database: run names are unique, and a forked run has two events at
one sequence number. So the merged database holds one new *merged run*:

- its first event is a `loaded` event naming the runbook, every source (file, run, event count,
  chain head) and the merge report (counts and conflicts), so the report travels with the data;
- then every distinct event of every source, once (by event UUID), ordered by time (`ts_utc`,
  then machine, then source sequence). Each keeps its UUID, kind, task, actor, machine and times;
  its payload is the original text with a `merged_from` reference spliced in as the last key: the
  source run UUID, sequence, previous hash and hash, and the sources that held it (a payload that is
  not one JSON object is kept whole inside the reference instead). The merged run's own chain links these rows anew;
- from those references each source chain can be rebuilt and re-verified inside the merged
  database (`verify_sources`): the same rows, hashes and heads as on the laptop.

Nothing is written unless every source is a golive database whose chains verify, all of one runbook
text and one mode; the database is built beside the output and moved into place only when complete.
Conflicts (two people signing a one-person task, a sign-off after a rollback started, clocks that
disagree, a task done on one laptop and failed on another, forks) are reported, never resolved.
"""

from __future__ import annotations

import hashlib
import os
import uuid as uuidlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from golive.problems import GoliveError
from golive.progress import payloads
from golive.progress.events import Actor, Event, Kind
from golive.progress.state import TaskProgress, TaskState, fold
from golive.runbook.durations import format_duration
from golive.runbook.schema import Runbook
from golive.store import journal
from golive.store.db import SCHEMA_VERSION, trigger_statements
from golive.store.repository import Reader, Repository, Unreadable, Writer, building, read_only, read_runbook
from golive.store.tables import Run, RunbookVersion

_REF_KEY = f'"{payloads.MERGED_FROM}"'
DEFAULT_TOLERANCE_S = 120.0
_SQLITE_MAGIC = b"SQLite format 3\x00"
_FINISHING = (Kind.SIGNED_OFF, Kind.SKIPPED, Kind.FAILED)
# the kinds that move a task or the run; check results and notes never make a conflict
_STATE_KINDS = frozenset(
    str(k)
    for k in (
        Kind.STARTED, Kind.SIGNED_OFF, Kind.SIGNOFF_REVOKED, Kind.SKIPPED, Kind.BLOCKED, Kind.UNBLOCKED,
        Kind.FAILED, Kind.ROLLBACK_STARTED, Kind.RUN_CLOSED,
    )
)  # fmt: skip


@dataclass(frozen=True)
class Source:
    """One laptop's run, read and verified: its rows in sequence order and its runbook texts."""

    number: int  # 1-based, in command-line order
    file: str
    run_uuid: str
    name: str
    mode: str
    runbook_id: str
    sha256: str  # the text the run was loaded from
    final_sha256: str  # the text in force after any upgrade
    rows: list[dict[str, Any]]
    versions: dict[str, RunbookVersion]

    @property
    def head(self) -> str:
        return str(self.rows[-1]["hash"]) if self.rows else journal.genesis(self.run_uuid)

    @property
    def label(self) -> str:
        return f"{self.file} ({self.name})"


@dataclass(frozen=True)
class Conflict:
    """Something the laptops disagree on; `kind` is signoff, rollback, clock, outcome, fork or runbook."""

    kind: str
    message: str
    task: str | None = None
    event: str | None = None  # the UUID of the event it is about, when there is one


@dataclass
class MergeReport:
    """What a merge read, wrote and found."""

    output: str
    run_name: str
    run_uuid: str
    sources: list[Source]
    read: int  # events in all sources, counting shared ones once per source
    unique: int
    conflicts: list[Conflict] = field(default_factory=list)
    head_hash: str = ""

    def lines(self) -> list[str]:
        out = [f"{s.number}. {s.label}: {len(s.rows)} events, chain head {s.head[:16]}" for s in self.sources]
        shared = self.read - self.unique
        out.append(
            f"merged into run {self.run_name} of {self.output}: {self.unique} distinct events "
            f"({self.read} read, {shared} held by more than one laptop), chain head {self.head_hash}"
        )
        if not self.conflicts:
            out.append("no conflicts")
        else:
            n = len(self.conflicts)
            out.append(f"{n} conflict{'s' if n != 1 else ''} (kept as journaled; decide by hand):")
            out.extend(f"  [{c.kind}] {c.message}" for c in self.conflicts)
        return out


# -- reading a source ------------------------------------------------------------------------


def split_source(spec: str) -> tuple[Path, str | None]:
    """`DB` or `DB:RUN` (a file that exists by the whole name wins over a split)."""
    path = Path(spec)
    if path.exists() or ":" not in spec:
        return path, None
    db, _, run = spec.rpartition(":")
    return Path(db), (run or None)


def read_source(spec: str, number: int, mode: str, want_sha: str | None = None, chain: bool = True) -> Source:
    """Read and verify one source run; GoliveError (naming the file) if it cannot be merged.

    `chain=False` leaves its hash chain to the caller (`chain_problem`), who verifies it beside."""
    path, run_ref = split_source(spec)
    if not path.exists():
        raise GoliveError(f"{path}: no such database")
    if path.is_dir():
        raise GoliveError(f"{path}: is a directory, not a database")
    with path.open("rb") as fh:
        magic = fh.read(len(_SQLITE_MAGIC))
    if magic != _SQLITE_MAGIC:
        raise GoliveError(f"{path}: not a golive database ({'empty' if not magic else 'not an SQLite file'})")
    try:
        with read_only(path) as tx:
            return _read(tx, path, number, mode, run_ref, want_sha, chain)
    except Unreadable as exc:
        raise GoliveError(str(exc)) from None


def _read(
    tx: Reader, path: Path, number: int, mode: str, run_ref: str | None, want_sha: str | None, chain: bool = True
) -> Source:
    check = tx.integrity(quick=True)
    if check != ["ok"]:
        raise GoliveError(f"{path}: the database is damaged ({check[0]}): truncated or edited?")
    version = tx.schema_version()
    tables = tx.tables()
    if not {"journal", "run", "runbook_version"} <= tables:
        raise GoliveError(f"{path}: this SQLite file is not a golive database")
    if version > SCHEMA_VERSION:
        raise GoliveError(f"{path}: made by a newer golive (schema {version}); upgrade golive to merge it")
    if version != SCHEMA_VERSION:
        raise GoliveError(f"{path}: this SQLite file is not a golive database")
    triggers = {name: " ".join(sql.split()) for name, sql in tx.triggers().items()}
    expected = trigger_statements(stored_form=True)
    if set(triggers) != set(expected) or any(triggers.get(name) != sql for name, sql in expected.items()):
        raise GoliveError(f"{path}: its triggers were removed, altered or added to (run golive verify on it)")
    runs = tx.run_rows()
    stray = sorted(tx.journal_runs() - {r.uuid for r in runs})
    if stray:
        raise GoliveError(f"{path}: journal rows for an unknown run {stray[0]}")
    run = _pick_run(runs, path, mode, run_ref, want_sha)
    rows = tx.rows(run.uuid)
    if chain and (broken := _chain_problem(str(path), run.uuid, run.name, rows)):
        raise GoliveError(broken)
    if why := _load_mismatch(run, rows):
        raise GoliveError(f"{path}: run {run.name}: {why}")
    if payloads.Loaded.from_json(rows[0]["payload"]).merge is not None:
        raise GoliveError(f"{path}: run {run.name} is itself a merge: merge the laptops' own databases")
    upgrades = [payloads.Upgraded.from_json(r["payload"]).sha256 for r in rows if r["kind"] == Kind.UPGRADED]
    versions = _versions(tx, path, [run.runbook_sha256, *upgrades])
    return Source(
        number=number, file=str(path), run_uuid=run.uuid, name=run.name, mode=run.mode,
        runbook_id=run.runbook_id, sha256=run.runbook_sha256,
        final_sha256=upgrades[-1] if upgrades else run.runbook_sha256, rows=rows, versions=versions,
    )  # fmt: skip


def _pick_run(runs: list[Run], path: Path, mode: str, run_ref: str | None, want_sha: str | None) -> Run:
    if not runs:
        raise GoliveError(f"{path}: holds no runs")
    if run_ref is not None:
        found = [r for r in runs if run_ref in (r.name, r.uuid)] or [
            r for r in runs if len(run_ref) >= 6 and r.uuid.startswith(run_ref)
        ]
        if len(found) != 1:
            names = ", ".join(r.name for r in runs[-5:])
            raise GoliveError(f"{path}: no single run {run_ref!r} (runs: {names})")
        if found[0].mode != mode:
            raise GoliveError(
                f"{path}: run {found[0].name} is a {found[0].mode} run; this merge is of {mode} runs "
                "(a rehearsal never merges with the live night)"
            )
        return found[0]
    candidates = [r for r in runs if r.mode == mode]
    if want_sha is not None and len(candidates) > 1:
        candidates = [r for r in candidates if r.runbook_sha256 == want_sha] or candidates
    if not candidates:
        other = "--rehearsal" if mode == "live" else "no --rehearsal"
        names = ", ".join(r.name for r in runs[-5:])
        raise GoliveError(f"{path}: no {mode} run (it holds {names}): use {other}, or name one as {path}:RUN")
    if len(candidates) > 1:
        names = ", ".join(r.name for r in candidates)
        raise GoliveError(f"{path}: holds {len(candidates)} {mode} runs ({names}): name one as {path}:RUN", exit_code=2)
    return candidates[0]


def _load_mismatch(run: Run, rows: list[dict[str, Any]]) -> str:
    if not rows or rows[0]["kind"] != Kind.LOADED:
        return "its first event is not the load"
    loaded = payloads.Loaded.from_json(rows[0]["payload"])
    said = {"runbook_sha256": loaded.sha256, "mode": loaded.mode, "name": loaded.run, "runbook_id": loaded.runbook}
    for column, value in said.items():
        held = getattr(run, column)
        if held != value:
            return f"the run row was changed: {column} is {held!r} but its load event says {value!r}"
    return ""


def _versions(tx: Reader, path: Path, shas: list[str]) -> dict[str, RunbookVersion]:
    out: dict[str, RunbookVersion] = {}
    for sha in dict.fromkeys(shas):
        version = tx.version(sha)
        if version is None:
            raise GoliveError(f"{path}: runbook text {sha[:12]} is missing")
        if hashlib.sha256(version.source.encode("utf-8")).hexdigest() != sha:
            raise GoliveError(f"{path}: runbook text {sha[:12]} was edited: it no longer hashes to its address")
        out[sha] = version
    return out


def _chain_problem(file: str, run_uuid: str, name: str, rows: list[dict[str, Any]]) -> str:
    report = journal.verify_rows(run_uuid, rows)
    return "" if report.ok else f"{file}: run {name}: chain broken at event #{report.broken_at}: {report.reason}"


def chain_problem(sources: Sequence[Source]) -> str:
    """The first source whose hash chain does not verify, as the error line; '' when all do."""
    for source in sources:
        if broken := _chain_problem(source.file, source.run_uuid, source.name, source.rows):
            return broken
    return ""


def read_sources(specs: Sequence[str], mode: str, chains: bool = True) -> list[Source]:
    """Every source, verified, all of one runbook text and one mode (`chains=False`: all but their
    hash chains, which the caller then verifies with `chain_problem`)."""
    seen: dict[Path, str] = {}
    for spec in specs:
        key = split_source(spec)[0].resolve()
        if key in seen:
            raise GoliveError(f"{spec}: given twice (also as {seen[key]})", exit_code=2)
        seen[key] = spec
    sources: list[Source] = []
    for number, spec in enumerate(specs, 1):
        source = read_source(spec, number, mode, sources[0].sha256 if sources else None, chains)
        if sources and source.sha256 != sources[0].sha256:
            first = sources[0]
            raise GoliveError(
                f"{source.file}: run {source.name} was loaded from runbook {source.runbook_id} "
                f"{_version_of(source, source.sha256)} ({source.sha256[:12]}), not {first.runbook_id} "
                f"{_version_of(first, first.sha256)} ({first.sha256[:12]}) like {first.file}: "
                "only journals of one runbook text merge"
            )
        sources.append(source)
    return sources


def _version_of(source: Source, sha: str) -> str:
    return f"v{source.versions[sha].version}"


# -- combining ---------------------------------------------------------------------------------


def combine(sources: Sequence[Source]) -> tuple[list[dict[str, Any]], dict[str, list[int]]]:
    """The distinct events ordered by time, and which sources held each (by event UUID)."""
    by_uuid: dict[str, dict[str, Any]] = {}
    holders: dict[str, list[int]] = {}
    first_file: dict[str, str] = {}
    for source in sources:
        for row in source.rows:
            key = row["uuid"]
            kept = by_uuid.get(key)
            if kept is None:
                by_uuid[key] = row
                holders[key] = [source.number]
                first_file[key] = source.file
            elif kept["hash"] != row["hash"]:
                raise GoliveError(
                    f"{source.file}: event {key} differs from the event with the same UUID in {first_file[key]}: "
                    "one of them was forged"
                )
            else:
                holders[key].append(source.number)
    ordered = sorted(by_uuid.values(), key=lambda r: (r["ts_utc"], r["machine"], r["seq"], r["uuid"]))
    return ordered, holders


def find_conflicts(
    sources: Sequence[Source], ordered: Sequence[dict[str, Any]], runbook: Runbook, tolerance_s: float
) -> list[Conflict]:
    """Everything the laptops disagree on, in a stable order."""
    by_uuid = {r["uuid"]: journal.to_event(r) for r in ordered if r["kind"] in _STATE_KINDS}
    events = list(by_uuid.values())
    steps_back = list(_clock_steps_back(sources))
    return [
        *_forks(sources),
        *_runbook_versions(sources),
        *steps_back,
        *_clock_causality(events, tolerance_s, {c.event for c in steps_back}),
        *_double_signoffs(events, runbook),
        *_signoffs_after_rollback(events),
        *_outcomes(sources, runbook, by_uuid),
    ]


def _forks(sources: Sequence[Source]) -> Iterable[Conflict]:
    by_run: dict[str, list[Source]] = defaultdict(list)
    for source in sources:
        by_run[source.run_uuid].append(source)
    for group in by_run.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                common = 0
                for ra, rb in zip(a.rows, b.rows, strict=False):
                    if ra["hash"] != rb["hash"]:
                        break
                    common += 1
                if common < min(len(a.rows), len(b.rows)):
                    yield Conflict(
                        "fork",
                        f"run {a.name} forks after event #{common}: {a.file} and {b.file} each continued it "
                        f"({len(a.rows) - common} and {len(b.rows) - common} events of their own)",
                    )


def _runbook_versions(sources: Sequence[Source]) -> Iterable[Conflict]:
    finals = {s.final_sha256 for s in sources}
    if len(finals) > 1:
        held = "; ".join(f"{s.file}: {_version_of(s, s.final_sha256)} ({s.final_sha256[:12]})" for s in sources)
        yield Conflict("runbook", f"the laptops ended on different runbook versions ({held})")


def _when(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%d %H:%M:%S UTC")


def _clock_steps_back(sources: Sequence[Source]) -> Iterable[Conflict]:
    reported: set[tuple[str, str]] = set()
    for source in sources:
        for before, row in zip(source.rows, source.rows[1:], strict=False):
            if row["ts_utc"] >= before["ts_utc"] or (before["uuid"], row["uuid"]) in reported:
                continue
            reported.add((before["uuid"], row["uuid"]))
            back = datetime.fromisoformat(before["ts_utc"]) - datetime.fromisoformat(row["ts_utc"])
            whose = (
                f"{row['machine']}'s clock stepped back"
                if row["machine"] == before["machine"]
                else f"{row['machine']}'s clock is behind {before['machine']}'s"
            )
            yield Conflict(
                "clock",
                f"{source.file}: event #{row['seq']} ({row['kind']}) is stamped "
                f"{format_duration(back.total_seconds())} before event #{before['seq']} that precedes it: {whose}",
                row["task_id"],
                row["uuid"],
            )


def _clock_causality(events: Sequence[Event], tolerance_s: float, reported: set[str | None]) -> Iterable[Conflict]:
    """A task finished on a machine that never started it, more than the tolerance before its
    first start anywhere: it cannot have been, so the two machines' clocks disagree."""
    starts: dict[str, Event] = {}
    started_on: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.kind is Kind.STARTED and event.task:
            starts.setdefault(event.task, event)
            started_on[event.task].add(event.machine)
    for event in events:
        start = starts.get(event.task or "")
        if event.kind not in _FINISHING or start is None or event.uuid in reported:
            continue
        if event.machine in started_on[start.task or ""]:
            continue
        gap = (start.ts - event.ts).total_seconds()
        if gap > tolerance_s:
            yield Conflict(
                "clock",
                f"task {event.task}: {event.kind.value} on {event.machine} at {_when(event.ts)}, "
                f"{format_duration(gap)} before it was started on {start.machine} ({_when(start.ts)}): "
                "the two clocks disagree",
                event.task,
                event.uuid,
            )


def _double_signoffs(events: Sequence[Event], runbook: Runbook) -> Iterable[Conflict]:
    revoked = {e.payload.signoff for e in events if isinstance(e.payload, payloads.SignoffRevoked)}
    signed: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        if event.kind is Kind.SIGNED_OFF and event.uuid not in revoked and event.task in runbook.tasks:
            signed[event.task].append(event)
    for task_id, signoffs in signed.items():
        if runbook.tasks[task_id].people_needed() != 1:
            continue
        people = {e.actor.person: e for e in signoffs}
        if len(people) > 1:
            who = " and ".join(f"{e.actor} on {e.machine} at {_when(e.ts)}" for e in people.values())
            later = list(people.values())[-1]
            message = f"task {task_id}: signed off by {who}; the runbook expects one person"
            yield Conflict("signoff", message, task_id, later.uuid)


def _signoffs_after_rollback(events: Sequence[Event]) -> Iterable[Conflict]:
    rollback = next((e for e in events if e.kind is Kind.ROLLBACK_STARTED), None)
    if rollback is None or not isinstance(rollback.payload, payloads.RollbackStarted):
        return
    plan = rollback.payload.plan or "?"
    for event in events:
        if event.kind is Kind.SIGNED_OFF and event.ts > rollback.ts:
            yield Conflict(
                "rollback",
                f"task {event.task}: signed off by {event.actor} on {event.machine} at {_when(event.ts)}, after "
                f"rollback {plan} was started on {rollback.machine} at {_when(rollback.ts)}",
                event.task,
                event.uuid,
            )


def _outcomes(sources: Sequence[Source], runbook: Runbook, by_uuid: dict[str, Event]) -> Iterable[Conflict]:
    states: dict[int, dict[str, TaskProgress]] = {}
    for source in sources:
        if source.final_sha256 != source.sha256:
            continue  # its tasks follow another version; the runbook conflict already says so
        events = [by_uuid[r["uuid"]] for r in source.rows if r["kind"] in _STATE_KINDS]
        states[source.number] = fold(runbook, events).tasks
    files = {s.number: s.file for s in sources}
    for task_id in runbook.tasks:
        done = [n for n, tasks in states.items() if tasks[task_id].state is TaskState.DONE]
        failed = [n for n, tasks in states.items() if tasks[task_id].state is TaskState.FAILED]
        if done and failed:
            reason = states[failed[0]][task_id].reason
            yield Conflict(
                "outcome",
                f"task {task_id}: done in {', '.join(files[n] for n in done)} but failed in "
                f"{', '.join(files[n] for n in failed)} ({reason})",
                task_id,
            )


# -- writing -----------------------------------------------------------------------------------


def merged_payload(row: dict[str, Any], holders: list[int]) -> str:
    """A source row's payload as the merged run stores it: the original JSON object text with a
    `merged_from` reference spliced in as its last key (no re-encoding, so the original bytes
    survive and cost nothing), or wrapped whole when it is not written as one JSON object."""
    text = row["payload"]
    ref = payloads.MergedFrom.model_validate(
        {"run": row["run_uuid"], "seq": row["seq"], "prev_hash": row["prev_hash"], "hash": row["hash"], "in": holders}
    )
    if isinstance(text, str) and text.startswith("{") and text.endswith("}") and _REF_KEY not in text:
        return ref.spliced(text)
    return ref.model_copy(update={"payload": text}).spliced("{}")


def original_row(row: dict[str, Any]) -> dict[str, Any] | None:
    """The source row a merged row was made from, or None for an event that is not from a source."""
    found = _unmerge(row)
    return None if found is None else found[0]


def _unmerge(row: dict[str, Any]) -> tuple[dict[str, Any], list[int]] | None:
    """The source row behind a merged row, and the sources that held it."""
    text = str(row["payload"])
    found = payloads.MergedFrom.find(text)
    if found is None:
        return None
    ref, cut = found
    if ref.payload is not None:
        original = ref.payload
    else:
        original = text[: cut - 1] + "}" if text[cut - 1] == "," else text[:cut] + "}"
    source_row = {
        **row, "run_uuid": ref.run, "seq": ref.seq, "prev_hash": ref.prev_hash, "hash": ref.hash, "payload": original,
    }  # fmt: skip
    return source_row, ref.holders


def merge(
    specs: Sequence[str],
    output: Path,
    *,
    actor: Actor,
    machine: str,
    mode: str = "live",
    force: bool = False,
    tolerance_s: float = DEFAULT_TOLERANCE_S,
) -> MergeReport:
    """Read, verify and merge the sources into a new database at `output` (see the module doc)."""
    if len(specs) < 2:
        raise GoliveError("give at least two databases to merge", exit_code=2)
    if output.is_dir():
        raise GoliveError(f"{output}: is a directory")
    if output.exists() and not force:
        raise GoliveError(f"{output}: already exists; add --force to replace it")
    if not output.parent.is_dir():
        raise GoliveError(f"{output}: cannot write: no directory {output.parent}")
    for spec in specs:
        if output.exists() and split_source(spec)[0].resolve() == output.resolve():
            raise GoliveError(f"{output}: is one of the databases being merged; write the merge elsewhere")
    sources = read_sources(specs, mode)  # each chain verified as it is read: nothing is written otherwise
    return _merge(sources, output, actor, machine, mode, tolerance_s)


def _merge(
    sources: list[Source], output: Path, actor: Actor, machine: str, mode: str, tolerance_s: float
) -> MergeReport:
    temp = output.with_name(f".{output.name}.merging-{os.getpid()}")
    try:
        first = sources[0]
        runbook = read_runbook(first.versions[first.sha256].normalized, first.sha256)
        ordered, holders = combine(sources)
        conflicts = find_conflicts(sources, ordered, runbook, tolerance_s)
        report = MergeReport(
            output=str(output), run_name=f"{first.runbook_id}-{mode}-merged", run_uuid=str(uuidlib.uuid4()),
            sources=sources, read=sum(len(s.rows) for s in sources), unique=len(ordered), conflicts=conflicts,
        )  # fmt: skip
        report.head_hash = _write(temp, report, ordered, holders, actor, machine, tolerance_s)
        for suffix in ("-wal", "-shm"):
            Path(f"{output}{suffix}").unlink(missing_ok=True)  # never pair old WAL pages with the new file
        os.replace(temp, output)
        _fsync_directory(output.parent)
    finally:
        for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
            leftover.unlink(missing_ok=True)
    return report


def _fsync_directory(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # not every platform opens directories; the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write(
    path: Path,
    report: MergeReport,
    ordered: Sequence[dict[str, Any]],
    holders: dict[str, list[int]],
    actor: Actor,
    machine: str,
    tolerance_s: float,
) -> str:
    with building(path) as tx:
        return _insert_all(tx, report, ordered, holders, actor, machine, tolerance_s)


def _insert_all(
    tx: Writer,
    report: MergeReport,
    ordered: Sequence[dict[str, Any]],
    holders: dict[str, list[int]],
    actor: Actor,
    machine: str,
    tolerance_s: float,
) -> str:
    first = report.sources[0]
    version = first.versions[first.sha256]
    versions = {sha: v for s in report.sources for sha, v in s.versions.items()}
    for stored in versions.values():
        tx.add_version(stored)
    tx.add_run(
        Run(
            uuid=report.run_uuid, name=report.run_name, runbook_id=first.runbook_id, mode=first.mode,
            runbook_sha256=first.sha256, created_at=datetime.now(UTC).isoformat(timespec="microseconds"),
            machine=machine,
        )
    )  # fmt: skip
    payload = payloads.Loaded(
        runbook=first.runbook_id, version=version.version, sha256=first.sha256, file=version.file_name,
        mode=first.mode, run=report.run_name, merge=_merge_record(report, tolerance_s),
    )  # fmt: skip
    loaded = tx.append(report.run_uuid, payload, actor, machine, head=(0, journal.genesis(report.run_uuid)))
    seq, prev = 1, str(loaded["hash"])
    batch = []
    for row in ordered:
        seq += 1
        merged = {
            **row, "run_uuid": report.run_uuid, "seq": seq, "prev_hash": prev,
            "payload": merged_payload(row, holders[row["uuid"]]),
        }  # fmt: skip
        prev = merged["hash"] = journal.row_hash(merged)
        batch.append(merged)
    tx.add_rows(batch)
    return prev


def _merge_record(report: MergeReport, tolerance_s: float) -> payloads.MergeRecord:
    return payloads.MergeRecord(
        sources=[
            payloads.MergeSource(n=s.number, file=s.file, run=s.run_uuid, name=s.name, events=len(s.rows), head=s.head)
            for s in report.sources
        ],
        events_read=report.read,
        events=report.unique,
        clock_tolerance_s=tolerance_s,
        conflicts=[
            payloads.MergeConflict(kind=c.kind, task=c.task, event=c.event, message=c.message) for c in report.conflicts
        ],
    )


# -- verifying a merged run --------------------------------------------------------------------


def verify_sources(engine: Engine, run_uuid: str) -> list[tuple[str, bool]]:
    """Rebuild every source chain of a merged run as stored and verify each: (line, ok)."""
    with Repository(engine).read() as tx:
        return verify_source_rows(tx.rows(run_uuid))


def verify_source_rows(rows: Sequence[dict[str, Any]]) -> list[tuple[str, bool]]:
    """`verify_sources` on a run's rows already read, in chain order (no database: pure computation)."""
    record = payloads.Loaded.from_json(rows[0]["payload"]).merge if rows else None
    if record is None:
        return []
    per_source: dict[int, list[dict[str, Any]]] = defaultdict(list)
    strays = 0
    for row in rows[1:]:
        found = _unmerge(row)
        if found is None:
            strays += 1
            continue
        original, holders = found
        for number in holders:
            per_source[number].append(original)
    out: list[tuple[str, bool]] = []
    for source in record.sources:
        rows = sorted(per_source.get(source.n, []), key=lambda r: int(r["seq"]))
        chain = journal.verify_rows(source.run, rows)
        label = f"source {source.n} {source.file} ({source.name})"
        if not chain.ok:
            out.append((f"{label}: broken at event #{chain.broken_at}: {chain.reason}", False))
        elif chain.events != source.events or chain.head_hash != source.head:
            out.append((f"{label}: {chain.events} of {source.events} events; the chain head differs", False))
        else:
            out.append((f"{label}: ok: {chain.events} events, chain head {chain.head_hash}", True))
    if strays:
        out.append((f"{strays} events after the merge were added on this database (not from a source)", True))
    return out
