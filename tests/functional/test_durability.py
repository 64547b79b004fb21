"""A sign-off that was reported is on disk, whenever the process dies.

A helper process (signoff_loop.py) starts and signs off task after task on a real SQLite file
and prints `SIGNED <task> <uuid>` only after `sign_off` returns. The test SIGKILLs it at a
random moment, then checks the file: every reported sign-off is there, SQLite's integrity
check passes, the hash chain verifies, and a freshly opened Cutover folds those tasks as done.
Most trials resume on a database that earlier kills already hit.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import queue
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from golive.progress.events import Actor
from golive.progress.state import TaskState
from golive.runbook.load import parse_runbook
from golive.store import journal, runs
from golive.store.cutover import Cutover
from golive.store.db import close_all, open_engine
from golive.store.repository import Repository

HELPER = Path(__file__).with_name("signoff_loop.py")
TASKS = 400  # ~20-100 sign-offs per trial: a database lasts many trials, so most trials resume
TRIALS = 36
KILL_AFTER = (0.05, 0.6)  # seconds after the helper has opened the run
AHEAD = 2  # helpers started ahead of their trial: their imports (~1 s) overlap the trials
WAIT = 120.0  # generous: a busy 2-core machine may be slow to import, never this slow
SIGNED = re.compile(r"^SIGNED (t\d{4}) ([0-9a-f-]{36})$")
LEAD = Actor("Lena Lead", "LL", "net")


def runbook_text(n: int) -> str:
    lines = [
        "runbook:",
        "  id: durability",
        "  title: Many independent tasks",
        "  version: 1",
        "  window:",
        "    start: 2026-12-05T22:00-05:00",
        "    end: 2026-12-06T04:00-05:00",
        "roles:",
        "  net: Network engineer",
        "phases:",
        "  - id: all",
        "    title: Everything",
        "    tasks:",
    ]
    for i in range(n):
        lines += [f"      - id: t{i:04d}", f"        title: Task {i}", "        owner: net", "        duration: 1m"]
    return "\n".join(lines) + "\n"


def prepare_db(path: Path, text: str) -> str:
    """A fresh database holding one rehearsal run of the runbook; the run's UUID."""
    outcome = runs.load(
        open_engine(path), parse_runbook(text, "durability.yaml"), rehearsal=True, actor=LEAD, machine="pytest"
    )
    assert outcome.action == "created"
    close_all()
    return outcome.run.uuid


class Helper:
    """One signoff_loop.py process and a thread collecting its stdout lines."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        self._err = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, str(HELPER)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._err, env=env, text=True,
        )  # fmt: skip
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.endswith("\n"):  # a torn last line never counts as reported
                self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def expect(self, prefix: str) -> str:
        deadline = time.monotonic() + WAIT
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None:
                self.proc.kill()
                pytest.fail(f"helper gave no {prefix!r} line (exit {self.proc.poll()}): {self.stderr()}")
            self.seen.append(line)
            if line.startswith(prefix):
                return line

    def go(self, db: Path) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"go {db}\n")
        self.proc.stdin.flush()

    def finish(self) -> list[str]:
        """Wait for the (killed or finished) process; every line it wrote, in order."""
        self.proc.wait(timeout=WAIT)
        self._reader.join(timeout=WAIT)
        while (line := self.lines.get(timeout=WAIT)) is not None:
            self.seen.append(line)
        self._err.close()
        return self.seen

    def stderr(self) -> str:
        with contextlib.suppress(OSError):
            self._err.flush()
            return self.log.read_text(errors="replace")[-3000:]
        return ""

    def discard(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=WAIT)
        self._err.close()


@dataclass
class Chain:
    """One database that trial after trial resumes on."""

    db: Path
    run_uuid: str
    signed: dict[str, str] = field(default_factory=dict)  # task -> sign-off uuid, as the file holds
    kills: int = 0


def check_database(chain: Chain, reported: list[tuple[str, str]], context: str) -> dict[str, str]:
    """Everything the file must hold after a kill; returns task -> sign-off uuid from the file."""
    close_all()  # nothing cached from before the kill: read the file afresh
    con = sqlite3.connect(chain.db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)], context
        rows = con.execute(
            "SELECT seq, uuid, kind, task_id, payload FROM journal WHERE run_uuid = ? ORDER BY seq", (chain.run_uuid,)
        ).fetchall()
    finally:
        con.close()
    signed_rows = [(task, uuid, payload) for _, uuid, kind, task, payload in rows if kind == "signed_off"]
    signed = {task: uuid for task, uuid, _ in signed_rows}
    assert len(signed) == len(signed_rows), f"{context}: a task was signed off twice"
    for task, _, payload in signed_rows:
        assert json.loads(payload)["comment"].startswith(f"signed {task} by pid "), context
    by_uuid = {uuid: task for task, uuid in signed.items()}
    for task, uuid in reported:
        assert by_uuid.get(uuid) == task, f"{context}: reported sign-off {task} {uuid} is not in the database"

    with Repository.at(chain.db).read() as tx:
        report = journal.verify_rows(chain.run_uuid, tx.rows(chain.run_uuid))
    assert report.ok, f"{context}: chain broken at #{report.broken_at}: {report.reason}"
    assert report.events == len(rows), context

    cutover = Cutover.open(chain.db)
    assert cutover.run.uuid == chain.run_uuid
    states = {tid: p.state for tid, p in cutover.state.tasks.items()}
    done = {tid for tid, s in states.items() if s is TaskState.DONE}
    assert done == set(signed), f"{context}: folded done tasks differ from the signed-off ones in the file"
    leftover = {s for tid, s in states.items() if tid not in done}
    assert leftover <= {TaskState.READY, TaskState.IN_PROGRESS}, f"{context}: {leftover}"
    assert sum(s is TaskState.IN_PROGRESS for s in states.values()) <= 1, f"{context}: more than one task in progress"
    close_all()
    return signed


def test_reported_signoffs_survive_sigkill(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config"  # machine-id goes here, not into the real home
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    env = {**os.environ, "XDG_CONFIG_HOME": str(config), "PYTHONDONTWRITEBYTECODE": "1"}
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    text = runbook_text(TASKS)

    def new_chain() -> Chain:
        db = tmp_path / f"chain{len(chains)}.db"
        chain = Chain(db, prepare_db(db, text))
        chains.append(chain)
        return chain

    chains: list[Chain] = []
    chain = new_chain()
    spawned = 0

    def spawn() -> Helper:
        nonlocal spawned
        spawned += 1
        return Helper(env, tmp_path / f"helper{spawned}.stderr")

    resumed = 0  # trials that opened a database an earlier kill had hit, with sign-offs in it
    reported_total = 0
    unreported_total = 0
    pending = collections.deque(spawn() for _ in range(AHEAD))
    try:
        for trial in range(TRIALS):
            helper = pending.popleft()
            pending.append(spawn())  # the next ones import while this one works
            helper.expect("READY")
            helper.go(chain.db)
            opened = helper.expect("OPEN ")
            done_at_open = int(opened.split()[1])
            assert done_at_open == len(chain.signed), (
                f"helper folded {opened!r}, the file has {len(chain.signed)} signed"
            )
            if chain.kills and chain.signed:
                resumed += 1
            delay = rng.uniform(*KILL_AFTER)
            time.sleep(delay)
            if helper.proc.poll() is None:
                os.kill(helper.proc.pid, signal.SIGKILL)
            lines = helper.finish()
            context = (
                f"trial {trial} (seed {seed}, kill after {delay:.3f}s, db {chain.db.name}, kill #{chain.kills + 1})"
            )
            rc = helper.proc.returncode
            assert rc in (-signal.SIGKILL, 0), f"{context}: helper exited {rc}: {helper.stderr()}"
            reported = [(m[1], m[2]) for line in lines if (m := SIGNED.match(line))]

            before = chain.signed
            after = check_database(chain, reported, context)
            new = set(after) - set(before)
            assert set(before) <= set(after), f"{context}: sign-offs disappeared"
            assert {task for task, _ in reported} <= new, f"{context}: reported tasks were already done before"
            # the helper is sequential: at most the one sign-off in flight at the kill is unreported
            assert len(new) - len(reported) in (0, 1), f"{context}: {len(new)} new sign-offs, {len(reported)} reported"
            reported_total += len(reported)
            unreported_total += len(new) - len(reported)
            chain.signed = after
            chain.kills += 1
            if rc == 0:  # finished before the kill: every task done; go on with a fresh file
                assert "DONE" in lines and len(after) == TASKS, context
                chain = new_chain()
    finally:
        for idle in pending:
            idle.discard()
        close_all()

    assert resumed >= TRIALS // 3, f"only {resumed} trials resumed on a killed database"
    assert reported_total > TRIALS, f"only {reported_total} sign-offs reported in {TRIALS} trials"
    print(f"seed {seed}: {TRIALS} trials, {len(chains)} databases, {resumed} resumed, "
          f"{reported_total} reported sign-offs, {unreported_total} committed but unreported")  # fmt: skip
