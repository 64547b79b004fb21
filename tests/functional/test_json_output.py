"""CLI conventions through the real CLI and a real SQLite file: `--json` (one document on stdout,
errors still one line on stderr), "the run" chosen the same way by every command, `runs` never
cutting a name."""

from __future__ import annotations

import json
from pathlib import Path

from .test_cli import golive, no_traceback

ENV = {"GOLIVE_ROLE": "net", "GOLIVE_NAME": "Dana Kim", "GOLIVE_INITIALS": "DK", "COLUMNS": "80"}


def _env(tmp_path: Path) -> dict[str, str]:
    return {**ENV, "GOLIVE_DB": str(tmp_path / "s.db")}


def test_status_runs_and_verify_print_one_json_document(runbook_file: Path, tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert golive("load", str(runbook_file), env=env).returncode == 0
    assert golive("start", "uplink", "--outside-window", env=env).returncode == 0

    status = golive("status", "--json", env=env)
    assert status.returncode == 0, status.stderr
    doc = json.loads(status.stdout)
    assert doc["run"]["name"] == "demo-live-1" and doc["run"]["mode"] == "live"
    assert doc["zone"] == "UTC-05:00"
    assert doc["window"]["start"] == "2026-12-05T22:00:00-05:00"
    uplink = next(t for t in doc["tasks"] if t["id"] == "uplink")
    assert uplink["state"] == "in_progress" and uplink["started"].endswith("-05:00")
    assert uplink["checks"] == 1 and uplink["checks_not_run"] == 1
    assert doc["journal"]["events"] == 2 and len(doc["journal"]["chain_head"]) == 64

    assert "1 of 1 checks NOT RUN" in golive("status", env={**env, "COLUMNS": "120"}).stdout
    runs = json.loads(golive("runs", "--json", env=env).stdout)
    assert [r["name"] for r in runs["runs"]] == ["demo-live-1"] and runs["runs"][0]["events"] == 2

    verify = golive("verify", "--json", env=env)
    assert verify.returncode == 0
    assert json.loads(verify.stdout)["ok"] is True


def test_json_errors_stay_one_line_on_stderr(tmp_path: Path) -> None:
    result = golive("status", "--json", env=_env(tmp_path))
    assert result.returncode == 1 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    no_traceback(result)


def test_every_command_takes_the_only_run_and_refuses_to_guess_alike(runbook_file: Path, tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert golive("load", str(runbook_file), env=env).returncode == 0
    # one run: export needs no RUN
    only = golive("export", "--format", "md", "-o", str(tmp_path / "one.md"), env=env)
    assert only.returncode == 0, only.stderr
    assert golive("load", str(runbook_file), "--rehearsal", env=env).returncode == 0
    refusal = "golive: 2 runs are open (demo-live-1, demo-rehearsal-1): say which with --run NAME"
    for args in (
        ("status",), ("status", "--json"), ("export", "-f", "md", "-o", str(tmp_path / "two.md")), ("start", "uplink"),
        ("run",),
    ):  # fmt: skip
        result = golive(*args, env=env)
        # (`golive run` has put the terminal into the TUI's screen and back by then: its last line)
        assert (result.returncode, result.stderr.strip().splitlines()[-1][-len(refusal) :]) == (2, refusal), args
    # and each takes --run NAME
    chosen = golive("status", "--run", "demo-rehearsal-1", "--json", env=env)
    assert json.loads(chosen.stdout)["run"]["mode"] == "rehearsal"
    exported = golive("export", "--run", "demo-live-1", "-f", "md", "-o", str(tmp_path / "live.md"), env=env)
    assert exported.returncode == 0, exported.stderr
    both = golive("status", "demo-live-1", "--run", "demo-rehearsal-1", env=env)
    assert both.returncode == 2 and "two runs named" in both.stderr


def test_runs_never_cuts_a_name_at_80_columns(tmp_path: Path) -> None:
    long_id = "rvp-idf2b-access-stack-replacement-building-c"
    rb = tmp_path / "long.yaml"
    from ..conftest import VALID

    rb.write_text(VALID.replace("id: demo", f"id: {long_id}"), encoding="utf-8")
    env = _env(tmp_path)
    assert golive("load", str(rb), "--rehearsal", env=env).returncode == 0
    name = f"{long_id}-rehearsal-1"
    listed = golive("runs", env=env)
    assert listed.returncode == 0
    assert name in listed.stdout
    assert max(len(line) for line in listed.stdout.splitlines()) <= 80


def test_check_json_is_the_only_thing_on_stdout(runbook_file: Path, tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert golive("load", str(runbook_file), "--rehearsal", env=env).returncode == 0
    result = golive("check", "demo-rehearsal-1", "--json", env=env)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)  # the progress lines went to stderr
    assert doc["run"] == "demo-rehearsal-1" and doc["counts"]["simulated"] == 2
    assert [(r["key"], r["status"], r["lab"]) for r in doc["results"]] == [
        ("uplink#1", "simulated", False), ("patch#1", "simulated", False)]
    assert "2 simulated" in result.stderr
