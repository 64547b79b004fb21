"""`golive run FILE --rehearsal` in a real terminal, typed into faster than any person: the
installed command driven by tmux send-keys (each burst one command, so it reaches the app in a read
or two), the journal read back from a jsonl export, character for character.

Also: a run that cannot be opened ends `golive run` with one line and exit 1.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

GOLIVE = Path(sys.executable).parent / "golive"
SAMPLE = Path(__file__).resolve().parents[2] / "runbooks" / "idf-access-stack.yaml"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]

COMMENT = "Charge nurse told at 21:58, ok? s/c/o/v 1-5 [x] q é"
NOTE = "Rack B3 door code 4711, ask desk (q?) z R b f u"
REASON = "not needed tonight: map signed Friday"


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def _wait_for(session: str, text: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} not on screen after {timeout}s:\n{screen}")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A tmux session name and the environment that keeps golive's per-user files in tmp_path."""
    session = f"golive-run-{uuid.uuid4().hex[:8]}"
    env = " ".join(f"XDG_{d}_HOME={tmp_path}/{d.lower()}" for d in ("CONFIG", "DATA", "CACHE", "STATE"))
    yield session, env
    _tmux("kill-session", "-t", session)


def _export(tmp_path: Path, env: str, db: Path) -> list[dict[str, object]]:
    out = tmp_path / "journal.jsonl"
    subprocess.run(
        f"env {env} {GOLIVE} export rvp-idf2b-stack-2026-12-rehearsal-1 --db {db} --format jsonl -o {out}",
        shell=True, check=True, capture_output=True,
    )  # fmt: skip
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()[1:]]


def test_bursts_typed_into_golive_run_are_journaled_whole(tmp_path: Path, terminal: tuple[str, str]) -> None:
    session, env = terminal
    db = tmp_path / "x.db"
    command = f"cd {tmp_path} && env {env} {GOLIVE} run {SAMPLE} --rehearsal --db {db}; echo RUN-EXIT=$?; sleep 30"
    _tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)
    _wait_for(session, "Who is at the keyboard?", 90)
    _tmux("send-keys", "-t", session, "Ana Ruiz", "Tab", "AR", "Tab", "End", "Enter")  # role: the last, pm
    _wait_for(session, "Sign off", 20)
    _tmux("send-keys", "-t", session, "s")
    _wait_for(session, "saved #3", 20)  # (the toast of each journaled event)
    _tmux("send-keys", "-t", session, "o", COMMENT, "Enter")
    _wait_for(session, "saved #4", 20)
    _tmux("send-keys", "-t", session, "n", NOTE, "Enter")
    _wait_for(session, "saved #5", 20)
    _tmux("send-keys", "-t", session, "Down", "x", REASON, "Enter")  # the move decides the task
    _wait_for(session, "saved #6", 20)
    _tmux("send-keys", "-t", session, "q")
    _wait_for(session, "RUN-EXIT=0", 30)
    journal = [(e["kind"], e["task_id"], e["actor_name"], e["actor_initials"], e["actor_role"],
                json.loads(str(e["payload"]))) for e in _export(tmp_path, env, db)]  # fmt: skip
    ana = ("Ana Ruiz", "AR", "pm")
    assert journal[1:] == [
        ("session", None, *ana, {"what": "opened"}),
        ("started", "pre-notify-clinic", *ana, {}),
        ("signed_off", "pre-notify-clinic", *ana, {"comment": COMMENT}),
        ("note", "pre-notify-clinic", *ana, {"text": NOTE}),
        ("skipped", "pre-port-map", *ana, {"reason": REASON}),
        ("session", None, *ana, {"what": "closed"}),
    ]


def test_a_run_that_cannot_be_opened_ends_golive_run_with_one_line(tmp_path: Path, terminal: tuple[str, str]) -> None:
    session, env = terminal
    db = tmp_path / "x.db"
    subprocess.run(f"env {env} {GOLIVE} load {SAMPLE} --db {db}", shell=True, check=True, capture_output=True)
    command = f"cd {tmp_path} && env {env} {GOLIVE} run no-such-run --db {db}; echo RUN-EXIT=$?; sleep 30"
    _tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "20", command)
    screen = _wait_for(session, "RUN-EXIT=", 60)
    lines = [line for line in screen.splitlines() if line.strip()]
    assert lines[-1] == "RUN-EXIT=1"
    assert lines[-2].startswith("golive: no run 'no-such-run' in this database"), screen
    assert "Traceback" not in screen
