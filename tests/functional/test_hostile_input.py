"""Runbook input limits that hold for any file: a stream past the size limit, nesting that would
overflow the C composer's stack, and a large runbook that is not an alias bomb.

Every case runs the installed command as a user would (`golive validate` / `golive load`) under a
memory ceiling (`ulimit -v`), so a limit that does not hold fails the test instead of the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ..conftest import VALID

MEMORY_KB = 800_000  # golive validate on /dev/zero peaks far below this once the limit holds


def golive(
    *args: str,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    memory_kb: int = MEMORY_KB,
    feed: str = "",
) -> subprocess.CompletedProcess[str]:
    """`golive ARGS` under a memory ceiling; `feed` is a shell command piped into it."""
    command = " ".join(f"'{a}'" for a in (sys.executable, "-m", "golive", *args))
    result = subprocess.run(
        ["bash", "-c", f"ulimit -v {memory_kb}; {feed + ' | ' if feed else 'exec '}{command}"], input=stdin,
        capture_output=True, env={**os.environ, **(env or {})}, timeout=120,
    )  # fmt: skip
    return subprocess.CompletedProcess(result.args, result.returncode, result.stdout.decode(), result.stderr.decode())


def problems(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The problem lines of a refused runbook: exit 1, no traceback, one line each, then the count."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    *found, count = result.stderr.splitlines()
    assert count == f"{len(found)} problem{'s' if len(found) != 1 else ''} found", result.stderr[-2000:]
    return found


def test_dev_zero_stops_at_the_size_limit() -> None:
    assert problems(golive("validate", "/dev/zero")) == ["/dev/zero: file is larger than 20 MiB"]


def test_an_endless_pipe_stops_at_the_size_limit_and_a_short_one_is_read() -> None:
    endless = golive("validate", "/dev/stdin", feed="yes '# a comment line, repeated for ever'")
    assert problems(endless) == ["/dev/stdin: file is larger than 20 MiB"]
    ok = golive("validate", "/dev/stdin", stdin=VALID.encode())
    assert ok.returncode == 0, ok.stderr


@pytest.mark.parametrize("endless", [True, False], ids=["endless", "a-runbook"])
def test_a_fifo_as_the_runbook(tmp_path: Path, endless: bool) -> None:
    fifo = tmp_path / "runbook.yaml"
    os.mkfifo(fifo)

    def feed() -> None:
        try:
            with open(fifo, "wb") as fh:
                if not endless:
                    fh.write(VALID.encode())
                    return
                for _ in range(2 * 1024 * 1024):  # up to 2 GiB, until golive stops reading
                    fh.write(b"#" * 1023 + b"\n")
        except BrokenPipeError:
            pass  # golive stopped reading at the limit, as it should

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    result = golive("validate", str(fifo))
    writer.join(timeout=30)
    if endless:
        assert problems(result) == [f"{fifo}: file is larger than 20 MiB"]
    else:
        assert result.returncode == 0, result.stderr


NESTED = {
    "flow-lists": "runbook: " + "[" * 30_000 + "]" * 30_000 + "\n",  # the 60 KB file that segfaulted (exit 139)
    "flow-maps": "runbook: " + "{a: " * 20_000 + "1" + "}" * 20_000 + "\n",
    "block-lists": "runbook:\n" + "- " * 30_000 + "x\n",
    "block-maps": "".join(" " * i + "a:\n" for i in range(3_000)) + " " * 3_000 + "b\n",
    "alias-chain": "x0: &x0 [1]\n" + "".join(f"x{i}: &x{i} [*x{i - 1}]\n" for i in range(1, 3_000)),
}


@pytest.mark.parametrize("text", NESTED.values(), ids=NESTED.keys())
def test_absurd_nesting_is_one_line_never_a_crash(tmp_path: Path, text: str) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    for command in ("validate", "load"):
        found = problems(golive(command, str(path), env={"GOLIVE_DB": str(tmp_path / "s.db")}))
        assert len(found) == 1 and found[0].startswith(f"{path}:"), found
        assert found[0].endswith("the document is nested too deeply (more than 100 levels)"), found
    assert not (tmp_path / "s.db").exists()


def test_a_runbook_nested_to_the_limit_is_read(tmp_path: Path) -> None:
    """The limit is on depth, not on ordinary structure: 100 levels pass, 101 do not."""
    from golive.runbook.source import MAX_DEPTH, read_yaml

    located, found = read_yaml("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1), "f")
    assert located is not None and found == []
    located, found = read_yaml("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH, "f")
    assert located is None and "nested too deeply" in found[0].message


@pytest.mark.slow
def test_a_large_runbook_with_no_alias_is_not_an_alias_bomb(tmp_path: Path) -> None:
    """Two million and some nodes, no alias: it was refused as "an alias bomb?". (Its node graph
    takes memory in proportion: the ceiling is higher here.)"""
    path = tmp_path / "large.yaml"
    path.write_text(VALID + "x-large: [" + "1," * 2_000_100 + "1]\n", encoding="utf-8")
    assert os.path.getsize(path) < 20 * 1024 * 1024
    found = problems(golive("validate", str(path), memory_kb=6_000_000))
    assert not any("alias" in line for line in found), found
    assert found == [f"{path}:{VALID.count(chr(10)) + 1}:1: unknown key 'x-large'"]
