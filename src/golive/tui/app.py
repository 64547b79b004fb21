"""The golive TUI: one run, the operator at the keyboard, and every action one call on the core.

Attributes down, messages up: the app owns the Cutover and a RunView; screens and widgets are
handed the view and repainted after each journaled event. An action is a method here that calls
the Cutover and either repaints or shows the one-line reason the runbook's rule refuses it.
Checks stream from the check engine in a worker (exit_on_error=False: one bad device never takes
the app down); each result arrives as a message, is journaled, and repaints the rows it touches.
Quitting at any moment loses nothing: every event is on disk before the screen shows it.

`golive run` hands the app a Preview (golive.tui.preview): the first frame is drawn from it, and the
Cutover (pydantic, the validated runbook, SQLAlchemy) is built in a worker right after. Keys that
only move or show work at once; an action pressed before the Cutover exists runs as soon as it does.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import ModalScreen, Screen

from golive.problems import GoliveError
from golive.progress.events import Actor, Event
from golive.tui import operator as operators
from golive.tui.check_runner import CheckRunner
from golive.tui.preview import Preview
from golive.tui.run_view import Clock, RunView, planned_checks
from golive.tui.screens.main import MainScreen
from golive.tui.screens.run_screen import RunScreen, TaskView

if TYPE_CHECKING:  # the core (pydantic, the validated runbook) is imported after the first frame
    from golive.store.cutover import Cutover

# Screens other than the main one (and the task detail, which the repaint loop asks about) are
# imported when first shown: the first frame should not wait for Markdown or forms it does not draw.

POLL_SECONDS = 2.0
REPROJECT_SECONDS = 15.0
TASK_ACTIONS = {"start", "run_checks", "sign_off", "override", "skip", "block", "fail", "unblock", "revoke"}


CORE_WAIT_SECONDS = 60.0
A = TypeVar("A", bound=Callable[..., Any])


def wall_clock() -> datetime:
    return datetime.now(UTC)


def needs_core(action: A) -> A:
    """An action that calls the core: pressed before the Cutover is built, it runs as soon as it
    is, in the order pressed, on the task that was current when its key was pressed."""

    @functools.wraps(action)
    def run(self: GoliveApp, *args: Any, **kwargs: Any) -> Any:
        if self.core is not None:
            return action(self, *args, **kwargs)
        task = self.current_task()
        self._pending.append((task, lambda: action(self, *args, **kwargs)))
        return None

    return run  # type: ignore[return-value]


class ChecksArrived(Message):
    """Check results wait in the runner's queue: journal them and repaint, all at once."""


class GoliveApp(App[None]):
    TITLE = "golive"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
        Binding("s", "start", "Start"),
        Binding("c", "run_checks", "Checks"),
        Binding("o", "sign_off", "Sign off"),
        Binding("v", "override", "Override"),
        Binding("n", "note", "Note"),
        Binding("x", "skip", "Skip", show=False),
        Binding("b", "block", "Block", show=False),
        Binding("f", "fail", "Fail", show=False),
        Binding("u", "unblock", "Unblock", show=False),
        Binding("z", "revoke", "Revoke", show=False),
        Binding("R", "rollback", "Rollback", show=False),
    ]

    def __init__(
        self,
        cutover: Cutover | Preview,
        *,
        operator: Actor | None = None,
        ask_operator: bool = True,
        now: Clock = wall_clock,
        lab: Any = None,
        poll: bool = True,
        hint: str = "",
        focus_task: str | None = None,
    ) -> None:
        # Starting makes tens of thousands of long-lived objects (widgets, styles, the run) and little
        # garbage: the collector would walk them again and again before the first frame (a fifth of
        # the time from mount to frame). It waits until they are frozen right after that frame.
        collect = gc.isenabled()
        gc.disable()
        super().__init__()
        self._collect_after_frame = collect
        # A Preview (golive.tui.preview) is shown until the Cutover is built in a worker after the
        # first frame; `core` is None until then and actions wait for it (needs_core).
        self.core: Cutover | None = None if isinstance(cutover, Preview) else cutover
        self._preview = cutover if isinstance(cutover, Preview) else None
        self._pending: list[tuple[str | None, Callable[[], Any]]] = []
        self._task_at_press: tuple[str | None] | None = None
        self._framed = False  # the first frame is on screen
        self._core_started = False  # the worker that builds the core after the first frame
        self._core_attempted = threading.Event()
        self.view = RunView(cutover, now, self.core)
        self.operator = operator
        self.ask_operator = ask_operator or operator is None
        self.lab = lab
        self.poll = poll
        self.hint = hint
        self.focus_task = focus_task
        self.running_checks: set[str] = set()
        self.session_begun = False
        self._engine: Any = None
        self._checks = CheckRunner(wake=lambda: self.post_message(ChecksArrived()))
        self._since_projection = 0.0
        mode = "REHEARSAL" if cutover.run.rehearsal else "LIVE"
        self.title = f"golive {mode} {cutover.run.name}"

    # -- start and stop ----------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        # The main screen is the app's first screen (not pushed over Textual's blank default one,
        # which was composed, laid out and drawn, then resized with it, before the first frame).
        return MainScreen(self.view)

    def on_mount(self) -> None:
        if self.ask_operator:
            from golive.tui.screens.identity import IdentityScreen

            known = self.operator or operators.remembered()
            self.push_screen(IdentityScreen(dict(self.view.cutover.runbook.roles), known, self._accept_operator))
        # Nothing the first frame does not show is done before it: the journal's engine (SQLAlchemy)
        # is made in a thread right after it, and the session is journaled as soon as it is ready.
        self.call_after_refresh(self._after_first_frame)
        if self.poll:
            self.set_interval(POLL_SECONDS, self._poll)

    async def _on_resize(self, event: events.Resize) -> None:
        # The terminal's size arrives twice at start (the driver sends it once more). Textual keeps a
        # same-size event and, at the next idle, lays every screen out again and repaints what moved:
        # a second layout of the main screen before its first frame settles. Until that frame, a size
        # the app already has changes nothing: drop it (a real resize, or any later one such as the
        # driver's on resuming from ctrl+z, goes on to Textual's handler).
        if event.size == self._size and not self._framed:
            event.prevent_default()
            event.stop()

    def _after_first_frame(self) -> None:
        self._framed = True
        self._collect_again()
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen) and not self._exit:  # (no mounting while quitting)
                screen.after_first_frame()
        self._core_started = True
        self.run_worker(self._prepare_journal, thread=True, exit_on_error=False, group="journal", name="journal")

    @property
    def cutover(self) -> Cutover:
        """The core: only actions call it, and they wait for it (needs_core)."""
        assert self.core is not None, "the core is not built yet"
        return self.core

    def _prepare_journal(self) -> None:
        """Worker thread: build the core if the first frame showed a preview, make the engine,
        then (on the app's thread) take the core, journal the session and run waiting actions."""
        if self._preview is not None:
            from golive.store.cutover import Cutover

            try:
                core = Cutover.open(self._preview.db, self._preview.run.uuid, defer_engine=True)
                core.engine  # noqa: B018  (the import and the file's checks, off the screen's thread)
            except GoliveError as exc:
                with contextlib.suppress(RuntimeError):
                    self.call_from_thread(self.exit, None, 1, f"golive: {exc}")
                return
            else:
                self._built = core
            finally:
                self._core_attempted.set()  # built or refused: an exit waiting for it goes on
            with contextlib.suppress(RuntimeError):  # the app may be gone already: on_unmount takes it
                self.call_from_thread(self._take_core)
            return
        with contextlib.suppress(GoliveError):
            self.cutover.engine  # noqa: B018  (the import and the file's checks, off the screen's thread)
        if not self.ask_operator:
            with contextlib.suppress(RuntimeError):  # the app may be gone already: on_unmount journals it
                self.call_from_thread(self._begin_session)

    _built: Cutover | None = None

    def _take_core(self) -> None:
        """The Cutover is built: show it, journal the session, then run what was pressed meanwhile."""
        if self.core is not None or self._built is None:
            return
        self.core = self._built
        self.view.use_core(self.core)
        self._repaint()
        if not self.ask_operator:
            self._begin_session()
        pending, self._pending = self._pending, []
        for task, call in pending:
            self._task_at_press = (task,)
            try:
                done = call()
            finally:
                self._task_at_press = None
            if asyncio.iscoroutine(done):  # (quit)
                self.run_worker(done, exit_on_error=False)

    def _collect_again(self) -> None:
        if self._collect_after_frame:
            self._collect_after_frame = False
            gc.freeze()  # what starting made lives as long as the app: out of the collector's sight
            gc.enable()

    def on_unmount(self) -> None:
        self._collect_again()
        # quitting before the core was built: wait for it, so the session and anything pressed are journaled
        if self.core is None and self._preview is not None and self._wait_for_core():
            self._take_core()
        engine = self._engine
        self._checks.stop(finalize=engine.close if engine is not None else None)
        self._drain_checks()
        if self.core is not None:
            self._ensure_session()

    def _wait_for_core(self) -> bool:
        """On the app's thread, at exit: the worker's hand-over can no longer run, so wait for the
        worker itself (if it was started) to have built the core or given up."""
        if not self._core_started:
            return False
        self._core_attempted.wait(CORE_WAIT_SECONDS)
        return self._built is not None

    def _ensure_session(self) -> None:
        """The session is journaled before anything else this operator does, even a very quick quit."""
        if not self.session_begun and self.operator is not None and not self.ask_operator:
            self._begin_session()

    def _accept_operator(self, actor: Actor) -> str | None:
        self.operator = actor
        self.ask_operator = False
        operators.remember(actor)
        return self._begin_session()

    def _begin_session(self) -> str | None:
        assert self.operator is not None
        if self.session_begun or self.core is None:  # (without the core: journaled when it is built)
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
        if self.focus_task:
            main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
            if main is not None:
                main.select_task(self.focus_task)
        if self.hint:
            self.notify(self.hint, title="golive", timeout=20)
        return None

    @needs_core
    async def action_quit(self) -> None:
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
        if self.core is None:
            return
        before = self.cutover.state.last_seq
        self.cutover.refresh()
        self._since_projection += POLL_SECONDS
        if self.cutover.state.last_seq != before or self._since_projection >= REPROJECT_SECONDS:
            self.changed()

    # -- which task ---------------------------------------------------------------------------

    def current_task(self) -> str | None:
        if self._task_at_press is not None:  # an action that waited for the core: the task of its key press
            return self._task_at_press[0]
        for screen in reversed(self.screen_stack):
            if isinstance(screen, RunScreen):
                return screen.current_task()
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in TASK_ACTIONS | {"note", "rollback"} and isinstance(self.screen, ModalScreen))

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

    @needs_core
    def action_open_task(self, task_id: str) -> None:
        if task_id in self.cutover.state.tasks:
            from golive.tui.screens.task_detail import TaskScreen

            self.push_screen(TaskScreen(self.view, task_id))

    @needs_core
    def action_start(self) -> None:
        if (tid := self._task_or_say()) and self.operator:
            who = self.operator
            self._act_now(lambda: self.cutover.start(tid, who))

    @needs_core
    def action_sign_off(self) -> None:
        from golive.tui.screens.signoff import SignOffScreen

        if (tid := self._task_or_say()) and self.operator:
            progress = self.cutover.state.tasks[tid]
            self.push_screen(
                SignOffScreen(
                    progress, self.cutover.runbook.roles, self.operator,
                    lambda actor, comment: self._act(lambda: self.cutover.sign_off(tid, actor, comment)),
                )
            )  # fmt: skip

    @needs_core
    def action_override(self) -> None:
        from golive.tui.screens.override import OverrideScreen

        if (tid := self._task_or_say()) and self.operator:
            who = self.operator
            self.push_screen(
                OverrideScreen(
                    self.cutover.state.tasks[tid], self.cutover.runbook.roles, who,
                    lambda approver, reason: self._act(lambda: self.cutover.override(tid, who, approver, reason)),
                )
            )  # fmt: skip

    def _reason(self, verb: str, call: Callable[[str, Actor, str], Event], *, needed: bool = True) -> None:
        from golive.tui.screens.reason import ReasonScreen

        if (tid := self._task_or_say()) and self.operator:
            who = self.operator
            title = self.cutover.runbook.tasks[tid].title
            self.push_screen(
                ReasonScreen(
                    f"{verb.capitalize()} {tid}: {title}", "Reason (journaled)" if needed else "Comment (journaled)",
                    lambda text: self._act(lambda: call(tid, who, text)), save=verb.capitalize(),
                )
            )  # fmt: skip

    @needs_core
    def action_skip(self) -> None:
        self._reason("skip", self.cutover.skip)

    @needs_core
    def action_block(self) -> None:
        self._reason("block", self.cutover.block)

    @needs_core
    def action_fail(self) -> None:
        self._reason("fail", self.cutover.fail)

    @needs_core
    def action_unblock(self) -> None:
        self._reason("unblock", self.cutover.unblock, needed=False)

    @needs_core
    def action_note(self) -> None:
        from golive.tui.screens.reason import ReasonScreen

        if self.operator is None:
            return
        who = self.operator
        tid = self.current_task()
        where = f"on {tid}" if tid else "on the run"
        self.push_screen(
            ReasonScreen(f"Note {where}", "Note (journaled)",
                         lambda text: self._act(lambda: self.cutover.note(who, text, tid)), save="Add note")
        )  # fmt: skip

    @needs_core
    def action_revoke(self) -> None:
        from golive.tui.screens.revoke import RevokeScreen

        if (tid := self._task_or_say()) and self.operator:
            progress = self.cutover.state.tasks[tid]
            if not progress.signoffs:
                self.notify(f"{tid} has no sign-off in force to revoke", severity="warning")
                return
            who = self.operator
            self.push_screen(
                RevokeScreen(progress, lambda uuid, why: self._act(lambda: self.cutover.revoke(tid, uuid, who, why)))
            )

    @needs_core
    def action_rollback(self) -> None:
        from golive.tui.screens.rollback import RollbackScreen

        if self.operator is None:
            return
        who = self.operator
        tid = self.current_task()
        suggested = self.cutover.runbook.tasks[tid].rollback if tid else None
        self.push_screen(
            RollbackScreen(
                self.cutover.runbook.rollback, suggested,
                lambda plan, why: self._act(lambda: self.cutover.start_rollback(plan, who, why, tid)),
            )
        )  # fmt: skip

    # -- checks -----------------------------------------------------------------------------------

    @needs_core
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
            lab = self.lab
            if lab is None and self.cutover.run.rehearsal:
                from golive.lab.registry import find_lab

                lab = find_lab(self.cutover.runbook.runbook.id)
            self._engine = Engine(
                self.cutover.runbook, rehearsal=self.cutover.run.rehearsal, lab=lab,
                credentials=Credentials(prompt=self._prompt_secret), baselines=self.view.baselines(),
            )  # fmt: skip
        return self._engine

    async def _stream_checks(self, items: list[Any], keys: set[str]) -> None:
        """The checks run on the runner's own loop (golive.tui.check_runner); this worker only waits,
        so cancelling it (a re-run of the same checks) cancels them, and when it ends every result
        they gave has been journaled."""
        try:
            engine = self._make_engine()
            await asyncio.wrap_future(self._checks.submit(engine, items))
        except GoliveError as exc:
            self.notify(str(exc), title="checks", severity="error", timeout=8)
        finally:
            self._drain_checks()
            self.running_checks.difference_update(keys)
            self._repaint()

    def on_checks_arrived(self, _message: ChecksArrived) -> None:
        self._drain_checks()

    def _drain_checks(self) -> None:
        """Journal every result that arrived since the last look in one transaction, then repaint once."""
        results = self._checks.take()
        if not results:
            return
        self.running_checks.difference_update(r.key for r in results)
        if self.operator is None:
            return
        try:
            self.cutover.record_checks(self.operator, [(r.task, r.to_payload()) for r in results])
        except GoliveError as exc:
            self.notify(str(exc), title="results not journaled", severity="error")
            return
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
        entries = [
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
            ("Keys and symbols", "What every key does (?)", self.action_help),
        ]
        for title, help_text, callback in entries:
            yield SystemCommand(title, help_text, callback)
        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if main is not None:
            for tab in ("overview", "tasks", "gate", "ports", "journal"):
                yield SystemCommand(f"Show {tab}", f"Switch to the {tab} tab", lambda t=tab: self._tab(t))

    def _tab(self, tab: str) -> None:
        while isinstance(self.screen, TaskView):
            self.pop_screen()
        if isinstance(self.screen, MainScreen):
            self.screen.action_tab(tab)
