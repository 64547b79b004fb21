"""The hash-chained journal: make the next event's row, read a row as an event, verify a chain.

Each event's hash is SHA-256 over its canonical form (sorted-key compact JSON of every field
but the row id and the hash itself), and that form includes the previous event's hash. The
first event chains from a genesis value derived from the run's UUID. Editing, deleting,
inserting or reordering a row therefore breaks the chain at a place `verify` can name.

Pure computation on rows: storing them is golive.store.repository's, which appends inside a
`BEGIN IMMEDIATE` transaction, so reading the head and writing the next link are one atomic step.
"""

from __future__ import annotations

import hashlib
import json
import uuid as uuidlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from json.encoder import encode_basestring
from typing import Any

from golive.progress.events import Actor, Event, Kind
from golive.progress.payloads import Payload, read_payload

HASHED = (
    "run_uuid", "seq", "uuid", "kind", "task_id", "actor_name", "actor_initials", "actor_role",
    "machine", "ts_utc", "tz_offset", "payload", "prev_hash",
)  # fmt: skip


# one encoder, built once: the same bytes as json.dumps with these options, without rebuilding it per row
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_int_text = int.__repr__  # what the encoder writes for an int (and raises, past Python's digit limit)


def canonical(row: Mapping[str, Any]) -> bytes:
    """The exact bytes that are hashed for a row (works on DB rows and on exported JSON).

    Every stored chain depends on these bytes: they are `_CANONICAL.encode` of the hashed fields.
    A row of the usual types (strings, an int seq, a task id or None) is written here directly,
    each string by `encode_basestring`, the very function that encoder calls for strings when
    `ensure_ascii` is off, in the encoder's sorted key order: the same bytes at about a third of
    the cost (20,000 rows hashed per export and twice per merged event). Any other value (a float,
    a bool, a nested object, an int subclass: a jsonl export can hold anything) goes through the
    encoder itself. tests/unit/test_canonical.py checks the two agree on arbitrary rows.
    """
    run_uuid, seq, uuid, kind, task = row["run_uuid"], row["seq"], row["uuid"], row["kind"], row["task_id"]
    actor, initials, role, machine = row["actor_name"], row["actor_initials"], row["actor_role"], row["machine"]
    ts, offset, payload, prev = row["ts_utc"], row["tz_offset"], row["payload"], row["prev_hash"]
    if type(seq) is int and (task is None or type(task) is str):
        q = encode_basestring  # raises TypeError for anything but a string: then the encoder decides
        try:
            text = (
                f'{{"actor_initials":{q(initials)},"actor_name":{q(actor)},"actor_role":{q(role)},"kind":{q(kind)},'
                f'"machine":{q(machine)},"payload":{q(payload)},"prev_hash":{q(prev)},"run_uuid":{q(run_uuid)},'
                f'"seq":{_int_text(seq)},"task_id":{"null" if task is None else q(task)},"ts_utc":{q(ts)},'
                f'"tz_offset":{q(offset)},"uuid":{q(uuid)}}}'
            )
        except TypeError:
            pass
        else:
            return text.encode("utf-8")
    body = {name: row[name] for name in HASHED}
    return _CANONICAL.encode(body).encode("utf-8")


def row_hash(row: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(row)).hexdigest()


def now_stamps(now: datetime | None = None) -> tuple[str, str]:
    """UTC time to the microsecond, and the local UTC offset as ±HH:MM (of `now`, default: now)."""
    now = datetime.now(UTC) if now is None else now.astimezone(UTC)
    offset = now.astimezone().strftime("%z")
    return now.isoformat(timespec="microseconds"), f"{offset[:3]}:{offset[3:]}"


def genesis(run_uuid: str) -> str:
    """The hash the first event of a run chains from."""
    return hashlib.sha256(f"golive-genesis:{run_uuid}".encode()).hexdigest()


def next_row(
    run_uuid: str,
    head: tuple[int, str],
    payload: Payload,
    actor: Actor,
    machine: str,
    *,
    task: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The row of a run's next event (of the payload's kind) after `head` (last seq, last hash),
    its hash computed. `now` (an aware time) stamps the event instead of the clock: for tests and
    benchmarks that need known timings."""
    seq, prev = head
    ts, offset = now_stamps(now)
    row: dict[str, Any] = {
        "run_uuid": run_uuid,
        "seq": seq + 1,
        "uuid": str(uuidlib.uuid4()),
        "kind": str(payload.KIND),
        "task_id": task,
        "actor_name": actor.name,
        "actor_initials": actor.initials,
        "actor_role": actor.role,
        "machine": machine,
        "ts_utc": ts,
        "tz_offset": offset,
        "payload": payload.to_json(),
        "prev_hash": prev,
    }
    row["hash"] = row_hash(row)
    return row


def to_event(row: Mapping[str, Any]) -> Event:
    """A row as the progress model's Event (an event of a kind this golive does not know, as a note)."""
    try:
        kind = Kind(row["kind"])
    except ValueError:
        kind = Kind.NOTE
    return Event(
        seq=int(row["seq"]),
        kind=kind,
        ts=datetime.fromisoformat(row["ts_utc"]),
        actor=Actor(row["actor_name"], row["actor_initials"], row["actor_role"]),
        task=row["task_id"],
        payload=read_payload(kind, row["payload"]),
        uuid=row["uuid"],
        machine=row["machine"],
    )


@dataclass(frozen=True)
class ChainReport:
    """The outcome of verifying one run's chain."""

    run_uuid: str
    events: int
    head_hash: str
    broken_at: int | None = None  # sequence number of the first bad link
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_rows(run_uuid: str, ordered: Iterable[Mapping[str, Any]]) -> ChainReport:
    """Recompute a chain from rows in stored order; name the first broken link."""
    prev = genesis(run_uuid)
    expected_seq = 1
    count = 0
    seen_uuids: set[str] = set()
    for row in ordered:
        seq = row.get("seq")
        label = f"event #{seq} ({row.get('kind')!s}, {row.get('uuid')})"
        if row.get("run_uuid") != run_uuid:
            return ChainReport(run_uuid, count, prev, expected_seq, f"{label} belongs to another run")
        if seq != expected_seq:
            if isinstance(seq, int) and seq > expected_seq:
                why = f"event #{expected_seq} is missing (deleted?): the chain jumps from #{expected_seq - 1} to #{seq}"
            else:
                why = f"{label} is out of place: expected #{expected_seq} (inserted or reordered?)"
            return ChainReport(run_uuid, count, prev, expected_seq, why)
        if row.get("uuid") in seen_uuids:
            return ChainReport(run_uuid, count, prev, expected_seq, f"{label} repeats an earlier event's UUID")
        seen_uuids.add(str(row.get("uuid")))
        try:
            recomputed = row_hash(row)
        except (KeyError, TypeError, ValueError):
            return ChainReport(run_uuid, count, prev, expected_seq, f"{label} is incomplete")
        if row.get("prev_hash") != prev:
            return ChainReport(
                run_uuid, count, prev, expected_seq,
                f"{label} does not follow #{expected_seq - 1}: "
                "its previous-hash link is wrong (inserted, deleted or reordered?)",
            )  # fmt: skip
        if recomputed != row.get("hash"):
            return ChainReport(
                run_uuid, count, prev, expected_seq, f"{label} was edited: its content does not match its hash"
            )
        prev = recomputed
        expected_seq += 1
        count += 1
    return ChainReport(run_uuid, count, prev)
