"""The installed `golive` command, as a user meets it: exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import VALID

REPO = Path(__file__).resolve().parents[2]


def golive(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "golive", *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=60
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr + result.stdout


def test_validate_ok_bad_and_usage(runbook_file: Path, tmp_path: Path) -> None:
    ok = golive("validate", str(runbook_file))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == f"{runbook_file}: ok: demo v1, 3 phases, 4 tasks, 2 checks, 1 device"

    bad = tmp_path / "bad.yaml"
    bad.write_text(VALID.replace("after: [uplink]", "after: [uplnk]").replace("duration: 45m", "duration: 45"))
    result = golive("validate", str(bad))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{bad}:30:19: bad duration 45: give a unit, like 45m or 45s",
        f"{bad}:31:17: after names unknown task 'uplnk' (did you mean uplink?)",
        "2 problems found",
    ]
    no_traceback(result)

    usage = golive("validate")
    assert usage.returncode == 2
    assert "Missing argument 'FILE'" in usage.stderr
    no_traceback(usage)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"\xff\xfe\x00bad", "1:1: not UTF-8 text"),
        (b"", "the file is empty"),
    ],
)
def test_unreadable_runbooks_are_one_line(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "rb.yaml"
    if content is not None:
        path.write_bytes(content)
    result = golive("validate", str(path))
    assert result.returncode == 1
    assert message in result.stderr.splitlines()[0]
    no_traceback(result)


def test_load_status_verify_and_actions(runbook_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    env = {"GOLIVE_DB": str(db), "GOLIVE_NAME": "Ana Ruiz", "GOLIVE_ROLE": "net"}
    loaded = golive("load", str(runbook_file), "--rehearsal", env=env)
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded into new rehearsal run demo-rehearsal-1" in loaded.stdout
    again = golive("load", str(runbook_file), "--rehearsal", env=env)
    assert "already loaded in rehearsal run demo-rehearsal-1" in again.stdout

    assert golive("start", "uplink", env=env).returncode == 0
    unchecked = golive("signoff", "uplink", "-m", "uplink up at 10G", env=env)
    assert unchecked.returncode == 1
    assert unchecked.stderr.startswith("golive: uplink cannot be signed: uplink#1 never run; run the checks")
    assert golive("check", "demo-rehearsal-1", "--task", "uplink", env=env).returncode == 0  # simulated: no lab
    signed = golive("signoff", "uplink", "-m", "uplink up at 10G", env=env)
    assert signed.stdout.strip().endswith("signed_off uplink by Ana Ruiz (AR) as net -> done")
    refused = golive("signoff", "gate", env=env)
    assert refused.returncode == 1
    assert refused.stderr.strip() == "golive: gate is not ready: waiting for patch"

    status = golive("status", env={**env, "COLUMNS": "120"})
    assert status.returncode == 0, status.stderr
    assert "REHEARSAL" in status.stdout
    assert "demo-rehearsal-1" in status.stdout
    assert "▶ patch" in status.stdout  # next up

    verified = golive("verify", env=env)
    assert verified.returncode == 0
    assert "demo-rehearsal-1: ok: 4 events, chain head " in verified.stdout


def test_a_changed_runbook_is_refused_then_upgraded_or_run_apart(runbook_file: Path, tmp_path: Path) -> None:
    env = {"GOLIVE_DB": str(tmp_path / "state.db"), "GOLIVE_NAME": "Ana Ruiz"}
    assert golive("load", str(runbook_file), env=env).returncode == 0
    runbook_file.write_text(VALID.replace("version: 1", "version: 2").replace("duration: 15m", "duration: 20m"))
    refused = golive("load", str(runbook_file), env=env)
    assert refused.returncode == 1
    line = refused.stderr.strip()
    assert line.startswith(f"golive: {runbook_file}: run demo-live-1 holds version 1 (")
    assert "this file is version 2" in line
    assert "--upgrade" in line
    assert "--new-run" in line
    upgraded = golive("load", str(runbook_file), "--upgrade", env=env)
    assert "upgraded live run demo-live-1" in upgraded.stdout
    separate = golive("load", str(runbook_file), "--new-run", env=env)
    assert "loaded into new live run demo-live-2" in separate.stdout


def test_an_upgrade_may_not_drop_a_task_with_events(runbook_file: Path, tmp_path: Path) -> None:
    env = {"GOLIVE_DB": str(tmp_path / "state.db"), "GOLIVE_NAME": "Ana Ruiz", "GOLIVE_ROLE": "net"}
    assert golive("load", str(runbook_file), env=env).returncode == 0
    assert golive("start", "uplink", "--outside-window", env=env).returncode == 0
    renamed = VALID.replace("- id: uplink", "- id: uplink2").replace("after: [uplink]", "after: [uplink2]")
    runbook_file.write_text(renamed)
    refused = golive("load", str(runbook_file), "--upgrade", env=env)
    assert refused.returncode == 1
    assert "the journal has events for tasks this version drops (uplink); use --new-run" in refused.stderr


def test_database_errors_are_one_line(tmp_path: Path, runbook_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOLIVE_NAME", "Ana Ruiz")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    result = golive("status", "--db", str(junk))
    assert result.returncode == 1
    assert result.stderr.startswith(f"golive: {junk}: not a usable golive database")
    no_traceback(result)
    missing = golive("status", "--db", str(tmp_path / "nope.db"))
    assert missing.returncode == 1
    assert missing.stderr.strip() == (
        f"golive: {tmp_path / 'nope.db'}: no such database (load a runbook first: golive load FILE)"
    )
    nodir = golive("load", str(runbook_file), "--db", str(tmp_path / "no" / "dir.db"))
    assert nodir.returncode == 1
    assert "cannot create the database: no directory" in nodir.stderr
    unknown = tmp_path / "state.db"
    golive("load", str(runbook_file), "--db", str(unknown))
    result = golive("status", "nosuchrun", "--db", str(unknown))
    assert result.returncode == 1
    assert result.stderr.strip() == "golive: no run 'nosuchrun' in this database (runs: demo-live-1)"


def test_default_database_lives_in_the_user_data_dir(runbook_file: Path, tmp_path: Path) -> None:
    data = tmp_path / "xdg-data"
    env = {"XDG_DATA_HOME": str(data), "GOLIVE_NAME": "Ana Ruiz"}
    env_clean = {k: v for k, v in os.environ.items() if k != "GOLIVE_DB"}
    result = subprocess.run(
        [sys.executable, "-m", "golive", "load", str(runbook_file)],
        capture_output=True, text=True, env={**env_clean, **env}, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (data / "golive" / "golive.db").exists()


def test_schema_file_in_the_repo_matches_golive_schema() -> None:
    result = golive("schema")
    assert result.returncode == 0
    assert (REPO / "schema" / "runbook.schema.json").read_text(encoding="utf-8") == result.stdout


def test_every_platform_is_a_netmiko_device_type() -> None:
    from netmiko.ssh_dispatcher import CLASS_MAPPER

    from golive.runbook.schema import NETMIKO_PLATFORMS

    assert set(NETMIKO_PLATFORMS) <= set(CLASS_MAPPER)


def test_override_rollback_and_close(runbook_file: Path, tmp_path: Path) -> None:
    env = {"GOLIVE_DB": str(tmp_path / "state.db"), "GOLIVE_NAME": "Ana Ruiz", "GOLIVE_ROLE": "net"}
    assert golive("load", str(runbook_file), env=env).returncode == 0
    nothing = golive(
        "override", "close", "-m", "flap", "--approver-name", "Lee Chan", "--approver-initials", "LC", env=env
    )
    assert nothing.returncode == 1
    assert nothing.stderr.strip() == "golive: close has no failed, errored or unrun checks to override"
    rolled = golive("rollback", "rb", "-m", "new stack failed POST", env=env)
    assert rolled.returncode == 0, rolled.stderr
    assert rolled.stdout.splitlines()[1:] == ["  1. Re-patch to the old stack (30m, net)"]
    closed = golive("close", "-m", "rolled back", env=env)
    assert closed.returncode == 0
    assert "run closed; chain head " in closed.stdout
    late = golive("note", "after the fact", env=env)
    assert late.returncode == 1
    assert late.stderr.strip() == "golive: the run is closed: demo-live-1 takes no more events"


def test_brackets_in_reasons_and_titles_are_text_not_markup(runbook_file: Path, tmp_path: Path) -> None:
    runbook_file.write_text(VALID.replace("title: Re-patch the rooms", "title: Re-patch [rooms 1-24]"))
    env = {"GOLIVE_DB": str(tmp_path / "s.db"), "GOLIVE_NAME": "Ana Ruiz", "GOLIVE_ROLE": "net", "COLUMNS": "160"}
    assert golive("load", str(runbook_file), env=env).returncode == 0
    assert golive("block", "uplink", "--reason", "cable in [/red] bin", env=env).returncode == 0
    status = golive("status", env=env)
    assert status.returncode == 0, status.stderr
    assert "cable in [/red] bin" in status.stdout
    assert "Re-patch [rooms 1-24]" in status.stdout


def test_schema_to_an_unwritable_path_is_one_line(tmp_path: Path) -> None:
    result = golive("schema", "-o", str(tmp_path / "no" / "such" / "dir.json"))
    assert result.returncode == 1
    assert "cannot write" in result.stderr
    no_traceback(result)


def test_a_write_never_guesses_between_open_runs(runbook_file: Path, tmp_path: Path) -> None:
    env = {"GOLIVE_DB": str(tmp_path / "s.db"), "GOLIVE_NAME": "Ana Ruiz", "GOLIVE_ROLE": "net"}
    assert golive("load", str(runbook_file), env=env).returncode == 0
    assert golive("load", str(runbook_file), "--rehearsal", env=env).returncode == 0
    guessed = golive("start", "uplink", env=env)
    assert guessed.returncode == 2
    assert (
        guessed.stderr.strip() == "golive: 2 runs are open (demo-live-1, demo-rehearsal-1): say which with --run NAME"
    )
    chosen = golive("start", "uplink", "--run", "demo-live-1", "--outside-window", env=env)
    assert chosen.stdout.startswith("LIVE demo-live-1: #2 started uplink")
