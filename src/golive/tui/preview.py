"""The run as the first frame shows it, read before golive's core is built.

`golive run` on 5,000 tasks spent most of its start before the first frame importing pydantic,
building the schema's models and the validated runbook, then SQLAlchemy: none of which a screen of
task rows needs. A Preview reads the run with sqlite3 (golive.store.snapshot), the runbook in force
as plain values from its outline (golive.runbook.outline: all but its checks, written when golive
validated it) or else its stored JSON (golive.runbook.stored), and folds and projects the
journal with the same progress functions the core uses. The app shows it, builds the Cutover in a
worker, and from then on shows the Cutover; actions wait for it.

Only a stored form golive has validated on this machine is previewed: anything else (edited in the
database, copied from elsewhere) returns None, and the caller opens the Cutover first, which
validates it in full and refuses it if it must, exactly as before.
"""

from __future__ import annotations

import gc
from datetime import UTC, datetime
from pathlib import Path

from golive.progress.events import Event
from golive.progress.schedule import Plan, Projection, plan, predecessors, project
from golive.progress.state import RunState, fold, gates_before
from golive.runbook.outline import discard_outline, read_outline
from golive.runbook.stored import StoredRunbook, read_stored
from golive.runbook.validated import form_digest, validated
from golive.store import snapshot
from golive.store.snapshot import RunInfo


class Preview:
    """A run read for showing: the same attribute names the screens read on a Cutover."""

    def __init__(self, db: Path, run: RunInfo, runbook: StoredRunbook, events: list[Event]) -> None:
        self.db = db
        self.run = run
        self.runbook = runbook
        self.events = events
        gates = gates_before(runbook)
        self._preds = predecessors(runbook, gates)
        self._plan: Plan = plan(runbook, self._preds)
        self.state: RunState = fold(runbook, events, gates)

    def projection(self, now: datetime | None = None) -> Projection:
        return project(
            self.runbook, self.state, now or datetime.now(UTC), rehearsal=self.run.rehearsal,
            the_plan=self._plan, preds=self._preds,
        )  # fmt: skip


def read_preview(db: Path, ref: str | None = None, *, unambiguous: bool = False) -> Preview | None:
    """The run `ref` names (as Cutover.open), or None when only the Cutover can open it."""
    was_enabled = gc.isenabled()
    gc.disable()  # tens of thousands of objects and no garbage: the collector would only walk them
    try:
        stored = snapshot.read(db, ref, unambiguous=unambiguous)
        if stored is None:
            return None
        digest = form_digest(stored.normalized)
        if not validated(digest):
            return None
        events = [snapshot.to_event(row) for row in stored.rows]
        outline = read_outline(digest)
        if outline is not None:
            try:
                return Preview(db, stored.run, outline, events)
            except Exception:  # an outline of the wrong shape inside (a cache file): the stored form instead
                discard_outline(digest)
        return Preview(db, stored.run, read_stored(stored.normalized), events)
    except ValueError:
        return None
    finally:
        if was_enabled:
            gc.enable()
