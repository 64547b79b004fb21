"""Run one pure computation in a forked child while this process goes on: a laptop's second CPU.
(And `collector_paused`, for the same batch jobs.)

An export recomputes the journal's chain (a SHA-256 over canonical JSON per event) and re-parses
the stored runbook texts while it also folds the run and writes the file; on two CPUs the two can
run side by side. `start(work)` forks a child that runs `work()` on data this process has already
read (no database, no file, no network in the child) and pipes back its pickled result;
`Pending.result()` waits for it.

Safe by construction rather than by care: the child only computes and always leaves with
`os._exit` (no atexit handlers, no buffered output flushed twice, no inherited SQLite connection
touched). If fork is not available (Windows), the process runs threads (forking those is
unsafe), or the child fails in any way, `work()` simply runs here instead, so the answer never
depends on the child. Nothing is decided before `result()` returns: the exporter renames its
temporary files into place only after that.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Pending(Generic[T]):
    """The outcome of `work()`, computed in a child process or, failing that, here."""

    def __init__(self, work: Callable[[], T], fork: bool = True) -> None:
        self._work = work
        self._pid = 0
        self._fd = -1
        self._done: tuple[T] | None = None  # the answer, once known
        if fork and hasattr(os, "fork") and threading.active_count() == 1:
            self._fork()

    def _fork(self) -> None:
        read_fd, write_fd = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return
        if pid == 0:  # the child: compute, send, leave, whatever happens
            code = 1
            try:
                os.close(read_fd)
                blob = pickle.dumps(self._work(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_fd, "wb") as pipe:
                    pipe.write(blob)
                code = 0
            finally:
                os._exit(code)
        os.close(write_fd)
        self._pid, self._fd = pid, read_fd

    def result(self) -> T:
        """The answer (computed once: asking again returns the same one)."""
        if self._done is None:
            self._done = (self._answer(),)
        return self._done[0]

    def _answer(self) -> T:
        if not self._pid:
            return self._work()
        chunks = []
        with os.fdopen(self._fd, "rb") as pipe:
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
        _pid, status = os.waitpid(self._pid, 0)
        self._pid = 0
        if os.waitstatus_to_exitcode(status) == 0 and chunks:
            try:
                found: T = pickle.loads(b"".join(chunks))  # noqa: S301 (our own child's answer, through our own pipe)
            except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError):
                pass
            else:
                return found
        return self._work()  # the child failed: compute it here, as if there were one CPU

    def cancel(self) -> None:
        """Not needed (any more): stop the child (it only computes) and reap it."""
        if self._pid:
            os.close(self._fd)
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGTERM)
            os.waitpid(self._pid, 0)
            self._pid = 0


def start(work: Callable[[], T]) -> Pending[T]:
    """Begin `work()` beside this process (see the module doc); `.result()` gives its value."""
    return Pending(work)


def inline(work: Callable[[], T]) -> Pending[T]:
    """The same, computed here when `.result()` is asked for (no second process)."""
    return Pending(work, fork=False)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a batch job (an export, a merge): reading 20,000 events makes
    ~2 million objects that all live to the end, and each collection would walk them all again (a third
    of the time, for no garbage). Reference counting still frees everything as usual."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
