"""The export's second process (golive.export.background): the answer is the same whether the work ran
in a forked child or here, and a child that fails changes nothing but the time.

Each case runs in a fresh interpreter: a test runner's own threads would (rightly) stop the fork.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(code: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60, check=False
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_the_work_runs_in_a_child_and_its_answer_comes_back() -> None:
    printed = _run("""
        import os
        from golive.export import background
        here = os.getpid()
        pending = background.start(lambda: (os.getpid(), [n * n for n in range(5)]))
        pid, squares = pending.result()
        print(pid != here, squares)
    """)
    assert printed == "True [0, 1, 4, 9, 16]"


def test_a_child_that_fails_leaves_the_work_to_this_process() -> None:
    printed = _run("""
        import os
        from golive.export import background
        here = os.getpid()
        def work():
            if os.getpid() != here:
                raise RuntimeError("the child breaks")
            return "computed here"
        print(background.start(work).result())
    """)
    assert printed == "computed here"


def test_with_threads_running_nothing_is_forked() -> None:
    printed = _run("""
        import os, threading
        from golive.export import background
        here = os.getpid()
        stop = threading.Event()
        thread = threading.Thread(target=stop.wait)
        thread.start()
        try:
            print(background.start(os.getpid).result() == here)
        finally:
            stop.set()
            thread.join()
    """)
    assert printed == "True"


def test_a_cancelled_child_is_reaped() -> None:
    printed = _run("""
        import os, time
        from golive.export import background
        pending = background.start(lambda: time.sleep(0.2) or "late")
        pending.cancel()
        try:
            os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            print("no child left")
    """)
    assert printed == "no child left"
