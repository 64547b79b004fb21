"""The golive TUI: one run, the operator at the keyboard, and every action one call on the core.

Attributes down, messages up: the app owns the Cutover and a RunView; screens and widgets are
handed the view and repainted after each journaled event. An action is a method here that calls
the Cutover and either repaints or shows the one-line reason the runbook's rule refuses it.
Checks stream from the check engine in a worker (exit_on_error=False: one bad device never takes
the app down); each result arrives as a message, is journaled, and repaints the rows it touches.
Quitting at any moment loses nothing: every event is on disk before the screen shows it.

The run is opened in one thread worker that posts RunOpened (or RunFailed): until it arrives the
screen says "opening run…" and every action of the run is disabled (check_action), never queued.
The action keys are priority bindings, decided as each key arrives and in the order typed
(golive.tui.keys); a key that opens a form returns only once the form is on screen with its field
focused, so the keys typed after it go to that field (golive.tui.screens.action_form).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen

from golive.problems import GoliveError, OutsideWindow
from golive.progress.events import Actor, Event
from golive.safetext import visible
from golive.tui import operator as operators
from golive.tui.check_runner import CheckRunner
from golive.tui.run_view import Clock, RunView, planned_checks
from golive.tui.screens.main import MainScreen
from golive.tui.screens.opening import OpeningScreen
from golive.tui.screens.run_screen import RunScreen, TaskView

if TYPE_CHECKING:
    from golive.store.cutover import Cutover

# Screens other than the main one (and the task detail, which the repaint loop asks about) are
# imported when first shown.

POLL_SECONDS = 2.0
REPROJECT_SECONDS = 15.0
TASK_ACTIONS = {"start", "run_checks", "sign_off", "override", "skip", "block", "fail", "unblock", "revoke"}
RUN_ACTIONS = TASK_ACTIONS | {"note", "rollback", "open_task", "change_operator"}


def wall_clock() -> datetime:
    return datetime.now(UTC)


class RunOpened(Message):
    """The worker opened the run and derived what the screens show: from now on the app shows it
    and acts on it."""

    def __init__(self, view: RunView) -> None:
        super().__init__()
        self.view = view


class RunFailed(Message):
    """The worker could not open the run: the app ends, and `golive run` says why in one line."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class ChecksArrived(Message):
    """Check results wait in the runner's queue: journal them and repaint, all at once."""


def _act_key(key: str, action: str, description: str, *, show: bool = True) -> Binding:
    # decided as the key arrives (golive.tui.keys); a focused text field still takes its characters
    return Binding(key, action, description, show=show, priority=True)


class GoliveApp(App[None]):
    TITLE = "golive"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
        _act_key("s", "start", "Start"),
        _act_key("c", "run_checks", "Checks"),
        _act_key("o", "sign_off", "Sign off"),
        _act_key("v", "override", "Override"),
        _act_key("n", "note", "Note"),
        _act_key("x", "skip", "Skip", show=False),
        _act_key("b", "block", "Block", show=False),
        _act_key("f", "fail", "Fail", show=False),
        _act_key("u", "unblock", "Unblock", show=False),
        _act_key("z", "revoke", "Revoke", show=False),
        _act_key("R", "rollback", "Rollback", show=False),
        _act_key("w", "change_operator", "Change operator", show=False),
    ]

    def __init__(
        self,
        db: Path,
        ref: str | None = None,
        *,
        unambiguous: bool = False,
        operator: Actor | None = None,
        ask_operator: bool = True,
        now: Clock = wall_clock,
        lab: Any = None,
        poll: bool = True,
        hint: str = "",
        focus_task: str | None = None,
    ) -> None:
        """The run `ref` names in `db` (as Cutover.open), opened once the app is running. `now` is
        the clock of the screen and of what this app journals (tests pin it)."""
        super().__init__()
        self.db = db
        self.ref = ref
        self.unambiguous = unambiguous
        self._view: RunView | None = None
        self.opened = False  # the run is open and shown: the actions act on it
        self.failure: Exception | None = None  # why the run could not be opened
        self.operator = operator
        self.ask_operator = ask_operator or operator is None
        self.now = now
        self.lab = lab
        self.poll = poll
        self.hint = hint
        self.focus_task = focus_task
        self.running_checks: set[str] = set()
        self.session_begun = False
        self._engine: Any = None
        self._checks = CheckRunner(wake=lambda: self.post_message(ChecksArrived()))
        # results the database refused (a full disk, a lock): kept here and saved with the next ones
        self.unsaved_results: list[Any] = []
        self._quit_unsaved = False
        self._read_problem = ""
        self._since_projection = 0.0

    # -- opening the run ---------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        return OpeningScreen()

    def on_mount(self) -> None:
        self._open_run()
        if self.poll:
            self.set_interval(POLL_SECONDS, self._poll)

    @work(thread=True, exit_on_error=False, name="open run")
    def _open_run(self) -> None:
        """Worker thread: open the run (validation, the journal folded, the engine) and derive the
        screens' view of it (latest results, projection), all off the screen's thread."""
        from golive.store.cutover import Cutover

        try:
            cutover = Cutover.open(self.db, self.ref, unambiguous=self.unambiguous)
            cutover.clock = self.now
            view = RunView(cutover, self.now)
        except Exception as exc:  # (the command line says what it was, in one line: golive.cli.common)
            self.post_message(RunFailed(exc))
        else:
            self.post_message(RunOpened(view))

    async def on_run_opened(self, message: RunOpened) -> None:
        """Show the run. The app takes keys again once the first form (or the main screen) is ready
        for them, and only then are the actions enabled (`opened`)."""
        self._view = view = message.view
        cutover = view.cutover
        mode = "REHEARSAL" if cutover.run.rehearsal else "LIVE"
        self.title = f"golive {mode} {cutover.run.name}"
        if not self.ask_operator:
            self._begin_session()  # before the main screen is drawn, which then shows it
        await self.push_screen(MainScreen(view, self.focus_task))  # (over the opening screen, which stays beneath)
        if self.ask_operator:
            from golive.tui.screens.identity import IdentityScreen

            known = self.operator or operators.remembered()
            await self.push_screen(IdentityScreen(dict(cutover.runbook.roles), known, self._accept_operator))
        self.opened = True
        self.refresh_bindings()

    def on_run_failed(self, message: RunFailed) -> None:
        self.failure = message.error
        self.exit(return_code=1)

    @property
    def view(self) -> RunView:
        if self._view is None:
            raise RuntimeError("the run is not open yet")
        return self._view

    @property
    def cutover(self) -> Cutover:
        return self.view.cutover

    def on_unmount(self) -> None:
        engine = self._engine
        self._checks.stop(finalize=engine.close if engine is not None else None)
        if self._view is None:
            return
        self._drain_checks()
        self._ensure_session()

    def _ensure_session(self) -> None:
        """The session is journaled before anything else this operator does, even a very quick quit."""
        if not self.session_begun and self.operator is not None and not self.ask_operator:
            self._begin_session()

    def _accept_operator(self, actor: Actor) -> str | None:
        from golive.progress.rules import actor_problem

        if (why := actor_problem(actor)) is not None:
            return why
        self.operator = actor
        self.ask_operator = False
        operators.remember(actor)
        return self._begin_session()

    def _begin_session(self) -> str | None:
        assert self.operator is not None
        if self.session_begun:
            return None
        self.session_begun = True
        if self.view.closed:
            self.notify("this run is closed: you can read it, nothing more can be journaled", timeout=8)
            return None
        try:
            self.cutover.session(self.operator, "opened")
        except GoliveError as exc:
            self.session_begun = False
            return str(exc)
        self.changed()
        if self.hint:
            self.notify(self.hint, title="golive", timeout=20)
        return None

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast quotes runbooks, devices, people or the disk: shown as text (never markup, never
        an escape sequence), whatever the caller passes."""
        super().notify(visible(message, multiline=True), title=visible(title), severity=severity, timeout=timeout,
                       markup=False)  # fmt: skip

    async def action_quit(self) -> None:
        if self.unsaved_results and not self._quit_unsaved:
            self._quit_unsaved = True
            self.notify(f"{len(self.unsaved_results)} check results are not saved (the database refused them): "
                        "free the disk and run the checks again, or press q again to quit without them",
                        title="not saved", severity="error", timeout=15)  # fmt: skip
            return
        if self._view is not None:
            self._ensure_session()
            if self.operator is not None and not self.view.closed and self.session_begun:
                with contextlib.suppress(GoliveError):
                    self.cutover.session(self.operator, "closed")
        self.exit()

    # -- keeping the screen true ---------------------------------------------------------------

    def changed(self) -> None:
        """The journal moved: fold, reproject, repaint whatever screen is showing."""
        self.view.update()
        self._since_projection = 0.0
        self._repaint()

    def _repaint(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, RunScreen) and screen.is_mounted:
                screen.repaint()

    def _poll(self) -> None:
        """Events appended by another window or the CLI show up here within a couple of seconds."""
        if self._view is None:
            return
        before = self.cutover.state.last_seq
        try:
            self.cutover.refresh()
        except GoliveError as exc:  # the file or its disk failed: say it once, keep the screen as it was
            if str(exc) != self._read_problem:
                self._read_problem = str(exc)
                self.notify(f"{exc}; the screen may be behind", title="cannot read the journal",
                            severity="error", timeout=15)  # fmt: skip
            return
        self._read_problem = ""
        self._since_projection += POLL_SECONDS
        if self.cutover.state.last_seq != before or self._since_projection >= REPROJECT_SECONDS:
            self.changed()

    # -- which task ---------------------------------------------------------------------------

    def current_task(self) -> str | None:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, RunScreen):
                return screen.current_task()
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in RUN_ACTIONS and not self.opened:
            return None  # listed, dimmed: nothing to act on until the run is open
        # a form on top takes the keys (a focused field takes its characters before any binding)
        return not (action in RUN_ACTIONS and isinstance(self.screen, ModalScreen))

    def _task_or_say(self, task_id: str | None = None) -> str | None:
        task_id = task_id or self.current_task()
        if task_id is None:
            self.notify("select a task first (2: task list)", severity="warning")
        return task_id

    def _act(self, call: Callable[[], Event]) -> str | None:
        """Run one core action; None when journaled, else the reason it was refused."""
        if self.operator is None:
            return "say who you are first"
        self._ensure_session()
        try:
            event = call()
        except OutsideWindow:
            raise  # the caller asks the operator first
        except GoliveError as exc:
            return str(exc)
        self.changed()
        what = event.kind.value.replace("_", " ")
        self.notify(f"saved #{event.seq}: {what} {event.task or ''} ({event.actor.initials})", timeout=4)
        return None

    def _act_now(self, call: Callable[[], Event]) -> None:
        why = self._act(call)
        if why is not None:
            self.notify(why, title="not done", severity="error", timeout=8)

    # -- actions: one call each ------------------------------------------------------------------

    def action_help(self) -> None:
        from golive.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    async def action_open_task(self, task_id: str) -> None:
        if task_id in self.cutover.state.tasks:
            from golive.tui.screens.task_detail import TaskScreen

            await self.push_screen(TaskScreen(self.view, task_id))

    async def action_start(self) -> None:
        if (tid := self._task_or_say()) and self.operator:
            who = self.operator
            try:
                why = self._act(lambda: self.cutover.start(tid, who))
            except OutsideWindow as exc:
                from golive.tui.screens.confirm import ConfirmScreen

                def answered(yes: bool | None) -> None:
                    if yes:
                        self._act_now(lambda: self.cutover.start(tid, who, outside_window=True))

                question = ConfirmScreen(f"Start {tid} outside the window?", str(exc), "Start anyway")
                await self.push_screen(question, answered)
                return
            if why is not None:
                self.notify(why, title="not done", severity="error", timeout=8)

    def confirm_jack(self, task: str, check: str, jack: str, reason: str) -> str | None:
        """Journal that the operator confirmed by hand a jack left not seen (golive.tui.screens.confirm_jack);
        None when journaled, else the core's reason."""
        who = self.operator
        if who is None:
            return "say who you are first"
        return self._act(lambda: self.cutover.confirm_jack(task, check, jack, who, reason))

    async def action_change_operator(self) -> None:
        """A shift change: the next person says who they are; journaled as a handover."""
        from golive.tui.screens.identity import IdentityScreen

        if self.operator is None:
            return
        await self.push_screen(
            IdentityScreen(dict(self.cutover.runbook.roles), None, self._hand_over, handover=self.operator)
        )

    def _hand_over(self, actor: Actor) -> str | None:
        previous = self.operator
        assert previous is not None
        self._ensure_session()
        try:
            self.cutover.handover(actor, previous)
        except GoliveError as exc:
            return str(exc)
        self.operator = actor
        operators.remember(actor)
        self.changed()
        self.notify(f"{actor} took over from {previous}", timeout=6)
        return None

    async def action_sign_off(self) -> None:
        from golive.tui.screens.signoff import SignOffScreen

        if (tid := self._task_or_say()) and self.operator:
            progress = self.cutover.state.tasks[tid]
            await self.push_screen(
                SignOffScreen(
                    progress, self.cutover.runbook.roles, self.operator,
                    lambda actor, comment: self._act(lambda: self.cutover.sign_off(tid, actor, comment)),
                )
            )  # fmt: skip

    async def action_override(self) -> None:
        from golive.tui.screens.override import OverrideScreen

        if (tid := self._task_or_say()) and self.operator:
            who = self.operator
            await self.push_screen(
                OverrideScreen(
                    self.cutover.state.tasks[tid], self.cutover.runbook.roles, who,
                    lambda approver, reason: self._act(lambda: self.cutover.override(tid, who, approver, reason)),
                )
            )  # fmt: skip

    async def _reason(self, verb: str, call: Callable[[str, Actor, str], Event], *, needed: bool = True) -> None:
        from golive.tui.screens.reason import ReasonScreen

        if (tid := self._task_or_say()) and self.operator:
            who = self.operator
            title = self.cutover.runbook.tasks[tid].title
            await self.push_screen(
                ReasonScreen(
                    f"{verb.capitalize()} {tid}: {title}", "Reason (journaled)" if needed else "Comment (journaled)",
                    lambda text: self._act(lambda: call(tid, who, text)), save=verb.capitalize(),
                )
            )  # fmt: skip

    async def action_skip(self) -> None:
        await self._reason("skip", self.cutover.skip)

    async def action_block(self) -> None:
        await self._reason("block", self.cutover.block)

    async def action_fail(self) -> None:
        await self._reason("fail", self.cutover.fail)

    async def action_unblock(self) -> None:
        await self._reason("unblock", self.cutover.unblock, needed=False)

    async def action_note(self) -> None:
        from golive.tui.screens.reason import ReasonScreen

        if self.operator is None:
            return
        who = self.operator
        tid = self.current_task()
        where = f"on {tid}" if tid else "on the run"
        await self.push_screen(
            ReasonScreen(f"Note {where}", "Note (journaled)",
                         lambda text: self._act(lambda: self.cutover.note(who, text, tid)), save="Add note")
        )  # fmt: skip

    async def action_revoke(self) -> None:
        from golive.tui.screens.revoke import RevokeScreen

        if (tid := self._task_or_say()) and self.operator:
            progress = self.cutover.state.tasks[tid]
            if not progress.signoffs:
                self.notify(f"{tid} has no sign-off in force to revoke", severity="warning")
                return
            who = self.operator
            await self.push_screen(
                RevokeScreen(
                    progress,
                    lambda uuid, why: self._act(lambda: self.cutover.revoke(tid, uuid, who, why)),
                    zone=self.view.zone,
                )
            )

    async def action_rollback(self) -> None:
        from golive.tui.screens.rollback import RollbackScreen

        if self.operator is None:
            return
        who = self.operator
        tid = self.current_task()
        suggested = self.cutover.runbook.tasks[tid].rollback if tid else None
        await self.push_screen(
            RollbackScreen(
                self.cutover.runbook.rollback, suggested,
                lambda plan, why: self._act(lambda: self.cutover.start_rollback(plan, who, why, tid)),
            )
        )  # fmt: skip

    # -- checks -----------------------------------------------------------------------------------

    def action_run_checks(self, task_id: str | None = None, key: str | None = None) -> None:
        tid = self._task_or_say(task_id)
        if tid is None or self.operator is None:
            return
        planned = planned_checks(self.cutover.runbook.tasks[tid])
        if not planned:
            self.notify(f"{tid} has no checks", severity="warning")
            return
        from golive.checks.plan import items_for

        items = [i for i in items_for(self.cutover.runbook, task=tid) if key is None or i.key == key]
        if not items:
            return
        chosen = [(i.key, i) for i in items]
        self.running_checks.update(k for k, _ in chosen)
        self._repaint()
        self.run_worker(
            self._stream_checks([item for _, item in chosen], {k for k, _ in chosen}),
            group=f"checks-{tid}-{key or 'all'}", exclusive=True, exit_on_error=False,
            description=f"checks of {tid}",
        )  # fmt: skip

    def _make_engine(self) -> Any:
        from golive.checks.credentials import Credentials
        from golive.checks.engine import Engine

        if self._engine is None:
            lab = None  # a LIVE run checks the site's devices only, never a lab (even one handed to the app)
            if self.cutover.run.rehearsal:
                from golive.lab.registry import find_lab

                lab = self.lab or find_lab(self.cutover.runbook.runbook.id)
            self._engine = Engine(
                self.cutover.runbook, rehearsal=self.cutover.run.rehearsal, lab=lab,
                credentials=Credentials(prompt=self._prompt_secret), baselines=self.view.baselines(),
            )  # fmt: skip
        return self._engine

    async def _stream_checks(self, items: list[Any], keys: set[str]) -> None:
        """The checks run on the runner's own loop (golive.tui.check_runner); this worker only waits,
        so cancelling it (a re-run of the same checks) cancels them, and when it ends every result
        they gave has been journaled."""
        since = self.cutover.state.last_seq
        try:
            engine = self._make_engine()
            await asyncio.wrap_future(self._checks.submit(engine, items))
        except GoliveError as exc:
            self.notify(str(exc), title="checks", severity="error", timeout=8)
            since = -1
        except Exception as exc:  # a bug in a check's code: said on screen, never a silent key press
            self.notify(f"checks could not run: {type(exc).__name__}: {exc}", title="checks", severity="error",
                        timeout=15)  # fmt: skip
            since = -1
        finally:
            self._drain_checks()
            self.running_checks.difference_update(keys)
            self._repaint()
        if since >= 0:
            self._say_if_all_passed(keys, since)

    def _say_if_all_passed(self, keys: set[str], since: int) -> None:
        """A run of checks that all passed says so (a failure says so itself, in _drain_checks)."""
        from golive.checks.results import Status

        tasks = {key.rsplit("#", 1)[0] for key in keys}
        results = [
            (event, result) for task in tasks for key, (event, result) in self.view.latest_checks(task).items()
            if key in keys and event.seq > since
        ]  # fmt: skip
        if len(results) != len(keys) or any(result.status is not Status.PASS for _, result in results):
            return
        lab = " (lab)" if any(result.lab for _, result in results) else ""
        where = ", ".join(sorted(tasks))
        self.notify(f"✔ {where}: {len(results)}/{len(keys)} checks passed{lab}", title="checks", timeout=5)

    def on_checks_arrived(self, _message: ChecksArrived) -> None:
        self._drain_checks()

    def _drain_checks(self) -> None:
        """Journal every result that arrived since the last look in one transaction, then repaint once."""
        arrived = self._checks.take()
        self.running_checks.difference_update(r.key for r in arrived)
        results = self.unsaved_results + arrived
        if not results or self.operator is None:
            return
        try:
            self.cutover.record_checks(self.operator, [(r.task, r.to_payload()) for r in results])
        except GoliveError as exc:
            self.unsaved_results = results
            self.notify(f"{len(results)} check results NOT saved: {exc}. They are kept and saved with the next "
                        "results (run the checks again once it is fixed)", title="not saved", severity="error",
                        timeout=15)  # fmt: skip
            return
        self.unsaved_results = []
        self._quit_unsaved = False
        self.changed()
        failed = [r for r in results if r.failed]
        if failed and not isinstance(self.screen, TaskView):
            first = failed[0]
            more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
            self.notify(f"{first.key} {first.status.value}: {first.reason or first.expected}{more}",
                        title="check", severity="error", timeout=6)  # fmt: skip

    def _prompt_secret(self, what: str) -> str:
        """Called by the check engine from a worker thread: ask on screen, wait for the answer."""

        from golive.tui.screens.secret import SecretScreen

        async def ask() -> str:
            answer: asyncio.Future[str] = asyncio.get_running_loop().create_future()
            screen = SecretScreen(what)
            self.push_screen(screen, lambda _ok: answer.set_result(screen.secret))
            return await answer

        answer: Any = self.call_from_thread(ask)  # type: ignore[arg-type]
        return str(answer)

    # -- command palette ---------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        entries: list[tuple[str, str, Callable[[], Any]]] = [
            ("Start task", "Start the selected task (s)", self.action_start),
            ("Run checks", "Run all checks of the selected task (c)", self.action_run_checks),
            ("Sign off", "Sign off the selected task (o)", self.action_sign_off),
            ("Override failed checks", "With a reason and a second person (v)", self.action_override),
            ("Skip task", "With a reason (x)", self.action_skip),
            ("Block task", "With a reason (b)", self.action_block),
            ("Fail task", "With a reason (f)", self.action_fail),
            ("Unblock task", "Clear a block or failure (u)", self.action_unblock),
            ("Revoke sign-off", "A new event; nothing is edited (z)", self.action_revoke),
            ("Add note", "On the selected task or the run (n)", self.action_note),
            ("Start rollback", "Journal the start of a rollback plan (R)", self.action_rollback),
            (
                "Change operator",
                "Shift change: the next person takes the keyboard, journaled (w)",
                self.action_change_operator,
            ),
            ("Keys and symbols", "What every key does (?)", self.action_help),
        ]
        if not self.opened:  # nothing to act on until the run is open
            entries = entries[-1:]
        for title, help_text, callback in entries:
            yield SystemCommand(title, help_text, callback)
        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if main is not None:
            for tab in main.tabs:
                yield SystemCommand(f"Show {tab}", f"Switch to the {tab} tab", lambda t=tab: self._tab(t))
            if main.has_jacks and self.opened:
                yield SystemCommand("Re-check all jacks", "Run every jacks check again (A on the jacks tab)",
                                    main.action_recheck_jacks)  # fmt: skip

    def _tab(self, tab: str) -> None:
        while isinstance(self.screen, TaskView):
            self.pop_screen()
        if isinstance(self.screen, MainScreen):
            self.screen.action_tab(tab)
