"""One open run and the actions a technician takes on it, each one journaled.

This is the core API the CLI and the TUI both call. Every action is one `BEGIN IMMEDIATE`
transaction: read any events another process appended, check the runbook's rule against the
up-to-date state, append the event, commit (fsync'd under `synchronous=FULL`). When the call
returns, the event is on disk; when it raises GoliveError, nothing was written.

After a crash nothing is assumed: reopening folds the journal again, and what it holds is the truth.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from golive.paths import machine_id
from golive.problems import GoliveError, OutsideWindow
from golive.progress import payloads, rules
from golive.progress.events import Actor, Event, Kind
from golive.progress.schedule import Plan, Projection, plan, predecessors, project
from golive.progress.state import RunState, affected_by, apply, fold, gates_before, settle
from golive.runbook.schema import Runbook
from golive.store import journal
from golive.store.db import open_engine
from golive.store.repository import Reader, Repository, RunInfo

Clock = Callable[[], datetime]


class Cutover:
    """A run, its runbook in force, and its state folded from the journal.

    `clock` (tests, benchmarks) stamps journaled events instead of the wall clock.
    """

    def __init__(self, engine: Engine, run: RunInfo, machine: str | None = None, *, clock: Clock | None = None) -> None:
        self._repo = Repository(engine)
        self.run = run
        self.machine = machine or machine_id()
        self.clock = clock
        self.state: RunState = RunState({})
        self.events: list[Event] = []
        self.head_hash = journal.genesis(run.uuid)
        with self._repo.read() as tx:
            self._use_runbook(tx.runbook(run.sha256), run.sha256)
            self._catch_up(tx)

    @classmethod
    def open(cls, db: Path, ref: str | None = None, *, unambiguous: bool = False) -> Cutover:
        """The run `ref` names in `db` (see `Reader.find_run`)."""
        engine = open_engine(db, create=False)
        with Repository(engine).read() as tx:
            run = tx.find_run(ref, unambiguous=unambiguous)
        return cls(engine, run)

    def _use_runbook(self, runbook: Runbook, sha256: str) -> None:
        self.runbook: Runbook = runbook
        self.sha256 = sha256
        self._gates = gates_before(self.runbook)
        self._affects = affected_by(self.runbook, self._gates)
        self._preds = predecessors(self.runbook, self._gates)
        self._plan: Plan = plan(self.runbook, self._preds)

    def _catch_up(self, tx: Reader) -> None:
        """Fold in events appended since we last looked (by us, or by another window)."""
        new = tx.rows(self.run.uuid, after_seq=self.state.last_seq)
        if not new:
            if not self.state.tasks:
                self.state = fold(self.runbook, self.events, self._gates)
            return
        upgraded = [r for r in new if r["kind"] == Kind.UPGRADED]
        self.events.extend(journal.to_event(r) for r in new)
        self.head_hash = str(new[-1]["hash"])
        if upgraded:
            sha256 = payloads.Upgraded.from_json(upgraded[-1]["payload"]).sha256
            if sha256 != self.sha256:
                self._use_runbook(tx.runbook(sha256), sha256)
            self.state = fold(self.runbook, self.events, self._gates)
            return
        if not self.state.tasks:
            self.state = fold(self.runbook, self.events, self._gates)
            return
        touched: set[str] = set()
        for event in self.events[-len(new) :]:
            apply(self.state, event)
            touched.update(self._affects.get(event.task or "", ()))
        settle(self.runbook, self.state, self._gates, touched)

    def refresh(self) -> RunState:
        """Re-read the journal: what the database holds is the truth."""
        with self._repo.read() as tx:
            self._catch_up(tx)
        return self.state

    def projection(self, now: datetime | None = None) -> Projection:
        return project(
            self.runbook,
            self.state,
            now or datetime.now(UTC),
            rehearsal=self.run.rehearsal,
            the_plan=self._plan,
            preds=self._preds,
        )

    def _act(
        self,
        payload: payloads.Payload,
        actor: Actor,
        *,
        task: str | None = None,
        rule: Callable[[RunState], str | None] | None = None,
    ) -> Event:
        return self._append(actor, [(payload, task)], rule)[0]

    def _append(
        self,
        actor: Actor,
        entries: Sequence[tuple[payloads.Payload, str | None]],
        rule: Callable[[RunState], str | None] | None = None,
    ) -> list[Event]:
        """Append `entries` (payload, task) in one transaction, each chained to the one before."""
        with self._repo.write() as tx:
            self._catch_up(tx)
            if self.state.closed_at is not None:
                raise GoliveError(f"the run is closed: {self.run.name} takes no more events")
            if (why := rules.actor_problem(actor)) is not None:
                raise GoliveError(why)
            if rule is not None and (why := rule(self.state)) is not None:
                raise GoliveError(why)
            head = (self.state.last_seq, self.head_hash)
            stamped = []
            for payload, task in entries:
                row = tx.append(
                    self.run.uuid, payload, actor, self.machine, task=task,
                    head=head, now=self.clock() if self.clock else None,
                )  # fmt: skip
                head = (row["seq"], row["hash"])
                stamped.append(row)
        # committed (and fsync'd): only now do the events count
        events = [journal.to_event(row) for row in stamped]
        self.events.extend(events)
        self.head_hash = stamped[-1]["hash"]
        touched: set[str] = set()
        for event in events:
            apply(self.state, event)
            touched.update(self._affects.get(event.task or "", ()))
        settle(self.runbook, self.state, self._gates, touched)
        return events

    # -- actions -------------------------------------------------------------------------

    def now(self) -> datetime:
        """The time the next event would be stamped with."""
        return datetime.fromisoformat(journal.now_stamps(self.clock() if self.clock else None)[0])

    def start(self, task: str, actor: Actor, *, outside_window: bool = False) -> Event:
        """Start `task`. The first start of a live run outside its window is refused (OutsideWindow)
        unless the operator confirmed it (`outside_window`); then the start journals how far outside."""
        self.refresh()
        if (why := rules.can_start(self.state, task)) is not None:
            raise GoliveError(why)
        payload = payloads.Started()
        if not self.run.rehearsal and self.state.first_start is None:
            offset = rules.outside_window(self.runbook.runbook.window, self.now())
            if offset is not None and not outside_window:
                raise OutsideWindow(
                    f"{self.run.name} is LIVE and would start {rules.how_far(offset)}: confirm to start it anyway"
                )
            if offset is not None:
                payload = payloads.Started(outside_window_min=round(offset.total_seconds() / 60))
        return self._act(payload, actor, task=task, rule=lambda s: rules.can_start(s, task))

    def sign_off(self, task: str, actor: Actor, comment: str = "") -> Event:
        rehearsal = self.run.rehearsal
        return self._act(
            payloads.SignedOff(comment=comment), actor, task=task,
            rule=lambda s: rules.can_sign_off(s, task, actor, rehearsal=rehearsal),
        )  # fmt: skip

    def revoke(self, task: str, signoff_uuid: str, actor: Actor, reason: str) -> Event:
        def rule(s: RunState) -> str | None:
            return rules.can_revoke(s, task, signoff_uuid) or (None if reason.strip() else "revoking needs a reason")

        return self._act(payloads.SignoffRevoked(signoff=signoff_uuid, reason=reason), actor, task=task, rule=rule)

    def override(self, task: str, actor: Actor, approver: Actor, reason: str) -> Event:
        payload = payloads.Overridden(
            reason=reason,
            approver=payloads.Approver(name=approver.name, initials=approver.initials, role=approver.role),
        )
        rehearsal = self.run.rehearsal
        return self._act(
            payload, actor, task=task,
            rule=lambda s: rules.can_override(s, task, actor, approver, reason, rehearsal=rehearsal),
        )  # fmt: skip

    def skip(self, task: str, actor: Actor, reason: str) -> Event:
        return self._act(
            payloads.Skipped(reason=reason), actor, task=task, rule=lambda s: rules.can_skip(s, task, reason)
        )

    def block(self, task: str, actor: Actor, reason: str) -> Event:
        return self._act(
            payloads.Blocked(reason=reason), actor, task=task, rule=lambda s: rules.can_mark(s, task, reason, "blocked")
        )

    def fail(self, task: str, actor: Actor, reason: str) -> Event:
        return self._act(
            payloads.Failed(reason=reason), actor, task=task, rule=lambda s: rules.can_mark(s, task, reason, "failed")
        )

    def unblock(self, task: str, actor: Actor, reason: str = "") -> Event:
        return self._act(payloads.Unblocked(reason=reason), actor, task=task, rule=lambda s: rules.can_unblock(s, task))

    def confirm_jack(self, task: str, check: str, jack: str, actor: Actor, reason: str) -> Event:
        """Journal that `actor` confirmed by hand a jack the switches left not seen, and why."""
        progress = self.state.tasks.get(task)
        result = progress.jack_results.get(check) if progress is not None else None
        port = result.ports.get(jack) if result is not None else None
        state = str(port.observed.get("state", "")) if port is not None else ""
        payload = payloads.JackConfirmed(check=check, jack=jack, state=state, reason=reason)
        return self._act(payload, actor, task=task, rule=lambda s: rules.can_confirm_jack(s, task, check, jack, reason))

    def note(self, actor: Actor, text: str, task: str | None = None) -> Event:
        def rule(s: RunState) -> str | None:
            if not text.strip():
                return "a note needs text"
            return None if task is None or task in s.tasks else f"no task {task!r} in this runbook"

        return self._act(payloads.Note(text=text), actor, task=task, rule=rule)

    def _lab_rule(self, results: Sequence[payloads.Checked]) -> Callable[[RunState], str | None] | None:
        """A live run never records a lab result: the lab's devices are not the site's."""
        if self.run.rehearsal or not any(r.lab for r in results):
            return None
        why = f"{self.run.name} is LIVE: a result from the lab is never journaled in it (rehearse with the lab)"
        return lambda _s: why

    def record_check(self, task: str | None, actor: Actor, result: payloads.Checked) -> Event:
        return self._act(result, actor, task=task, rule=self._lab_rule([result]))

    def record_checks(self, actor: Actor, results: Sequence[tuple[str | None, payloads.Checked]]) -> list[Event]:
        """Journal a burst of check results in one transaction: one fsync, not one per result.

        When 200 devices time out together the screen would otherwise wait for 200 commits in a
        row. All are written or none is, and each is still its own chained event.
        """
        if not results:
            return []
        entries: list[tuple[payloads.Payload, str | None]] = [(payload, task) for task, payload in results]
        return self._append(actor, entries, self._lab_rule([p for _, p in results]))

    def start_rollback(self, plan_id: str, actor: Actor, reason: str, task: str | None = None) -> Event:
        def rule(s: RunState) -> str | None:
            if plan_id not in self.runbook.rollback:
                return f"no rollback plan {plan_id!r} in this runbook"
            return None if reason.strip() else "starting a rollback needs a reason"

        return self._act(payloads.RollbackStarted(plan=plan_id, reason=reason), actor, task=task, rule=rule)

    def session(self, actor: Actor, what: str = "opened") -> Event:
        return self._act(payloads.Session(what=what), actor)

    def handover(self, actor: Actor, previous: Actor) -> Event:
        """A shift change: `actor` takes over the keyboard from `previous` (journaled by the newcomer)."""
        before = payloads.Approver(name=previous.name, initials=previous.initials, role=previous.role)
        return self._act(payloads.Session(what="handover", previous=before), actor)

    def close(self, actor: Actor, reason: str = "") -> Event:
        return self._act(
            payloads.RunClosed(reason=reason),
            actor,
            rule=lambda s: "the run is already closed" if s.closed_at else None,
        )
