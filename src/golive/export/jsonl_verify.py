"""`golive verify FILE.jsonl`: check a jsonl journal export from the file alone, no database.

The chain is recomputed line by line with the same code that verifies a database
(golive.store.journal.verify_rows). The first bad line is named as `file:line: what is wrong`:
an edited event (its content no longer matches its hash), a deleted, inserted or reordered one
(the sequence or the previous-hash link breaks), a line cut short, a file that is not a golive
journal export at all, a line that is not a well-formed event (not an object, a field of the
wrong type, JSON nested absurdly deep). The header line is held to the journal too: the run's
identity (name, uuid, mode, runbook id, version and text) against the journal's own `loaded`
event, the event count, the head's sequence number and the chain head against the events the
file holds, so a file cut short at a line boundary is caught as well. A file with no event at
all is refused: every run's journal starts with its load. A UTF-8 byte order mark (an editor
may add one on saving) is skipped.

What a file alone cannot prove: that nobody rebuilt every hash after an edit. Compare the chain
head this prints with the one recorded when the run was closed (the change ticket, say).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from golive.export.jsonl_export import FORMAT, MARKER
from golive.problems import GoliveError, describe
from golive.progress.payloads import Loaded, Upgraded
from golive.store import journal

_BOM = b"\xef\xbb\xbf"
# the hashed text fields of an event, as the database stores them (task_id may also be null)
_TEXT_FIELDS = (*(f for f in journal.HASHED if f not in ("seq", "task_id")), "hash")


class _Bad(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _Reader:
    """Yields the event lines as dicts, remembering where it is and what the journal says of itself."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.line = 1
        self.first: dict[str, Any] | None = None
        self.runbook: Loaded | Upgraded = Loaded()  # the latest loaded or upgraded event's payload

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for line, raw in enumerate(self.fh, 2):
            self.line = line
            row = _parse(raw, line)
            if not isinstance(row, dict):
                raise _Bad(line, "not a journal event (not a JSON object)")
            _check_types(row, line)
            if self.first is None:
                self.first = row
            if row.get("kind") == "loaded":
                self.runbook = Loaded.from_json(row.get("payload"))
            elif row.get("kind") == "upgraded":
                self.runbook = Upgraded.from_json(row.get("payload"))
            yield row


def _check_types(row: dict[str, Any], line: int) -> None:
    """Each field the chain covers, when present, has the type golive writes (text; a task id or null)."""
    for name in _TEXT_FIELDS:
        if name in row and not isinstance(row[name], str):
            raise _Bad(line, f"not a well-formed journal event: its {name} is {describe(row[name])}, not text")
    task = row.get("task_id")
    if task is not None and not isinstance(task, str):
        raise _Bad(line, f"not a well-formed journal event: its task_id is {describe(task)}, not text or null")


def _parse(raw: bytes, line: int) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _Bad(line, "not UTF-8 text") from None
    except RecursionError:
        raise _Bad(line, "not a journal event (JSON nested too deeply)") from None
    except ValueError:
        if not raw.strip():
            raise _Bad(line, "a blank line where an event should be") from None
        if not raw.endswith(b"\n"):
            raise _Bad(line, "the line is cut short: the file was truncated") from None
        raise _Bad(line, "not valid JSON (edited?)") from None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _header(fh: BinaryIO) -> dict[str, Any]:
    raw = fh.readline().removeprefix(_BOM)
    if not raw:
        raise _Bad(0, "the file is empty")
    try:
        head = _parse(raw, 1)
    except _Bad:
        head = None
    if not isinstance(head, dict) or head.get("golive_export") != MARKER:
        raise _Bad(1, "not a golive journal export (its first line is not a golive export header)")
    fmt = head.get("format")
    if isinstance(fmt, int) and fmt > FORMAT:
        raise _Bad(1, f"made by a newer golive (export format {fmt}); upgrade golive to verify it")
    if fmt != FORMAT:
        raise _Bad(1, f"unknown export format {fmt!r}")
    run = head.get("run")
    events = head.get("events")
    if not isinstance(run, dict) or not isinstance(run.get("uuid"), str) or type(events) is not int or events < 0:
        raise _Bad(1, "the header is incomplete (no run uuid or event count)")
    return head


def verify_file(path: str | Path) -> str:
    """The line to print when the file verifies; GoliveError naming `file:line:` when it does not."""
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            return _verify(p, fh)
    except _Bad as bad:
        where = f"{p}:{bad.line}" if bad.line > 0 else str(p)
        raise GoliveError(f"{where}: {bad.message}") from None
    except FileNotFoundError:
        raise GoliveError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise GoliveError(f"{p}: is a directory, not a journal export") from None
    except OSError as exc:
        raise GoliveError(f"{p}: cannot read: {exc.strerror or exc}") from None


def _verify(p: Path, fh: BinaryIO) -> str:
    head = _header(fh)
    run: dict[str, Any] = head["run"]
    run_uuid: str = run["uuid"]
    if head.get("genesis") not in (None, journal.genesis(run_uuid)):
        raise _Bad(1, "the header's genesis value does not belong to its run")
    reader = _Reader(fh)
    try:
        report = journal.verify_rows(run_uuid, reader)
    except (RecursionError, TypeError, ValueError):  # a value no event can hold, e.g. nested too deep to hash
        raise _Bad(reader.line, "not a well-formed journal event") from None
    if not report.ok:
        raise _Bad(reader.line, report.reason)
    if report.events == 0:
        raise _Bad(2, "no events after the header: an export holds at least the run's load")
    stated: int = head["events"]
    if report.events < stated:
        raise _Bad(
            reader.line + 1,
            f"the file ends after event #{report.events} but its header says {stated} events: truncated",
        )
    if report.events > stated:
        raise _Bad(
            stated + 2, f"event #{stated + 1} lies past the {stated} events the header states: appended afterwards?"
        )
    if head.get("head_hash") != report.head_hash:
        raise _Bad(1, f"the header's chain head is not the last event's hash ({report.head_hash})")
    if "head_seq" in head and head["head_seq"] != report.events:
        raise _Bad(1, f"the header's head_seq is not the last event's sequence number ({report.events})")
    _check_identity(head, reader)
    if head.get("chain_verified") is not True:
        raise _Bad(1, "exported from a journal that did not verify (--allow-broken): " + str(head.get("warning", "")))
    mode = str(run.get("mode", "")).upper()
    runbook = _dict(head.get("runbook"))
    return (
        f"{p}: ok: {report.events} events of {mode} run {run.get('name')} "
        f"(runbook {runbook.get('id')} v{runbook.get('version')}), chain head {report.head_hash}"
    )


def _check_identity(head: dict[str, Any], reader: _Reader) -> None:
    """The header's run name, mode and runbook must be what the journal's own events say."""
    if reader.first is None:
        return
    if reader.first.get("kind") != "loaded":
        raise _Bad(2, "the first event is not the run's load")
    loaded = Loaded.from_json(reader.first.get("payload"))
    run = head["run"]
    for field, value in (("name", loaded.run), ("mode", loaded.mode)):
        if run.get(field) != value:
            said = f"the header says run {field} {run.get(field)!r}"
            raise _Bad(1, f"{said} but the journal's load event says {value!r}")
    runbook = _dict(head.get("runbook"))
    if runbook.get("id") != loaded.runbook:
        said = f"the header says runbook {runbook.get('id')!r}"
        raise _Bad(1, f"{said} but the journal's load event says {loaded.runbook!r}")
    for field, value in (("sha256", reader.runbook.sha256), ("version", reader.runbook.version)):
        if runbook.get(field) != value:
            raise _Bad(1, f"the header's runbook {field} is not the one the journal loaded")
