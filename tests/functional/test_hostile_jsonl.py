"""`golive verify FILE.jsonl` on hostile and damaged exports: one `FILE:LINE: what is wrong` line and
exit 1 every time (never exit 3, never a traceback); the header held to the events; a BOM read.

The export is made by the real command from a real run; each case edits its bytes as an attacker,
an editor or bad luck would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ..conftest import VALID


def golive(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "golive", *args], capture_output=True, text=True, env={**os.environ, **(env or {})},
        timeout=120,
    )  # fmt: skip


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A jsonl export of a live run of five events: loaded, started, a note, overridden (its check never ran), signed off."""
    tmp = tmp_path_factory.mktemp("jsonl")
    runbook = tmp / "demo.yaml"
    runbook.write_text(VALID, encoding="utf-8")
    env = {"GOLIVE_DB": str(tmp / "s.db"), "GOLIVE_NAME": "Ana Ruiz", "GOLIVE_ROLE": "net"}
    for args in (
        ("load", str(runbook)),
        ("start", "uplink", "--outside-window"),
        ("note", "a note"),
        ("override", "uplink", "-m", "checked by hand", "--approver-name", "Lee Chan", "--approver-initials", "LC"),
        ("signoff", "uplink"),
    ):
        assert golive(*args, env=env).returncode == 0
    out = tmp / "night.jsonl"
    assert golive("export", "demo-live-1", "-f", "jsonl", "-o", str(out), env=env).returncode == 0
    return out.read_bytes()


def _header(change: Callable[[dict[str, Any]], None]) -> Callable[[list[bytes]], list[bytes]]:
    def edit(lines: list[bytes]) -> list[bytes]:
        head = json.loads(lines[0])
        change(head)
        return [json.dumps(head).encode() + b"\n", *lines[1:]]

    return edit


def _event(index: int, field: str, value: object) -> Callable[[list[bytes]], list[bytes]]:
    def edit(lines: list[bytes]) -> list[bytes]:
        row = json.loads(lines[index])
        row[field] = value
        return [*lines[:index], json.dumps(row).encode() + b"\n", *lines[index + 1 :]]

    return edit


def _set(key: str, value: object) -> Callable[[dict[str, Any]], None]:
    def change(head: dict[str, Any]) -> None:
        target = head
        *path, last = key.split(".")
        for part in path:
            target = target[part]
        target[last] = value

    return change


DEEP = b"[" * 100_000 + b"]" * 100_000 + b"\n"
CASES: dict[str, tuple[Callable[[list[bytes]], list[bytes]], int, str]] = {
    "header-runbook-id": (
        _header(_set("runbook.id", "other-runbook")), 1,
        "the header says runbook 'other-runbook' but the journal's load event says 'demo'",
    ),
    "header-run-uuid": (
        _header(_set("run.uuid", "00000000-0000-0000-0000-000000000000")), 1,
        "the header's genesis value does not belong to its run",
    ),
    "header-head-seq": (_header(_set("head_seq", 3)), 1, "the header's head_seq is not the last event's sequence number"),
    "header-head-hash": (_header(_set("head_hash", "0" * 64)), 1, "the header's chain head is not the last event's hash"),
    "header-events-bool": (_header(_set("events", True)), 1, "the header is incomplete"),
    "header-only": (lambda ls: ls[:1], 2, "no events after the header"),
    "header-only-zero": (lambda ls: _header(_set("events", 0))(ls[:1]), 2, "no events after the header"),
    "list-uuid": (_event(2, "uuid", ["a", "b"]), 3, "not a well-formed journal event: its uuid is a list, not text"),
    "dict-kind": (_event(1, "kind", {"k": 1}), 2, "its kind is a mapping, not text"),
    "int-actor": (_event(3, "actor_name", 7), 4, "its actor_name is 7, not text"),
    "object-payload": (_event(2, "payload", {"comment": "x"}), 3, "its payload is a mapping, not text"),
    "list-task": (_event(2, "task_id", ["uplink"]), 3, "its task_id is a list, not text or null"),
    "null-hash": (_event(4, "hash", None), 5, "its hash is nothing, not text"),
    "deep-json": (lambda ls: [*ls[:2], DEEP, *ls[3:]], 3, "not a journal event (JSON nested too deeply)"),
    "deep-payload-value": (
        _event(1, "payload", json.dumps({"x": "y"})[:-1] + ',"z":' + "[" * 50 + "]" * 50 + "}"), 2,
        "was edited: its content does not match its hash",
    ),
    "non-object": (lambda ls: [*ls[:3], b"[1, 2, 3]\n", *ls[4:]], 4, "not a journal event (not a JSON object)"),
    "number-line": (lambda ls: [*ls[:3], b"42\n", *ls[4:]], 4, "not a journal event (not a JSON object)"),
    "huge-seq": (_event(2, "seq", 10**30), 3, "event #2 is missing (deleted?)"),
}  # fmt: skip


@pytest.mark.parametrize(("change", "line", "message"), CASES.values(), ids=CASES.keys())
def test_each_malformed_export_is_one_line_at_its_line(
    export: bytes, tmp_path: Path, change: Callable[[list[bytes]], list[bytes]], line: int, message: str
) -> None:
    path = tmp_path / "edited.jsonl"
    path.write_bytes(b"".join(change(export.splitlines(keepends=True))))
    result = golive("verify", str(path))
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr[-1000:])
    assert "Traceback" not in result.stderr
    (error,) = result.stderr.splitlines()
    assert error.startswith(f"golive: {path}:{line}: "), error
    assert message in error, error


def test_an_export_saved_with_a_bom_verifies(export: bytes, tmp_path: Path) -> None:
    path = tmp_path / "saved.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + export)
    result = golive("verify", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{path}: ok: 5 events of LIVE run demo-live-1 (runbook demo v1)")
    crlf = tmp_path / "windows.jsonl"
    crlf.write_bytes(b"\xef\xbb\xbf" + export.replace(b"\n", b"\r\n"))
    assert golive("verify", str(crlf)).returncode == 0
