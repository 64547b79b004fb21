"""JSONL: the journal verbatim, with its hashes, so the chain can be checked with no database.

Line 1 is a header object describing the export:

    {"golive_export": "journal", "format": 1, "run": {...}, "runbook": {...},
     "events": N, "head_seq": N, "head_hash": "...", "genesis": "...", "chain_verified": true,
     "exported_at": "...", "zone": "UTC-05:00", "columns": [...]}

`zone` is the site's clock, the one every other format shows times in; the rows keep `ts_utc` (UTC)
and `tz_offset` (the laptop's) as stored. A run whose runbook has a port map adds
`"jacks": {"total": N, "by_result": {"misplugged": 1, ..., "back": 9}, "critical_not_proven": [...]}`:
the map as executed, counted (golive.export.portmap; the events themselves are the rows below).

Every following line is one journal row, every column as stored (`id`, `run_uuid`, `seq`, `uuid`,
`kind`, `task_id`, `actor_name`, `actor_initials`, `actor_role`, `machine`, `ts_utc`, `tz_offset`,
`payload` (the stored JSON text, not re-encoded: it is what the hash covers), `prev_hash`, `hash`),
in chain order, one line each, UTF-8, `\\n` after every line. `golive verify FILE.jsonl` recomputes
the chain from the file alone (golive.export.jsonl_verify).

Names are never redacted here: a redacted journal could no longer be verified.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from golive.export.model import ExportData, iso
from golive.store import journal
from golive.store.repository import ROW_COLUMNS as COLUMNS

MARKER = "journal"
FORMAT = 1


def header(data: ExportData) -> dict[str, Any]:
    r, trust = data.run, data.trust
    out: dict[str, Any] = {
        "golive_export": MARKER,
        "format": FORMAT,
        "run": {"name": r.name, "uuid": r.uuid, "mode": r.mode, "created_at": r.created_at, "machine": r.machine},
        "runbook": {
            "id": r.runbook_id, "title": r.runbook_title, "version": r.runbook_version, "sha256": r.runbook_sha256,
            "change": r.change, "site": r.site,
        },
        "events": trust.events,
        "head_seq": trust.head_seq,
        "head_hash": trust.head_hash,
        "genesis": journal.genesis(r.uuid),
        "chain_verified": trust.ok,
        "exported_at": iso(data.generated_at),
        "zone": data.zone,  # the site's clock (the runbook window's offset); ts_utc stays UTC
        "columns": list(COLUMNS),
    }  # fmt: skip
    executed = data.portmap
    if executed is not None:
        out["jacks"] = {
            "total": len(executed.rows),
            "by_result": executed.counts,
            "critical_not_proven": [r.label for r in executed.critical_open],
        }
    if not trust.ok:
        out["warning"] = data.banner
    return out


def write(data: ExportData, path: Path) -> None:
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(dumps(header(data)) + "\n")
        fh.writelines(dumps({c: row[c] for c in COLUMNS}) + "\n" for row in data.rows)
