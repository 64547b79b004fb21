"""Checks run on an event loop of their own, in one background thread, so the screen's loop only paints.

On the screen's loop, the engine's Python work (SNMP decoding, judging, the hops to and from its
SSH threads) held key presses for most of a second while 200 devices answered or timed out
together. Here one long-lived loop thread owns the work; the check engine's SNMPv3 engine belongs
to that loop and lives as long as it. Results go into a queue, and the screen is woken once per
burst (not once per result) to journal and repaint everything that arrived since it last looked.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from golive.checks.results import CheckResult


class CheckRunner:
    """Runs `engine.run(items)` streams off the UI thread; `wake` is called (from that thread) when results wait."""

    def __init__(self, wake: Callable[[], object]) -> None:
        self._wake = wake
        self._lock = threading.Lock()
        self._queue: deque[CheckResult] = deque()
        self._woken = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._running: set[Future[None]] = set()

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            loop = asyncio.new_event_loop()
            ready = threading.Event()

            def serve() -> None:
                asyncio.set_event_loop(loop)
                loop.call_soon(ready.set)
                loop.run_forever()
                # stopped: let the engine's keepers (its SNMP engine) close with their loop
                pending = asyncio.all_tasks(loop)
                for task in pending:
                    task.cancel()
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()

            self._thread = threading.Thread(target=serve, name="golive-checks", daemon=True)
            self._thread.start()
            ready.wait()
            self._loop = loop
        return self._loop

    def submit(self, engine: Any, items: list[Any]) -> Future[None]:
        """Stream `items` on the loop thread. Cancelling the returned future cancels them (the app's
        worker that awaits it is exclusive per task, so running a task's checks again does that)."""

        async def stream() -> None:
            async for result in engine.run(items):
                self._put(result)

        future = asyncio.run_coroutine_threadsafe(stream(), self._ensure_loop())
        with self._lock:
            self._running.add(future)

        def finished(f: Future[None]) -> None:
            with self._lock:
                self._running.discard(f)

        future.add_done_callback(finished)
        return future

    def _put(self, result: CheckResult) -> None:
        with self._lock:
            self._queue.append(result)
            if self._woken:
                return
            self._woken = True
        self._wake()

    def take(self) -> list[CheckResult]:
        """Every result that arrived since the last call (UI thread)."""
        with self._lock:
            results = list(self._queue)
            self._queue.clear()
            self._woken = False
        return results

    def stop(self, finalize: Callable[[], None] | None = None, timeout: float = 5.0) -> None:
        """Cancel what runs, call `finalize` on the loop (closing the engine), end the loop thread."""
        with self._lock:
            running = list(self._running)
        for future in running:
            future.cancel()
        if self._loop is not None and self._thread is not None:
            if finalize is not None:
                self._loop.call_soon_threadsafe(finalize)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout)
        self._loop = None
        self._thread = None
